"""Teachers' queues, batch certification and CODEOWNERS on real repositories with open requests.

Open requests (GitHub-style refs/pull/N/head) in 115-1: #1 1150101 英語文 (江淑惠), #2 1150102
數學 (賴志偉), #3 1140101 英語文 of class 201 (江淑惠). 江淑惠 is on sick leave 2026-10-05..10-23;
the certification delegates are 陳怡君, then 黃淑芬.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from generator.cli import main
from generator.commands.common import school_records
from generator.git import requests as mr
from generator.site.people import mask
from generator.site.queue import entries
from gitschool import GITHUB, GitSchool, sample_repo


ENGLISH, MATH, ENGLISH_201 = "115999999H001010A010211", "115999999H001010A020111", "114999999H001010A010221"
URL = "https://github.com/example-school/portfolio"
ON_LEAVE, BACK = "2026-10-10 12:00", "2026-11-28 12:00"


def outcome(course: str, title: str) -> str:
    return f'course: "{course}"\ntitle: {title}\nsummary: {title}的紀錄與心得。\n'


def _errors(result) -> list[dict]:
    """Errors but privacy.exposed: the sample is one repository students commit to (tests/test_repositories.py)."""
    return [f.as_dict() for f in result.findings if f.severity == "error" and f.rule != "privacy.exposed"]


def make_school(root, style: str = "github", api: str = "") -> GitSchool:
    repo = sample_repo(root)
    url = URL if style == "github" else "https://gitlab.example.edu.tw/example-school/portfolio"
    sample = re.search(r"^platform:.*\n(  .*\n)*", repo.read("records/school.yaml"), re.M)[0]
    repo.edit("records/school.yaml", sample, f"platform:\n  kind: {style}\n  url: {url}\n" + (f"  api: {api}\n" if api else ""))
    repo.commit_all("設定平臺", "huang-shufen", "2026-07-02 09:00")
    repo.open_mr({"records/outcomes/115-1/1150101/diary.yaml": outcome(ENGLISH, "英文日記")},
                 "1150101", "2026-10-06 20:00", style=style)
    repo.open_mr({"records/outcomes/115-1/1150102/graphs.yaml": outcome(MATH, "函數圖形")},
                 "1150102", "2026-10-07 20:00", style=style)
    repo.open_mr({"records/outcomes/115-1/1140101/speech.yaml": outcome(ENGLISH_201, "英語演講")},
                 "1140101", "2026-10-08 20:00", style=style)
    return repo


@pytest.fixture(scope="module")
def open_requests(tmp_path_factory) -> GitSchool:
    return make_school(tmp_path_factory.mktemp("queue") / "school")


def test_teacher_inbox_lists_own_requests_most_urgent_first(open_requests, capsys):
    records = school_records(open_requests.root, BACK)
    queue = entries(records, "jiang-shuhui")
    assert [e.number for e in queue] == ["1", "3"]  # same deadline: the older upload first
    first, name = queue[0], records.students["1150101"]["name"]
    assert first.link == f"{URL}/pull/1" and first.student == mask(name) and first.cls == "101"
    assert first.courses == [f"英語文（{ENGLISH}）"] and not first.delegate and first.uploaded == "115年10月6日（二）"
    end = records.window("outcome_certification", "115-1")[1]
    now = datetime.fromisoformat("2026-11-28T12:00:00+08:00")
    assert first.days_left == (end - now).days and first.days_left > 0
    assert main(["inbox", "-C", str(open_requests.root), "--as", "jiang-shuhui", "--now", BACK]) == 0
    out = capsys.readouterr().out
    assert "江淑惠老師可認證的合併請求 2 件" in out and f"剩 {first.days_left} 天" in out
    assert mask(name) in out and name not in out and "jiang-shuhui" not in out and "1150101" not in out
    assert f"{URL}/pull/3" in out and "/pull/2" not in out


def test_delegate_on_duty_gets_the_queue_of_a_teacher_on_leave(open_requests, capsys):
    records = school_records(open_requests.root, ON_LEAVE)
    assert entries(records, "jiang-shuhui") == []
    queue = entries(records, "chen-yijun")
    assert [e.number for e in queue] == ["1", "3"] and all(e.delegate for e in queue)
    assert entries(records, "huang-shufen") == []  # second in the order: not on duty
    assert [e.number for e in entries(records, "lai-zhiwei")] == ["2"]
    assert main(["inbox", "-C", str(open_requests.root), "--as", "chen-yijun", "--now", ON_LEAVE,
                 "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [r["link"] for r in payload["requests"]] == [f"{URL}/pull/1", f"{URL}/pull/3"]


def test_links_on_gitlab_and_for_remote_branches():
    request = mr.Request("refs/merge-requests/7/head", "0" * 40, "7", "")
    branch = mr.Request("refs/remotes/origin/diary", "0" * 40, None, "diary")
    gitlab = {"platform": {"kind": "gitlab", "url": "https://gitlab.example.edu.tw/school/portfolio/"}}
    assert mr.link(gitlab, request) == "https://gitlab.example.edu.tw/school/portfolio/-/merge_requests/7"
    assert mr.link({"platform": {"kind": "github", "url": URL}}, branch) == f"{URL}/tree/diary"
    assert mr.link({}, request) == ""


def test_inbox_usage_errors(open_requests, capsys):
    assert main(["inbox", "-C", str(open_requests.root), "--as", "nobody"]) == 2
    assert "nobody" in capsys.readouterr().err
    assert main(["status", "-C", str(open_requests.root), "--teacher", "江淑惠"]) == 2  # her name, not her id
    assert "--teacher 江淑惠：請用教職員代號，不是姓名（江淑惠 的代號：jiang-shuhui）" in capsys.readouterr().err


# -- certify ---------------------------------------------------------------------------------

def _pending_of(out: str, course: str) -> str:
    """The 待認證 (pending) count of a course's row in `licheng status`."""
    return next(line.split()[6] for line in out.splitlines() if line.startswith(course))


