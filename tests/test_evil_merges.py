"""A merge's own writing: what a merge commit holds unlike every one of its parents (a conflict
resolved by hand, a change slipped into the merge) is the merger's, judged as if committed
directly, and certifies nothing as the student's (generator.git.history `Commit.own`).

1150101 and 1150102 are students; jiang-shuhui teaches 1150101's English; lai-zhiwei is a teacher
without any section's rights; wang-yating is the registration chief.
"""

from __future__ import annotations


import msgspec
import pytest

from generator import cache
from generator.git import history, known, merge_writing
from gitschool import GITHUB, who
from test_history import NEW, OUTCOME, check, repo, state  # noqa: F401  (repo is a fixture)

OTHER = "records/outcomes/115-1/1150102/diary.yaml"
NOTED = OUTCOME + "teacher_note: 內容完整，予以認證。\n"
STUDENT = "records/students/1150101.yaml"


def _merge(repo, branches, merger, at, files=None, style="github") -> str:
    """A merge of `branches` into main by `merger` whose tree is main's with `files` written over
    it (`git merge -s ours`, then the merger's own edits): any content a merger can commit."""
    committer = GITHUB if style == "github" else who(merger)
    repo.git("merge", "-q", "--no-ff", "--no-commit", "-s", "ours", *branches, author=who(merger))
    for branch in branches:  # what the branches bring, as a clean merge would take it
        for path in repo.git("diff", "--name-only", f"HEAD...{branch}").splitlines():
            repo.git("checkout", branch, "--", path)
    for path, text in (files or {}).items():
        repo.write(path, text)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", f"Merge {' '.join(branches)}", author=who(merger), committer=committer, at=at)
    return repo.git("rev-parse", "HEAD")


def _denied(result):
    return sorted((f.path, f.variant, f.params.get("who")) for f in result.findings if f.rule == "perm.denied")


def _not_merged(result):
    return [(f.path, f.variant) for f in result.findings if f.rule == "cert.not-merged"]


