"""Certification and permissions read from real Git histories, GitHub-style and GitLab-style.

One test per history rule code and one per clean case. Base: the sample school committed on
2026-07-01 (the audit start: it sets audit_since, so it is imported); 115-1 uploads open 2026-09-01 to
2027-02-05 17:00, certification to 2027-02-12 17:00. 1150101 is in class 101; its English
course 115999999H001010A010211 is taught by jiang-shuhui (on sick leave 2026-10-05..10-23);
certification delegates: chen-yijun, then huang-shufen.
"""

from __future__ import annotations

import subprocess

import pytest

from generator.validate import validate
from gitschool import GITHUB, GitSchool, sample_repo

from conftest import NOW

ENGLISH = "115999999H001010A010211"
NEW = "records/outcomes/115-1/1150101/diary.yaml"
OUTCOME = f'course: "{ENGLISH}"\ntitle: 英文日記\nsummary: 每週一篇英文日記。\n'
HISTORY_CODES = {
    "cert.not-merged", "cert.wrong-certifier", "cert.self-merge", "cert.squashed", "delegate.order",
    "window.certification", "window.outcome-upload", "window.performance-upload", "window.selection",
    "selection.uncertified", "perm.denied", "perm.unknown-identity", "history.shallow", "history.foxtrot",
    "audit.moved", "audit.not-audited", "identity.shared", "cert.fast-forward", "cert.unsigned",
}


@pytest.fixture
def repo(tmp_path) -> GitSchool:
    return sample_repo(tmp_path / "school")


def check(repo, now=NOW):
    records, result = without_exposed(validate(repo.root, now))
    return records, {f.rule for f in result.findings}, result


def without_exposed(run):
    """The sample is one repository with the students' records; once a student commits, every
    such file is `privacy.exposed` (tests/test_repositories.py): beside the point here."""
    from generator.result import Result

    records, result = run
    kept = Result()
    kept.extend(f for f in result.findings if f.rule != "privacy.exposed")
    return records, kept


def state(records, path=NEW):
    return records.certification.outcomes[path].state


@pytest.mark.parametrize("style", ["github", "gitlab"])
def test_teacher_merge_in_the_window_certifies(repo, style):
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00", style)
    records, codes, result = check(repo)
    assert result.errors == 0, [f.as_dict() for f in result.findings]
    assert state(records) == "certified" and records.certification.outcomes[NEW].certifier == "jiang-shuhui"


def test_first_delegate_certifies_while_the_teacher_is_away(repo):
    repo.mr({NEW: OUTCOME}, "1150101", "2026-10-06 20:00", "chen-yijun", "2026-10-10 10:00")
    records, codes, result = check(repo)
    assert result.errors == 0 and state(records) == "certified"


def test_second_delegate_while_the_first_is_available(repo):
    repo.mr({NEW: OUTCOME}, "1150101", "2026-10-06 20:00", "huang-shufen", "2026-10-10 10:00", "gitlab")
    records, codes, _ = check(repo)
    assert "delegate.order" in codes and state(records) == "uncertified"


def test_delegate_while_the_teacher_is_available(repo):
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "chen-yijun", "2026-09-20 10:00")
    assert "delegate.order" in check(repo)[1]


def _departed_teacher(repo, account_until):
    repo.edit("records/staff.yaml", "  until: 2026-07-31\n  account_until: 2026-12-31",
              f"  until: 2026-09-30\n  account_until: {account_until}")
    repo.edit("records/courses/115-1.yaml", "teachers: [ye-jianting]", "teachers: [fang-guodong]")
    repo.commit_all("人事異動", "huang-shufen", "2026-09-01 08:00")
    tech = OUTCOME.replace(ENGLISH, "115999999H001010A050111")
    repo.mr({NEW: tech}, "1150101", "2026-10-15 20:00", "fang-guodong", "2026-11-20 10:00")
    return check(repo)


def test_departed_teacher_certifies_before_account_until(repo):
    records, codes, result = _departed_teacher(repo, "2026-12-31")
    assert result.errors == 0 and state(records) == "certified"


def test_departed_teacher_after_account_until(repo):
    records, codes, _ = _departed_teacher(repo, "2026-11-15")
    assert "cert.wrong-certifier" in codes and state(records) == "uncertified"


