"""Attribution: branch commits' identities are claims that may deny, never grant; the merger
answers for what a merge brings; identities compare folded; a fast-forwarded "merge" proves nothing.

huang-shufen is the academic director, lai-zhiwei and jiang-shuhui are teachers (jiang-shuhui
teaches 1150101's English), 1150101 and 1150102 are students.
"""

from __future__ import annotations

import re

import pytest

from gitschool import GITHUB, who
from generator.rules.rights import rule_for, rule_of
from test_history import ENGLISH, NEW, OUTCOME, _departed_teacher, check, repo, state  # noqa: F401  (repo is a fixture)

COURSES = "records/courses/115-1.yaml"


def _branch_as(repo, files: dict, author: str, at: str) -> str:
    """A request branch whose commit claims `author` (anyone can write any author into a branch)."""
    return repo.branch(files, author, at)


def _denied(result, path):
    """(variant, who): a student as their number (messages name them 「name（number）」)."""
    def who(value):
        named = re.fullmatch(r".+（(\d+)）", value or "")
        return named.group(1) if named else value

    return [(f.variant, who(f.params.get("who"))) for f in result.findings if f.rule == "perm.denied" and f.path == path]


@pytest.mark.parametrize("path,edit", [
    ("records/school.yaml", ("name: 示範市立示範高級中學", "name: 另一所學校")),
    ("records/staff.yaml", ("roles: [teacher]", "roles: [teacher, registration_chief]")),
    ("schedules/115-1.yaml", None),
    (COURSES, ("teachers: [jiang-shuhui]", "teachers: [lai-zhiwei]")),
    ("mkdocs.yml", None),
])
def test_a_teacher_merging_what_only_the_director_may_change_is_denied_whoever_the_branch_names(repo, path, edit):
    text = (repo.read(path) if repo.path(path).exists() else "site_name: x\n")
    text = text.replace(*edit, 1) if edit else text + "\n# 更新\n"
    branch = _branch_as(repo, {path: text}, "huang-shufen", "2026-09-15 20:00")  # claims the director wrote it
    repo.merge(branch, "lai-zhiwei", "2026-09-16 10:00")
    _, _, result = check(repo)
    assert ("merged", "賴志偉") in _denied(result, path)


def test_a_merger_without_the_right_is_told_who_may_merge_it_never_their_own_role(repo):
    """The director may not write a student's record: the message names the registration office's
    roles (who may), never hers; a course file names the teaching chief and the director."""
    student = "records/students/1150101.yaml"
    branch = _branch_as(repo, {student: repo.read(student) + "\n# 更新\n"}, "huang-shufen", "2026-09-15 20:00")
    repo.merge(branch, "huang-shufen", "2026-09-16 10:00")
    course = COURSES
    branch = _branch_as(repo, {course: repo.read(course) + "\n# 更新\n"}, "lai-zhiwei", "2026-09-17 20:00")
    repo.merge(branch, "lai-zhiwei", "2026-09-18 10:00")
    _, _, result = check(repo)
    merged = {f.path: f for f in result.findings if f.rule == "perm.denied" and f.variant == "merged"}
    zh, en = merged[student].message(), merged[student].message("en")
    assert "（註冊組長、註冊組組員或值勤代理人）合併" in zh and "教務主任" not in zh, zh
    assert "the registration chief, registration staff or the delegate on duty" in en and "director" not in en, en
    zh, en = merged[course].message(), merged[course].message("en")
    assert "（教學組長、教務主任）合併" in zh and "代理人" not in zh, zh
    assert "(the teaching chief or academic director)" in en, en


def test_the_director_merging_the_same_change_is_not_denied(repo):
    branch = _branch_as(repo, {"records/school.yaml": repo.read("records/school.yaml").replace(
        "name: 示範市立示範高級中學", "name: 另一所學校")}, "huang-shufen", "2026-09-15 20:00")
    repo.merge(branch, "huang-shufen", "2026-09-16 10:00", "gitlab")
    _, _, result = check(repo)
    assert _denied(result, "records/school.yaml") == []


def test_a_branch_commit_naming_a_student_makes_it_the_students_change(repo):
    branch = _branch_as(repo, {"records/school.yaml": repo.read("records/school.yaml").replace(
        "name: 示範市立示範高級中學", "name: 另一所學校")}, "1150101", "2026-09-15 20:00")
    repo.merge(branch, "huang-shufen", "2026-09-16 10:00")  # the director may merge it, the student may not write it
    _, _, result = check(repo)
    assert ("branch", "1150101") in _denied(result, "records/school.yaml")


