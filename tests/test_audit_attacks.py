"""Attacks on the permission audit of main's history as a student with a Git account would try
them, and on its fast path for a student's own request (rules/permissions.py `_own_request`):
whatever it passes at once, the full judgement passes too.

1150101 and 1150102 are students; jiang-shuhui teaches 1150101's English; lai-zhiwei is a teacher
without any section's rights.
"""

from __future__ import annotations

import os

from gitschool import GITHUB, who
from generator.git import committed, lines
from generator.rules import permissions
from generator.validate import validate
from test_history import NEW, NOW, OUTCOME, repo  # noqa: F401  (repo is a fixture)

OTHER = "records/outcomes/115-1/1150102/diary.yaml"
NOTED = OUTCOME + "teacher_note: 內容完整，予以認證。\n"


def _report(repo):
    return sorted((f.rule, f.path, f.variant, tuple(sorted(f.params.items())))
                  for f in validate(repo.root, NOW)[1].findings if f.rule.startswith(("perm.", "cert.", "delegate.")))


def _notes(repo):
    return [(f.path, f.params["sha"]) for f in validate(repo.root, NOW)[1].findings
            if f.rule == "perm.denied" and f.variant == "note"]


def _branch(repo, name, author, at, edit, committer=None):
    repo.git("checkout", "-q", "-b", name, "main")
    edit()
    repo.git("add", "-A")
    repo.git("commit", "-q", "--allow-empty", "-m", name, author=who(author), committer=who(committer or author), at=at)
    repo.git("checkout", "-q", "main")


def test_the_fast_path_finds_what_the_full_audit_finds(repo, monkeypatch):
    """One history of the tricks a student's own-folder request might hide, judged with the fast
    path and without it."""
    repo.mr({OTHER: OUTCOME}, "1150102", "2026-09-10 20:00", "jiang-shuhui", "2026-09-11 10:00")
    # a commit naming the student as author, someone else as committer
    _branch(repo, "committer", "1150101", "2026-09-12 20:00", lambda: repo.write(NEW, OUTCOME), committer="1150102")
    repo.merge("committer", "jiang-shuhui", "2026-09-13 10:00")
    # the student's own file, and another student's moved into their folder (git lists no rename)
    _branch(repo, "rename", "1150101", "2026-09-14 20:00",
            lambda: repo.git("mv", OTHER, "records/outcomes/115-1/1150101/taken.yaml"))
    repo.merge("rename", "jiang-shuhui", "2026-09-15 10:00")
    # a folder whose name starts with the student's number, one in full-width digits, a gitlink
    _branch(repo, "lookalikes", "1150101", "2026-09-16 20:00", lambda: (
        repo.write("records/outcomes/115-1/11501012/a.yaml", OUTCOME),
        repo.write("records/outcomes/115-1/１１５０１０１/b.yaml", OUTCOME),
        repo.git("update-index", "--add", "--cacheinfo",
                 f"160000,{repo.git('rev-parse', 'HEAD')},records/outcomes/115-1/1150101/sub")))
    repo.merge("lookalikes", "jiang-shuhui", "2026-09-17 10:00")
    # an octopus merge of two students' requests, by a teacher
    _branch(repo, "a", "1150101", "2026-09-18 20:00", lambda: repo.write("records/outcomes/115-1/1150101/a.yaml", OUTCOME))
    _branch(repo, "b", "1150102", "2026-09-18 21:00", lambda: repo.write("records/outcomes/115-1/1150102/b.yaml", OUTCOME))
    repo.git("merge", "-q", "--no-ff", "-m", "octopus", "a", "b", author=who("lai-zhiwei"), committer=GITHUB,
             at="2026-09-19 10:00")
    # a merge that also changes another student's file itself (an "evil merge"), by a teacher
    _branch(repo, "evil", "1150101", "2026-09-20 20:00", lambda: repo.write("records/outcomes/115-1/1150101/c.yaml", OUTCOME))
    repo.git("merge", "-q", "--no-ff", "--no-commit", "evil", author=who("lai-zhiwei"))
    repo.write(OTHER, OUTCOME.replace("英文日記", "改過的日記"))
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "merge", author=who("lai-zhiwei"), committer=GITHUB, at="2026-09-21 10:00")
    # merged by a student, and by someone nobody knows
    repo.mr({"records/outcomes/115-1/1150101/d.yaml": OUTCOME}, "1150101", "2026-09-22 20:00", "1150102", "2026-09-23 10:00")
    repo.mr({"records/outcomes/115-1/1150101/e.yaml": OUTCOME}, "1150101", "2026-09-24 20:00", "stranger", "2026-09-25 10:00")
    # a symlink in the student's own folder
    _branch(repo, "link", "1150101", "2026-09-26 20:00",
            lambda: os.symlink("../../../students/1150102.yaml", repo.path("records/outcomes/115-1/1150101/link.yaml")))
    repo.merge("link", "jiang-shuhui", "2026-09-27 10:00")
    with_fast_path = _report(repo)
    monkeypatch.setattr(permissions, "_own_request", lambda *args: False)
    assert _report(repo) == with_fast_path
    denied = {(path, variant) for rule, path, variant, _ in with_fast_path if rule == "perm.denied"}
    assert {(OTHER, "branch"), ("records/outcomes/115-1/11501012/a.yaml", "branch"),
            ("records/outcomes/115-1/１１５０１０１/b.yaml", "branch"),
            (OTHER, "in-merge"), ("records/outcomes/115-1/1150101/d.yaml", "merger")} <= denied