def test_direct_push_is_not_certified(repo):
    repo.direct({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")
    records, codes, result = check(repo)
    assert "cert.not-merged" in codes and state(records) == "uncertified"
    [f] = [f for f in result.findings if f.rule == "cert.not-merged"]
    assert f.path == NEW and "merge" in f.message("en")


def test_edit_after_certification_voids_it_until_recertified(repo):
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    repo.direct({NEW: OUTCOME + "links: [https://example.edu.tw/diary]\n"}, "1150101", "2026-09-25 20:00")
    records, codes, result = check(repo)
    assert "cert.not-merged" in codes and state(records) == "uncertified"
    assert any(f.variant == "edited" for f in result.findings)
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-26 20:00", "jiang-shuhui", "2026-09-27 10:00", "gitlab")
    assert state(check(repo)[0]) == "certified"


def test_merge_by_another_teacher(repo):
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "lai-zhiwei", "2026-09-20 10:00", "gitlab")
    records, codes, _ = check(repo)
    assert "cert.wrong-certifier" in codes and state(records) == "uncertified"


def test_student_merging_their_own_request(repo):
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "1150101", "2026-09-16 10:00")
    records, codes, _ = check(repo)
    assert {"cert.self-merge", "perm.denied"} <= codes and state(records) == "uncertified"