def test_a_pushed_branch_without_a_request_waits_for_nobody(open_requests, capsys):
    """Beside the platform's request refs, a branch no request's head reaches is a student's draft:
    not in the queue, not pending in status, not offered by certify. Only a clone holding no request
    ref at all lets a branch stand for a request, named as the staff site names it (分支 origin/x)."""
    repo = open_requests
    repo.git("checkout", "-q", "-b", "poem", "main")
    repo.direct({"records/outcomes/115-1/1150101/poem.yaml": outcome(ENGLISH, "英文詩")}, "1150101", "2026-10-09 20:00")
    repo.git("checkout", "-q", "main")
    repo.git("update-ref", "refs/remotes/origin/poem", "poem")
    repo.git("branch", "-q", "-D", "poem")
    requests = dict(line.split(" ", 1)[::-1] for line in repo.git(
        "for-each-ref", "--format=%(objectname) %(refname)", "refs/pull").splitlines())
    trick = "\u202egpj.exe"  # a branch a student named to mislead: shown escaped, its link quoted
    try:
        code, out = _inbox(repo, "jiang-shuhui", BACK, capsys)
        assert code == 0 and _listed(out) == ["1", "3"] and "poem" not in out, out
        assert main(["status", "-C", str(repo.root), "--semester", "115-1", "--now", BACK]) == 0
        assert _pending_of(capsys.readouterr().out, ENGLISH) == "1"  # #1's diary, never the draft
        assert main(["certify", "-C", str(repo.root), "--as", "jiang-shuhui", "--via", "local", "--now", BACK]) == 0
        out = capsys.readouterr().out
        assert "poem" not in out and "可認證 2 件" in out, out
        for ref in requests:
            repo.git("update-ref", "-d", ref)
        repo.git("update-ref", f"refs/remotes/origin/{trick}", requests["refs/pull/3/head"])
        # a branch a student named pull/9/head is a branch, not the platform's request ref: it does
        # not make her classmates' branches drafts
        repo.git("update-ref", "refs/remotes/origin/pull/9/head", "refs/remotes/origin/poem")
        repo.git("update-ref", "refs/remotes/origin/master", requests["refs/pull/1/head"])  # a stale main, no request
        for lang, said in (("zh-TW", " 分支 origin/poem  101班"), ("en", " branch origin/poem  class 101")):
            assert main(["inbox", "-C", str(repo.root), "--as", "jiang-shuhui", "--now", BACK, "--lang", lang]) == 0
            out = capsys.readouterr().out
            assert said in out and "refs/remotes" not in out and "master" not in out, out
            assert "/tree/%E2%80%AEgpj.exe" in out and "\u202e" not in out, out
    finally:
        repo.git("update-ref", "-d", "refs/remotes/origin/poem")
        repo.git("update-ref", "-d", f"refs/remotes/origin/{trick}")
        repo.git("update-ref", "-d", "refs/remotes/origin/pull/9/head")
        repo.git("update-ref", "-d", "refs/remotes/origin/master")
        for ref, sha in requests.items():
            repo.git("update-ref", ref, sha)


def test_a_classmates_request_with_the_same_head_hides_no_request(open_requests, capsys):
    """Another student opens a request of her own whose head is 1140101's (#3's commits, fetched and
    pushed again): the queue listed one request per head, the first ref by name (refs/pull/10/head
    before refs/pull/3/head), so #3 left the queue and its link led to hers. Both are listed now: the
    platform says who opened each (and her own request's check fails: the folder is not hers)."""
    repo = open_requests
    repo.git("update-ref", "refs/pull/10/head", "refs/pull/3/head")
    try:
        assert main(["inbox", "-C", str(repo.root), "--as", "jiang-shuhui", "--now", BACK]) == 0
        out = capsys.readouterr().out
        assert sorted(re.findall(r"^ *\d+\. #(\d+) ", out, re.M)) == ["1", "10", "3"], out
        assert f"{URL}/pull/3\n" in out, out
    finally:
        repo.git("update-ref", "-d", "refs/pull/10/head")


TOKENS = {"token-chen": ("陳怡君", "chen.yijun@example.edu.tw"), "token-lai": ("賴志偉", "lai.zhiwei@example.edu.tw")}


def _outcomes(root, now):
    from generator.validate import validate

    records, result = validate(root, now)
    return records.certification.outcomes, result


def _counting_git(tmp_path, monkeypatch):
    """A `git` first on PATH that writes each command line it runs to a file, then runs Git."""
    import os
    import shutil

    calls, shim = tmp_path / "git-calls", tmp_path / "bin" / "git"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{calls}"\nexec "{shutil.which("git")}" "$@"\n')
    shim.chmod(0o755)
    calls.write_text("")
    monkeypatch.setenv("PATH", f"{shim.parent}{os.pathsep}{os.environ['PATH']}")
    return calls


@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_certify_through_the_platform_merges_each_request_as_the_teacher(tmp_path, kind, monkeypatch, capsys):
    from platform_server import Platform

    bare = tmp_path / "remote.git"
    with Platform(kind, bare, "example-school/portfolio", TOKENS, "2026-10-10T12:30:00+08:00") as server:
        repo = make_school(tmp_path / "school", kind, api=server.url)
        repo.git("clone", "-q", "--mirror", str(repo.root), str(bare))
        repo.git("remote", "add", "origin", str(bare))
        monkeypatch.setenv("LICHENG_TOKEN", "token-chen")
        calls = _counting_git(tmp_path, monkeypatch)
        assert main(["certify", "-C", str(repo.root), "--as", "chen-yijun", "--all", "--now", ON_LEAVE]) == 0
        monkeypatch.undo()
        # main's platform, which the open requests, the links and the merges ask, read once
        shown = [c.split(" show ")[-1] for c in calls.read_text().splitlines() if "school.yaml" in c]
        assert shown == ["refs/heads/main:records/school.yaml"], shown  # (a branch, never a tag named main)
        out = capsys.readouterr().out
        assert out.count("已核准並合併") == 2 and "chen-yijun" not in out
        assert [c[0] for c in server.calls][0] == "GET"  # which requests are open: all three
        assert [c[0] for c in server.calls if c[0] != "GET"] == ["POST", "PUT", "POST", "PUT"]
        assert server.approved == {"1", "3"}
    repo.git("fetch", "-q", "origin")
    repo.git("reset", "-q", "--hard", "origin/main")
    merges = repo.git("log", "--first-parent", "--merges", "--format=%an <%ae> / %cn", "main").splitlines()
    committer = "GitHub" if kind == "github" else "陳怡君"
    assert merges == [f"陳怡君 <chen.yijun@example.edu.tw> / {committer}"] * 2
    outcomes, result = _outcomes(repo.root, "2026-10-11 12:00")
    for path in ("records/outcomes/115-1/1150101/diary.yaml", "records/outcomes/115-1/1140101/speech.yaml"):
        assert (outcomes[path].state, outcomes[path].certifier) == ("certified", "chen-yijun")
    assert outcomes["records/outcomes/115-1/1150102/graphs.yaml"].state == "pending"
    assert not _errors(result), _errors(result)