def test_a_teacher_note_a_student_wrote_is_denied_however_it_was_merged(repo):
    repo.mr({NEW: NOTED}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    [(path, sha)] = _notes(repo)
    assert path == NEW and repo.git("log", "-1", "--format=%an", sha) == who("1150101")[0]


def test_a_note_the_teacher_wrote_over_the_students_is_the_teachers(repo):
    repo.mr({NEW: NOTED}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    repo.mr({NEW: NOTED.replace("予以認證", "補充說明")}, "jiang-shuhui", "2026-09-22 20:00", "jiang-shuhui", "2026-09-23 10:00")
    assert _notes(repo) == []


def test_a_students_later_change_that_keeps_the_teachers_note_is_not_denied(repo):
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    repo.mr({NEW: NOTED}, "jiang-shuhui", "2026-09-22 20:00", "jiang-shuhui", "2026-09-23 10:00")  # re-certification
    repo.mr({NEW: NOTED.replace("英文日記", "英文週記")}, "1150101", "2026-09-25 20:00", "jiang-shuhui", "2026-09-26 10:00")
    assert _notes(repo) == []


def test_a_note_only_commit_claiming_the_teacher_grants_nothing_unless_the_teacher_merges_it(repo):
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    for merger, denied in (("lai-zhiwei", True), ("jiang-shuhui", False)):
        # the student writes the note in a commit naming the course teacher as its author
        _branch(repo, f"note-{merger}", "jiang-shuhui", "2026-09-21 20:00",
                lambda: repo.write(NEW, NOTED if merger == "lai-zhiwei" else NOTED.replace("認證", "確認")),
                committer="1150101")
        sha = repo.git("rev-parse", "--short=8", f"note-{merger}")
        repo.merge(f"note-{merger}", merger, "2026-09-22 10:00" if denied else "2026-09-23 10:00")
        found = [f for f in validate(repo.root, NOW)[1].findings
                 if f.rule == "perm.denied" and f.path == NEW and f.params.get("sha") == sha]
        assert [f.variant for f in found] == (["branch"] if denied else []), merger
        for f in found:  # the commit claims the teacher: it is described as a claim, merged by the merger
            zh, en = f.message("zh-TW"), f.message("en")
            assert "該提交寫的作者是 江淑惠" in zh and "賴志偉 於" in zh and "不代表是本人所為" in zh
            assert not zh.startswith("江淑惠") and "江淑惠 在" not in zh
            assert "names 江淑惠 as its author" in en and en.startswith("賴志偉 merged")


def test_a_note_only_commit_is_read_once_for_its_author_and_its_merger(repo, monkeypatch):
    """The note-only change is the same for the author it claims and the merger: its two revisions
    are read once (the merger, 賴志偉, is then found not to be the course's teacher)."""
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    _branch(repo, "note", "jiang-shuhui", "2026-09-21 20:00", lambda: repo.write(NEW, NOTED), committer="1150101")
    sha = repo.git("rev-parse", "note")
    repo.merge("note", "lai-zhiwei", "2026-09-22 10:00")
    reads = []
    real = committed.read_objects
    monkeypatch.setattr(committed, "read_objects", lambda root, blobs, folders: reads.append((blobs, folders))
                        or real(root, blobs, folders))
    folders, listed = committed.read_folders, []
    monkeypatch.setattr(committed, "read_folders", lambda root, specs: listed.extend(specs) or folders(root, specs))
    denied = [f for f in validate(repo.root, NOW)[1].findings if f.rule == "perm.denied" and f.path == NEW]
    assert [f.params["sha"] for f in denied] == [sha[:8]]
    parent = repo.git("rev-parse", f"{sha}^")
    folder = NEW.rpartition("/")[0]
    # (the finding's line is read apart, from the file's text at `{sha}^`)
    assert [read for read in reads if f"{parent}:{NEW}" in read[0]] == [
        ([f"{parent}:{NEW}", f"{sha}:{NEW}"], [f"{parent}:{folder}", f"{sha}:{folder}"])]
    assert f"{sha}:{folder}" not in listed  # (the modes came with the files: one `git cat-file`)


def test_a_denied_change_points_at_its_line_as_the_file_stands_now(repo, monkeypatch):
    """A teacher or a student reads the finding beside the file: it names the changed line (a note's
    teacher_note line), followed through later commits, never line 1 of the whole file. The files'
    lines, named by commit ids, are read from the cache by the next run (no Git)."""
    repo.mr({NEW: OUTCOME.replace("summary:", "# 第一版\nsummary:") + "teacher_note: 我自己寫的\nfiles: []\n"},
            "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    grades = "records/grades/114-2/114999999H001010A010212.yaml"
    text = repo.read(grades)
    changed = text[:text.index(": 7")].count("\n") + 1
    repo.direct({grades: text.replace(": 7", ": 9", 1)}, "1150102", "2026-09-21 09:00")  # a student's push
    repo.direct({grades: "# 登錄說明\n# 第二行\n" + repo.read(grades)}, "huang-shufen", "2026-09-22 09:00")
    found = {(f.path, f.variant): f.line for f in validate(repo.root, NOW)[1].findings if f.rule == "perm.denied"}
    assert found[(NEW, "note")] == 5  # course, title, the comment, summary, then the note
    assert found[(grades, "")] == changed + 2  # the two lines staff added above it since
    # the student's push names who may write the grades, by role (never the whole school's staff)
    zh, en = [f.message(lang) for f in validate(repo.root, NOW)[1].findings for lang in ("zh-TW", "en")
              if f.rule == "perm.denied" and f.path == grades]
    assert "有權限的人（註冊組長、註冊組組員或值勤代理人）" in zh and "教務主任" not in zh, zh
    assert "holds the right (the registration chief, registration staff or the delegate on duty)" in en, en

    def placed():
        return {(f.path, f.variant): f.line for f in validate(repo.root, NOW, use_cache=True)[1].findings
                if f.rule == "perm.denied"}

    assert placed() == found
    monkeypatch.setattr(committed, "read_objects", None)  # served from the cache alone
    monkeypatch.setattr(lines, "read_blobs", None)
    assert placed() == found
    # a later commit that changes neither file: each file as main holds it is still named by the
    # commit that last changed it, so the cache still serves
    repo.direct({"records/holidays.yaml": repo.read("records/holidays.yaml") + "# 註記\n"}, "huang-shufen",
                "2026-09-23 09:00")
    assert placed() == found


def test_a_denied_change_in_a_file_of_repeated_lines_is_placed_at_once(repo):
    """A student's change to a file of 30,000 identical lines: difflib compared every pair of them
    (minutes per finding, a CI job held for hours by a file of a megabyte); the lines both versions
    start and end with are equal without comparing, and the finding names the line she changed."""
    import time

    grades = "records/grades/114-2/114999999H001010A010212.yaml"
    text = repo.read(grades) + "#\n" * 30_000
    repo.direct({grades: text}, "1150102", "2026-09-21 09:00")
    changed = text.count("\n") - 10_000
    lines = text.splitlines(True)
    repo.direct({grades: "".join(lines[:changed - 1] + ["# 改\n"] + lines[changed:])}, "1150102", "2026-09-21 09:10")
    started = time.process_time()
    found = [(f.params["sha"], f.line) for f in validate(repo.root, NOW)[1].findings if f.rule == "perm.denied"]
    assert time.process_time() - started < 15  # (difflib alone took about three minutes)
    head = repo.git("rev-parse", "HEAD")[:8]
    assert (head, changed) in found


def test_a_file_name_that_is_no_utf8_hides_no_denied_change(repo):
    """A student writes into a classmate's folder a file whose name is no UTF-8 (Git allows any
    bytes), then the classmate's diary: both are perm.denied at their lines, no internal.error in
    their place (reading the changes' lines failed on the name, and every finding of the audit of
    main's whole history was lost)."""
    strange = "records/outcomes/115-1/1150102/\udcff.yaml"
    repo.direct({strange: OUTCOME}, "1150101", "2026-09-20 09:00")
    repo.direct({OTHER: OUTCOME.replace("title:", "# 加一行\ntitle:")}, "1150101", "2026-09-21 09:00")
    findings = validate(repo.root, NOW)[1].findings
    found = {(f.rule, f.path, f.line) for f in findings if f.rule in ("perm.denied", "internal.error")}
    assert found == {("perm.denied", strange, 1), ("perm.denied", OTHER, 1)}
    # who may write a classmate's file: that student, by merge request (no staff role)
    said = [f.message(lang) for f in findings if f.rule == "perm.denied" and f.path == OTHER for lang in ("zh-TW", "en")]
    assert "有權限的人（學生本人經合併請求）" in said[0] and "(the student themself, by merge request)" in said[1], said


def test_a_denied_change_of_an_attachment_names_no_line_in_it(repo):
    """A student rewrites the middle of a classmate's PDF: the finding names the file (its line 1,
    as for any file without lines), not a "line 11" of a binary file (git's test: a NUL among its
    first bytes), which no reader could find."""
    pdf = "records/outcomes/115-1/1150102/report.pdf"
    body = b"%PDF-1.4\n" + b"".join(b"%d 0 obj <<>> stream\n\x00\x01\x02\nendstream\n" % i for i in range(5))
    repo.mr({OTHER: OUTCOME + "files: [report.pdf]\n", pdf: body}, "1150102", "2026-09-10 20:00",
            "jiang-shuhui", "2026-09-11 10:00")
    repo.direct({pdf: body.replace(b"3 0 obj", b"3 0 obj %changed")}, "1150101", "2026-09-21 09:00")
    head = repo.git("rev-parse", "HEAD")[:8]
    assert [(f.path, f.line) for f in validate(repo.root, NOW)[1].findings
            if f.rule == "perm.denied" and f.params.get("sha") == head] == [(pdf, 1)]


def test_a_note_change_is_judged_with_its_file_s_mode_alike_from_the_cache(repo, monkeypatch):
    """The course teacher's note change passes as a re-certification; the same change that also
    makes the file executable does not (the mode is the file's too). The next run takes the files'
    modes, facts of their commits, from the cache with their parses: no Git, the same findings."""
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    shas = []
    _branch(repo, "note", "jiang-shuhui", "2026-09-21 20:00", lambda: repo.write(NEW, NOTED))
    shas.append(repo.git("rev-parse", "--short=8", "note"))
    repo.merge("note", "jiang-shuhui", "2026-09-22 10:00")
    _branch(repo, "mode", "jiang-shuhui", "2026-09-23 20:00", lambda: (
        repo.write(NEW, NOTED.replace("予以認證", "再次認證")), (repo.root / NEW).chmod(0o755)))
    shas.append(repo.git("rev-parse", "--short=8", "mode"))
    repo.merge("mode", "jiang-shuhui", "2026-09-24 10:00")

    def denied(use_cache):
        return sorted((f.params["sha"], f.variant) for f in validate(repo.root, NOW, use_cache=use_cache)[1].findings
                      if f.rule == "perm.denied" and f.path == NEW)

    expected = denied(False)
    assert [sha for sha, _ in expected] == [shas[1]]  # the note alone passes; with the mode it is no note's
    assert denied(True) == expected
    folder = NEW.rpartition("/")[0]

    def from_git(root, *specs):
        assert not any(folder in spec for group in specs for spec in group), specs

    monkeypatch.setattr(committed, "read_objects", lambda root, blobs, folders: from_git(root, blobs, folders)
                        or real(root, blobs, folders))
    monkeypatch.setattr(committed, "read_folders", lambda root, specs: from_git(root, specs) or folders_of(root, specs))
    assert denied(True) == expected


real, folders_of = committed.read_objects, committed.read_folders