@pytest.mark.parametrize("style", ["github", "gitlab"])
def test_a_teacher_rewriting_the_students_outcome_inside_the_merge_writes_it_and_certifies_nothing(repo, style):
    branch = repo.branch({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")
    sha = _merge(repo, [branch], "jiang-shuhui", "2026-09-20 10:00",
                 {NEW: OUTCOME.replace("每週一篇英文日記", "老師改寫的摘要")}, style)
    records, codes, result = check(repo)
    assert _denied(result) == [(NEW, "own-student", "江淑惠")]
    assert state(records) == "uncertified" and _not_merged(result) == [(NEW, "in-merge")]
    [finding] = [f for f in result.findings if f.rule == "cert.not-merged"]
    assert "江淑惠" in finding.message() and sha[:8] in finding.message()
    assert "inside the merge commit" in finding.message("en") and "jiang-shuhui" not in finding.message("en")


def test_an_edit_on_a_path_the_branch_touched_and_undid_is_the_mergers(repo):
    """Neither parent changed the file (the branch changed it and changed it back), so the
    branch's commits name it: only the merge's own writing tells the merger's edit apart."""
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-10 20:00", "jiang-shuhui", "2026-09-11 10:00")
    repo.git("checkout", "-q", "-b", "undo")
    repo.direct({NEW: OUTCOME + "# 草稿\n"}, "1150101", "2026-09-15 20:00")
    repo.direct({NEW: OUTCOME}, "1150101", "2026-09-15 21:00")
    repo.git("checkout", "-q", "main")
    _merge(repo, ["undo"], "jiang-shuhui", "2026-09-20 10:00", {NEW: OUTCOME.replace("英文日記", "英文週記")})
    records, _, result = check(repo)
    assert _denied(result) == [(NEW, "own-student", "江淑惠")] and state(records) == "uncertified"


def test_a_students_merge_of_main_into_their_branch_that_slips_in_a_classmates_change_is_the_students(repo):
    repo.mr({OTHER: OUTCOME}, "1150102", "2026-09-10 20:00", "jiang-shuhui", "2026-09-11 10:00")
    repo.git("checkout", "-q", "-b", "mine", "main~1")  # the branch began before the classmate's outcome
    repo.direct({NEW: OUTCOME}, "1150101", "2026-09-12 20:00")
    repo.git("merge", "-q", "--no-ff", "--no-commit", "main", author=who("1150101"))
    repo.write(OTHER, OUTCOME.replace("英文日記", "抄來的日記"))
    inner = repo.commit_all("Merge branch 'main' into mine", "1150101", "2026-09-13 20:00")
    repo.git("checkout", "-q", "main")
    repo.merge("mine", "jiang-shuhui", "2026-09-20 10:00")
    records, _, result = check(repo)
    [denied] = [f for f in result.findings if f.rule == "perm.denied"]  # the student's writing, not the teacher's
    assert (denied.path, denied.variant, denied.params["sha"]) == (OTHER, "branch", inner[:8]) and "1150101" in denied.message()
    assert state(records) == "certified"  # the student's own outcome: the merge brought it as they wrote it


def test_a_teacher_note_a_student_slips_into_their_merge_of_main_is_the_students(repo):
    repo.mr({OTHER: OUTCOME}, "1150102", "2026-09-10 20:00", "jiang-shuhui", "2026-09-11 10:00")
    repo.git("checkout", "-q", "-b", "mine", "main~1")
    repo.direct({NEW: OUTCOME}, "1150101", "2026-09-12 20:00")
    repo.git("merge", "-q", "--no-ff", "--no-commit", "main", author=who("1150101"))
    repo.write(NEW, NOTED)
    inner = repo.commit_all("Merge branch 'main' into mine", "1150101", "2026-09-13 20:00")
    repo.git("checkout", "-q", "main")
    repo.merge("mine", "jiang-shuhui", "2026-09-20 10:00")
    _, _, result = check(repo)
    assert [(f.path, f.variant, f.params["sha"]) for f in result.findings if f.rule == "perm.denied"] == \
        [(NEW, "note", inner[:8])]


def test_resolving_a_conflict_keeps_the_teachers_note_and_the_students_content_apart(repo):
    """Git's own merge of two changes to one file is nobody's writing; a hand-resolved conflict is
    the merger's: the course teacher may write only the note (a re-certification), anyone else
    nothing in a student's outcome."""
    title = lambda text, new: text.replace("title: 英文日記", f"title: {new}")  # noqa: E731
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-10 20:00", "jiang-shuhui", "2026-09-11 10:00")
    late = repo.branch({NEW: title(OUTCOME, "英文週記")}, "1150101", "2026-09-12 20:00")
    repo.mr({NEW: NOTED}, "jiang-shuhui", "2026-09-13 20:00", "jiang-shuhui", "2026-09-14 10:00")
    # the teacher merges the student's older request: git combines the note and the new title
    auto = repo.merge(late, "jiang-shuhui", "2026-09-20 10:00")
    assert repo.read(NEW) == title(NOTED, "英文週記")
    # the student changes the title again on a stale branch; the merger resolves the conflict
    repo.git("checkout", "-q", "-b", "clash", "HEAD~1")
    repo.direct({NEW: title(NOTED, "英文月記")}, "1150101", "2026-09-21 20:00")
    repo.git("checkout", "-q", "main")
    renoted = title(NOTED, "英文月記").replace("予以認證", "再次認證")  # the student's content, a new note
    _merge(repo, ["clash"], "jiang-shuhui", "2026-09-22 10:00", {NEW: renoted})
    records, _, result = check(repo)
    mainline = {c.sha: c for c in records.history.mainline}
    assert mainline[auto].own == () and mainline[records.history.head].own == (NEW,)
    assert _denied(result) == [] and state(records) == "certified"  # the course teacher wrote the note only
    for merger, name, text in (("lai-zhiwei", "賴志偉", renoted), ("jiang-shuhui", "江淑惠", renoted.replace("英文月記", "老師的標題"))):
        repo.git("reset", "-q", "--hard", "HEAD~1")
        _merge(repo, ["clash"], merger, "2026-09-22 10:00", {NEW: text})
        records, _, result = check(repo)
        assert _denied(result) == [(NEW, "own-student", name)] and state(records) == "uncertified"


def test_an_octopus_merge_answers_for_its_own_writing_only(repo):
    a = repo.branch({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")
    b = repo.branch({OTHER: OUTCOME}, "1150102", "2026-09-15 21:00")
    repo.edit(STUDENT, "name: 潘冠霖", "name: 潘冠林")  # (neither branch changed it)
    _merge(repo, [a, b], "jiang-shuhui", "2026-09-20 10:00", {NEW: OUTCOME.replace("英文日記", "合併者的日記")})
    records, _, result = check(repo)
    assert _denied(result) == [(NEW, "own-student", "江淑惠"), (STUDENT, "in-merge", "江淑惠")]
    assert state(records) == "uncertified" and state(records, OTHER) != "uncertified"


def test_staff_resolving_a_conflict_in_a_file_they_may_write_is_clean(repo):
    """Registration staff's own writing in a student record is theirs to write; the same merge's
    own writing in a student's outcome is not, nor a teacher's in the student record."""
    branch = repo.branch({STUDENT: repo.read(STUDENT).replace("name: 潘冠霖", "name: 潘冠林")}, "chen-yijun",
                         "2026-09-15 20:00")
    repo.direct({STUDENT: repo.read(STUDENT) + "# 註冊組備註\n"}, "wang-yating", "2026-09-16 09:00")
    resolved = repo.read(STUDENT).replace("name: 潘冠霖", "name: 潘冠麟")
    _merge(repo, [branch], "wang-yating", "2026-09-20 10:00", {STUDENT: resolved}, "gitlab")
    records, _, result = check(repo)
    assert records.history.mainline[-1].own == (STUDENT,) and _denied(result) == []
    for merger, files, denied in (("wang-yating", {STUDENT: resolved, NEW: OUTCOME}, [(NEW, "in-merge", "王雅婷")]),
                                  ("lai-zhiwei", {STUDENT: resolved}, [(STUDENT, "own", "賴志偉")])):
        repo.git("reset", "-q", "--hard", "HEAD~1")
        _merge(repo, [branch], merger, "2026-09-20 10:00", files, "gitlab")
        assert _denied(check(repo)[2]) == denied


def _combined(repo) -> dict[str, tuple[str, ...]]:
    """Every merge's own writing as `git diff-tree -c` gives it."""
    out = {}
    for sha in repo.git("rev-list", "--merges", "main").split():
        paths = repo.git("diff-tree", "-c", "-r", "--no-commit-id", "--name-only", sha).split("\n")
        out[sha] = tuple(sorted(p for p in paths if p))
    return out


def test_a_merges_own_writing_is_what_git_diff_tree_c_finds_and_is_cached(repo, monkeypatch, tmp_path):
    """Read cold in one log and in two halves at once, and warm from the cache; a cache of the
    earlier format (commits without their own writing) is read anew."""
    monkeypatch.setenv("LICHENG_CACHE_DIR", str(tmp_path / "cache"))
    a = repo.branch({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")
    b = repo.branch({OTHER: OUTCOME}, "1150102", "2026-09-15 21:00")
    _merge(repo, [a, b], "jiang-shuhui", "2026-09-20 10:00", {NEW: OUTCOME + "# x\n"})  # octopus
    repo.mr({"records/outcomes/115-1/1150101/b.yaml": OUTCOME}, "1150101", "2026-09-21 20:00", "jiang-shuhui",
            "2026-09-22 10:00")  # clean
    c = repo.branch({OTHER: OUTCOME + "# c\n"}, "1150102", "2026-09-23 20:00")
    _merge(repo, [c], "lai-zhiwei", "2026-09-24 10:00", {STUDENT: "x: 1\n"})  # on a path neither side changed
    d = repo.branch({NEW: OUTCOME + "# d\n"}, "1150101", "2026-09-25 20:00")
    repo.git("merge", "-q", "--no-ff", "--no-commit", d, author=who("jiang-shuhui"))
    repo.git("rm", "-q", "-f", NEW)  # a deletion only the merge makes
    repo.commit_all("Merge d", "jiang-shuhui", "2026-09-26 10:00")
    expected = _combined(repo)
    assert sum(1 for own in expected.values() if own) == 3

    def own(read) -> dict[str, tuple[str, ...]]:
        return {c.sha: tuple(sorted(c.own)) for c in read.commits.values() if c.is_merge}

    assert own(history.read(repo.root)) == expected
    monkeypatch.setattr(history, "PARALLEL_FROM", 1)
    assert own(history.read(repo.root)) == expected
    assert own(history.read(repo.root, use_cache=True)) == expected  # cold: writes the cache
    calls = []
    monkeypatch.setattr(merge_writing, "own_writing", lambda *args: calls.append(args))
    assert own(history.read(repo.root, use_cache=True)) == expected and calls == []  # warm: nothing asked
    head = repo.git("rev-parse", "HEAD")
    body = cache.read(repo.root, known.NAME, known.Stored)
    cache.write(repo.root, known.NAME, msgspec.structs.replace(body, format=1), plain=True)
    assert known.load(repo.root, head, False).head is None


def test_a_path_with_a_newline_is_asked_of_git_safely(repo):
    odd = "records/outcomes/115-1/1150101/a\nb.yaml"
    base = repo.git("rev-parse", "HEAD")
    repo.direct({odd: OUTCOME}, "huang-shufen", "2026-09-10 09:00")
    branch = repo.branch({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")
    repo.git("reset", "-q", "--hard", base)
    repo.git("merge", "-q", "--no-ff", "--no-commit", branch, author=who("jiang-shuhui"))
    repo.write(odd, OUTCOME + "# merger\n")
    repo.commit_all("Merge", "jiang-shuhui", "2026-09-20 10:00")
    # the branch holds `odd` (from before the reset): the merge's blob differs from both sides
    merge = history.read(repo.root).commits[repo.git("rev-parse", "HEAD")]
    assert merge.own == (odd,)


def _retyped_merge(repo, branch, merger, at, path, mode) -> str:
    """A merge of `branch` that holds the branch's blob of `path` under another mode (an
    executable bit, a symlink, a submodule link): the same content, written anew."""
    repo.git("merge", "-q", "--no-ff", "--no-commit", branch, author=who(merger))
    blob = repo.git("rev-parse", f"{branch}:{path}")
    repo.git("update-index", "--cacheinfo", f"{mode},{blob},{path}")
    repo.git("commit", "-q", "-m", f"Merge {branch}", author=who(merger), committer=GITHUB, at=at)
    return repo.git("rev-parse", "HEAD")


@pytest.mark.parametrize("mode", ["100755", "120000", "160000"])
def test_a_merge_that_changes_only_a_files_mode_writes_it(repo, mode):
    """The merge holds the student's blob under another mode: no parent holds that, so it is the
    merger's writing — not a re-certification either, though the course's teacher made it (a
    re-certification changes the note and nothing else)."""
    branch = repo.branch({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")
    sha = _retyped_merge(repo, branch, "jiang-shuhui", "2026-09-20 10:00", NEW, mode)
    assert history.read(repo.root).commits[sha].own == (NEW,) == _combined(repo)[sha]
    records, _, result = check(repo)
    assert _denied(result) == [(NEW, "own-student", "江淑惠")]
    assert state(records) == "uncertified" and _not_merged(result) == [(NEW, "in-merge")]


def test_a_teachers_commit_that_changes_only_the_mode_of_a_students_outcome_is_no_re_certification(repo):
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-10 20:00", "jiang-shuhui", "2026-09-11 10:00")
    repo.git("checkout", "-q", "-b", "chmod")
    repo.path(NEW).chmod(0o755)
    repo.commit_all("chmod", "jiang-shuhui", "2026-09-12 10:00")
    repo.git("checkout", "-q", "main")
    repo.merge("chmod", "jiang-shuhui", "2026-09-13 10:00")
    _, _, result = check(repo)
    assert _denied(result) == [(NEW, "branch", "江淑惠")]


def _others(result):
    return sorted((f.path, f.params["commit"], f.params["writer"]) for f in result.findings
                  if f.rule == "cert.not-merged" and f.variant == "others")


@pytest.mark.parametrize("style", ["github", "gitlab"])
def test_a_classmates_writing_slipped_into_an_inner_merge_certifies_nothing_of_the_outcome(repo, style):
    """1150101 merges main into their branch and rewrites 1150102's outcome there; the teacher
    merges the branch: 1150102's outcome holds 1150101's writing, so the merge certifies it no more
    than it would a classmate's branch commit. 1150101's own outcome stays certified."""
    repo.mr({OTHER: OUTCOME}, "1150102", "2026-09-10 20:00", "jiang-shuhui", "2026-09-11 10:00", style)
    repo.git("checkout", "-q", "-b", "mine", "main~1")
    repo.direct({NEW: OUTCOME}, "1150101", "2026-09-12 20:00")
    repo.git("merge", "-q", "--no-ff", "--no-commit", "main", author=who("1150101"))
    repo.write(OTHER, OUTCOME.replace("英文日記", "抄來的日記"))
    inner = repo.commit_all("Merge branch 'main' into mine", "1150101", "2026-09-13 20:00")
    repo.git("checkout", "-q", "main")
    merge = repo.merge("mine", "jiang-shuhui", "2026-09-20 10:00", style)
    records, _, result = check(repo)
    assert state(records, OTHER) == "uncertified" and state(records) == "certified"
    assert _others(result) == [(OTHER, inner[:8], "潘冠霖（1150101）")]
    [finding] = [f for f in result.findings if f.rule == "cert.not-merged"]
    assert merge[:8] in finding.message() and "江淑惠" in finding.message() and "1150102" in finding.message("en")


@pytest.mark.parametrize("style", ["github", "gitlab"])
def test_a_classmates_branch_commit_in_the_outcome_certifies_nothing(repo, style):
    branch = repo.branch({NEW: OUTCOME}, "1150102", "2026-09-15 20:00")
    sha = repo.git("rev-parse", branch)
    repo.merge(branch, "jiang-shuhui", "2026-09-20 10:00", style)
    records, _, result = check(repo)
    assert state(records) == "uncertified" and _others(result) == [(NEW, sha[:8], "邱芷晴（1150102）")]
    assert _denied(result) == [(NEW, "branch", "邱芷晴（1150102）")]


def test_the_students_request_with_the_teachers_note_commit_is_certified(repo):
    """Near miss: a commit by the course's teacher that writes only the note, in the student's
    request, is a re-certification; a teacher's commit that changes the content is not the student's."""
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-10 20:00", "jiang-shuhui", "2026-09-11 10:00")
    for text, expected in ((NOTED, "certified"), (OUTCOME.replace("英文日記", "老師的標題"), "uncertified")):
        repo.git("checkout", "-q", "-b", "fix", "main")
        repo.direct({NEW: OUTCOME + "# 補充\n"}, "1150101", "2026-09-12 20:00")
        repo.direct({NEW: text.replace(OUTCOME, OUTCOME + "# 補充\n")}, "jiang-shuhui", "2026-09-13 20:00")
        repo.git("checkout", "-q", "main")
        repo.merge("fix", "jiang-shuhui", "2026-09-14 10:00")
        records, _, result = check(repo)
        assert state(records) == expected, text
        assert _others(result) == ([] if expected == "certified" else [(NEW, repo.git("rev-parse", "--short=8", "HEAD^2"), "江淑惠")])
        repo.git("reset", "-q", "--hard", "HEAD~1")


def test_what_gits_octopus_merge_combines_is_nobodys_writing(repo):
    """An octopus merge Git made by itself: one branch's change to the student's outcome combined
    line by line with a change main got meanwhile is each commit's, not the merger's (as for a
    two-parent merge); a file the merger then edits stays theirs."""
    title = OUTCOME.replace("title: 英文日記", "title: 英文週記")
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-10 20:00", "jiang-shuhui", "2026-09-11 10:00")
    a = repo.branch({NEW: OUTCOME + "# 第二版\n"}, "1150101", "2026-09-12 20:00")
    b = repo.branch({OTHER: OUTCOME}, "1150102", "2026-09-12 21:00")
    repo.mr({NEW: title}, "1150101", "2026-09-13 20:00", "jiang-shuhui", "2026-09-14 10:00")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge a and b", a, b, author=who("jiang-shuhui"),
             at="2026-09-20 10:00")
    assert repo.read(NEW) == title + "# 第二版\n"
    records, _, result = check(repo)
    assert records.history.mainline[-1].own == () and _denied(result) == [] and state(records) == "certified"
    repo.git("reset", "-q", "--hard", "HEAD~1")
    _merge(repo, [a, b], "jiang-shuhui", "2026-09-20 10:00", {NEW: title.replace("英文週記", "合併者的標題")})
    records, _, result = check(repo)
    assert records.history.mainline[-1].own == (NEW,) and _denied(result) == [(NEW, "own-student", "江淑惠")]
