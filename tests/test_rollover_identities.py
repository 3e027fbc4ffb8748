"""licheng rollover (the next semester drafted) and licheng identities (who Git cannot place)."""

from __future__ import annotations


from generator.git.identity import noreply_user
from gitschool import sample_repo
from test_cli import run
from test_import import students_csv

from conftest import NOW


def test_rollover_into_the_second_semester_then_a_new_year(tmp_path):
    made = run("init", str(tmp_path / "s"), "--name", "測試高中", "--code", "123456", "--now", NOW)
    assert made.returncode == 0
    registry, portfolio = tmp_path / "s/registry", tmp_path / "s/portfolio"
    rows = [f"1150101,王,{students_nid(0)},0990314,101,7", f"1130101,李,{students_nid(1)},0970314,301,2"]
    csv = students_csv(tmp_path / "s.csv", "utf-8", rows)
    assert run("import", "students", str(csv), "-C", str(registry), "--semester", "115-1", "--apply").returncode == 0
    skipped = run("rollover", "116-1", "-C", str(registry))  # 115-2 not rolled over yet: nothing to carry
    assert "2 位學生在 115-2 沒有班級" in skipped.stdout and "licheng rollover 115-2" in skipped.stdout, skipped.stdout
    assert "116-1" not in (registry / "records/students/1150101.yaml").read_text("utf-8")
    proc = run("rollover", "115-2", "-C", str(registry))
    assert proc.returncode == 0 and "2 位學生延續" in proc.stdout, proc.stdout + proc.stderr
    assert 'classes: {115-1: "101", 115-2: "101"}' in (registry / "records/students/1150101.yaml").read_text("utf-8")
    proc = run("rollover", "116-1", "-C", str(registry))
    assert "1130101 李" in proc.stdout and "畢業班" in proc.stdout
    assert "1 位學生由 115-2 升上 116-1（班級升一個年級" in proc.stdout, proc.stdout
    text = (registry / "records/students/1150101.yaml").read_text("utf-8")
    assert 'classes: {115-1: "101", 115-2: "101", 116-1: "201"}' in text and "seat_no: 7" in text
    assert "116-1" not in (registry / "records/students/1130101.yaml").read_text("utf-8")

    proc = run("rollover", "115-2", "-C", str(portfolio))
    assert proc.returncode == 0 and "schedules/115-2.yaml" in proc.stdout
    schedule = (portfolio / "schedules/115-2.yaml").read_text("utf-8")
    assert "status: draft" in schedule and "submit_grades" in schedule and "submit_enrollment" not in schedule
    findings = run("validate", "-C", str(portfolio), "--now", "2027-03-01 12:00", "--format", "json")
    assert '"schedule.missing-operation"' not in findings.stdout and '"schedule.missing"' not in findings.stdout
    again = run("rollover", "115-2", "-C", str(portfolio))
    assert "已存在" in again.stdout  # never overwritten


def students_nid(i: int) -> str:
    from test_import import NID

    return NID[i]


def test_a_semester_rolled_over_already_is_no_skipped_one(school):
    """A student who left years ago has a class in neither semester: no reason to roll the previous one again."""
    again = run("rollover", "115-2", "-C", str(school.root))
    assert "沒有班級" not in again.stdout and "沒有需要新增或變更" in again.stdout, again.stdout


def test_rollover_drafts_the_course_file_a_year_on(school):
    proc = run("rollover", "116-1", "-C", str(school.root))
    assert proc.returncode == 0
    courses = school.read("records/courses/116-1.yaml")
    assert "由 115-1 複製" in courses and '"116999999H001010A010111"' in courses


def test_platform_no_reply_addresses():
    assert noreply_user("12345+Chen-Yiling@users.noreply.github.com") == ("github", "chen-yiling")
    assert noreply_user("chenyiling@users.noreply.github.com") == ("github", "chenyiling")
    assert noreply_user("4321-chen.yl@users.noreply.gitlab.com") == ("gitlab", "chen.yl")
    assert noreply_user("chen@users.noreply.github.com.evil.com") is None
    assert noreply_user("chen.yiling@example.edu.tw") is None


def test_identities_lists_who_git_cannot_place(tmp_path):
    repo = sample_repo(tmp_path / "school")
    repo.edit("records/staff.yaml", "  git: [lai.zhiwei@example.edu.tw]\n", "  git: [lai.zhiwei@example.edu.tw]\n  github: LaiZW\n")
    repo.edit("records/students/1150102.yaml", "git: [s1150102@stu.example.edu.tw]\n", "gitlab: s1150102\n")
    repo.edit("records/students/1150103.yaml", "git: [s1150103@stu.example.edu.tw]\n", "")
    # transferred out in October: no commit of hers is to come, so she needs no identity
    repo.edit("records/students/1150104.yaml", "git: [s1150104@stu.example.edu.tw]\n", "")
    repo.edit("records/students/1150104.yaml", "type: admitted}", 'type: admitted}\n  - {date: 2026-10-01, type: transfer_out, school: "999777"}')
    repo.commit_all("帳號", "huang-shufen", "2026-09-01 09:00")
    repo.direct({"records/delegates.yaml": repo.read("records/delegates.yaml") + "\n"}, "lai-zhiwei", "2026-09-02 10:00",
                committer=("賴志偉", "777+laizw@users.noreply.github.com"))
    repo.git("commit", "-q", "--allow-empty", "-m", "x", author=("Someone", "someone@gmail.com"), at="2026-09-03 10:00")
    repo.git("commit", "-q", "--allow-empty", "-m", "y",
             author=("s1150102", "99-s1150102@users.noreply.gitlab.com"), at="2026-09-04 10:00")
    # a request's commit whose name writes the reader's clipboard (OSC 52) and clears her screen
    repo.git("checkout", "-q", "-b", "odd")
    repo.git("commit", "-q", "--allow-empty", "-m", "z", author=("惡意\x1b]52;c;cm0gLXJmIH4=\x07名", "odd\x1b[2J@x.example"),
             at="2026-09-05 10:00")
    repo.git("update-ref", "refs/pull/9/head", "HEAD")
    repo.git("checkout", "-q", "main")
    proc = run("identities", "-C", str(repo.root), "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "\x1b" not in out and "\x07" not in out and "惡意\\u001b]52;c;cm0gLXJmIH4=\\u0007名" in out, out
    assert "someone@gmail.com>：1 個提交" in out
    assert "noreply" not in out  # both no-reply addresses belong to someone
    assert "1150103" in out and "1150102" not in out.split("歷史中")[0] and "1150104" not in out.split("歷史中")[0]
    # the sample runs on GitLab: a student who commits with an email but has no gitlab: account
    # is listed (the merge-request check judges the account that opens the request); 1150102 has one
    accounts = out.split("gitlab: 帳號的人")[1].split("歷史中")[0]
    assert "1150101" in accounts and "1150102" not in accounts and "賴志偉" in accounts
    assert "沒有任何學生" not in out  # the near miss of the test below: this semester has students