def test_certify_needs_a_token(open_requests, monkeypatch, capsys):
    for name in ("LICHENG_TOKEN", "GITHUB_TOKEN", "GH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert main(["certify", "-C", str(open_requests.root), "--as", "chen-yijun", "--all", "--now", ON_LEAVE]) == 2
    assert "GITHUB_TOKEN" in capsys.readouterr().err


def test_certify_via_a_local_batch_branch_certifies_with_the_teachers_one_merge(tmp_path, capsys):
    repo = make_school(tmp_path / "school")
    # a batch made in the same minute before: its branch is never written over, by name or by default
    earlier = "certify/chen-yijun-20261010-1200"
    repo.git("branch", earlier, "main")
    assert main(["certify", "-C", str(repo.root), "--as", "chen-yijun", "--all", "--via", "local",
                 "--branch", "a..b", "--now", ON_LEAVE]) == 2
    assert "a..b：Git 不接受這個分支名稱" in capsys.readouterr().err
    for given in (["--branch", earlier], []):
        assert main(["certify", "-C", str(repo.root), "--as", "chen-yijun", "--all", "--via", "local",
                     *given, "--now", ON_LEAVE]) == (2 if given else 0)
    said = capsys.readouterr()
    assert f"--branch {earlier}：已有這個分支" in said.err and said.out.count("git push") == 1, said
    assert f"git push origin {earlier}-2\n" in said.out and "（GitHub 選「Create a merge commit」）" in said.out, said
    assert repo.git("rev-parse", earlier) == repo.git("rev-parse", "main")
    assert repo.git("status", "--porcelain") == "" and repo.git("branch", "--show-current") == "main"
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #4 from chen-yijun/certify-batch", f"{earlier}-2",
             author=TOKENS["token-chen"], committer=("GitHub", "noreply@github.com"), at="2026-10-10 13:00")
    outcomes, result = _outcomes(repo.root, "2026-10-11 12:00")
    for path in ("records/outcomes/115-1/1150101/diary.yaml", "records/outcomes/115-1/1140101/speech.yaml"):
        assert (outcomes[path].state, outcomes[path].certifier) == ("certified", "chen-yijun")
    assert not _errors(result), _errors(result)


def test_certify_refuses_requests_outside_the_teachers_courses(tmp_path, capsys):
    repo = make_school(tmp_path / "school")
    mixed = {"records/outcomes/115-1/1150103/essay.yaml": outcome(ENGLISH, "英文短文"),
             "records/outcomes/115-1/1150103/proof.yaml": outcome(MATH, "證明練習")}
    repo.open_mr(mixed, "1150103", "2026-11-20 20:00", style="github")
    repo.open_mr({"records/outcomes/115-1/1150104/bad.yaml": outcome(ENGLISH, "超長" * 80)},
                 "1150104", "2026-11-21 20:00", style="github")
    # the queue itself tells #4 holds another teacher's outcome; #5's failing check is the platform's
    # CI to show (inbox runs no check unless asked: one validation per request)
    code, out = _inbox(repo, "jiang-shuhui", BACK, capsys)
    assert code == 0 and "可認證的合併請求 3 件" in out and "另有 1 件尚不能認證" in out, out
    assert _listed(out) == ["1", "3", "5", "4"] and "未在本機重跑各請求的合併請求檢查" in out, out
    # with --check it says what certify will do: #1 and #3 ready; #4 and #5 (failing its check)
    # listed after them, each with why, never counted as ready
    code, out = _inbox(repo, "jiang-shuhui", BACK, capsys, "--check")
    assert code == 0 and "可認證的合併請求 2 件" in out and "另有 2 件尚不能認證" in out, out
    assert "未在本機重跑" not in out, out
    assert _listed(out) == ["1", "3", "4", "5"] and out.count("✗ 尚不能認證：") == 2, out
    assert "✗ 尚不能認證：合併請求檢查有 2 個錯誤" in out.split("#5")[1], out
    payload = json.loads(_inbox(repo, "jiang-shuhui", BACK, capsys, "--format", "json")[1])
    assert [(r["number"], r["ready"]) for r in payload["requests"]] == [  # null: only the check could tell
        ("1", None), ("3", None), ("4", False), ("5", None)] and payload["checked"] is False
    payload = json.loads(_inbox(repo, "jiang-shuhui", BACK, capsys, "--format", "json", "--lang", "en", "--check")[1])
    assert [(r["number"], r["ready"]) for r in payload["requests"]] == [
        ("1", True), ("3", True), ("4", False), ("5", False)]
    assert payload["requests"][3]["not_ready_because"].startswith("the merge-request check finds 2 error")
    assert main(["certify", "-C", str(repo.root), "--as", "jiang-shuhui", "--all", "--via", "local",
                 "--branch", "certify/mine", "--now", BACK]) == 1
    out = capsys.readouterr().out
    assert "#4" in out and "賴志偉" in out and "不予認證" in out  # the mixed request
    assert "#5" in out and "錯誤" in out  # the summary over the limit
    merged = repo.git("log", "--merges", "--format=%s", "main..certify/mine").splitlines()
    assert sorted(merged) == ["Merge refs/pull/1/head", "Merge refs/pull/3/head"]
    assert main(["certify", "-C", str(repo.root), "--as", "jiang-shuhui", "--course", MATH, "--via", "local",
                 "--now", BACK]) == 1  # 數學 is 賴志偉's: nothing of it is hers to merge
    out = capsys.readouterr().out
    assert "沒有可認證的請求" in out and "#4" in out and "#2" not in out
    typo = ENGLISH[:-3] + "919"  # a code no course file has: a typo, never "no request to certify" (exit 0)
    for lang, said in ((None, "開課資料中沒有這個課程代碼"), ("en", "no course file has this code")):
        assert main(["certify", "-C", str(repo.root), "--as", "jiang-shuhui", "--course", typo, "--via", "local",
                     "--now", BACK, *(["--lang", lang] if lang else [])]) == 2
        err = capsys.readouterr().err
        assert typo in err and said in err and ENGLISH in err and "英語文" in err, err  # her own courses, to copy
    assert main(["certify", "-C", str(repo.root), "--as", "jiang-shuhui", "--course", "", "--via", "local",
                 "--now", BACK]) == 2  # an empty code (an unset variable in a script) is no "every course"
    assert "開課資料中沒有這個課程代碼" in capsys.readouterr().err