def test_another_students_name_on_a_branch_commit_denies(repo):
    repo.mr({NEW: OUTCOME}, "1150102", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    _, _, result = check(repo)
    assert ("branch", "1150102") in _denied(result, NEW)


def test_a_students_request_beyond_their_own_folder_is_denied_there_only(repo):
    other = "records/outcomes/115-1/1150102/diary.yaml"
    repo.mr({NEW: OUTCOME, other: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    _, _, result = check(repo)
    assert _denied(result, other) == [("branch", "1150101")] and _denied(result, NEW) == []


def test_each_commit_of_a_request_is_judged(repo):
    other = "records/outcomes/115-1/1150102/diary.yaml"
    repo.git("checkout", "-q", "-b", "two-commits", "main")
    repo.direct({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")
    repo.direct({other: OUTCOME}, "1150101", "2026-09-15 21:00")  # the second commit strays
    repo.git("checkout", "-q", "main")
    repo.merge("two-commits", "jiang-shuhui", "2026-09-20 10:00")
    _, _, result = check(repo)
    assert _denied(result, other) == [("branch", "1150101")] and _denied(result, NEW) == []


def test_what_a_merge_puts_back_that_no_branch_commit_changed_is_the_mergers(repo):
    """A student's request of two commits in her own folder, whose merge also puts back the courses
    file as it was when the branch began (main changed it since; no branch commit did): that change
    is the merger's own, and a teacher may not write the courses file."""
    courses = "records/courses/115-1.yaml"
    repo.git("checkout", "-q", "-b", "two-commits", "main")
    repo.direct({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")
    repo.direct({NEW.replace("diary", "diary-2"): OUTCOME}, "1150101", "2026-09-15 21:00")
    repo.git("checkout", "-q", "main")
    repo.direct({courses: repo.read(courses) + "# 開課表已確認\n"}, "chen-yijun", "2026-09-16 10:00")
    repo.git("merge", "-q", "--no-ff", "--no-commit", "two-commits", author=who("jiang-shuhui"),
             committer=who("jiang-shuhui"), at="2026-09-20 10:00")
    repo.git("checkout", "two-commits", "--", courses)
    repo.commit_all("Merge branch 'two-commits'", "jiang-shuhui", "2026-09-20 10:00")
    _, _, result = check(repo)
    assert [variant for variant, _ in _denied(result, courses)] == ["in-merge"]
    assert _denied(result, NEW) == []


def test_a_students_request_merged_after_the_mergers_account_ended_is_denied(repo):
    _, _, result = _departed_teacher(repo, "2026-11-15")
    assert _denied(result, NEW) == [("merger", "方國棟")]


@pytest.mark.parametrize("path", [
    "records/outcomes/115-1/1150101/diary.yaml", "records/outcomes/115-1/1150101/diary.pdf",
    "records/outcomes/115-1/1150101/sub/diary.yaml", "records/outcomes/115-1/diary.yaml", "records/outcomes/x.yaml",
    "records/performances/115/1150101/sports.png", "records/performances/115/sports.yaml",
])
def test_every_file_of_a_record_folder_has_the_folders_rule(path):
    assert rule_for(path) == rule_of(path)  # (the rule is looked up once per folder)


def test_course_teachers_are_those_at_the_merges_first_parent(repo):
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    # lai-zhiwei merges a second outcome before he is the course's teacher ...
    other = "records/outcomes/115-1/1150101/poem.yaml"
    repo.mr({other: OUTCOME}, "1150101", "2026-09-21 20:00", "lai-zhiwei", "2026-09-22 10:00", "gitlab")
    # ... and only then the course passes from jiang-shuhui to him
    repo.edit(COURSES, "teachers: [jiang-shuhui]", "teachers: [lai-zhiwei]")
    repo.commit_all("更換任課教師", "huang-shufen", "2026-10-01 09:00")
    records, codes, _ = check(repo)
    assert state(records) == "certified" and records.certification.outcomes[NEW].certifier == "jiang-shuhui"
    assert state(records, other) == "uncertified" and "cert.wrong-certifier" in codes
    # once he is the teacher, his merge certifies
    third = "records/outcomes/115-1/1150101/essay.yaml"
    repo.mr({third: OUTCOME}, "1150101", "2026-10-02 20:00", "lai-zhiwei", "2026-10-03 10:00")
    assert state(check(repo)[0], third) == "certified"


def test_a_request_that_makes_its_merger_the_teacher_certifies_nothing(repo):
    """The courses file as it stood at the merge's first parent: not the one the request brings."""
    repo.mr({NEW: OUTCOME, COURSES: repo.read(COURSES).replace("teachers: [jiang-shuhui]", "teachers: [lai-zhiwei]")},
            "1150101", "2026-09-15 20:00", "lai-zhiwei", "2026-09-20 10:00")
    records, codes, _ = check(repo)
    assert state(records) == "uncertified" and "cert.wrong-certifier" in codes


@pytest.mark.parametrize("email", ["JIANG.SHUHUI@example.EDU.tw", "ｊｉａｎｇ．ｓｈｕｈｕｉ＠ｅｘａｍｐｌｅ．ｅｄｕ．ｔｗ"])
def test_identities_compare_after_nfkc_and_ascii_case_folding(repo, email):
    branch = repo.branch({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")
    repo.git("update-ref", "refs/pull/1/head", branch)
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #1", branch, author=("江淑惠", email),
             committer=GITHUB, at="2026-09-20 10:00")
    records, _, result = check(repo)
    assert state(records) == "certified" and result.errors == 0, [f.as_dict("en") for f in result.findings]


def test_only_ascii_letters_fold(repo):
    """The Kelvin sign is K after NFKC; a dotted capital İ is not i: no locale-dependent lowering."""
    repo.edit("records/staff.yaml", "git: [lai.zhiwei@example.edu.tw]", "git: [lai.zhiwei@example.edu.tw, kİm@example.edu.tw]")
    repo.commit_all("信箱", "huang-shufen", "2026-08-05 09:00")
    records, _, _ = check(repo)
    ids = records.identities
    assert ids.staff_id("\u212aİM@example.edu.tw") == "lai-zhiwei"
    assert ids.of("kim@example.edu.tw") is None and ids.of("ki\u0307m@example.edu.tw") is None


def test_a_github_user_name_owns_its_no_reply_addresses(repo):
    repo.edit("records/staff.yaml", "git: [jiang.shuhui@example.edu.tw]",
              "git: [jiang.shuhui@example.edu.tw]\n  github: JiangShuhui")
    repo.commit_all("帳號", "huang-shufen", "2026-08-05 09:00")
    branch = repo.branch({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #1", branch,
             author=("jiangshuhui", "4521+jiangshuhui@users.noreply.github.com"), committer=GITHUB, at="2026-09-20 10:00")
    assert state(check(repo)[0]) == "certified"


def test_the_schools_own_gitlab_no_reply_addresses_are_its_users_and_no_other_hosts(repo):
    """school.yaml's platform is the school's GitLab at gitlab.example.edu.tw: a web merge there is
    authored `ID-name@users.noreply.gitlab.example.edu.tw`. Another host's look-alike is nobody's."""
    repo.edit("records/staff.yaml", "git: [jiang.shuhui@example.edu.tw]",
              "git: [jiang.shuhui@example.edu.tw]\n  gitlab: jiang.sh")
    repo.commit_all("帳號", "huang-shufen", "2026-08-05 09:00")
    records, _, _ = check(repo)
    assert records.identities.staff_id("17-jiang.sh@users.noreply.gitlab.example.edu.tw") == "jiang-shuhui"
    assert records.identities.staff_id("17-jiang.sh@users.noreply.gitlab.com") == "jiang-shuhui"
    assert records.identities.of("17-jiang.sh@users.noreply.gitlab.example.com") is None
    assert records.identities.of("17+jiang.sh@users.noreply.gitlab.example.edu.tw") is None  # GitHub's form
    branch = repo.branch({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'x' into 'main'", branch,
             author=("jiang.sh", "17-jiang.sh@users.noreply.gitlab.example.edu.tw"), at="2026-09-20 10:00")
    assert state(check(repo)[0]) == "certified"


def test_an_email_claimed_by_two_people_is_shared_and_counts_for_no_one(repo):
    repo.edit("records/students/1150101.yaml", "git: [", "git: [Jiang.Shuhui@example.edu.tw, ")
    repo.commit_all("學生信箱", "wang-yating", "2026-08-05 09:00")
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    records, codes, result = check(repo)
    [shared] = [f for f in result.findings if f.rule == "identity.shared"]
    assert shared.severity == "error" and shared.path in ("records/staff.yaml", "records/students/1150101.yaml")
    assert "江淑惠" in shared.message("en") and "1150101" in shared.message("en")
    assert state(records) == "uncertified"


def test_a_platform_user_name_claimed_by_two_people_is_shared(repo):
    repo.edit("records/staff.yaml", "git: [lai.zhiwei@example.edu.tw]", "git: [lai.zhiwei@example.edu.tw]\n  gitlab: teacher")
    repo.edit("records/staff.yaml", "git: [jiang.shuhui@example.edu.tw]", "git: [jiang.shuhui@example.edu.tw]\n  gitlab: TEACHER")
    _, codes, _ = check(repo)
    assert "identity.shared" in codes


def _student_made_merge(repo, author="jiang-shuhui") -> str:
    """The student merges their own outcome into a merge commit that names the teacher as author."""
    repo.write(NEW, OUTCOME)
    repo.git("checkout", "-q", "-b", "side")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "成果", author=who("1150101"), at="2026-09-15 20:00")
    repo.git("checkout", "-q", "-b", "mr-1", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'side' into 'main'", "side",
             author=who(author), committer=who("1150101"), at="2026-09-16 10:00")
    return repo.git("rev-parse", "HEAD")


def test_a_fast_forward_to_a_students_merge_request_head(repo):
    head = _student_made_merge(repo)
    repo.git("update-ref", "refs/merge-requests/1/head", head)
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "mr-1")
    assert repo.git("rev-parse", "main") == head
    records, codes, result = check(repo)
    assert state(records) == "uncertified" and "cert.fast-forward" in codes
    assert [f.path for f in result.findings if f.rule == "cert.fast-forward"] == [NEW]


def test_a_merge_a_student_committed_in_a_teachers_name(repo):
    _student_made_merge(repo)
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "mr-1")  # no request ref left: the committer gives it away
    records, codes, _ = check(repo)
    assert state(records) == "uncertified" and "cert.fast-forward" in codes


def test_an_ordinary_platform_merge_is_no_fast_forward(repo):
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00", "gitlab")
    assert "cert.fast-forward" not in check(repo)[1]
