"""The merge-request check on real repositories, checked out the way CI checks them out.

One school for the module: the sample committed on 2026-07-01 (imported), open requests on
branches made from main, and after they began, one more outcome of 1150101 merged by its
teacher (so a request is judged against the base's current tip). A second base, `legacy`,
carries an old error: a student's direct push. Now is 2026-11-28 (115-1 uploads open).
1150101 (class 101): English 115999999H001010A010211 by 江淑惠 (jiang-shuhui, sick leave
2026-10-05..10-23; delegates 陳怡君 then 黃淑芬), maths 115999999H001010A020111 by 賴志偉.
1150104 already has six outcomes in 115-1.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import NOW, REPO, School
from generator import cli
from generator.git import request as request_mod
from generator.review import check as review
from gitschool import GITHUB, RequestSchool, student

ENGLISH, MATHS = "115999999H001010A010211", "115999999H001010A020111"
DIARY = "records/outcomes/115-1/1150101/diary.yaml"
POEM = "records/outcomes/115-1/1150101/poem.yaml"
SEVENTH = "records/outcomes/115-1/1150104/seventh.yaml"
GRADES = "records/grades/114-2/114999999H001010A010212.yaml"
OLD = "records/outcomes/115-1/1150102/pushed.yaml"
REVIEW = "records/outcomes/115-1/1150101/book-review.yaml"  # English, on main since the import
REQUEST_CODES = {"request.mixed-certifiers", "request.certified-by"}  # the rule codes only a merge-request check reports


SELF_NOTE = "records/outcomes/115-1/1150101/self-note.yaml"


def outcome(course: str, title: str = "英文日記") -> str:
    return f'course: "{course}"\ntitle: {title}\nsummary: 每週一篇，整理成冊。\n'


@pytest.fixture(scope="module")
def school(tmp_path_factory) -> RequestSchool:
    root = tmp_path_factory.mktemp("requests") / "school"
    for top in ("records", "schedules"):
        shutil.copytree(REPO / top, root / top)
    plain = School(root)
    plain.edit("records/students/1150101.yaml", "git: [", "github: pan-gh\ngitlab: pan-gl\ngit: [")
    plain.edit("records/students/1150102.yaml", "git: [", "github: qiu-gh\ngitlab: qiu-gl\ngit: [")
    plain.edit("records/staff.yaml", "  git: [huang.shufen@example.edu.tw]",
               "  git: [huang.shufen@example.edu.tw]\n  github: huang-gh")
    for staff_id in ("jiang.shuhui", "lai.zhiwei"):
        plain.edit("records/staff.yaml", f"  git: [{staff_id}@example.edu.tw]",
                   f"  git: [{staff_id}@example.edu.tw]\n  github: {staff_id.split('.')[0]}-gh\n"
                   f"  gitlab: {staff_id.split('.')[0]}-gl")
    s = RequestSchool(root)
    s.branches = {
        "clean": s.open_branch({DIARY: outcome(ENGLISH)}, "1150101", "2026-11-20 20:00"),
        "self-note": s.open_branch({SELF_NOTE: outcome(ENGLISH, "自評") + "teacher_note: 表現優異\n"}, "1150101",
                                   "2026-11-20 20:00"),
        "quota": s.open_branch({SEVENTH: outcome(ENGLISH, "第七件")}, "1150104", "2026-11-20 21:00"),
        "grades": s.open_branch({DIARY: outcome(ENGLISH),
                                 GRADES: s.read(GRADES).replace(": 7", ": 9", 1)}, "1150101", "2026-11-20 22:00"),
        "mixed": s.open_branch({DIARY: outcome(ENGLISH), "records/outcomes/115-1/1150101/proof.yaml":
                                outcome(MATHS, "證明練習"), "records/outcomes/115-1/1150101/reading.yaml":
                                outcome(ENGLISH, "閱讀心得")}, "1150101", "2026-11-21 09:00"),
        "forged": s.open_branch({DIARY: outcome(ENGLISH), "records/school.yaml":
                                 s.read("records/school.yaml").replace("outcomes_per_semester: 6",
                                                                       "outcomes_per_semester: 9")},
                                "huang-shufen", "2026-11-21 10:00"),
        "gitlab": s.open_branch({DIARY: outcome(ENGLISH)}, "1150101", "2026-11-21 11:00", style="gitlab"),
        # the course teacher re-certifies an outcome someone else merged: only its teacher_note changes
        "renote": s.open_branch({REVIEW: s.read(REVIEW) + "teacher_note: 已確認內容\n"}, "jiang-shuhui",
                                "2026-11-21 12:00"),
        "renote-other": s.open_branch({REVIEW: s.read(REVIEW) + "teacher_note: 已確認內容\n"}, "lai-zhiwei",
                                      "2026-11-21 12:30"),
    }
    # merged since the branches began: it counts in 1150101's 115-1 total
    s.mr({POEM: outcome(ENGLISH, "英文詩")}, "1150101", "2026-11-22 20:00", "jiang-shuhui", "2026-11-23 10:00")
    # a second base carrying an old error: a student pushed an outcome straight to it
    s.git("checkout", "-q", "-b", "legacy", "main")
    s.direct({OLD: outcome(ENGLISH, "直接推送")}, "1150102", "2026-11-24 09:00")
    s.branches["over-old"] = s.open_branch({"records/outcomes/115-1/1150103/diary.yaml": outcome(ENGLISH)},
                                           "1150103", "2026-11-25 09:00", start="legacy")
    # the student mends the outcome she pushed: a request that edits a file with an error on its base
    s.branches["edit-old"] = s.open_branch({OLD: outcome(ENGLISH, "改由老師認證")}, "1150102", "2026-11-25 10:00",
                                           start="legacy", style="gitlab")
    s.git("checkout", "-q", "main")
    return s


def licheng(s, monkeypatch, capsys, *args, env=None):
    """The real command line, in-process (a CI job's environment set for it)."""
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    code = cli.main(["validate", "-C", str(s.root), "--now", NOW, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def as_json(s, monkeypatch, capsys, *args, env=None):
    code, out, err = licheng(s, monkeypatch, capsys, "--format", "json", *args, env=env)
    return code, json.loads(out)


def event(tmp_path, login: str) -> str:
    path = tmp_path / "event.json"
    path.write_text(json.dumps({"pull_request": {"number": 1, "user": {"login": login}}}), "utf-8")
    return str(path)


def github_env(tmp_path, login="pan-gh") -> dict:
    return {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_BASE_REF": "main", "GITHUB_EVENT_PATH": event(tmp_path, login),
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}


def codes(report, introduced=True) -> set[str]:
    return {f["rule"] for f in report["findings"] if f.get("introduced", True) == introduced}


def test_a_clean_request_on_its_branch_head_passes_and_says_who_certifies(school, monkeypatch, capsys):
    school.checkout(school.branches["clean"])
    code, out, _ = licheng(school, monkeypatch, capsys)  # no flag, no platform: a HEAD off main's chain
    assert code == 0, out
    first, outcome_line, counts = out.splitlines()[:3]
    assert first.startswith("合併請求檢查") and "main" in first
    assert DIARY in outcome_line and "英語文（115999999H001010A010211）" in outcome_line and "江淑惠" in outcome_line
    # book-review on the sample's main, the poem merged since the branch began, and this diary
    assert "115-1：3/6 件" in counts and "1150101" in counts


@pytest.mark.parametrize("author", [GITHUB, student("1150101")], ids=["by-github", "by-the-student"])
def test_githubs_test_merge_is_judged_as_the_request(school, monkeypatch, capsys, tmp_path, author):
    school.test_merge(school.branches["clean"], author=author)
    code, report = as_json(school, monkeypatch, capsys, env=github_env(tmp_path))
    assert code == 0, report["findings"]
    assert not {c for c in codes(report) if c.startswith(("cert.", "perm."))}
    req = report["request"]
    assert req["test_merge"] and req["author"] == {"platform": "github", "login": "pan-gh", "kind": "student",
                                                     "id": "1150101"}
    assert req["outcomes"][0]["certifiers"] == [{"id": "jiang-shuhui", "name": "江淑惠"}]
    assert req["outcomes"][0]["certifier"] == "teacher" and req["outcomes"][0]["course_name"] == "英語文"
    assert [c["text"] for c in req["counts"]] == ["115-1：3/6 件"]
    assert "江淑惠" in (tmp_path / "summary.md").read_text("utf-8")


def test_a_job_that_cannot_say_who_opened_the_request_is_told_its_own_platforms_remedy(school, monkeypatch, capsys,
                                                                                       tmp_path):
    """Without the request's author the commits' claims cannot grant: the advice names what the
    platform the job runs on needs (a GitHub run was told of GitLab 17.9)."""
    school.test_merge(school.branches["clean"], author=GITHUB)
    env = {**github_env(tmp_path), "GITHUB_EVENT_PATH": str(tmp_path / "no-event.json")}
    for lang, words in ((None, "pull_request 觸發的 GitHub Actions"), ("en", "triggered by pull_request")):
        code, report = as_json(school, monkeypatch, capsys, *(["--lang", lang] if lang else []), env=env)
        [found] = [f["message"] for f in report["findings"] if f["rule"] == "perm.unknown-identity"]
        assert code == 1 and words in found and "GitLab" not in found, found
    for name in env:
        monkeypatch.delenv(name)
    school.checkout(school.git("rev-parse", school.branches["gitlab"]))
    code, report = as_json(school, monkeypatch, capsys, env={
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_MERGE_REQUEST_IID": "6"})
    [found] = [f["message"] for f in report["findings"] if f["rule"] == "perm.unknown-identity"]
    assert code == 1 and "GitLab 17.9" in found and "GitHub" not in found, found


def test_gitlab_pipeline_on_the_branch_head_with_the_target_only_on_origin(school, monkeypatch, capsys):
    school.git("update-ref", "refs/remotes/origin/trunk", "main")
    school.checkout(school.git("rev-parse", school.branches["gitlab"]))  # GitLab checks out a detached head
    base = school.git("merge-base", "main", "HEAD")
    code, report = as_json(school, monkeypatch, capsys, env={
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "trunk", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
        "CI_MERGE_REQUEST_IID": "6", "CI_MERGE_REQUEST_AUTHOR": "pan-gl"})
    assert code == 0, report["findings"]
    assert "cert.not-merged" not in codes(report) and report["request"]["base"] == "trunk"
    assert not report["request"]["test_merge"] and report["request"]["author"]["id"] == "1150101"
    assert report["request"]["counts"][0]["count"] == 3  # judged against the target's tip, not the diff base


def test_a_developers_stale_main_gives_way_to_origin_main(school, monkeypatch, capsys, tmp_path):
    """A clone whose own main stopped before the poem was merged: a request is judged against
    origin/main, the platform's main, as CI judges it (with --base main: main as given)."""
    school.git("clone", "-q", "--no-local", str(school.root), str(tmp_path / "clone"))
    clone = RequestSchool.existing(tmp_path / "clone")
    clone.git("checkout", "-q", "-B", "main", "origin/main~1")  # the clone's main: before the poem's merge
    clone.git("checkout", "-q", "--detach", f"origin/{school.branches['clean']}")
    for env in ({}, github_env(tmp_path)):
        code, report = as_json(clone, monkeypatch, capsys, env=env)
        assert code == 0, report["findings"]
        assert report["request"]["base_commit"] == clone.git("rev-parse", "origin/main")
        assert report["request"]["counts"][0]["count"] == 3, report["request"]  # the poem counts
    assert report["request"]["base"] == "origin/main"
    code, report = as_json(clone, monkeypatch, capsys, "--base", "main")
    assert report["request"]["base"] == "main" and report["request"]["counts"][0]["count"] == 2
    queued = request_mod.of_head(clone.root, clone.git("rev-parse", "HEAD"))  # what certify checks
    assert (queued.base_name, queued.base) == ("origin/main", clone.git("rev-parse", "origin/main"))


def test_a_seventh_outcome_fails_on_the_new_file(school, monkeypatch, capsys):
    school.checkout(school.branches["quota"])
    code, report = as_json(school, monkeypatch, capsys, "--base", "main")
    quota = [f for f in report["findings"] if f["rule"] == "quota.outcomes-per-semester"]
    assert code == 1 and [(f["path"], f["introduced"]) for f in quota] == [(SEVENTH, True)]
    assert report["request"]["counts"][0]["text"] == "115-1：7/6 件"


def test_a_student_changing_grades_fails(school, monkeypatch, capsys):
    school.checkout(school.branches["grades"])
    code, report = as_json(school, monkeypatch, capsys, "--base", "main")
    denied = [f for f in report["findings"] if f["rule"] == "perm.denied"]
    assert code == 1 and [(f["path"], f["introduced"]) for f in denied] == [(GRADES, True)]
    assert "1150101" in denied[0]["message"] and "DESIGN" not in denied[0]["message"]


def test_the_platforms_author_is_judged_not_the_commits_claim(school, monkeypatch, capsys, tmp_path):
    school.test_merge(school.branches["forged"], author=student("1150101"))
    # the commits claim the academic director; the pull request is the student's
    code, report = as_json(school, monkeypatch, capsys, env=github_env(tmp_path, "pan-gh"))
    assert code == 1 and ("perm.denied", "records/school.yaml") in {(f["rule"], f["path"]) for f in report["findings"]}
    # the director's own request changing school.yaml passes (a staff change is hers to make)
    code, report = as_json(school, monkeypatch, capsys, env=github_env(tmp_path, "huang-gh"))
    assert "records/school.yaml" not in {f["path"] for f in report["findings"] if f["rule"] == "perm.denied"}


def test_a_teacher_note_by_the_course_teacher_is_a_re_certification(school, monkeypatch, capsys, tmp_path):
    school.checkout(school.branches["renote"])
    code, report = as_json(school, monkeypatch, capsys, "--base", "main", env=github_env(tmp_path, "jiang-gh"))
    assert code == 0, report["findings"]
    assert [o["path"] for o in report["request"]["outcomes"]] == [REVIEW]  # pending until she merges it
    school.checkout(school.branches["renote-other"])  # another course's teacher may not
    code, report = as_json(school, monkeypatch, capsys, "--base", "main", env=github_env(tmp_path, "lai-gh"))
    assert code == 1 and ("perm.denied", REVIEW) in {(f["rule"], f["path"]) for f in report["findings"]}
    # nor by naming himself its teacher in the same request: the base's courses say who teaches it
    courses = "records/courses/115-1.yaml"
    school.git("checkout", "-q", "-f", "main")
    school.checkout(school.open_branch({REVIEW: school.read(REVIEW) + "teacher_note: 已確認內容\n",
                                        courses: school.read(courses).replace("[jiang-shuhui]", "[lai-zhiwei]")},
                                       "lai-zhiwei", "2026-11-21 12:40"))
    code, report = as_json(school, monkeypatch, capsys, "--base", "main", env=github_env(tmp_path, "lai-gh"))
    assert code == 1 and ("perm.denied", REVIEW) in {(f["rule"], f["path"]) for f in report["findings"]}


@pytest.mark.parametrize("branch, path", [("forged", "records/school.yaml"), ("renote", REVIEW)])
def test_a_commits_claim_to_be_staff_grants_nothing_the_platform_does_not_confirm(school, monkeypatch, capsys,
                                                                                    tmp_path, branch, path):
    school.checkout(school.branches[branch])
    for env in (None, github_env(tmp_path, "pan-gh")):  # no platform author, or the student's own request
        code, report = as_json(school, monkeypatch, capsys, "--base", "main", env=env)
        assert code == 1 and ("perm.denied", path) in {(f["rule"], f["path"]) for f in report["findings"]}


@pytest.mark.parametrize("branch, login, path, line", [
    ("self-note", "pan-gh", SELF_NOTE, 4),  # the student's teacher_note: its own line
    ("renote-other", "lai-gh", REVIEW, "note"),  # another course's teacher writes a note: the note's line
    ("grades", "pan-gh", GRADES, "score"),  # the first score the student changed
])
def test_a_denied_change_in_a_request_points_at_its_line(school, monkeypatch, capsys, tmp_path, branch, login, path,
                                                         line):
    school.checkout(school.branches[branch])
    text = school.read(path).splitlines()
    if line == "note":
        line = len(text)
    elif line == "score":
        line = next(i for i, t in enumerate(text, 1) if ": 9" in t)
    code, report = as_json(school, monkeypatch, capsys, "--base", "main", env=github_env(tmp_path, login))
    assert code == 1 and [f["line"] for f in report["findings"] if f["rule"] == "perm.denied"] == [line]
    _, out, _ = licheng(school, monkeypatch, capsys, "--base", "main", "--format", "github",
                        env=github_env(tmp_path, login))
    assert f"file={path},line={line},title=perm.denied" in out


def test_a_clean_request_over_an_old_error_passes_and_lists_it(school, monkeypatch, capsys):
    school.checkout(school.branches["over-old"])
    code, report = as_json(school, monkeypatch, capsys, "--base", "legacy")
    assert code == 0, report["findings"]
    old = {(f["rule"], f["path"]) for f in report["findings"] if f["introduced"] is False}
    assert ("cert.not-merged", OLD) in old and report["request"]["on_base"]["errors"] >= 1
    assert not [f for f in report["findings"] if f["introduced"] and f["severity"] == "error"]
    # annotations carry only the request's own findings
    code, out, _ = licheng(school, monkeypatch, capsys, "--base", "legacy", "--format", "github")
    assert code == 0 and "::error" not in out and OLD not in out


@pytest.mark.parametrize("lang, passed, base_counted", [
    ("zh-TW", "檢查通過：此合併請求沒有帶來錯誤", "legacy 原有 {n} 個錯誤"),
    ("en", "passed: this merge request brings no error", "legacy already has {n} error(s)"),
])
def test_every_format_says_what_the_request_brings_and_counts_the_bases_own(school, monkeypatch, capsys, tmp_path,
                                                                            lang, passed, base_counted):
    """An honest request over a base with errors: no format says "no problem found", none blames the
    base's errors on the request, and none lists them (they are other students' records)."""
    school.checkout(school.branches["over-old"])
    _, report = as_json(school, monkeypatch, capsys, "--base", "legacy", "--lang", lang)
    on_base = report["request"]["on_base"]["errors"]
    assert on_base >= 1 and report["request"]["passed"] and report["request"]["introduced"]["errors"] == 0
    for fmt in ("text", "github"):
        code, out, _ = licheng(school, monkeypatch, capsys, "--base", "legacy", "--format", fmt, "--lang", lang,
                               env={"GITHUB_STEP_SUMMARY": str(tmp_path / f"{fmt}.md")})
        brings, base, verdict = out.splitlines()[-3:]
        assert code == 0 and verdict == passed and base_counted.format(n=on_base) in base, out
        assert ("0 個錯誤" if lang == "zh-TW" else "0 error(s)") in brings
        assert OLD not in out and "沒有發現問題" not in out and "all checks passed" not in out
        summary = (tmp_path / f"{fmt}.md").read_text("utf-8")
        assert passed in summary and base_counted.format(n=on_base) in summary and OLD not in summary
    sha = school.git("rev-parse", "legacy")  # a base named by its commit (GitLab's diff base alone): its short id
    _, out, _ = licheng(school, monkeypatch, capsys, "--base", sha, "--lang", lang)
    title, base = out.splitlines()[0], out.splitlines()[-2]
    assert sha not in out and title.endswith(f"{' into' if lang == 'en' else '併入'} {sha[:8]}"), out
    assert base.startswith(base_counted.format(n=on_base).replace("legacy", sha[:8])), out


@pytest.mark.parametrize("platform", ["github", "gitlab-head", "gitlab-merged-results"])
def test_a_request_editing_a_file_with_an_error_on_its_base_counts_all_the_bases_errors(
        school, monkeypatch, capsys, tmp_path, platform):
    """The base's count is the base's: an error the request changes or mends (the pushed outcome it
    sends to its teacher) is still one the base has, and is counted with the rest."""
    _, on_legacy = as_json(school, monkeypatch, capsys, "--rev", "legacy")
    errors = on_legacy["summary"]["errors"]
    assert ("cert.not-merged", OLD) in {(f["rule"], f["path"]) for f in on_legacy["findings"]}
    if platform == "github":
        env = {**github_env(tmp_path, "qiu-gh"), "GITHUB_BASE_REF": "legacy"}
        school.test_merge(school.branches["edit-old"], base="legacy")
    else:
        env = {"CI_MERGE_REQUEST_IID": "9", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "legacy",
               "CI_MERGE_REQUEST_AUTHOR": "qiu-gl"}
        if platform == "gitlab-head":
            school.checkout(school.branches["edit-old"])
        else:
            school.test_merge(school.branches["edit-old"], author=student("1150102"), base="legacy")
    code, report = as_json(school, monkeypatch, capsys, env=env)
    assert code == 0 and report["request"]["introduced"]["errors"] == 0, report["findings"]
    assert report["request"]["on_base"]["errors"] == errors
    for lang, said in (("zh-TW", f"legacy 原有 {errors} 個錯誤"), ("en", f"legacy already has {errors} error(s)")):
        _, out, _ = licheng(school, monkeypatch, capsys, "--lang", lang, env=env)
        assert said in out.splitlines()[-2], out


def test_gitlab_sees_the_bases_findings_as_the_bases_not_as_fixed_by_the_request(school, monkeypatch, capsys):
    """GitLab shows a merge request the difference between its Code Quality report and its target's,
    by fingerprint: the request's report carries the base's findings as the base's own report does."""
    _, out, _ = licheng(school, monkeypatch, capsys, "--rev", "legacy", "--format", "codequality")  # legacy's own run
    on_legacy = {i["fingerprint"] for i in json.loads(out)}
    school.checkout(school.branches["over-old"])
    code, out, _ = licheng(school, monkeypatch, capsys, "--base", "legacy", "--format", "codequality")
    assert code == 0 and OLD in {i["location"]["path"] for i in json.loads(out)}
    assert {i["fingerprint"] for i in json.loads(out)} == on_legacy  # nothing new, nothing fixed
    school.checkout(school.branches["quota"])  # a request that brings an error: one new issue, on its file
    code, out, _ = licheng(school, monkeypatch, capsys, "--base", "main", "--format", "codequality")
    # GitLab's job: one run, the text report in the log and this report in the file
    report = school.root.parent / "gl-code-quality-report.json"
    one = licheng(school, monkeypatch, capsys, "--base", "main", "--report", f"codequality={report}")
    assert one == licheng(school, monkeypatch, capsys, "--base", "main") and report.read_text("utf-8") == out
    school.git("checkout", "-q", "main")
    _, base, _ = licheng(school, monkeypatch, capsys, "--format", "codequality")
    new = [i for i in json.loads(out) if i["fingerprint"] not in {b["fingerprint"] for b in json.loads(base)}]
    assert code == 1 and [i["location"]["path"] for i in new] == [SEVENTH]


@pytest.mark.parametrize("lang, failed", [("zh-TW", "未通過：此合併請求帶來 1 個錯誤，請依上面各項的說明處理"),
                                          ("en", "failed: this merge request brings 1 error(s); do what each of them "
                                                 "above says")])
def test_a_request_that_brings_an_error_ends_saying_so(school, monkeypatch, capsys, lang, failed):
    school.checkout(school.branches["quota"])
    for fmt in ("text", "github"):
        code, out, _ = licheng(school, monkeypatch, capsys, "--base", "main", "--format", fmt, "--lang", lang)
        assert code == 1 and out.splitlines()[-1] == failed and SEVENTH in out


def test_outcomes_for_different_certifiers_are_flagged(school, monkeypatch, capsys):
    school.checkout(school.branches["mixed"])
    code, report = as_json(school, monkeypatch, capsys, "--base", "main")
    mixed = [f for f in report["findings"] if f["rule"] == "request.mixed-certifiers"]
    assert code == 0 and len(mixed) == 1 and mixed[0]["severity"] == "warning" and mixed[0]["introduced"]
    assert "江淑惠" in mixed[0]["message"] and "賴志偉" in mixed[0]["message"]
    assert "英語文（115999999H001010A010211）" in mixed[0]["message"] and "英語文（英語文" not in mixed[0]["message"]
    assert mixed[0]["message"].count("英語文（115999999H001010A010211）") == 1  # two English outcomes: one course
    assert report["request"]["mixed_certifiers"] is True


def test_the_delegate_on_duty_is_named_while_the_teacher_is_away(school):
    school.checkout(school.branches["clean"])
    found = request_mod.find(school.root, "main", env={})
    _, result, summary = review.check(school.root, "2026-10-10 12:00", found)
    assert summary["outcomes"][0]["certifier"] == "delegate"
    assert summary["outcomes"][0]["certifiers"] == [{"id": "chen-yijun", "name": "陳怡君"}]


def test_a_bad_base_cannot_run(school, monkeypatch, capsys):
    school.checkout(school.branches["clean"])
    code, out, err = licheng(school, monkeypatch, capsys, "--base", "no-such-branch")
    assert code == 2 and "no-such-branch" in err and not out


def test_main_itself_is_no_merge_request(school, monkeypatch, capsys):
    school.checkout("main")
    code, report = as_json(school, monkeypatch, capsys)
    assert "request" not in report
    # the sample is one repository that students commit to: its personal records are exposed (only that fails)
    assert code == 1 and {f["rule"] for f in report["findings"] if f["severity"] == "error"} == {"privacy.exposed"}


def test_windows_judge_the_requests_outcomes_as_of_now(school):
    school.checkout(school.branches["clean"])
    found = request_mod.find(school.root, "main", env={})
    _, result, _ = review.check(school.root, "2027-02-08 09:00", found)  # 115-1 uploads closed 2027-02-05 17:00
    late = [f for f in result.findings if f.rule == "window.outcome-upload"]
    assert [(f.path, f.introduced) for f in late] == [(DIARY, True)]
    assert late[0].message("zh-TW").startswith("逾期上傳：") and "早於" not in late[0].message("zh-TW")
    _, result, _ = review.check(school.root, "2026-08-20 09:00", found)  # 115-1 uploads open 2026-09-01
    [early] = [f for f in result.findings if f.rule == "window.outcome-upload" and f.path == DIARY]
    assert early.message("zh-TW").startswith("提前上傳：") and "逾期" not in early.message("zh-TW")
    assert "before the upload window opens" in early.message("en")


def test_ci_templates_check_every_request_and_rebuild_daily():
    import yaml

    github = yaml.safe_load((REPO / ".github/workflows/licheng.yml").read_text("utf-8"))
    triggers = github[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["schedule"][0]["cron"]
    assert github["jobs"]["pages"]["needs"] == "validate"
    assert any("licheng validate" in str(step.get("run")) for step in github["jobs"]["validate"]["steps"])
    gitlab = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text("utf-8"))
    assert any(r.get("if") == '$CI_PIPELINE_SOURCE == "merge_request_event"' for r in gitlab["workflow"]["rules"])
    assert gitlab["pages"]["needs"] == ["validate"] and "licheng validate" in gitlab["validate"]["script"][-1]
    assert any("refs/remotes/origin/$TARGET" in line for line in gitlab["default"]["before_script"])


def test_a_student_may_not_write_the_teacher_note(school, monkeypatch, capsys, tmp_path):
    school.checkout(school.branches["self-note"])
    code, report = as_json(school, monkeypatch, capsys, "--base", "main", env=github_env(tmp_path, "pan-gh"))
    denied = [f for f in report["findings"] if f["rule"] == "perm.denied" and f["path"] == SELF_NOTE]
    assert code == 1 and denied and "teacher_note" in denied[0]["message"]


@pytest.mark.parametrize("login, author, staff_edit", [
    # a student whose platform account nobody registered names it the director's, committing as her
    ("mallory-gh", "huang-shufen", ("github: huang-gh", "github: mallory-gh")),
    # a teacher gives herself the director's role in the request that uses it
    ("jiang-gh", "jiang-shuhui", ("  github: jiang-gh\n  gitlab: jiang-gl\n  roles: [teacher]",
                                  "  github: jiang-gh\n  gitlab: jiang-gl\n  roles: [teacher, academic_director]")),
])
def test_a_request_is_judged_by_the_bases_staff_not_its_own(school, monkeypatch, capsys, tmp_path,
                                                             login, author, staff_edit):
    staff = school.read("records/staff.yaml")
    assert staff_edit[0] in staff
    branch = school.open_branch({"records/staff.yaml": staff.replace(*staff_edit),
                                 "records/school.yaml": school.read("records/school.yaml").replace(
                                     "outcomes_per_semester: 6", "outcomes_per_semester: 9")},
                                author, "2026-11-21 10:00")
    school.checkout(branch)
    code, report = as_json(school, monkeypatch, capsys, "--base", "main", env=github_env(tmp_path, login))
    denied = {f["path"] for f in report["findings"] if f["rule"] == "perm.denied" and f["introduced"]}
    assert code == 1 and {"records/staff.yaml", "records/school.yaml"} <= denied, report["findings"]


def test_a_request_that_breaks_the_staff_list_fails_on_the_cause_not_buried(school, monkeypatch, capsys, tmp_path):
    """A duplicate key makes staff.yaml unreadable: every teacher named anywhere and every merge on
    main then followed as unknown (over a hundred findings around the one that said why). The
    request fails on the cause, and one error counts what could not be judged without the list."""
    staff = school.read("records/staff.yaml")
    branch = school.open_branch({"records/staff.yaml": staff.replace("  name: 黃淑芬\n", "  name: 黃淑芬\n  name: 黃淑芬\n")},
                                "huang-shufen", "2026-11-21 10:00")
    school.checkout(branch)
    code, report = as_json(school, monkeypatch, capsys, "--base", "main", env=github_env(tmp_path, "huang-gh"))
    brought = [(f["rule"], f["path"]) for f in report["findings"] if f["introduced"]]
    assert code == 1 and sorted(brought) == [("ref.unchecked", "records/staff.yaml"),
                                             ("yaml.duplicate-key", "records/staff.yaml")], brought
    [said] = [f for f in report["findings"] if f["rule"] == "ref.unchecked"]
    count, refs = map(int, re.findall(r"(\d+) 項結果未列出（其中 (\d+) 處", said["message"])[0])
    assert count >= refs > 20, said["message"]
    assert not any(f["rule"] == "ref.unknown" for f in report["findings"])


def test_a_commit_claiming_the_teacher_is_described_as_a_claim_never_as_hers(school, monkeypatch, capsys, tmp_path):
    """A student's request whose commit names the course teacher as its author, changing grades:
    the denial is the claim's and names who opened the request, never accusing the teacher."""
    school.git("checkout", "-q", "-f", "main")
    school.checkout(school.open_branch({GRADES: school.read(GRADES).replace(": 7", ": 9", 1)}, "jiang-shuhui",
                                       "2026-11-21 13:00"))
    for lang, claim, opener in (("zh-TW", "它寫的作者是 江淑惠", "（1150101） 提出的此合併請求中"),
                                ("en", "it names 江淑惠 as its author", "opened by 潘冠霖（1150101）")):
        code, report = as_json(school, monkeypatch, capsys, "--base", "main", "--lang", lang,
                               env=github_env(tmp_path, "pan-gh"))
        messages = [f["message"] for f in report["findings"] if f["rule"] == "perm.denied" and f["path"] == GRADES]
        claimed = [m for m in messages if "江淑惠" in m]
        assert code == 1 and len(claimed) == 1 and claim in claimed[0] and opener in claimed[0], messages
        assert "但 江淑惠 沒有" not in claimed[0] and "which 江淑惠 may not" not in claimed[0]
    for name in github_env(tmp_path):
        monkeypatch.delenv(name)
    code, report = as_json(school, monkeypatch, capsys, "--base", "main")  # no platform author: the claim alone
    [message] = [f["message"] for f in report["findings"] if f["rule"] == "perm.denied" and f["path"] == GRADES]
    assert code == 1 and "它寫的作者是 江淑惠" in message and "提出的此合併請求" not in message


@pytest.mark.parametrize("lang, office, staff_list", [("zh-TW", "學生請向註冊組申請", "教務主任"),
                                                     ("en", "ask the registration office", "academic director")])
def test_an_unregistered_account_is_told_whom_to_ask_not_to_edit_the_records(school, monkeypatch, capsys, tmp_path,
                                                                             lang, office, staff_list):
    """Students cannot edit staff.yaml or their student record (in a split school they cannot even
    read the registry): the registration office registers their account."""
    school.git("checkout", "-q", "-f", "main")
    scan = "records/outcomes/115-1/1150101/a-scan.pdf"  # sorts before the record: the finding is on the record
    school.checkout(school.open_branch({DIARY: outcome(ENGLISH) + "files: [a-scan.pdf]\n", scan: "%PDF-1.4\n"},
                                       "stranger", "2026-11-21 14:00"))
    code, report = as_json(school, monkeypatch, capsys, "--base", "main", "--lang", lang,
                           env=github_env(tmp_path, "nobody-gh"))
    unknown = [f for f in report["findings"] if f["rule"] == "perm.unknown-identity"]
    assert code == 1 and len(unknown) == 2 and {f["path"] for f in unknown} == {DIARY}, unknown
    assert any("nobody-gh" in f["message"] for f in unknown) and any("stranger@" in f["message"] for f in unknown)
    for f in unknown:  # the platform's account, and the commit's address (on the date it says, not now)
        assert office in f["message"] and staff_list in f["message"], f["message"]
        assert "115年11月28日" not in f["message"]
        assert "請在 staff.yaml" not in f["message"] and "add the email under git:" not in f["message"]


def test_an_unknown_identity_in_a_request_points_at_the_line_it_changed(school, monkeypatch, capsys, tmp_path):
    """Both perm.unknown-identity findings (the platform's account, the commit's address) point at the
    request's change, not at line 1 of the file."""
    school.git("checkout", "-q", "-f", "main")
    text = school.read(REVIEW)
    school.checkout(school.open_branch({REVIEW: text.replace("心境轉變。", "心境轉變與成長。")}, "stranger",
                                       "2026-11-21 14:00"))
    code, report = as_json(school, monkeypatch, capsys, "--base", "main", env=github_env(tmp_path, "nobody-gh"))
    unknown = [f for f in report["findings"] if f["rule"] == "perm.unknown-identity"]
    assert code == 1 and len(unknown) == 2 and {(f["path"], f["line"]) for f in unknown} == {(REVIEW, 4)}, unknown
    school.git("checkout", "-q", "-f", "main")


def test_a_students_request_shows_no_classmates_counts(school, monkeypatch, capsys, tmp_path):
    """1150101's request edits 1150102's outcome (of another teacher's course) too: the log shows
    1150101's own counts only (the denial names the file she touched; nothing of 1150102's is counted)
    and the classmate's outcome needs no certifier of hers (no request.mixed-certifiers)."""
    other = "records/outcomes/115-1/1150102/intruder.yaml"
    school.git("checkout", "-q", "-f", "main")
    school.checkout(school.open_branch({DIARY: outcome(ENGLISH), other: outcome(MATHS, "闖入")}, "1150101",
                                       "2026-11-21 15:00"))
    for env in (github_env(tmp_path, "pan-gh"), {}):  # the platform's author, or the commits' (no platform)
        if not env:
            for name in github_env(tmp_path):
                monkeypatch.delenv(name)
        code, report = as_json(school, monkeypatch, capsys, "--base", "main", env=env)
        assert code == 1 and ("perm.denied", other) in {(f["rule"], f["path"]) for f in report["findings"]}
        assert {c["student"] for c in report["request"]["counts"]} == {"1150101"}
        assert [o["path"] for o in report["request"]["outcomes"]] == [DIARY]  # never the classmate's as hers to certify
        assert "request.mixed-certifiers" not in {f["rule"] for f in report["findings"]}
        assert report["request"]["mixed_certifiers"] is False
        code, out, _ = licheng(school, monkeypatch, capsys, "--base", "main", env=env)
        assert "1150101 的課程學習成果" in out and "1150102 的課程學習成果" not in out
        offered = [line for line in out.splitlines() if "認證（合併）" in line]
        assert len(offered) == 1 and DIARY in offered[0], out
    code, report = as_json(school, monkeypatch, capsys, "--base", "main", env=github_env(tmp_path, "huang-gh"))
    assert report["request"]["counts"] == []  # a staff member's request: no student's counts in its log
    assert [o["path"] for o in report["request"]["outcomes"]] == [DIARY, other]  # (a staff batch may hold many)
    assert "request.mixed-certifiers" in {f["rule"] for f in report["findings"]} and report["request"]["mixed_certifiers"]


def test_an_unknown_course_code_has_no_certifier(school, monkeypatch, capsys):
    """Nobody certifies an outcome of a code no course of the semester has: the summary says to check
    the code, never that a delegate certifies it (the request's placement is on its record, not an attachment)."""
    path = "records/outcomes/115-1/1150101/nowhere.yaml"
    school.git("checkout", "-q", "-f", "main")
    school.checkout(school.open_branch({path: outcome("115999999H001010A019999", "沒有這門課")}, "1150101",
                                       "2026-11-21 16:00"))
    _, report = as_json(school, monkeypatch, capsys, "--base", "main")
    [o] = report["request"]["outcomes"]
    assert o["certifier"] == "no-course" and o["certifiers"] == []
    for lang, words in (("zh-TW", "沒有這個課程代碼"), ("en", "no course of 115-1 has this code")):
        _, out, _ = licheng(school, monkeypatch, capsys, "--base", "main", "--lang", lang)
        line = next(line for line in out.splitlines() if path in line)
        assert words in line and "代理人" not in line and "delegate" not in line


def test_an_outcome_that_cannot_be_read_is_said_so_never_an_unknown_course(school, monkeypatch, capsys):
    """A student's outcome whose YAML does not parse: its findings say why; the summary says to fix
    the file, in the run's language (it said 「（未填課程）」 and "no course has this code")."""
    path = "records/outcomes/115-1/1150101/broken.yaml"
    school.git("checkout", "-q", "-f", "main")
    school.checkout(school.open_branch({path: "course: [沒有收尾\ntitle: 壞掉的檔案\n"}, "1150101", "2026-11-21 16:00"))
    _, report = as_json(school, monkeypatch, capsys, "--base", "main")
    [o] = report["request"]["outcomes"]
    assert (o["certifier"], o["course"]) == ("unread", "")
    for lang, words in (("zh-TW", "檔案讀不出成果的內容"), ("en", "the file holds no readable outcome")):
        _, out, _ = licheng(school, monkeypatch, capsys, "--base", "main", "--lang", lang)
        line = next(line for line in out.splitlines() if path in line and ("：" in line or ": " in line) and "yaml." not in line)
        assert words in line and "未填課程" not in line and "課程代碼" not in line, out


def test_of_alike_findings_the_one_the_request_changed_is_the_introduced_one():
    """One file's several counts (submission.count per category): the base had two, the request
    changes the grades' count. Matched by rule, repository, path and commit alone, either could be
    marked introduced; those that still say the same are matched first."""
    from generator.result import finding

    path = "records/submissions/114-2.yaml"
    count = lambda line, category, n, expected: finding("submission.count", path, line, category=category,  # noqa: E731
                                                        count=n, expected=expected)
    base = [count(22, "學業成績", 135, 135), count(40, "多元表現", 48, 46)]
    after = [count(22, "學業成績", 135, 134), count(30, "課程學習成果", 99, 85), count(40, "多元表現", 48, 46)]
    old = review._on_base(base, after)
    assert [id(f) in old for f in after].count(True) == 2 and id(after[2]) in old  # 多元表現: as it was
    moved = [count(41, "多元表現", 48, 46)]  # the request moved the line: still the base's
    assert review._on_base(base[1:], moved) == {id(moved[0])}


def test_a_finding_naming_the_requests_own_commit_is_never_the_bases():
    """Findings name a commit by its first 8 hex digits: a student who wants her change to a classmate's
    file to pass, where main already has a perm.denied on that file, tries commit messages until her
    commit's id begins with that finding's (~4 billion tries: hours on a laptop). It is hers, not main's."""
    from generator.result import finding

    path = "records/outcomes/115-1/1150102/graphs.yaml"
    denied = lambda sha: finding("perm.denied", path, 3, "request-student", who="1150101", sha=sha, at="x")  # noqa: E731
    base, after = [denied("4a6a38a7")], [denied("4a6a38a7")]
    assert review._on_base(base, after) == {id(after[0])}  # (what it takes for main's: the same commit)
    assert review._on_base(base, after, ["4a6a38a7" + "0" * 32]) == set()
    assert review._on_base(base, after, ["5b6a38a7" + "0" * 32]) == {id(after[0])}


@pytest.mark.parametrize("style", ["github", "gitlab"])
def test_while_mains_staff_list_cannot_be_read_a_request_fails_saying_why(school, monkeypatch, capsys, tmp_path,
                                                                          style):
    """main's staff.yaml broken: what follows from the staff list is withheld, but never the
    request's own findings (a classmate's identity claimed from an unregistered account), and the
    count of what is withheld is the request's, so it fails while the list cannot be read."""
    school.git("checkout", "-q", "-f", "-b", f"broken-{style}", "main")
    staff = school.read("records/staff.yaml")
    school.direct({"records/staff.yaml": staff.replace("  name: 黃淑芬\n", "  name: 黃淑芬\n  name: 黃淑芬\n")},
                  "huang-shufen", "2026-11-24 09:00")
    branch = school.open_branch({DIARY: outcome(ENGLISH)}, "1150101", "2026-11-25 20:00", style=style,
                                start=f"broken-{style}")
    if style == "github":
        school.test_merge(branch, base=f"broken-{style}")
        env = {**github_env(tmp_path, "evil-gh"), "GITHUB_BASE_REF": f"broken-{style}"}
    else:
        school.checkout(school.git("rev-parse", branch))
        env = {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": f"broken-{style}", "CI_MERGE_REQUEST_IID": "7",
               "CI_MERGE_REQUEST_AUTHOR": "evil-gl"}
    code, report = as_json(school, monkeypatch, capsys, "--lang", "en", env=env)
    brought = sorted((f["rule"], f["path"]) for f in report["findings"] if f["introduced"])
    assert code == 1 and brought == [("perm.unknown-identity", DIARY), ("ref.unchecked", "records/staff.yaml")], brought
    school.git("checkout", "-q", "-f", "main")