def test_a_request_swapping_a_certified_outcomes_attachment_shows_that_outcome(tmp_path, capsys):
    """#4 adds an English outcome and swaps the report of 1150103's certified English outcome; #5 adds an
    English outcome and swaps the report of 1150105's certified math outcome. The queue listed each by its
    new outcome only: the English teacher's merge re-certified a file she never saw (her list named only the
    new outcome), and the math outcome, whose teacher she is not, rode along. An attachment is its outcome."""
    repo = make_school(tmp_path / "school")
    folder = {"1150103": "records/outcomes/115-1/1150103", "1150105": "records/outcomes/115-1/1150105"}
    for no, course, merger in (("1150103", ENGLISH, "jiang-shuhui"), ("1150105", MATH, "lai-zhiwei")):
        repo.mr({f"{folder[no]}/book.yaml": outcome(course, "讀書報告") + "files: [book.pdf]\n",
                 f"{folder[no]}/book.pdf": b"%PDF-1.4\n%original\n"}, no, "2026-11-01 20:00", merger, "2026-11-02 10:00")
    number = {no: repo.open_mr({f"{folder[no]}/new.yaml": outcome(ENGLISH, "新的成果"),
                                f"{folder[no]}/book.pdf": b"%PDF-1.4\n%swapped\n"}, no, "2026-11-20 20:00",
                               style="github").split("/")[2] for no in folder}
    assert main(["certify", "-C", str(repo.root), "--as", "jiang-shuhui", "--all", "--via", "local", "--now", BACK]) == 1
    out = capsys.readouterr().out
    line = {no: next(x for x in out.splitlines() if f"#{n} " in x) for no, n in number.items()}
    assert "「讀書報告」「新的成果」" in line["1150103"] and line["1150103"].startswith("✓"), out
    assert line["1150105"].startswith("✗") and "賴志偉" in line["1150105"], out


def test_renote_recertifies_an_outcome_someone_else_merged(tmp_path, capsys, monkeypatch):
    repo = make_school(tmp_path / "school")
    wrong = "records/outcomes/115-1/1150101/poem.yaml"
    repo.mr({wrong: outcome(ENGLISH, "英文詩")}, "1150101", "2026-11-01 20:00", "lai-zhiwei", "2026-11-02 10:00")
    assert _outcomes(repo.root, BACK)[0][wrong].state == "uncertified"
    repo.write(wrong, outcome(ENGLISH, "本機未提交的改動"))  # the batch re-certifies main's file, not the checkout's
    calls = _counting_git(tmp_path, monkeypatch)
    assert main(["certify", "-C", str(repo.root), "--as", "jiang-shuhui", "--course", ENGLISH, "--renote",
                 "--via", "local", "--branch", "certify/renote", "--now", BACK]) == 0
    monkeypatch.undo()
    # main's files are read through one batch reader, never one `git cat-file blob` per outcome
    assert not [c for c in calls.read_text().splitlines() if "cat-file blob" in c and ":records/outcomes/" in c]
    assert f"重新認證（更新 teacher_note）：{wrong}" in capsys.readouterr().out
    renoted = repo.git("show", f"certify/renote:{wrong}")
    assert "teacher_note: \"江淑惠於115年11月28日" in renoted and "英文詩" in renoted, renoted
    repo.git("checkout", "--", wrong)
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'certify-renote' into 'main'", "certify/renote",
             author=("江淑惠", "jiang.shuhui@example.edu.tw"), at="2026-11-28 13:00")
    outcomes, result = _outcomes(repo.root, "2026-11-29 12:00")
    assert (outcomes[wrong].state, outcomes[wrong].certifier) == ("certified", "jiang-shuhui")
    assert outcomes["records/outcomes/115-1/1150101/diary.yaml"].state == "certified"
    assert not _errors(result), _errors(result)


def test_status_for_one_teacher_shows_their_courses_and_queue(open_requests, capsys):
    assert main(["status", "-C", str(open_requests.root), "--teacher", "chen-yijun", "--now", ON_LEAVE]) == 0
    out = capsys.readouterr().out
    rows = [line.split()[0] for line in out.splitlines() if line[:3] in ("114", "115") and "H0" in line.split()[0]]
    assert sorted(rows) == sorted([ENGLISH, ENGLISH_201])  # 陳怡君 teaches none: on duty for 江淑惠's two
    assert "江淑惠" in out and "陳怡君老師可認證的合併請求 2 件" in out and "jiang-shuhui" not in out


# -- CODEOWNERS ------------------------------------------------------------------------------

def _line(text: str, path: str) -> list[str]:
    return next(line for line in text.splitlines() if line.startswith(path + " ")).split()[1:]


def test_codeowners_names_course_teachers_delegates_homeroom_and_a_catch_all(open_requests, capsys):
    from generator.commands.codeowners import generate

    def email(staff_id):
        return f"{staff_id.replace('-', '.')}@example.edu.tw"

    during_leave = generate(school_records(open_requests.root, ON_LEAVE, with_history=False))
    text = generate(school_records(open_requests.root, BACK, with_history=False))
    assert during_leave == text  # static: 江淑惠's leave changes nothing; the check names who is on duty
    teachers_101 = ["jian-xinyi", "jiang-shuhui", "lai-zhiwei", "ye-jianting"]  # 115-1 courses of class 101
    assert _line(text, "/records/outcomes/115-1/1150101/") == [email(s) for s in teachers_101 + ["chen-yijun",
                                                                                                   "huang-shufen"]]
    # 114-2 physics: its teacher has retired; its own delegate list comes before the school-wide one
    assert _line(text, "/records/outcomes/114-2/1130101/")[-4:] == [
        email(s) for s in ("fang-guodong", "sun-huimin", "chen-yijun", "huang-shufen")]
    assert _line(text, "/records/performances/115/1150101/") == [email("jian-xinyi")]
    assert _line(text, "/records/selections/115/1150101.yaml") == [email("jian-xinyi")]
    assert _line(text, "/records/performances/115/1140101/") == [email("pan-junyu")]
    rules = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert rules[0] == f"* {email('huang-shufen')} {email('lin-zhiyuan')}"  # first: later lines win
    assert "@stu.example.edu.tw" not in text


def test_codeowners_stale_when_the_records_change(tmp_path, capsys):
    from generator.validate import validate

    repo = make_school(tmp_path / "school")
    assert main(["codeowners", "-C", str(repo.root), "--now", BACK]) == 0
    assert (repo.root / ".github/CODEOWNERS").is_file()
    _, result = validate(repo.root, BACK)
    assert "codeowners.stale" not in {f.rule for f in result.findings}
    repo.edit("records/courses/115-1.yaml", "teachers: [lai-zhiwei]", "teachers: [lai-zhiwei, wang-yating]")
    _, result = validate(repo.root, BACK)
    stale = [f for f in result.findings if f.rule == "codeowners.stale"]
    assert [(f.path, f.severity) for f in stale] == [(".github/CODEOWNERS", "warning")]
    assert main(["codeowners", "-C", str(repo.root), "--now", BACK]) == 0
    assert "wang.yating@example.edu.tw" in " ".join(_line(repo.read(".github/CODEOWNERS"),
                                                           "/records/outcomes/115-1/1150101/"))
    _, result = validate(repo.root, BACK)
    assert "codeowners.stale" not in {f.rule for f in result.findings}


