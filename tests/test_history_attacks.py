"""What a student (or a careless merge) might try, and what licheng must make of it.

Each case came from a review of the history rules; each asserts the fixed behaviour.
"""

from __future__ import annotations

from gitschool import GITHUB, who
from test_history import ENGLISH, NEW, OUTCOME, check, repo, state  # noqa: F401  (repo is a fixture)

PDF = b"%PDF-1.4\n" + b"x" * 100


def test_backdated_direct_push_is_still_audited(repo):
    repo.direct({"schedules/115-1.yaml": repo.read("schedules/115-1.yaml") + "# 更新\n"}, "huang-shufen",
                "2026-09-01 09:00")  # the audit has begun
    repo.write(NEW, OUTCOME)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "x", author=who("1150101"), at="2026-07-15 10:00")  # dated before audit_since
    records, codes, _ = check(repo)
    assert state(records) == "uncertified" and "cert.not-merged" in codes


def test_a_trailer_the_student_wrote_certifies_nothing(repo):
    repo.edit("records/school.yaml", "evidence: merge-author", "evidence: trailer")
    repo.commit_all("trailer mode", "huang-shufen", "2026-08-05 09:00")
    repo.write(NEW, OUTCOME)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "x\n\nCertified-by: 江淑惠 <jiang.shuhui@example.edu.tw>", author=who("1150101"),
             at="2026-09-15 10:00")
    records, codes, _ = check(repo)
    assert state(records) == "uncertified" and "cert.not-merged" in codes


def test_swapping_an_attachment_after_certification_voids_it(repo):
    text = OUTCOME + "files: [diary.pdf]\n"
    repo.mr({NEW: text, "records/outcomes/115-1/1150101/diary.pdf": PDF}, "1150101", "2026-09-15 20:00",
            "jiang-shuhui", "2026-09-20 10:00")
    assert state(check(repo)[0]) == "certified"
    repo.direct({"records/outcomes/115-1/1150101/diary.pdf": b"%PDF-1.4\nOTHER"}, "1150101", "2026-09-25 20:00")
    records, codes, _ = check(repo)
    assert state(records) == "uncertified" and "cert.not-merged" in codes


def test_a_teacher_of_the_same_code_in_another_semester_is_not_the_teacher(repo):
    repo.append("records/courses/115-2.yaml", f'\n- code: "{ENGLISH}"\n  name: 英語文\n  grade: 1\n  credits: 4\n'
                                              '  teachers: [lai-zhiwei]\n  classes: ["101"]\n')
    repo.commit_all("courses", "huang-shufen", "2026-08-05 09:00")
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "lai-zhiwei", "2026-09-20 10:00")
    records, codes, _ = check(repo)
    assert state(records) == "uncertified" and "cert.wrong-certifier" in codes


def test_a_delegate_who_has_left_certifies_nothing(repo):
    repo.edit("records/staff.yaml", "- id: chen-yijun\n", "- id: chen-yijun\n  until: 2026-08-31\n")
    repo.commit_all("staff", "huang-shufen", "2026-08-05 09:00")
    repo.mr({NEW: OUTCOME}, "1150101", "2026-10-06 20:00", "chen-yijun", "2026-10-10 10:00")
    records, codes, _ = check(repo)
    assert state(records) == "uncertified" and "cert.wrong-certifier" in codes


def test_registration_staff_who_left_may_not_edit_grades(repo):
    repo.edit("records/staff.yaml", "- id: wang-yating\n", "- id: wang-yating\n  until: 2026-08-31\n")
    repo.commit_all("staff", "huang-shufen", "2026-08-05 09:00")
    grades = next((repo.root / "records/grades/114-2").glob("*.yaml")).relative_to(repo.root).as_posix()
    repo.direct({grades: repo.read(grades).replace(": 8", ": 9", 1)}, "wang-yating", "2026-11-03 10:00")
    assert "perm.denied" in check(repo)[1]


def test_transfer_from_is_no_certificate_a_student_can_write(repo):
    repo.direct({NEW: OUTCOME + 'transfer_from: "123456"\n'}, "1150101", "2026-09-15 20:00")
    records, codes, _ = check(repo)
    assert state(records) == "uncertified" and "cert.not-merged" in codes


def test_registration_records_a_transferred_in_students_earlier_outcome(repo):
    earlier = "records/outcomes/114-2/1140110/from-before.yaml"  # 1140110 transferred in on 2026-02-09, in 114-2
    text = 'course: "113888H11101A1234567890"\ntitle: 前校成果\nsummary: 在前一所學校修課的成果。\ntransfer_from: "999888"\n'
    repo.direct({earlier: text}, "wang-yating", "2026-09-03 10:00")
    records, codes, result = check(repo)
    assert state(records, earlier) == "imported" and result.errors == 0, [f.as_dict() for f in result.findings]


def test_transfer_from_exempts_only_semesters_before_the_transfer(repo):
    same = "records/outcomes/115-1/1140110/from-before.yaml"  # a semester that began after the transfer
    text = 'course: "113888H11101A1234567890"\ntitle: 前校成果\nsummary: 在前一所學校修課的成果。\ntransfer_from: "999888"\n'
    repo.direct({same: text}, "wang-yating", "2026-09-03 10:00")
    records, codes, result = check(repo)
    assert state(records, same) == "uncertified"
    assert same in [f.path for f in result.findings if f.rule == "perm.denied"]