def test_squash_and_rebase_merges_are_named(repo):
    repo.squash({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "2026-09-20 10:00")
    records, codes, result = check(repo)
    assert "cert.squashed" in codes and "cert.not-merged" not in codes
    # the fix names the school's platform's own setting (the sample: platform.kind gitlab), else neutral words
    for kind, zh, en in (("gitlab", "GitLab 的合併方式設為「Merge commit」", "merge method 'Merge commit'"),
                         ("github", "GitHub 選「Create a merge commit」", "GitHub: 'Create a merge commit'"),
                         ("", "以合併提交（merge commit）合併，不用 squash 或 rebase", "with a merge commit, never squash")):
        if kind != "gitlab":
            repo.edit("records/school.yaml", "  kind: gitlab\n" if kind == "github" else "  kind: github\n",
                      f"  kind: {kind}\n" if kind else "")
            repo.commit_all("平臺設定", "huang-shufen", "2026-09-21 08:00" if kind else "2026-09-22 08:00")
            result = check(repo)[2]
        [f] = [f for f in result.findings if f.rule == "cert.squashed"]
        assert zh in f.message() and en in f.message("en") and ("Create" in f.message()) == (kind == "github")


def test_trailer_mode_for_squash_setups(repo):
    repo.edit("records/school.yaml", "evidence: merge-author", "evidence: trailer")
    repo.commit_all("改用 trailer 認證", "huang-shufen", "2026-08-20 08:00")
    repo.squash({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "2026-09-20 10:00",
                message="英文日記 (#9)\n\nCertified-by: 江淑惠 <jiang.shuhui@example.edu.tw>")
    assert state(check(repo)[0]) == "certified"
    other = "records/outcomes/115-1/1150101/poem.yaml"
    repo.squash({other: OUTCOME}, "1150101", "2026-09-15 20:00", "2026-09-21 10:00")
    records, codes, _ = check(repo)
    assert "cert.not-merged" in codes and state(records, other) == "uncertified"


def test_late_upload_and_late_certification(repo):
    repo.mr({NEW: OUTCOME}, "1150101", "2027-02-06 20:00", "jiang-shuhui", "2027-02-15 10:00")
    records, codes, result = check(repo, now="2027-03-01")
    assert {"window.outcome-upload", "window.certification"} <= codes
    assert state(records) == "late" and result.errors == 0


def test_an_early_upload_and_certification_are_called_early_and_late_ones_late(repo):
    """Before the window opens is no 逾期 (late): each says which side of its window it fell on."""
    repo.mr({NEW: OUTCOME}, "1150101", "2026-08-25 20:00", "jiang-shuhui", "2026-08-28 10:00")  # opens 09-01
    other = "records/outcomes/115-1/1150101/poem.yaml"
    repo.mr({other: OUTCOME}, "1150101", "2027-02-06 20:00", "jiang-shuhui", "2027-02-15 10:00")
    records, _, result = check(repo, now="2027-03-01")
    # the state says it too, wherever a state is shown: early is no 逾期認證 (late)
    assert (state(records), state(records, other)) == ("early", "late")
    from generator.commands.status import table
    from generator.papers.sheets import STATES as ON_SHEETS
    from generator.site.data import SiteData
    from generator.site.labels import STATES as ON_SITE
    from generator.site.status import outcomes

    heading, row = (line.split() for line in table(records, "115-1", "zh-TW").splitlines()[1:]
                    if line.startswith(("課程代碼", ENGLISH)))
    assert dict(zip(heading[3:], row[3:])) == {"已認證": "6", "提前認證": "1", "逾期認證": "1", "待認證": "0",
                                               "未認證": "0", "已上傳未提交": "0", "合計": "8"}
    site = SiteData(records, [], {path: o.state for path, o in records.certification.outcomes.items()})
    whole = outcomes(site, "115-1")[0]
    assert (whole.counts["early"], whole.certified.done) == (1, 2) and ON_SITE["early"] == "提前認證"
    assert "逾期" not in ON_SHEETS["early"]
    said = {(f.rule, f.path): (f.message("zh-TW"), f.message("en")) for f in result.findings
            if f.rule in ("window.outcome-upload", "window.certification")}
    assert said[("window.outcome-upload", NEW)] == (
        "提前上傳：學生 潘冠霖（1150101） 於 115年8月25日（二）20:00 上傳，上傳期間 115年9月1日（二）00:00 才開始",
        "uploaded early: student 潘冠霖（1150101） uploaded on 115年8月25日（二）20:00, before the upload window opens on "
        "115年9月1日（二）00:00")
    zh, en = said[("window.certification", NEW)]
    assert zh.startswith("提前認證：") and "認證期間 115年9月1日（二）00:00 才開始" in zh and "逾期" not in zh
    assert en.startswith("certified early:") and "before the certification window opens" in en
    zh, en = said[("window.outcome-upload", other)]
    assert zh.startswith("逾期上傳：") and "晚於上傳期限 116年2月5日（五）17:00" in zh and "早於" not in zh
    assert en.startswith("uploaded late:") and "after the upload deadline" in en
    assert said[("window.certification", other)][0].startswith("逾期認證：")


def test_pending_merge_requests(repo):
    ref = repo.open_mr({NEW: OUTCOME}, "1150101", "2026-11-20 20:00", style="gitlab")
    records, codes, result = check(repo)
    out = records.certification.outcomes[NEW]
    assert (out.state, out.ref, out.course) == ("pending", ref, ENGLISH) and result.errors == 0


def test_selection_of_an_uncertified_outcome(repo):
    repo.direct({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")
    selection = "records/selections/115/1150101.yaml"
    repo.mr({selection: "outcomes: [115-1/diary]\n"}, "1150101", "2027-07-27 20:00", "jiang-shuhui",
            "2027-07-28 10:00")
    records, codes, result = check(repo, now="2027-08-01")
    assert "selection.uncertified" in codes and "window.selection" not in codes


def test_selection_outside_its_window(repo):
    selection = "records/selections/115/1150101.yaml"
    repo.mr({selection: "outcomes: []\n"}, "1150101", "2026-10-01 20:00", "jiang-shuhui", "2026-10-02 10:00")
    assert "window.selection" in check(repo)[1]


def test_performance_uploaded_outside_the_window(repo):
    perf = "records/performances/114/1140101/late-service.yaml"
    text = "category: service\ntitle: 服務\nsummary: 社區服務。\ndate: 2026-05-01\n"
    repo.mr({perf: text}, "1140101", "2026-09-10 20:00", "jiang-shuhui", "2026-09-11 10:00")
    assert "window.performance-upload" in check(repo)[1]


def test_registration_staff_edit_grades_directly(repo):
    grades = next((repo.root / "records/grades/114-2").glob("*.yaml")).relative_to(repo.root).as_posix()
    repo.direct({grades: repo.read(grades).replace(": 8", ": 9", 1)}, "wang-yating", "2026-09-03 10:00")
    records, codes, result = check(repo)
    assert result.errors == 0 and "perm.denied" not in codes


def test_teacher_may_not_edit_grades(repo):
    grades = next((repo.root / "records/grades/114-2").glob("*.yaml")).relative_to(repo.root).as_posix()
    repo.direct({grades: repo.read(grades).replace(": 8", ": 9", 1)}, "lai-zhiwei", "2026-09-03 10:00")
    records, codes, result = check(repo)
    assert [f.path for f in result.findings if f.rule == "perm.denied"] == [grades]


def test_student_writing_into_another_students_folder(repo):
    other = "records/outcomes/115-1/1150102/copied.yaml"
    repo.mr({other: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    _, _, result = check(repo)
    assert other in [f.path for f in result.findings if f.rule == "perm.denied"]


def test_unknown_identity(repo):
    schedule = repo.read("schedules/115-1.yaml")
    repo.direct({"schedules/115-1.yaml": schedule + "# 備註\n"}, "stranger", "2026-09-03 10:00")
    records, codes, result = check(repo)
    [f] = [f for f in result.findings if f.rule == "perm.unknown-identity"]
    assert "stranger@elsewhere.example.com" in f.message()
    assert f.line == len(schedule.splitlines()) + 1  # the line the change wrote, not the file's first


def test_a_delegate_out_of_order_is_pointed_at_the_line_of_the_change(repo):
    """delegate.order names a change: the line it wrote, followed to where it is now (as perm.denied)."""
    cadres = "records/cadres/115-1.yaml"
    text = repo.read(cadres)
    repo.direct({cadres: text.replace("position: 副班長", "position: 風紀股長")}, "chen-yijun", "2026-09-15 10:00")
    repo.direct({cadres: "# 訓育組登錄\n" + repo.read(cadres)}, "zhang-wenbin", "2026-09-16 10:00")
    _, _, result = check(repo)
    [f] = [f for f in result.findings if f.rule == "delegate.order" and f.path == cadres]
    assert repo.read(cadres).splitlines()[f.line - 1].endswith("position: 風紀股長, from: 2026-08-30, until: 2027-01-20}")
    # a certification out of order: at the line the delegate's merge changed in the outcome
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    repo.mr({NEW: OUTCOME.replace("每週一篇英文日記。", "每週兩篇英文日記。")}, "1150101", "2026-10-06 20:00",
            "huang-shufen", "2026-10-10 10:00")
    _, _, result = check(repo)
    [f] = [f for f in result.findings if f.rule == "delegate.order" and f.path == NEW]
    assert f.line == 3 and repo.read(NEW).splitlines()[2] == "summary: 每週兩篇英文日記。"


def test_shallow_clone_is_reported_with_the_fix(repo, tmp_path):
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(shallow)], check=True)
    _, result = validate(shallow, NOW)
    [f] = [f for f in result.findings if f.rule == "history.shallow"]
    assert "fetch-depth: 0" in f.message() and "--unshallow" in f.message("en")


def test_forged_commit_records_in_messages_are_harmless(repo):
    forged = "\x1e\x1fMerge\x1f" * 3
    repo.direct({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", message=f"新增 {forged}")
    records, codes, _ = check(repo)
    assert "cert.not-merged" in codes and len(records.history.mainline) == 2


def test_validate_a_revision_without_checking_it_out(repo):
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    good = repo.git("rev-parse", "HEAD")
    repo.direct({"records/students/1150101.yaml": repo.read("records/students/1150101.yaml").replace(
        "J125493395", "J125493396")}, "wang-yating", "2026-09-21 10:00")
    repo.write("records/students/1150102.yaml", "壞掉: [\n")  # uncommitted: not part of either revision
    _, at_good = without_exposed(validate(repo.root, NOW, rev=good))
    _, at_head = without_exposed(validate(repo.root, NOW, rev="HEAD"))
    assert at_good.errors == 0, [f.as_dict() for f in at_good.findings]
    assert [f.rule for f in at_head.findings] == ["id.national-id"]


def test_status_table_per_course(repo):
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    repo.open_mr({"records/outcomes/115-1/1150101/poem.yaml": OUTCOME}, "1150101", "2026-11-20 20:00")
    repo.direct({"records/outcomes/115-1/1150101/song.yaml": OUTCOME}, "1150101", "2026-11-21 20:00")
    from generator.commands.status import course_counts, table

    records, _ = validate(repo.root, NOW)
    counts = course_counts(records, "115-1")[ENGLISH]
    imported = sum(1 for o in records.certification.outcomes.values() if o.course == ENGLISH and o.state == "imported")
    assert (counts["certified"], counts["pending"], counts["uncertified"]) == (imported + 1, 1, 1)
    row = next(line for line in table(records, "115-1", "en").splitlines() if line.startswith(ENGLISH))
    assert "江淑惠" in row and "jiang-shuhui" not in row and row.split()[-1] == str(imported + 3)


def test_codeowners_names_the_class_teachers(repo):
    from generator.commands.codeowners import generate

    records, _ = validate(repo.root, NOW, history=False)
    text = generate(records)
    assert "/records/grades/ wang.yating@example.edu.tw xu.huiwen@example.edu.tw" in text
    line = next(l for l in text.splitlines() if l.startswith("/records/outcomes/115-1/1150101/ "))
    assert "jiang.shuhui@example.edu.tw" in line and "lai.zhiwei@example.edu.tw" in line
    assert "@stu.example.edu.tw" not in text


def test_the_split_log_reads_the_same_history(repo, monkeypatch):
    from generator.git import history

    for n in range(6):
        repo.mr({f"records/outcomes/115-1/1150101/o{n}.yaml": OUTCOME}, "1150101", f"2026-09-1{n} 20:00",
                "jiang-shuhui", f"2026-09-2{n} 10:00", "github" if n % 2 else "gitlab")
    whole = history.read(repo.root)
    monkeypatch.setattr(history, "PARALLEL_FROM", 2)
    split = history.read(repo.root)
    assert sorted(split.commits) == sorted(whole.commits) and len(whole.commits) == 13
    assert [c.sha for c in split.mainline] == [c.sha for c in whole.mainline]
    assert {k: [c.sha for c in v] for k, v in split.branch.items()} == \
           {k: [c.sha for c in v] for k, v in whole.branch.items()}


def test_a_repository_with_nothing_committed_yet(school):
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=school.root, check=True)
    records, result = validate(school.root, NOW)
    assert {o.state for o in records.certification.outcomes.values()} == {"uploaded"}
    assert "selection.uncertified" in {f.rule for f in result.findings}