def test_inbox_in_english(open_requests, capsys):
    assert main(["inbox", "-C", str(open_requests.root), "--as", "lai-zhiwei", "--now", BACK, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "賴志偉: 1 request(s) to certify" in out and "day(s) left" in out and "上傳" not in out


def test_certify_in_english(tmp_path, capsys):
    repo = make_school(tmp_path / "school")
    # a platform kind licheng does not know (validate names it): certify's default and the queue's are local
    repo.edit("records/school.yaml", "kind: github", "kind: GitHub")
    repo.commit_all("平臺種類大寫", "huang-shufen", "2026-10-09 09:00")
    repo.open_mr({"records/outcomes/115-1/1150103/essay.yaml": outcome(ENGLISH, "英文短文"),
                  "records/outcomes/115-1/1150103/proof.yaml": outcome(MATH, "證明練習")}, "1150103",
                 "2026-11-20 20:00", style="github")
    assert main(["certify", "-C", str(repo.root), "--as", "jiang-shuhui", "--now", BACK, "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "not certified: it holds outcomes of courses you do not certify now (賴志偉 does)" in out, out
    assert "request(s) you may certify; add --all" in out and "可認證" not in out and "班" not in out
    assert "to certify them --via local" in out, out
    assert main(["certify", "-C", str(repo.root), "--as", "jiang-shuhui", "--all", "--via", "local",
                 "--branch", "certify/en", "--now", BACK, "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "✓ #1 class " in out and ": merged into the batch branch" in out and "batch branch certify/en (" in out
    assert not any("\u4e00" <= c <= "\u9fff" for line in out.splitlines() if "batch branch certify/en" in line
                   for c in line)


def test_certify_says_a_squashed_requests_merge_would_certify_nothing(tmp_path, capsys):
    """#1's outcome reached main by GitHub's squash (uncertified); its branch is still open. Merging
    it brings nothing, so certifies nothing: the batch leaves it out and says how to re-certify."""
    repo = make_school(tmp_path / "school")
    diary = "records/outcomes/115-1/1150101/diary.yaml"
    repo.squash({diary: outcome(ENGLISH, "英文日記")}, "1150101", "2026-10-06 20:00", "2026-11-20 10:00")
    assert main(["certify", "-C", str(repo.root), "--as", "jiang-shuhui", "--all",
                 "--via", "local", "--branch", "certify/squashed", "--now", BACK]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "#1" in line)
    assert line.startswith("✗") and "內容已在 main 上" in line and "--renote" in line, out
    merged = repo.git("log", "--merges", "--format=%s", "main..certify/squashed").splitlines()
    assert merged == ["Merge refs/pull/3/head"]


def test_a_request_with_its_test_merge_beside_its_head_is_listed_once(tmp_path, capsys):
    """actions/checkout fetches GitHub's test merge to refs/remotes/pull/N/merge: the same request."""
    repo = make_school(tmp_path / "school")
    head = repo.git("rev-parse", "refs/pull/1/head")
    merge = repo.git("commit-tree", f"{head}^{{tree}}", "-p", "main", "-p", head, "-m", "Merge test",
                     author=GITHUB, at="2026-10-06 20:05")
    repo.git("update-ref", "refs/remotes/pull/1/merge", merge)
    records = school_records(repo.root, BACK)
    assert [(r.number, r.ref) for r in mr.pending_requests(records)] == [
        ("1", "refs/pull/1/head"), ("2", "refs/pull/2/head"), ("3", "refs/pull/3/head")]
    assert main(["inbox", "-C", str(repo.root), "--as", "jiang-shuhui", "--now", BACK]) == 0
    out = capsys.readouterr().out
    assert "可認證的合併請求 2 件" in out and out.count(f"{URL}/pull/1") == 1 and "pull/1/merge" not in out, out


# -- which requests are still open ---------------------------------------------------------

def _inbox(repo, staff_id: str, now: str, capsys, *args) -> tuple[int, str]:
    code = main(["inbox", "-C", str(repo.root), "--as", staff_id, "--now", now, *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def _listed(out: str) -> list[str]:
    return re.findall(r"^ *\d+\. #(\d+) ", out, re.M)


@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_a_closed_request_leaves_the_queue_status_certify_and_the_staff_site(tmp_path, kind, monkeypatch, capsys):
    """#3 was closed on the platform; its refs (and its branch) stay in the clone, as GitHub and GitLab keep them."""
    from platform_server import Platform

    folder = "pull" if kind == "github" else "merge-requests"
    with Platform(kind, tmp_path / "remote.git", "example-school/portfolio", TOKENS, "2026-10-10T12:30:00+08:00") as server:
        repo = make_school(tmp_path / "school", kind, api=server.url)
        repo.git("clone", "-q", "--mirror", str(repo.root), str(server.bare))
        repo.git("update-ref", "refs/remotes/origin/mr-3", f"refs/{folder}/3/head")  # its branch, left behind
        if kind == "gitlab":  # GitLab keeps its test merges after a request closes: they say nothing
            repo.git("update-ref", "refs/merge-requests/1/merge", "refs/merge-requests/1/head")
        server.closed, server.page_size = {"3"}, 1  # one request a page: the listing follows the pages
        for name in ("LICHENG_TOKEN", "GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN"):
            monkeypatch.delenv(name, raising=False)
        code, out = _inbox(repo, "jiang-shuhui", BACK, capsys)
        assert code == 0 and _listed(out) == ["1", "3"] and "未能確認這些請求在平臺上仍開啟" in out, out
        monkeypatch.setenv("LICHENG_TOKEN", "token-chen")
        code, out = _inbox(repo, "jiang-shuhui", BACK, capsys)
        assert code == 0 and _listed(out) == ["1"] and "未能確認" not in out and "mr-3" not in out, out
        assert [c for c in server.calls if c[0] == "GET"][-1][1].endswith("page=2")
        code, out = _inbox(repo, "jiang-shuhui", BACK, capsys, "--format", "json")
        payload = json.loads(out)
        assert payload["open_checked_by"] == "platform" and [r["number"] for r in payload["requests"]] == ["1"]
        assert main(["status", "-C", str(repo.root), "--teacher", "chen-yijun", "--now", ON_LEAVE]) == 0
        out = capsys.readouterr().out
        pending = {line.split()[0]: line.split()[6] for line in out.splitlines() if line.startswith(("114999", "115999"))}
        assert pending[ENGLISH_201] == "0" and pending[ENGLISH] == "1" and "可認證的合併請求 1 件" in out, out
        assert main(["certify", "-C", str(repo.root), "--as", "chen-yijun", "--all", "--via", "local",
                     "--branch", "certify/open", "--now", ON_LEAVE]) == 0
        capsys.readouterr()
        merged = repo.git("log", "--merges", "--format=%s", "main..certify/open").splitlines()
        assert merged == [f"Merge refs/{folder}/1/head"]
        if kind == "github":  # the staff site's queue (built by the same validation as its pages)
            from generator.site import data as site_data
            from generator.site.queue import caveat, queues

            data = site_data.load(repo.root, ON_LEAVE, audience="staff")
            assert [e.number for e in queues(data.records)["陳怡君"]] == ["1"] and caveat(data.records) == ""


@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_certify_asks_the_platform_who_opened_each_request(tmp_path, kind, monkeypatch, capsys):
    """#4's commit claims to be 潘冠霖's and adds to her folder, but her classmate opened it: only
    the platform knows. With the teacher's token certify asks it and refuses what CI refuses;
    without one it says it went by the commits' word."""
    from platform_server import Platform

    with Platform(kind, tmp_path / "remote.git", "example-school/portfolio", TOKENS, "2026-10-10T12:30:00+08:00") as server:
        repo = make_school(tmp_path / "school", kind, api=server.url)
        account = {"1150101": f"pan-{kind}", "1150102": f"qiu-{kind}"}
        for no, login in account.items():
            repo.edit(f"records/students/{no}.yaml", "git: [", f"{kind}: {login}\ngit: [")
        repo.commit_all("學生的平臺帳號", "huang-shufen", "2026-07-03 09:00")
        forged = repo.open_mr({"records/outcomes/115-1/1150101/letter.yaml": outcome(ENGLISH, "代寫的信")},
                              "1150101", "2026-10-09 20:00", style=kind)
        server.authors = {"1": account["1150101"], forged.split("/")[2]: account["1150102"]}
        repo.git("clone", "-q", "--mirror", str(repo.root), str(server.bare))
        repo.git("remote", "add", "origin", str(server.bare))
        for name in ("LICHENG_TOKEN", "GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN"):
            monkeypatch.delenv(name, raising=False)
        assert main(["certify", "-C", str(repo.root), "--as", "chen-yijun", "--via", "local", "--now", ON_LEAVE]) == 0
        out = capsys.readouterr().out
        assert "可認證 3 件" in out and "未能向平臺確認各請求由誰提出" in out, out
        monkeypatch.setenv("LICHENG_TOKEN", "token-chen")
        assert main(["certify", "-C", str(repo.root), "--as", "chen-yijun", "--all", "--now", ON_LEAVE]) == 1
        out = capsys.readouterr().out
        assert f"#{forged.split('/')[2]}" in out.split("不予認證")[0].splitlines()[-1] and "未能向平臺確認" not in out, out
        assert server.approved == {"1", "3"}, out


@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_certify_approves_and_merges_only_the_head_it_checked_into_main(tmp_path, kind, monkeypatch, capsys):
    """After the teacher's fetch the student pushed to #4 a change the teacher never saw, and #5 is to be
    merged into a branch of the student's, not main. Approving #4 approved its new head (the merge then
    failed on the head it checked, the approval stayed); #5 was merged, in the teacher's name, into her
    branch, certifying nothing. Neither is approved nor merged now; #1 and #3 are."""
    from platform_server import Platform

    with Platform(kind, tmp_path / "remote.git", "example-school/portfolio", TOKENS, "2026-10-10T12:30:00+08:00") as server:
        repo = make_school(tmp_path / "school", kind, api=server.url)
        moved = repo.open_mr({"records/outcomes/115-1/1150103/essay.yaml": outcome(ENGLISH, "英文短文")},
                             "1150103", "2026-10-09 20:00", style=kind)
        aside = repo.open_mr({"records/outcomes/115-1/1150105/poem.yaml": outcome(ENGLISH, "英文詩")},
                             "1150105", "2026-10-09 21:00", style=kind)
        repo.git("branch", "mine", "main")
        repo.git("clone", "-q", "--mirror", str(repo.root), str(server.bare))
        repo.git("remote", "add", "origin", str(server.bare))
        repo.git("checkout", "-q", "-b", "later", moved)
        pushed = repo.direct({"records/outcomes/115-1/1150103/essay.yaml": outcome(ENGLISH, "沒看過的改動")},
                             "1150103", "2026-10-10 12:10")
        repo.git("checkout", "-q", "main")
        repo.git("push", "-q", "-f", "origin", f"{pushed}:{moved}")
        server.targets = {aside.split("/")[2]: "mine"}
        monkeypatch.setenv("LICHENG_TOKEN", "token-chen")
        assert main(["certify", "-C", str(repo.root), "--as", "chen-yijun", "--all", "--now", ON_LEAVE]) == 1
        out = capsys.readouterr().out
        assert server.approved == server.merged == {"1", "3"}, out
        assert server.approved_at["1"] == repo.git("rev-parse", "refs/%s/1/head" % ("pull" if kind == "github" else "merge-requests"))
        line = {n: next(x for x in out.splitlines() if f"#{n} " in x or f"!{n} " in x) for n in "45"}
        assert "git fetch" in line["4"] and "「mine」" in line["5"], out


def test_certify_through_the_platform_merges_one_request_of_a_student_per_check(tmp_path, monkeypatch, capsys):
    """1150103 has 5 outcomes of 115-1 and opens two requests of one outcome each: each passes its check
    against main as it was, and merging both made 7. After merging one, certify leaves the other of the same
    student for a run that checks it against the new main (which refuses it: the seventh)."""
    from platform_server import Platform

    with Platform("github", tmp_path / "remote.git", "example-school/portfolio", TOKENS, "2026-10-10T12:30:00+08:00") as server:
        repo = make_school(tmp_path / "school", api=server.url)
        repo.mr({f"records/outcomes/115-1/1150103/note-{n}.yaml": outcome(ENGLISH, f"筆記{n}") for n in range(3)},
                "1150103", "2026-10-01 20:00", "jiang-shuhui", "2026-10-02 10:00")  # (2 on main before: now 5)
        refs = [repo.open_mr({f"records/outcomes/115-1/1150103/{slug}.yaml": outcome(ENGLISH, title)}, "1150103",
                             "2026-10-09 20:00", style="github") for slug, title in (("essay", "英文短文"), ("poem", "英文詩"))]
        repo.git("clone", "-q", "--mirror", str(repo.root), str(server.bare))
        repo.git("remote", "add", "origin", str(server.bare))
        monkeypatch.setenv("LICHENG_TOKEN", "token-chen")
        certify = ["certify", "-C", str(repo.root), "--as", "chen-yijun", "--all", "--now", ON_LEAVE]
        assert main(certify) == 1
        out = capsys.readouterr().out
        numbers = [ref.split("/")[2] for ref in refs]
        assert server.merged == {"1", "3", numbers[0]}, out
        assert "git pull" in next(x for x in out.splitlines() if f"#{numbers[1]} " in x), out
        repo.git("pull", "-q", "--no-rebase", "origin", "main")
        assert main(certify) == 1
        out = capsys.readouterr().out
        assert server.merged == {"1", "3", numbers[0]} and "6 件的上限" in out, out


def _test_merge(repo, n: str) -> None:
    head = repo.git("rev-parse", f"refs/pull/{n}/head")
    merge = repo.git("commit-tree", f"{head}^{{tree}}", "-p", "main", "-p", head, "-m", f"Merge {head} into main",
                     author=GITHUB, at="2026-10-09 20:05")
    repo.git("update-ref", f"refs/pull/{n}/merge", merge)


def test_without_a_token_githubs_test_merges_say_which_requests_are_open(tmp_path, monkeypatch, capsys):
    """A clone fetching refs/pull/*/merge with --prune holds them for the open requests only: #3's is
    gone. Its student opened the same branch again as #4: the same commits, listed as #4."""
    repo = make_school(tmp_path / "school")
    for n in ("1", "2"):
        _test_merge(repo, n)
    for name in ("LICHENG_TOKEN", "GITHUB_TOKEN", "GH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    code, out = _inbox(repo, "jiang-shuhui", BACK, capsys)
    assert code == 0 and _listed(out) == ["1"] and "refs/pull/N/merge" in out and "與 main 衝突" in out, out
    repo.git("update-ref", "refs/pull/4/head", "refs/pull/3/head")
    _test_merge(repo, "4")
    code, out = _inbox(repo, "jiang-shuhui", BACK, capsys)
    assert code == 0 and _listed(out) == ["1", "4"] and f"{URL}/pull/4" in out, out
    records = school_records(repo.root, BACK)  # (other commands read Git's word alike, without asking the platform)
    assert [r.number for r in mr.pending_requests(records)] == ["1", "2", "4"]
    assert {o.ref for o in records.certification.outcomes.values() if o.ref} == {f"refs/pull/{n}/head" for n in "124"}


def test_a_platform_that_fails_leaves_the_queue_unchecked_and_says_why(tmp_path, monkeypatch, capsys):
    from platform_server import Platform

    with Platform("github", tmp_path / "remote.git", "example-school/portfolio", TOKENS, "2026-10-10T12:30:00+08:00") as server:
        repo = make_school(tmp_path / "school", api=server.url)
        repo.git("clone", "-q", "--mirror", str(repo.root), str(server.bare))
        server.refusal = "Bad \x1b[2J credentials \u202e"
        monkeypatch.setenv("LICHENG_TOKEN", "token-stolen")
        code, out = _inbox(repo, "jiang-shuhui", BACK, capsys)
        assert code == 0 and _listed(out) == ["1", "3"] and "HTTP 401 Bad \\u001b[2J credentials \\u202e" in out, out
        assert "\x1b" not in out and "\u202e" not in out, out
        # the token was given and refused: the note says so, not "set LICHENG_TOKEN"
        assert "平臺拒絕了您的存取權杖（HTTP 401）" in out and "請設定" not in out, out
        code, out = _inbox(repo, "jiang-shuhui", BACK, capsys, "--lang", "en")
        assert "The platform refused your token (HTTP 401)" in out and "Set LICHENG_TOKEN" not in out, out
    code, out = _inbox(repo, "jiang-shuhui", BACK, capsys, "--format", "json")  # the platform is gone now
    payload = json.loads(out)
    reason = payload["open_unchecked_reason"]
    assert code == 0 and payload["open_checked_by"] is None and "無法連線（對方拒絕連線" in reason, reason
    assert "refused" not in reason  # (the system's English words once stood in the Chinese)
    code, out = _inbox(repo, "jiang-shuhui", BACK, capsys, "--lang", "en")
    assert "could not check that these requests are still open" in out and "cannot connect (Connection refused)" in out
    assert "無法連線" not in out and "未能確認" not in out and "token" not in out, out
    assert main(["certify", "-C", str(repo.root), "--as", "jiang-shuhui", "--now", BACK]) == 0  # (it only lists)
    out = capsys.readouterr().out
    assert "未能確認這些請求在平臺上仍開啟" in out and "可認證 2 件" in out and "請設定" not in out, out
    assert main(["certify", "-C", str(repo.root), "--as", "jiang-shuhui", "--all", "--now", BACK]) == 1
    out = capsys.readouterr().out  # never reached: no "refused", and nothing merged to pull
    assert out.count("無法連上平臺") == 2 and "平臺拒絕" not in out and "git pull" not in out, out
    assert "未能向平臺確認各請求由誰提出" in out and "設定 LICHENG_TOKEN" not in out, out  # (one was given)


def test_a_class_that_says_ban_is_not_said_twice():
    """Exports name classes 1年1班 as often as 101 (import and rollover take both): the queue, the
    batch list and the staff queue page say 1年1班 (never 1年1班班) and 101班."""
    from generator.commands import certify, common
    from generator.names import in_lang
    from generator.site.queue import Entry
    from generator.site.render import Renderer
    from generator.validate import validate

    from conftest import NOW, REPO

    records, _ = validate(REPO, NOW)

    def entry(cls):
        return Entry(link="https://example.edu.tw/pull/7", ref="refs/pull/7/head", number="7", student="陳○明",
                     cls=cls, titles=["英文日記"], courses=["英語文（X）"], uploaded="115年9月1日（二）", deadline="",
                     days_left=None, also=[], delegate=False)

    for cls, said in (("1年1班", "1年1班 陳○明"), ("101", "101班 陳○明")):
        listed = common.queue_text(records, "jiang-shuhui", [(entry(cls), None, None)])
        batch = certify._label(entry(cls), in_lang(certify.WORDS, "zh-TW"), "zh-TW")
        page = Renderer().page("staff_queue.html", "staff/queue/", queues={"江淑惠": [entry(cls)]}, caveat="",
                               merge_method="「Merge」", now=records.now)
        for text in (listed, batch, page):
            assert said in text and "班班" not in text, text
    odd = Entry(**{**entry("1\x1b]52;c;eA==\x07").__dict__, "student": "陳\x1b[2J○明", "courses": ["英\u202e文"]})
    for text in (common.queue_text(records, "jiang-shuhui", [(odd, None, None)]),
                 certify._label(odd, in_lang(certify.WORDS, "en"), "en")):  # (records are staff-edited: escaped still)
        assert "\x1b" not in text and "\u202e" not in text and "\\u001b" in text, text
    # Git's words of several lines: each on its own line of the queue, beneath the request's
    from generator.errors import RepositoryError
    from generator.review.ready import Refusal

    why = Refusal("check", error=RepositoryError("git merge-tree: fatal: bad object\nhint: fetch"))
    listed = common.queue_text(records, "jiang-shuhui", [(entry("101"), None, why)])
    assert "    ✗ 尚不能認證：git merge-tree: fatal: bad object\n      hint: fetch\n" in listed, listed


def test_why_a_request_is_not_ready_writes_no_escape_sequence():
    """The files a request changes are named by the student: an escape sequence in one (OSC 52
    writes the teacher's clipboard) reached her terminal through inbox's and certify's reasons."""
    from generator.review.ready import Refusal

    trick = "records/outcomes/115-1/1150101/\x1b]52;c;Z2l0IHB1c2g=\x07\u202ex.txt"
    for lang in ("zh-TW", "en"):
        said = Refusal("stray", paths=[trick]).text(lang)
        assert "\x1b" not in said and "\x07" not in said and "\u202e" not in said and "\\u001b]52" in said, said
    # Git's words of several lines keep their line breaks, each line escaped
    from generator.errors import RepositoryError

    said = Refusal("check", error=RepositoryError("git merge-tree: fatal: bad \x1b[2Jobject\nhint: x\r")).text()
    assert said.splitlines() == ["git merge-tree: fatal: bad \\u001b[2Jobject", "hint: x\\u000d"], said


def test_a_request_whose_outcome_this_clone_lacks_is_listed_as_not_ready(tmp_path, capsys):
    """A request's outcome YAML the clone lacks (a partial or broken clone): its course cannot be
    read, so it left every teacher's inbox without a word. It waits, never ready, for those who may
    certify a course of its student's class, saying why; certify never merges it."""
    import os

    repo = sample_repo(tmp_path / "school")
    poem = "records/outcomes/115-1/1150101/poem.yaml"
    ref = repo.open_mr({poem: outcome(ENGLISH, "英文詩")}, "1150101", "2026-10-06 20:00", style="github")
    blob = repo.git("rev-parse", f"{ref}:{poem}").strip()
    os.remove(repo.root / ".git/objects" / blob[:2] / blob[2:])
    for teacher in ("jiang-shuhui", "lai-zhiwei"):  # 101's English and maths teachers
        code, out = _inbox(repo, teacher, BACK, capsys)
        assert code == 0 and "可認證的合併請求 0 件，依急迫程度排列；另有 1 件尚不能認證" in out, out
        assert f"✗ 尚不能認證：本機的 clone 缺少 {poem}（部分 clone 或物件遺失），無從得知是哪門課的成果" in out
        assert "值勤代理" not in out and "「poem」" in out
    code, out = _inbox(repo, "jiang-shuhui", BACK, capsys, "--lang", "en")
    assert f"✗ not ready: this clone lacks {poem} (a partial clone, or a missing object)" in out
    assert main(["inbox", "-C", str(repo.root), "--as", "jiang-shuhui", "--now", BACK, "--format", "json"]) == 0
    [request] = json.loads(capsys.readouterr().out)["requests"]
    assert request["ready"] is False and poem in request["not_ready_because"]
    main_before = repo.git("rev-parse", "main")
    main(["certify", "-C", str(repo.root), "--as", "jiang-shuhui", "--now", BACK, "--all", "--via", "local"])
    said = capsys.readouterr()
    assert "Traceback" not in said.err and repo.git("rev-parse", "main") == main_before
    assert repo.git("branch", "--contains", repo.git("rev-parse", ref).strip()).strip() == "", said.out


def test_a_request_deleting_an_outcome_is_shown_to_its_teacher_and_a_rename_stays_certifiable(tmp_path, capsys):
    """A request that only deletes a certified outcome brought no outcome, so it was in nobody's
    queue: its course's teacher now sees it, not ready (a deletion holds nothing to certify). A
    rename brings the outcome under its new name and stays one to certify."""
    from gitschool import who

    repo = sample_repo(tmp_path / "school")
    old = "records/outcomes/115-1/1150101/book-review.yaml"
    for number, branch, at in ((7, "rename", "2026-10-06 20:00"), (8, "delete", "2026-10-06 21:00")):
        repo.git("checkout", "-q", "-b", branch, "main")
        if branch == "rename":
            repo.git("mv", old, "records/outcomes/115-1/1150101/wonder-review.yaml")
        else:
            repo.git("rm", "-q", old)
        repo.git("commit", "-q", "-m", branch, author=who("1150101"), at=at)
        repo.git("update-ref", f"refs/pull/{number}/head", branch)
        repo.git("checkout", "-q", "main")
        repo.git("branch", "-q", "-D", branch)
    code, out = _inbox(repo, "jiang-shuhui", BACK, capsys)
    assert code == 0 and _listed(out) == ["7", "8"], out
    assert "可認證的合併請求 1 件，依急迫程度排列；另有 1 件尚不能認證" in out
    assert f"✗ 尚不能認證：請求刪除了成果 {old}：刪除沒有可認證的內容，certify 不會合併它" in out
    assert out.count("✗") == 1 and "「英文讀本《Wonder》閱讀報告」" in out
    code, out = _inbox(repo, "jiang-shuhui", BACK, capsys, "--lang", "en")
    assert f"✗ not ready: the request deletes the outcome {old}: a deletion holds nothing to certify" in out


def test_a_request_deleting_an_outcome_while_it_brings_another_is_shown_to_both_teachers(tmp_path, capsys):
    """Deleting an English outcome while adding a maths one (or a "rename" that changes its course)
    is not ready for the maths teacher and shown to the English teacher, whose certified outcome it
    removes; the request's check says what it deletes."""
    from gitschool import who

    repo = sample_repo(tmp_path / "school")
    old = "records/outcomes/115-1/1150101/book-review.yaml"
    for number, branch, at in ((9, "swap", "2026-10-06 20:00"), (10, "recourse", "2026-10-06 21:00")):
        repo.git("checkout", "-q", "-b", branch, "main")
        repo.git("rm", "-q", old)
        new = "records/outcomes/115-1/1150101/" + ("proof.yaml" if branch == "swap" else "wonder-review.yaml")
        (repo.root / new).write_text(outcome(MATH, "證明練習"), "utf-8")
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", branch, author=who("1150101"), at=at)
        repo.git("update-ref", f"refs/pull/{number}/head", branch)
        repo.git("checkout", "-q", "main")
    for teacher in ("jiang-shuhui", "lai-zhiwei"):
        code, out = _inbox(repo, teacher, BACK, capsys)
        assert code == 0 and sorted(_listed(out)) == ["10", "9"], out
        assert out.count(f"✗ 尚不能認證：請求刪除了成果 {old}") == 2, out
    repo.git("checkout", "-q", "swap")
    code = main(["validate", "-C", str(repo.root), "--now", BACK, "--base", "main", "--lang", "en"])
    assert f"{old}: deletes this outcome" in capsys.readouterr().out