def test_a_student_pushing_a_performance_straight_to_main(repo):
    perf = "records/performances/115/1150101/contest.yaml"
    repo.direct({perf: "category: other\ntitle: x\nsummary: y\ndate: 2026-10-01\n"}, "1150101", "2026-10-02 10:00")
    _, _, result = check(repo)
    assert [f.variant for f in result.findings if f.rule == "perm.denied" and f.path == perf] == ["direct"]


def test_a_student_changing_a_site_template_in_their_request(repo):
    repo.mr({NEW: OUTCOME, "site_templates/pages/home.html": "{{ records }}"}, "1150101", "2026-09-15 20:00",
            "jiang-shuhui", "2026-09-20 10:00")
    _, _, result = check(repo)
    assert "site_templates/pages/home.html" in [f.path for f in result.findings if f.rule == "perm.denied"]


def test_merging_main_into_ones_branch_does_not_blame_the_student_for_main(repo):
    branch = repo.branch({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")
    repo.write("records/cadres/115-1.yaml", repo.read("records/cadres/115-1.yaml") + "\n")
    repo.commit_all("cadre", "liu-guanting", "2026-09-16 09:00")
    repo.git("checkout", "-q", branch)
    repo.git("merge", "-q", "--no-ff", "-m", "Merge main", "main", author=who("1150101"), at="2026-09-17 09:00")
    repo.git("checkout", "-q", "main")
    repo.merge(branch, "jiang-shuhui", "2026-09-20 10:00")
    records, codes, result = check(repo)
    assert state(records) == "certified"
    assert not [f for f in result.findings if f.rule == "perm.denied" and "cadres" in f.path]


def test_a_commit_dated_beyond_year_9999_is_no_crash(repo):
    repo.git("checkout", "-q", "-b", "x")
    repo.write(NEW, OUTCOME)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "x", author=who("1150101"))
    repo.git("commit", "-q", "--amend", "--no-edit", "--date", "@253402300800 +0000", author=who("1150101"))
    repo.git("update-ref", "refs/merge-requests/7/head", "x")
    repo.git("checkout", "-q", "main")
    records, codes, _ = check(repo)
    assert state(records) == "pending"


def test_squash_committed_by_github_is_not_a_merge_commit(repo):
    repo.squash({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "2026-09-20 10:00")
    assert check(repo)[0].history.mainline[-1].committer_email == GITHUB[1]


def test_a_change_made_inside_the_merge_commit_is_the_mergers(repo):
    branch = repo.branch({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")
    repo.git("merge", "-q", "--no-ff", "--no-commit", branch)
    repo.edit("records/staff.yaml", "roles: [teacher]", "roles: [teacher, registration_chief]")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "Merge pull request #1", author=who("jiang-shuhui"), committer=GITHUB,
             at="2026-09-20 10:00")
    _, _, result = check(repo)
    assert [(f.path, f.variant) for f in result.findings if f.rule == "perm.denied"] == \
           [("records/staff.yaml", "in-merge")]


def test_a_git_pull_merge_on_main_is_named(repo):
    base = repo.git("rev-parse", "HEAD")
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    repo.git("checkout", "-q", "-b", "local", base)  # registration staff worked from the old main
    repo.write("records/grades/114-2/x.yaml", 'course: "x"\nscores: {}\n')
    repo.commit_all("成績", "wang-yating", "2026-09-21 09:00")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'main' of origin", "main", author=who("wang-yating"),
             at="2026-09-21 09:05")
    repo.git("checkout", "-q", "main")
    repo.git("reset", "-q", "--hard", "local")
    _, codes, result = check(repo)
    [f] = [f for f in result.findings if f.rule == "history.foxtrot"]
    assert "pull --rebase" in f.message("en") and "王雅婷" in f.message()


def test_a_replace_ref_or_a_grafts_file_shows_git_no_other_commit_under_an_id(repo, tmp_path, monkeypatch):
    """A commit id names its content and parents for good, and licheng's cache keeps facts by it.
    A replace ref (`git replace`, fetched from anywhere) or a grafts file would have git show a
    student's push straight to main as the teacher's merge under the push's own id: licheng reads
    the objects themselves, with its cache or without, and a cache written while they were there
    holds none of their claims once they are gone."""
    from generator.validate import validate

    monkeypatch.setenv("LICHENG_CACHE_DIR", str(tmp_path / "cache"))

    def report(use_cache):
        records, result = validate(repo.root, "2026-11-28 12:00", use_cache=use_cache)
        return state(records), [f.as_dict("en") for f in result.sorted()]

    base = repo.git("rev-parse", "HEAD")
    repo.git("checkout", "-q", "-b", "side")
    side = repo.direct({NEW: OUTCOME}, "1150101", "2026-09-14 20:00")
    repo.git("checkout", "-q", "main")
    pushed = repo.direct({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")  # straight to main
    honest = report(False)
    assert honest[0] == "uncertified"
    merge = repo.git("commit-tree", f"{pushed}^{{tree}}", "-p", base, "-p", side, "-m", "Merge pull request #7",
                     author=who("jiang-shuhui"), committer=GITHUB, at="2026-09-16 10:00")
    repo.git("replace", pushed, merge)
    assert report(True) == report(False) == honest  # (the cache is written while the ref is there)
    repo.git("replace", "-d", pushed)
    assert report(True) == honest
    (repo.root / ".git/info").mkdir(exist_ok=True)
    (repo.root / ".git/info/grafts").write_text(f"{pushed} {base} {side}\n")
    assert report(True) == report(False) == honest
    (repo.root / ".git/info/grafts").unlink()
    assert report(True) == honest
