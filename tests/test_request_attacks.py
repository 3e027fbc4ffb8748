"""A student with a Git account attacking the merge-request check (the required CI status).

Each case is a request that must fail (it grants its author something) or an honest one that
must pass, built in the real repository of tests/test_request.py and checked out the way CI
checks it out. Now is 2026-11-28; 1150101 (`pan-gh` / `pan-gl`) is the attacking student.
"""

from __future__ import annotations

import json

import pytest

from gitschool import student, who
from test_request import DIARY, ENGLISH, GRADES, REVIEW, as_json, github_env, licheng, outcome, school  # noqa: F401  (school: fixture)

LIMIT = ("outcomes_per_semester: 6", "outcomes_per_semester: 9")
ACKS = "records/acknowledgements.yaml"


def denied(report) -> set[str]:
    return {f["path"] for f in report["findings"] if f["rule"] == "perm.denied" and f["introduced"]
            and not f.get("acknowledged")}


def gitlab_env(login: str = "pan-gl") -> dict:
    return {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_MERGE_REQUEST_IID": "41", "CI_MERGE_REQUEST_AUTHOR": login}


def checked_on(platform: str, school, branch: str, monkeypatch, capsys, tmp_path, base: str = "main"):
    """(exit code, report) of the student's request on `branch` as its platform's CI checks it:
    GitHub's test merge into `base`, GitLab's checkout of the branch's head."""
    if platform == "github":
        school.test_merge(branch, author=student("1150101"), base=base)
        env = github_env(tmp_path, "pan-gh")
    else:
        school.checkout(branch)
        env = gitlab_env()
    return as_json(school, monkeypatch, capsys, env=env)


def merge_commit(s, first: str, second: str, author: str, at: str, edits: dict | None = None) -> str:
    """A merge of `second` into `first` written on the student's machine (even when one already
    holds the other), carrying `edits` too."""
    s.git("checkout", "-q", "--detach", first)
    s.git("read-tree", "-u", "--reset", s.git("merge-tree", "--write-tree", first, second).splitlines()[0])
    for path, text in (edits or {}).items():
        s.write(path, text)
    s.git("add", "-A")
    sha = s.git("commit-tree", s.git("write-tree"), "-p", first, "-p", second, "-m", f"Merge {second}",
                author=who(author), at=at)
    s.git("checkout", "-q", "-f", "main")
    return sha


def test_a_pipeline_the_teacher_starts_does_not_make_the_students_request_hers(school, monkeypatch, capsys):
    """GitLab names the request's author in CI_MERGE_REQUEST_AUTHOR; GITLAB_USER_LOGIN is whoever
    started the pipeline, e.g. the teacher pressing "Run pipeline" on a student's request. The
    branch's commit claims the teacher and adds her note: only the request's author confirms a claim."""
    school.checkout(school.branches["renote"])
    started_by_her = {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_MERGE_REQUEST_IID": "41",
                      "GITLAB_USER_LOGIN": "jiang-gl"}
    for author in ({}, {"CI_MERGE_REQUEST_AUTHOR": "pan-gl"}):
        code, report = as_json(school, monkeypatch, capsys, env={**started_by_her, **author})
        assert code == 1 and REVIEW in denied(report), report["findings"]
    code, report = as_json(school, monkeypatch, capsys, env={**started_by_her, "CI_MERGE_REQUEST_AUTHOR": "jiang-gl"})
    assert code == 0, report["findings"]  # her own request: the note is hers


def test_a_student_cannot_acknowledge_the_errors_of_their_own_request(school, monkeypatch, capsys, tmp_path):
    # the request raises the quota and lists its own permission errors as acknowledged by the director
    acks = "".join(f"- rule: perm.denied\n  path: {path}\n  reason: 已檢視\n  by: huang-shufen\n  at: 2026-11-20\n"
                   for path in ("records/school.yaml", ACKS))
    branch = school.open_branch({DIARY: outcome(ENGLISH), ACKS: acks,
                                 "records/school.yaml": school.read("records/school.yaml").replace(*LIMIT)},
                                "1150101", "2026-11-21 10:00")
    school.test_merge(branch, author=student("1150101"))
    code, report = as_json(school, monkeypatch, capsys, env=github_env(tmp_path, "pan-gh"))
    assert code == 1 and {"records/school.yaml", ACKS} <= denied(report), report["findings"]


@pytest.mark.parametrize("extra", [{}, {"records/school.yaml": LIMIT}], ids=["clean", "carrying-a-change"])
def test_a_branch_whose_tip_merges_the_request_into_main_is_judged_as_pushed(school, monkeypatch, capsys, extra):
    """GitLab runs the pipeline on the branch's own tip. A tip that is a merge of the request into
    main (first parent main, as `git merge` on main and a push to the branch makes) is the request
    itself, not a platform's test merge: what it carries is merged too."""
    own = school.open_branch({DIARY: outcome(ENGLISH)}, "1150101", "2026-11-21 10:00")
    edits = {path: school.read(path).replace(*change) for path, change in extra.items()}
    tip = merge_commit(school, school.git("rev-parse", "main"), own, "1150101", "2026-11-21 10:05", edits)
    school.checkout(tip)
    code, report = as_json(school, monkeypatch, capsys, env=gitlab_env())
    assert denied(report) == set(extra), report["findings"]
    assert code == (1 if extra else 0)


@pytest.mark.parametrize("env", [None, "stranger-gh"], ids=["no-platform-author", "unregistered-login"])
def test_a_merge_commit_on_the_branch_is_judged_for_what_it_adds(school, monkeypatch, capsys, tmp_path, env):
    """A merge of main into the branch brings main's own changes, and nothing else is its own:
    a change no other branch commit made is the merge's author's."""
    own = school.open_branch({DIARY: outcome(ENGLISH)}, "1150101", "2026-11-21 10:00")
    tip = merge_commit(school, own, "main", "1150101", "2026-11-21 10:05",
                       {"records/school.yaml": school.read("records/school.yaml").replace(*LIMIT)})
    school.checkout(tip)
    code, report = as_json(school, monkeypatch, capsys, "--base", "main",
                           env=github_env(tmp_path, env) if env else None)
    assert code == 1 and "records/school.yaml" in denied(report), report["findings"]



def test_a_teachers_batch_of_her_students_requests_passes(school, monkeypatch, capsys, tmp_path):
    """`licheng certify --via local`: the teacher's branch merges her students' requests; she opens
    it and merges it herself. The outcomes are the students' changes, which any staff member may merge."""
    from datetime import datetime, timezone

    from generator.git.batch import build, identity_env

    own = school.open_branch({DIARY: outcome(ENGLISH)}, "1150101", "2026-11-21 10:00")
    env = identity_env("江淑惠", "jiang.shuhui@example.edu.tw", datetime(2026, 11, 28, 3, tzinfo=timezone.utc))
    batch = build(school.root, school.git("rev-parse", "main"), "certify/jiang", [(own, school.git("rev-parse", own))],
                  {}, env)
    school.test_merge(batch.branch)
    code, report = as_json(school, monkeypatch, capsys, env=github_env(tmp_path, "jiang-gh"))
    assert code == 0, [(f["rule"], f["path"], f["message"]) for f in report["findings"] if f["introduced"]]


def test_a_student_who_merged_main_into_their_branch_passes(school, monkeypatch, capsys, tmp_path):
    # the branch began before the poem was merged into main; bringing main in adds nothing of the student's
    tip = merge_commit(school, school.branches["clean"], "main", "1150101", "2026-11-24 10:00")
    school.test_merge(tip, author=student("1150101"))
    code, report = as_json(school, monkeypatch, capsys, env=github_env(tmp_path, "pan-gh"))
    assert code == 0, [(f["rule"], f["path"], f["message"]) for f in report["findings"] if f["introduced"]]
    assert report["request"]["counts"][0]["text"] == "115-1：3/6 件"


def test_an_unregistered_account_cannot_upload_in_another_students_name(school, monkeypatch, capsys, tmp_path):
    """The commits claim 1150102 and write into 1150102's folder; the platform says the request is
    from an account nobody registered. A claim grants nothing the platform does not confirm."""
    other = "records/outcomes/115-1/1150102/borrowed.yaml"
    branch = school.open_branch({other: outcome(ENGLISH, "代寫")}, "1150102", "2026-11-21 10:00")
    school.test_merge(branch, author=student("1150102"))
    code, report = as_json(school, monkeypatch, capsys, env=github_env(tmp_path, "stranger-gh"))
    unknown = [f for f in report["findings"] if f["rule"] == "perm.unknown-identity" and f["introduced"]]
    assert code == 1 and unknown and "stranger-gh" in unknown[0]["message"], report["findings"]


def test_a_teacher_note_in_a_second_outcome_of_the_same_request_is_seen(school, monkeypatch, capsys, tmp_path):
    # two outcomes in the student's folder: the first is clean, the second carries a teacher_note
    branch = school.open_branch({"records/outcomes/115-1/1150101/a-diary.yaml": outcome(ENGLISH),
                                 "records/outcomes/115-1/1150101/z-note.yaml": outcome(ENGLISH, "自評")
                                 + "teacher_note: 表現優異\n"}, "1150101", "2026-11-21 10:00")
    school.test_merge(branch, author=student("1150101"))
    code, report = as_json(school, monkeypatch, capsys, env=github_env(tmp_path, "pan-gh"))
    assert code == 1 and "records/outcomes/115-1/1150101/z-note.yaml" in denied(report), report["findings"]


@pytest.mark.parametrize("login", [None, "jiang-gh"], ids=["no-platform-author", "the-teachers-batch"])
def test_a_teacher_note_slipped_into_a_merge_of_main_is_the_merges_own(school, monkeypatch, capsys, tmp_path, login):
    """The student's commit adds the outcome; their merge of main into the branch adds a teacher_note
    to it. Checked without the platform's author (certify, a local run) or in the teacher's batch."""
    path = "records/outcomes/115-1/1150101/merged-note.yaml"
    own = school.open_branch({path: outcome(ENGLISH, "合併附註")}, "1150101", "2026-11-21 10:00")
    tip = merge_commit(school, own, "main", "1150101", "2026-11-21 10:05",
                       {path: outcome(ENGLISH, "合併附註") + "teacher_note: 表現優異\n"})
    school.test_merge(tip, author=student("1150101"))
    code, report = as_json(school, monkeypatch, capsys, env=github_env(tmp_path, login) if login else None)
    assert code == 1 and path in denied(report), report["findings"]


def test_a_student_who_merges_in_the_teachers_note_keeps_it_honestly(school, monkeypatch, capsys, tmp_path):
    """Last (it moves main): the student edits a certified outcome while its teacher's re-certifying
    note lands on main; their merge of main keeps her note, which is no note the student wrote."""
    review = "records/outcomes/115-1/1150101/book-review.yaml"
    own = school.open_branch({review: school.read(review).replace("閱讀報告", "閱讀心得")}, "1150101",
                             "2026-11-25 10:00")
    school.mr({review: school.read(review) + "teacher_note: 已確認內容\n"}, "jiang-shuhui", "2026-11-25 11:00",
              "jiang-shuhui", "2026-11-25 12:00")
    tip = merge_commit(school, own, "main", "1150101", "2026-11-25 13:00")
    school.test_merge(tip, author=student("1150101"))
    for env in (None, github_env(tmp_path, "pan-gh")):
        code, report = as_json(school, monkeypatch, capsys, env=env)
        assert code == 0, [(f["rule"], f["path"], f["message"]) for f in report["findings"] if f["introduced"]]


def test_a_submodule_in_a_students_folder_is_reported(school, monkeypatch, capsys, tmp_path):
    """A gitlink (mode 160000) carries no file, only a pointer to another repository's commit. It is
    inert (CI fetches no submodule, and .gitmodules is configuration no student may write), but it
    is no record either: the check names it, as it names any file that is not one."""
    main = school.git("rev-parse", "main").strip()
    school.git("checkout", "-q", "--detach", main)
    path = "records/outcomes/115-1/1150101/vendor"
    school.git("update-index", "--add", "--cacheinfo", f"160000,{main},{path}")
    branch = school.git("commit-tree", school.git("write-tree").strip(), "-p", main, "-m", "加入子模組",
                        author=who("1150101"), at="2026-11-21 10:00").strip()
    school.git("reset", "-q", "--hard", main)
    school.git("checkout", "-q", "-f", "main")
    school.checkout(branch)
    _, report = as_json(school, monkeypatch, capsys, "--base", "main", env=github_env(tmp_path, "pan-gh"))
    assert ("layout.unknown-file", path) in {(f["rule"], f["path"]) for f in report["findings"] if f["introduced"]}


@pytest.mark.parametrize("platform", ["github", "gitlab"])
def test_a_request_whose_author_ci_cannot_read_cannot_open_a_classmates_folder(school, monkeypatch, capsys, tmp_path,
                                                                                platform):
    """The commits claim 1150102 and write into 1150102's folder; the merge-request job cannot say
    who opened the request (GitHub's event file unreadable, GitLab without CI_MERGE_REQUEST_AUTHOR)."""
    other = "records/outcomes/115-1/1150102/unsigned.yaml"
    branch = school.open_branch({other: outcome(ENGLISH, "代寫")}, "1150102", "2026-11-21 10:00")
    if platform == "github":
        school.test_merge(branch, author=student("1150102"))
        env = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(tmp_path / "missing.json"),
               "GITHUB_BASE_REF": "main"}
    else:
        school.checkout(school.git("rev-parse", branch))
        env = {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_MERGE_REQUEST_IID": "41", "GITLAB_USER_LOGIN": "pan-gl"}
    code, report = as_json(school, monkeypatch, capsys, env=env)
    unknown = [f for f in report["findings"] if f["rule"] == "perm.unknown-identity" and f["introduced"]]
    said = "GITHUB_EVENT_PATH" if platform == "github" else "CI_MERGE_REQUEST_AUTHOR"  # (the job's own platform's)
    assert code == 1 and unknown and said in unknown[0]["message"], report["findings"]


def test_a_change_the_request_may_not_make_is_said_once(school, monkeypatch, capsys, tmp_path):
    """The student's merge of main into the branch slips in a change to a classmate's outcome: the
    request's author and the merge's author are the same student, and the change is told once."""
    own = school.open_branch({DIARY: outcome(ENGLISH)}, "1150101", "2026-11-21 10:00")
    tip = merge_commit(school, own, "main", "1150101", "2026-11-21 10:05",
                       {"records/school.yaml": school.read("records/school.yaml").replace(*LIMIT)})
    school.test_merge(tip, author=student("1150101"))
    code, report = as_json(school, monkeypatch, capsys, env=github_env(tmp_path, "pan-gh"))
    said = [f for f in report["findings"] if f["rule"] == "perm.denied" and f["path"] == "records/school.yaml"]
    assert code == 1 and len(said) == 1, said


def test_a_request_raising_the_quota_is_counted_against_the_bases(school, monkeypatch, capsys, tmp_path):
    branch = school.open_branch({DIARY: outcome(ENGLISH),
                                 "records/school.yaml": school.read("records/school.yaml").replace(*LIMIT)},
                                "1150101", "2026-11-21 10:00")
    school.test_merge(branch, author=student("1150101"))
    code, report = as_json(school, monkeypatch, capsys, env=github_env(tmp_path, "pan-gh"))
    assert code == 1 and "records/school.yaml" in denied(report)
    assert [c["limit"] for c in report["request"]["counts"]] == [6], report["request"]["counts"]


@pytest.mark.parametrize("style", ["github", "gitlab"])
def test_a_teachers_request_that_also_changes_the_outcomes_mode_is_no_re_certification(school, monkeypatch, capsys,
                                                                                     tmp_path, style):
    """The course teacher writes the note and makes the student's file executable: a
    re-certification changes the note and nothing else, the file's mode included."""
    name = f"renote-mode-{style}"
    school.git("checkout", "-q", "-f", "-b", name, "main")
    school.write(REVIEW, school.read(REVIEW) + "teacher_note: 已確認內容\n")
    school.path(REVIEW).chmod(0o755)
    school.commit_all("認證", "jiang-shuhui", "2026-11-21 12:50")
    school.git("checkout", "-q", "-f", "main")
    if style == "github":
        school.test_merge(name, author=who("jiang-shuhui"))
        env = github_env(tmp_path, "jiang-gh")
    else:
        school.checkout(name)
        env = gitlab_env("jiang-gl")
    code, report = as_json(school, monkeypatch, capsys, env=env)
    assert code == 1 and REVIEW in denied(report), report["findings"]
    school.git("checkout", "-q", "-f", "main")


@pytest.mark.parametrize("login", [None, "pan-gh"], ids=["no-platform-author", "her-own-request"])
def test_a_teacher_note_written_over_a_broken_file_is_still_the_students(school, monkeypatch, capsys, tmp_path, login):
    """The first commit leaves the outcome no YAML at all; the second mends it and adds a
    teacher_note. A note that appears where none could be read is written all the same."""
    path = "records/outcomes/115-1/1150101/broken-note.yaml"
    broken = school.open_branch({path: outcome(ENGLISH, "先壞掉") + "title: [\n"}, "1150101", "2026-11-21 10:00")
    mended = school.open_branch({path: outcome(ENGLISH, "先壞掉") + "teacher_note: 表現優異\n"}, "1150101",
                                "2026-11-21 10:05", start=broken)
    school.test_merge(mended, author=student("1150101"))
    code, report = as_json(school, monkeypatch, capsys, env=github_env(tmp_path, login) if login else None)
    assert code == 1 and path in denied(report), report["findings"]


def test_a_requests_own_words_cannot_write_lines_into_the_ci_log(school, monkeypatch, capsys, tmp_path):
    """The request's summary heads the CI log: the course an outcome names (unknown: shown as
    written) could start a line that is a workflow command (`::error file=…::`, `::add-mask::`) or
    a forged verdict, or carry a terminal escape."""
    forged = r"X\n::error file=records/school.yaml::forged\n檢查通過\e[8m"  # (YAML's escapes, in its double quotes)
    branch = school.open_branch({DIARY: outcome(forged)}, "1150101", "2026-11-21 10:00")
    school.test_merge(branch, author=student("1150101"))
    for fmt in ("github", "text"):
        code, out, _ = licheng(school, monkeypatch, capsys, "--format", fmt, env=github_env(tmp_path, "pan-gh"))
        lines = out.splitlines()
        assert not any(line.startswith(("::error file=records/school.yaml", "檢查通過")) for line in lines), out
        assert "\x1b" not in out and code == 1, out


def test_a_requests_words_start_no_old_style_workflow_command(school, monkeypatch, capsys, tmp_path):
    """GitHub's runner also obeys its first command syntax, `##[command]data`, anywhere in a line of the
    log: a course named `##[stop-commands]…` in the request's summary (or a file so named, in the text
    report) silenced every annotation after it, `##[add-mask]…` hid the verdict's words. None reaches the
    log; the JSON report says the same text (its `[` as \\u005b). Nor does a line the runner reads as
    `::command::` once it strips the spaces before it (a file at the top named ` ::add-mask::…`)."""
    forged = "##[stop-commands]tok"
    misnamed = "records/outcomes/115-1/1150101/##[add-mask]通過.yaml"
    branch = school.open_branch({DIARY: outcome(forged), misnamed: outcome(forged), "\u3000::add-mask::通過": "x\n"},
                                "1150101", "2026-11-21 10:00")
    school.test_merge(branch, author=student("1150101"))
    for fmt in ("github", "text", "json"):
        code, out, _ = licheng(school, monkeypatch, capsys, "--format", fmt, env=github_env(tmp_path, "pan-gh"))
        assert code == 1 and "stop-commands" in out and "add-mask" in out and "##[" not in out, out
        assert not [line for line in out.splitlines() if line.lstrip().startswith("::")
                    and not line.startswith(("::error file=", "::warning file=", "::notice"))], out
    report = json.loads(out)
    assert misnamed in {f["path"] for f in report["findings"]}, report["findings"]
    assert [o["course"] for o in report["request"]["outcomes"] if o["path"] == DIARY] == [forged], report["request"]


def test_a_conflicting_files_name_reaches_the_log_escaped(school, monkeypatch, capsys):
    """A request in conflict stops the check (exit 2) naming the files: a name holding a line break and
    `::error …::` started a workflow command of its own, an escape sequence hid the rest of the log."""
    name = "records/outcomes/115-1/1150101/x\n::error file=records/school.yaml::forged\x1b[8m##[add-mask]m.yaml"
    school.git("checkout", "-q", "-b", "odd-base", "main")
    for branch, text in (("odd-base", "a: 1\n"), ("odd-request", "a: 2\n"), ("odd-base", "a: 3\n")):
        if branch not in school.git("branch", "--show-current"):
            school.git("checkout", "-q", *(["-b"] if branch == "odd-request" else []), branch)
        school.write(name, text)
        school.commit_all("衝突", "1150101", "2026-11-21 10:00")
    school.git("checkout", "-q", "odd-request")
    code, out, err = licheng(school, monkeypatch, capsys, "--base", "odd-base")
    school.git("checkout", "-q", "main")
    assert code == 2 and "forged" in err, err
    assert not [line for line in err.splitlines() if line.lstrip().startswith("::")], err
    assert "\x1b" not in err and "##[" not in err, err


def test_a_selection_made_outside_its_window_is_said_whatever_date_its_commit_claims(school, monkeypatch, capsys,
                                                                                     tmp_path):
    """Uploads are judged as of now in a request (a commit's date is the student's claim); selections were
    not judged at all there, and on main by the date the commit claims: 1150101 selects for 115 before its
    window opens, in a commit dated inside it, and neither her check nor main's audit said so."""
    selection = "records/selections/115/1150101.yaml"
    branch = school.open_branch({selection: "outcomes: [115-1/book-review]\nperformances: []\n"}, "1150101",
                                "2027-07-30 10:00")
    school.test_merge(branch, author=student("1150101"))
    code, report = as_json(school, monkeypatch, capsys, env=github_env(tmp_path, "pan-gh"))
    found = [f for f in report["findings"] if f["rule"] == "window.selection" and f["introduced"]]
    assert [f["path"] for f in found] == [selection] and code == 0, report["findings"]  # (a warning)


@pytest.mark.parametrize("platform", ["github", "gitlab"])
def test_a_request_adding_the_tools_package_is_still_checked_as_a_request(school, monkeypatch, capsys, tmp_path,
                                                                           platform):
    """The tool's own repository is no school: its validation is no request check. A request that
    commits `generator/__init__.py` was taken for it, and validated as a plain school whose branch
    commits were pushes to main: the registrar and the director it claimed made its changes theirs."""
    school.git("checkout", "-q", "-b", f"tool-{platform}", "main")
    school.write("generator/__init__.py", "")
    school.commit_all("工具", "huang-shufen", "2026-11-21 10:00")
    school.write(GRADES, school.read(GRADES).replace(": 7", ": 9", 1))
    school.commit_all("成績", "wang-yating", "2026-11-21 10:05")
    code, report = checked_on(platform, school, f"tool-{platform}", monkeypatch, capsys, tmp_path)
    assert code == 1 and "request" in report and {GRADES, "generator/__init__.py"} <= denied(report), report["findings"]


@pytest.mark.parametrize("trailer", ["", "\n\nCertified-by: 江淑惠 <jiang.shuhui@example.edu.tw>"],
                         ids=["honest", "written-beforehand"])
def test_a_certified_by_trailer_a_request_wrote_beforehand_fails_it(school, monkeypatch, capsys, tmp_path, trailer):
    """evidence: trailer (a squash-only platform): GitHub's squash commit does not say who pressed
    merge, and its message is made of the branch's messages. A student's commit naming her teacher
    in Certified-by: would certify as the teacher whichever staff member squashed it unread."""
    if "squashy" not in school.git("branch", "--list", "squashy"):
        school.git("checkout", "-q", "-b", "squashy", "main")
        school.write("records/school.yaml", school.read("records/school.yaml").replace(
            "evidence: merge-author", "evidence: trailer"))
        school.commit_all("壓縮合併平臺：以 Certified-by 認證", "huang-shufen", "2026-11-20 09:00")
    school.git("checkout", "-q", "-b", f"squash-{bool(trailer)}", "squashy")
    school.write(DIARY, outcome(ENGLISH))
    school.commit_all("新增英文日記" + trailer, "1150101", "2026-11-21 10:00")
    school.test_merge(f"squash-{bool(trailer)}", author=student("1150101"), base="squashy")
    code, report = as_json(school, monkeypatch, capsys, "--base", "squashy", env=github_env(tmp_path, "pan-gh"))
    found = [f for f in report["findings"] if f["rule"] == "request.certified-by" and f["introduced"]]
    assert (code, len(found)) == ((1, 1) if trailer else (0, 0)), report["findings"]
    assert not trailer or "江淑惠" in found[0]["message"] and found[0]["path"] == DIARY


@pytest.mark.parametrize("platform", ["github", "gitlab"])
def test_a_request_naming_its_checkout_a_registry_is_still_checked_as_its_base_is(school, monkeypatch, capsys,
                                                                                 tmp_path, platform):
    """What the repository is (a portfolio, a registry, one school) is its base's: a request that
    commits records/registry.yaml (`portfolio: .`) made the check read the checkout as a registry,
    whose report leaves out every finding of the portfolio's files: the classmate's outcome it
    changed passed."""
    classmate = "records/outcomes/115-1/1150102/attack.yaml"
    school.git("checkout", "-q", "-b", f"registry-{platform}", "main")
    school.write("records/registry.yaml", "portfolio: .\nref: main\n")
    school.write(classmate, outcome(ENGLISH, "同學的成果"))
    school.commit_all("登記", "1150101", "2026-11-21 10:00")
    code, report = checked_on(platform, school, f"registry-{platform}", monkeypatch, capsys, tmp_path)
    assert code == 1 and {classmate, "records/registry.yaml"} <= denied(report), report["findings"]


@pytest.mark.parametrize("platform", ["github", "gitlab"])
def test_a_tag_named_main_is_never_the_base(school, monkeypatch, capsys, tmp_path, platform):
    """Git reads a name as a tag before a branch (refs/tags/main before refs/heads/main and
    refs/remotes/origin/main), and CI clones fetch every tag: a student who pushed a tag `main` on a
    commit of her own (main and a change to a classmate's folder) had her request judged against it,
    so that change was the base's and the request passed."""
    classmate = "records/outcomes/115-1/1150102/tagged.yaml"
    school.git("checkout", "-q", "-b", f"tagged-{platform}", "refs/heads/main")
    school.write(classmate, outcome(ENGLISH, "同學的成果"))
    school.commit_all("同學的成果", "1150101", "2026-11-21 10:00")
    school.git("tag", "main")
    school.write(DIARY, outcome(ENGLISH))
    school.commit_all("英文日記", "1150101", "2026-11-21 10:05")
    try:
        code, report = checked_on(platform, school, f"tagged-{platform}", monkeypatch, capsys, tmp_path,
                                  base="refs/heads/main")
    finally:
        school.git("tag", "-d", "main")
    assert code == 1 and classmate in denied(report), report["findings"]


@pytest.mark.parametrize("commit", [False, True], ids=["without-commit", "commit-of-hers"])
def test_an_acknowledgement_on_main_never_covers_the_requests_own_change(school, monkeypatch, capsys, tmp_path,
                                                                         commit):
    """The director acknowledged a slip in a classmate's file (a perm.denied on it) without naming its
    commit, or naming a short id that a student's commit can be made to begin with (~270 million tries
    for 7 digits): the student's request changing that file was acknowledged too, and passed. An
    acknowledgement is of what main holds, never of a request's own change."""
    classmate = "records/outcomes/115-1/1150102/sleep-statistics.yaml"
    name = f"acked-{commit}"
    school.git("checkout", "-q", "-b", name, "refs/heads/main")
    school.write(classmate, school.read(classmate).replace("title:", "title: 改過的", 1))
    sha = school.commit_all("改同學的成果", "1150101", "2026-11-21 10:00")
    school.git("checkout", "-q", "-b", f"{name}-base", "refs/heads/main")
    school.write(ACKS, f"- rule: perm.denied\n  path: {classmate}\n" + (f"  commit: {sha[:7]}\n" if commit else "")
                 + "  reason: 已檢視\n  by: huang-shufen\n  at: 2026-11-20\n")
    school.commit_all("確認", "huang-shufen", "2026-11-20 09:00")
    school.test_merge(name, author=student("1150101"), base=f"{name}-base")
    code, report = as_json(school, monkeypatch, capsys, "--base", f"{name}-base", env=github_env(tmp_path, "pan-gh"))
    assert code == 1 and classmate in denied(report), report["findings"]


@pytest.mark.parametrize("env", [{"GITLAB_CI": "true", "CI_COMMIT_BRANCH": "outside", "CI_PIPELINE_SOURCE": "web"},
                                 {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "workflow_dispatch"}],
                         ids=["gitlab-branch-pipeline", "github-workflow-dispatch"])
def test_a_ci_run_outside_a_merge_request_trusts_no_commits_claim(school, monkeypatch, capsys, env):
    """GitLab's "Run pipeline" on a branch (or its pipeline before a request is opened) and GitHub's
    workflow_dispatch run the check with nothing saying who proposes the branch: the commits' claims
    decided, so a student's branch whose commit names a classmate as its author changed that
    classmate's outcome and passed, its green check on the very commit her request would show."""
    classmate = "records/outcomes/115-1/1150102/sleep-statistics.yaml"
    if "outside" not in school.git("branch", "--list", "outside"):
        school.git("checkout", "-q", "-b", "outside", "refs/heads/main")
        school.write(classmate, school.read(classmate).replace("title:", "title: 改過的", 1))
        school.commit_all("改", "1150102", "2026-11-21 10:00", committer=student("1150101"))
    school.checkout("outside")
    code, report = as_json(school, monkeypatch, capsys, env=env)
    unknown = [f for f in report["findings"] if f["rule"] == "perm.unknown-identity" and f["introduced"]]
    assert code == 1 and [f["path"] for f in unknown] == [classmate], report["findings"]
    for name in env:
        monkeypatch.delenv(name)
    code, report = as_json(school, monkeypatch, capsys)  # a teacher's own clone: the commits say whose they are
    assert code == 0, report["findings"]
