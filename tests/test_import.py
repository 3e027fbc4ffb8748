"""licheng import: what the administration system exports (Big5/UTF-8 CSV, xlsx, Chinese headers,
ROC dates) becomes record files — all or nothing, and the same file twice changes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from generator.records.national_id import with_check_digit
from generator.validate import validate
from gitschool import sample_repo
from test_cli import run

from conftest import NOW, REPO

NID = [with_check_digit(f"{letter}{sex}{n:07d}") for letter, sex, n in
       (("A", 1, 2345678), ("B", 2, 2345678), ("C", 1, 2345670), ("D", 2, 7654321), ("E", 1, 1111111), ("F", 2, 2222222))]
ROC_FORMS = [("0990314", "2010-03-14"), ("99/03/15", "2010-03-15"), ("99.03.16", "2010-03-16"),
             ("990317", "2010-03-17"), ("2010-03-18", "2010-03-18"), ("民國99年3月19日", "2010-03-19")]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.parts}


@pytest.fixture(scope="module")
def new_school(tmp_path_factory):
    base = tmp_path_factory.mktemp("init")
    proc = run("init", str(base / "s"), "--name", "測試高中", "--code", "123456", "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    return base / "s"


@pytest.fixture
def school(new_school, tmp_path):
    """A copy of the two repositories `licheng init` made, for each test to import into."""
    shutil.copytree(new_school, tmp_path / "s", symlinks=True)
    return tmp_path / "s"


def students_csv(path: Path, encoding: str, rows=None) -> Path:
    rows = rows or [f"115010{i + 1},{name},{NID[i]},{roc},10{1 + i % 2},{i + 1}"
                    for i, (name, (roc, _)) in enumerate(zip("王李陳林黃吳", ROC_FORMS))]
    path.write_bytes(("學號,姓名,身分證統一編號,出生日期,班級,座號,性別\r\n" + "\r\n".join(rows) + "\r\n").encode(encoding))
    return path


def test_big5_students_with_roc_dates_then_the_same_file_changes_nothing(school, tmp_path):
    csv = students_csv(tmp_path / "學生名冊.csv", "cp950")
    dry = run("import", "students", str(csv), "-C", str(school / "registry"), "--semester", "115-1")
    assert dry.returncode == 0 and "Big5" in dry.stdout and "新增 6" in dry.stdout, dry.stdout + dry.stderr
    assert dry.stdout.count("性別") == 1 and "未使用的欄位：性別\n" in dry.stdout  # (a column a student has no use for)
    assert not (school / "registry/records/students").exists()  # a dry run writes nothing
    done = run("import", "students", str(csv), "-C", str(school / "registry"), "--semester", "115-1", "--apply")
    assert done.returncode == 0, done.stderr
    assert "git config user.email" in done.stdout and "records/staff.yaml" in done.stdout  # before the first commit
    text = (school / "registry/records/students/1150101.yaml").read_text("utf-8")
    assert 'student_no: "1150101"' in text and 'classes: {115-1: "101"}' in text and "seat_no: 1" in text
    for i, (_, iso) in enumerate(ROC_FORMS):
        assert f"birth_date: {iso}\n" in (school / f"registry/records/students/115010{i + 1}.yaml").read_text("utf-8")
    before = tree(school / "registry")
    again = run("import", "students", str(csv), "-C", str(school / "registry"), "--semester", "115-1", "--apply")
    assert again.returncode == 0 and "不變 6" in again.stdout
    assert tree(school / "registry") == before
    unicode_text = tmp_path / "學生名冊.txt"  # Excel's "Unicode text": UTF-16 LE with its BOM, tab-separated
    unicode_text.write_bytes(csv.read_bytes().decode("cp950").replace(",", "\t").encode("utf-16"))
    assert unicode_text.read_bytes().startswith(b"\xff\xfe")
    again = run("import", "students", str(unicode_text), "-C", str(school / "registry"), "--semester", "115-1")
    assert again.returncode == 0 and "UTF-16" in again.stdout and "不變 6" in again.stdout, again.stdout + again.stderr
    _, result = validate(school / "registry", NOW, use_cache=False)
    assert not [f for f in result.findings if f.path.startswith("records/students/")]


def test_students_platform_accounts_github_and_gitlab_are_both_kept(school, tmp_path):
    """A GitLab school's export names each student's GitLab account: dropping it would make every
    merge request she opens perm.unknown-identity."""
    csv = tmp_path / "名冊.csv"
    csv.write_text("學號,姓名,身分證統一編號,出生日期,班級,github,gitlab帳號\n"
                   f"1150101,王小明,{NID[0]},0990314,101,wang-gh,wang-gl\n", "utf-8-sig")
    proc = run("import", "students", str(csv), "-C", str(school / "registry"), "--semester", "115-1", "--apply",
               "--lang", "en")
    assert proc.returncode == 0 and "(UTF-8 (BOM), 1 row) → students 115-1" in proc.stdout, proc.stdout + proc.stderr
    text = (school / "registry/records/students/1150101.yaml").read_text("utf-8")
    assert "github: wang-gh\n" in text and "gitlab: wang-gl\n" in text, text


def test_a_bad_row_refuses_the_whole_file_naming_row_and_student(school, tmp_path):
    rows = [f"1150101,王,{NID[0]},0990314,101,1", f"1150102,李,{NID[1][:-1]}0,0990314,101,2",
            f"1150103,陳,{NID[2]},0990231,101,3", f"1150101,林,{NID[3]},0990314,102,1",
            f"1150105,吳,{NID[4]},09901118,102,2"]
    csv = students_csv(tmp_path / "bad.csv", "utf-8-sig", rows)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a CI log or a pipe takes it
    proc = subprocess.run([sys.executable, "-m", "generator", "import", "students", str(csv), "-C",
                           str(school / "registry"), "--apply"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, cwd=REPO, env=env, timeout=120)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()  # the rows' problems, then the summary
    assert lines[-3].startswith(f"{csv}（UTF-8 (BOM)，5 列資料）→ students "), lines
    assert lines[-2:] == ["未使用的欄位：性別", "有 4 個問題，整份檔案未匯入（沒有寫入任何檔案）"], lines
    assert any("第 3 列（學號 1150102）" in line and "身分證" in line for line in lines), proc.stdout
    assert any(line.endswith(": 第 4 列（學號 1150103），D 欄「出生日期」：日期「0990231」不存在") for line in lines), lines
    assert any(line.endswith(": 第 5 列（學號 1150101），A 欄「學號」：與第 2 列重複（同一學號）") for line in lines), lines
    assert any("第 6 列（學號 1150105）" in line and "09901118" in line for line in lines)
    assert any("第 6 列（學號 1150105），D 欄「出生日期」：" in line for line in lines), lines  # the row and the column
    from generator.school.importer import Problem

    said = Problem(4, "1150103", "日期「0990231」不存在", "date '0990231': no such day", ("D", "出生日期")).text("en")
    assert said == "row 4 (student 1150103), column D (出生日期): date '0990231': no such day"
    assert NID[1][3:8] not in proc.stdout  # the ID is masked
    assert not (school / "registry/records/students").exists()


def test_a_missing_column_is_named_as_the_export_heads_it(school, tmp_path):
    csv = tmp_path / "no-number.csv"
    csv.write_text(f"姓名,身分證統一編號,出生日期,班級\n王小明,{NID[0]},0990314,101\n", "utf-8")
    for lang, said in ((None, "缺少欄位 學號"), ("en", "missing columns 學號")):
        proc = run("import", "students", str(csv), "-C", str(school / "registry"), *(["--lang", lang] if lang else []))
        assert proc.returncode == 2 and said in proc.stderr and "student_no" not in proc.stderr, proc.stderr
    csv.write_text("學號,姓名,身分證統一編號,出生日期,班級,座號,性別,血型\n", "utf-8")  # headers only: nothing was read
    proc = run("import", "students", str(csv), "-C", str(school / "registry"))
    assert proc.returncode == 0 and "\n未使用的欄位：血型\n" in proc.stdout, proc.stdout + proc.stderr


def test_personal_data_is_never_imported_into_the_portfolio_students_read(school, tmp_path):
    csv = students_csv(tmp_path / "學生名冊.csv", "utf-8")
    portfolio, registry = school / "portfolio", school / "registry"
    before = tree(portfolio)
    for lang, said in ((None, "只能匯入學籍資料庫"), ("en", "go only into the registry")):
        proc = run("import", "students", str(csv), "-C", str(portfolio), "--apply", *(["--lang", lang] if lang else []))
        assert proc.returncode == 2 and said in proc.stderr and f"-C {registry}" in proc.stderr, proc.stderr
        assert ("個人資料" in proc.stderr) == (lang is None)
    assert tree(portfolio) == before
    # a portfolio that already holds a student's file is still the one its registry names
    (portfolio / "records/students").mkdir()
    (portfolio / "records/students/1150101.yaml").write_text('student_no: "1150101"\n', "utf-8")
    proc = run("import", "grades", str(csv), "-C", str(portfolio), "--apply")
    assert proc.returncode == 2 and "學業成績" in proc.stderr, proc.stderr
    assert run("import", "students", str(csv), "-C", str(registry), "--apply").returncode == 0


def test_a_single_repository_school_takes_personal_data_even_while_empty(school, tmp_path):
    """Made by hand (not by `licheng init`), with no student yet: no registry beside it names it and it
    keeps no roster, so it is a single-repository school, not a portfolio."""
    csv = students_csv(tmp_path / "學生名冊.csv", "utf-8")
    single = tmp_path / "single"
    shutil.copytree(school / "portfolio", single, ignore=shutil.ignore_patterns(".git"))
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=single, check=True)
    subprocess.run(["git", "add", "-A"], cwd=single, check=True)
    subprocess.run(["git", "-c", "user.name=黃淑芬", "-c", "user.email=huang.shufen@example.edu.tw", "commit", "-qm",
                    "學校設定"], cwd=single, check=True)
    proc = run("import", "students", str(csv), "-C", str(single), "--apply")
    assert proc.returncode == 0 and len(list((single / "records/students").glob("*.yaml"))) == 6, proc.stderr
    # a portfolio: away from its registry, as `licheng init` made it, or keeping a roster
    lone = tmp_path / "elsewhere/portfolio"
    shutil.copytree(school / "portfolio", lone, symlinks=True)
    shutil.rmtree(single / "records/students")
    (single / "records/roster").mkdir()
    (single / "records/roster/115-1.yaml").write_text("[]\n", "utf-8")
    for portfolio in (lone, single):
        proc = run("import", "students", str(csv), "-C", str(portfolio), "--apply")
        assert proc.returncode == 2 and "只能匯入學籍資料庫" in proc.stderr, proc.stderr
        assert not (portfolio / "records/students").exists()


def test_staff_utf8_courses_xlsx_and_grades_with_an_unknown_course(school, tmp_path):
    staff = tmp_path / "staff.csv"
    staff.write_text("代號,姓名,電子郵件,職稱,到職日期,離職日期\nchen-t,陳老師,chen@x.edu.tw,教師、導師,,\n"
                     "wu-r,吳組長,wu@x.edu.tw,註冊組長,1090801,115/07/31\n", "utf-8")
    proc = run("import", "staff", str(staff), "-C", str(school / "portfolio"), "--apply")
    assert proc.returncode == 0 and "未使用" not in proc.stdout, proc.stdout  # the leaving date is read
    assert "- id: wu-r\n  name: 吳組長\n  git: [wu@x.edu.tw]\n  roles: [registration_chief]\n  from: 2020-08-01\n" \
           "  until: 2026-07-31\n" in (school / "portfolio/records/staff.yaml").read_text("utf-8")
    staff.write_text("代號,姓名,職稱,到職日期,離職日期\nlin-r,林組長,註冊組長,1090801,108/07/31\n", "utf-8")
    proc = run("import", "staff", str(staff), "-C", str(school / "portfolio"), "--apply")
    assert proc.returncode == 1 and "第 2 列，E 欄「離職日期」：離職日期 108年7月31日（三） 早於到職日期 109年8月1日（六）" \
        in proc.stderr, proc.stderr
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["115學年度第1學期 開課資料"])  # a title row above the header
    sheet.append(["課程代碼", "科目名稱", "年級", "學分", "授課教師", "班級"])
    sheet.append(["115123456H001010A010111", "國語文", 1, 4, "陳老師", 101])
    sheet.append(["115123456H001010A010111", "國語文", 1, 4, "chen-t", 102])
    book.save(tmp_path / "courses.xlsx")
    proc = run("import", "courses", str(tmp_path / "courses.xlsx"), "-C", str(school / "portfolio"), "--apply",
               "--semester", "115-1")
    assert proc.returncode == 0, proc.stderr
    courses = (school / "portfolio/records/courses/115-1.yaml").read_text("utf-8")
    assert 'classes: ["101", "102"]' in courses and "teachers: [chen-t]" in courses
    students_csv(tmp_path / "s.csv", "utf-8")
    assert run("import", "students", str(tmp_path / "s.csv"), "-C", str(school / "registry"), "--apply",
               "--semester", "115-1").returncode == 0
    grades = openpyxl.Workbook()
    grades.active.append(["學號", "課程代碼", "科目名稱", "成績"])
    grades.active.append([1150101, "115123456H001010A010111", "國語文", 88])
    grades.active.append([1150102, "", "國語文", 59.5])  # found by name and the student's class
    grades.active.append([1150103, "115123456H001010A099999", "數學", 70])
    grades.save(tmp_path / "grades.xlsx")
    proc = run("import", "grades", str(tmp_path / "grades.xlsx"), "-C", str(school / "registry"), "--apply",
               "--semester", "115-1")
    assert proc.returncode == 1 and "第 4 列（學號 1150103）" in proc.stderr and "115123456H001010A099999" in proc.stderr
    assert not (school / "registry/records/grades").exists()
    grades.active.delete_rows(4)
    grades.save(tmp_path / "grades.xlsx")
    proc = run("import", "grades", str(tmp_path / "grades.xlsx"), "-C", str(school / "registry"), "--apply",
               "--semester", "115-1")
    assert proc.returncode == 0, proc.stderr
    text = (school / "registry/records/grades/115-1/115123456H001010A010111.yaml").read_text("utf-8")
    assert '"1150101": 88' in text and '"1150102": 59.5' in text


def test_a_mapping_file_names_the_columns_of_another_layout(school, tmp_path):
    csv = tmp_path / "export.csv"
    csv.write_text(f"Student ID,Full name,ID number,Born,Homeroom\n1150101,王小明,{NID[0]},2010/3/14,101\n", "utf-8")
    proc = run("import", "students", str(csv), "-C", str(school / "registry"))
    assert proc.returncode == 2 and "--mapping" in proc.stderr
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns: {Student ID: student_no, Full name: name, ID number: national_id, Born: birth_date,"
                       " Homeroom: class}\n", "utf-8")
    proc = run("import", "students", str(csv), "-C", str(school / "registry"), "--mapping", str(mapping), "--apply")
    assert proc.returncode == 0, proc.stderr
    assert "birth_date: 2010-03-14" in (school / "registry/records/students/1150101.yaml").read_text("utf-8")


def test_registration_commits_a_thousand_imported_students_without_perm_denied(tmp_path):
    repo = sample_repo(tmp_path / "school")
    rows = [f"{1160001 + i},學生{i},{with_check_digit(f'A1{i:08d}'[:9])},0991001,1{i % 20 + 1:02d},{i % 40 + 1}"
            for i in range(1000)]
    csv = students_csv(tmp_path / "new.csv", "cp950", rows)
    proc = run("import", "students", str(csv), "-C", str(repo.root), "--semester", "115-2", "--apply")
    assert proc.returncode == 0 and "新增 1000" in proc.stdout, proc.stdout + proc.stderr
    repo.commit_all("匯入 115-2 新生", "wang-yating", "2026-11-20 10:00")
    repo.direct({"records/students/1160001.yaml": repo.read("records/students/1160001.yaml").replace("學生0", "學生零")},
                "lai-zhiwei", "2026-11-21 10:00")  # a teacher may not
    denied = [f for f in repo.validate().findings if f.rule == "perm.denied"]
    assert [(f.path, "賴志偉" in f.message("en")) for f in denied] == [("records/students/1160001.yaml", True)]  # by name


def test_receipts_record_who_confirmed_and_the_discrepancy(tmp_path):
    for top in ("records", "schedules"):
        shutil.copytree(REPO / top, tmp_path / "school" / top)
    root = tmp_path / "school"
    receipt = tmp_path / "收訖明細.csv"
    receipt.write_bytes("名冊,上傳筆數,收訖筆數,錯誤筆數,說明\r\n學生資料名冊,28,27,1,1 筆身分證號錯誤\r\n".encode("cp950"))
    args = ("import", "receipts", str(receipt), "-C", str(root), "--semester", "115-1", "--now", NOW)
    assert run(*args, "--apply").returncode == 2  # who confirms?
    proc = run(*args, "--as", "wang-yating", "--apply")
    assert proc.returncode == 0, proc.stderr
    text = (root / "records/submissions/115-1.yaml").read_text("utf-8")
    assert "上傳 28 筆、收訖 27 筆、錯誤 1 筆；1 筆身分證號錯誤" in text
    before = text
    assert "不變 1" in run(*args, "--as", "wang-yating", "--apply").stdout
    assert (root / "records/submissions/115-1.yaml").read_text("utf-8") == before
    codes = {f.rule for f in validate(root, NOW)[1].findings}
    assert "receipt.open-discrepancy" in codes and "schema.invalid" not in codes
    receipt.write_text("名冊,收訖筆數\n不知道的名冊,3\n", "utf-8")
    proc = run(*args, "--as", "wang-yating", "--apply")
    assert proc.returncode == 1 and "第 2 列" in proc.stderr


def test_a_broken_mapping_file_or_record_is_named_with_its_line_and_what_is_wrong(school, tmp_path):
    csv = students_csv(tmp_path / "學生名冊.csv", "utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns: {學號: student_no,\n  姓名: name\n", "utf-8")  # the brace is never closed
    for lang, said in ((None, "方括號「[ ]」或大括號沒有成對"), ("en", "a bracket [ ] or a brace is not closed")):
        proc = run("import", "students", str(csv), "-C", str(school / "registry"), "--mapping", str(mapping),
                   *(["--lang", lang] if lang else []))
        assert proc.returncode == 2 and f"{mapping}:3" in proc.stderr and said in proc.stderr, proc.stderr
        assert "yaml.syntax" not in proc.stderr and "{" not in proc.stderr.split(said)[1], proc.stderr
    proc = run("import", "students", str(csv), "-C", str(school / "registry"), "--mapping", str(tmp_path / "no.yaml"))
    assert proc.returncode == 2 and "找不到檔案" in proc.stderr and "Errno" not in proc.stderr, proc.stderr
    staff = school / "portfolio/records/staff.yaml"
    staff.write_text("- id: chen\n  name: 陳\n  name: 林\n", "utf-8")
    table = tmp_path / "staff.csv"
    table.write_text("代號,姓名,職稱\nlin-t,林老師,教師\n", "utf-8")
    proc = run("import", "staff", str(table), "-C", str(school / "portfolio"))
    assert proc.returncode == 2 and f"{staff}:3" in proc.stderr and "重複的鍵「name」" in proc.stderr, proc.stderr


def test_identities_before_the_first_roster_says_no_student_is_listed_rather_than_none_is_missing(school):
    """A new school's portfolio holds no roster until `licheng roster` writes one: 'students without a
    commit identity: 0' would read as 'everyone is set up'."""
    for lang, said, fix in ((None, "沒有任何學生", "licheng roster"), ("en", "no students", "licheng roster")):
        proc = run("identities", "-C", str(school / "portfolio"), "--now", NOW, *(["--lang", lang] if lang else []))
        assert proc.returncode == 0 and said in proc.stdout and fix in proc.stdout, proc.stdout + proc.stderr


def test_a_file_the_system_could_not_have_written_is_refused_with_exit_2_naming_it(school, tmp_path):
    """What lands in a registration office: a CSV saved by an editor that put UTF-8's BOM before Big5
    text (a traceback, exit 1), a workbook that is no workbook (it said 'BadZipFile'), a folder."""
    registry = str(school / "registry")
    big5 = students_csv(tmp_path / "名冊.csv", "cp950")
    bom = tmp_path / "加了BOM.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + big5.read_bytes())
    broken = tmp_path / "名冊.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    folder = tmp_path / "匯出"
    folder.mkdir()
    for path, zh, en in ((bom, "UTF-8", "UTF-8"), (broken, "不是完整的 Excel 活頁簿", "not a whole Excel workbook"),
                         (folder, "是資料夾", "is a folder")):
        for lang, said in ((None, zh), ("en", en)):
            proc = run("import", "students", str(path), "-C", registry, "--apply", *(["--lang", lang] if lang else []))
            assert proc.returncode == 2 and str(path) in proc.stderr and said in proc.stderr, proc.stderr
            assert "Traceback" not in proc.stderr and "BadZipFile" not in proc.stderr, proc.stderr
    assert not (school / "registry/records/students").exists()


def test_a_student_missing_from_a_reimport_of_her_class_is_named_until_her_leaving_is_recorded(school, tmp_path):
    """A re-import after a transfer: the export no longer lists her, and nothing said so — her record
    went on saying she is in 101. Only students of the classes the file holds are named (a file of
    the new grade-1 classes says nothing of the others); the import itself never removes anyone."""
    registry = school / "registry"
    csv = students_csv(tmp_path / "名冊.csv", "utf-8")
    assert run("import", "students", str(csv), "-C", str(registry), "--semester", "115-1", "--apply").returncode == 0
    rows = csv.read_text("utf-8").splitlines()
    without = tmp_path / "轉出後.csv"
    without.write_text("\n".join(r for r in rows if not r.startswith("1150103,")) + "\n", "utf-8")
    for lang, said in ((None, "1150103 陳（101）不在此檔中"), ("en", "1150103 陳 (101) is not in this file")):
        proc = run("import", "students", str(without), "-C", str(registry), "--semester", "115-1",
                   *(["--lang", lang] if lang else []))
        assert proc.returncode == 0 and said in proc.stdout and "transfer_out" in proc.stdout, proc.stdout + proc.stderr
        assert proc.stdout.count("1150103") == 1 and "1150101" not in proc.stdout, proc.stdout
    record = registry / "records/students/1150103.yaml"
    kept = record.read_text("utf-8")
    assert "name: 陳\n" in kept
    record.write_text(kept.replace("name: 陳\n", 'name: "陳\\u001b[2J"\n'), "utf-8")  # a record's text: escaped
    proc = run("import", "students", str(without), "-C", str(registry), "--semester", "115-1")
    assert "\x1b" not in proc.stdout and "1150103 陳\\u001b[2J（101）不在此檔中" in proc.stdout, proc.stdout
    record.write_text(kept + '  - {date: 2026-11-16, type: transfer_out, school: "654321"}\n', "utf-8")
    proc = run("import", "students", str(without), "-C", str(registry), "--semester", "115-1")
    assert proc.returncode == 0 and "1150103" not in proc.stdout, proc.stdout
    # an older export that still lists her: her record says she left, and the file says nothing of it
    for lang, said in ((None, "1150103 陳 的紀錄記著已於 115年11月16日（一） 轉出，此檔仍列在 101 班"),
                       ("en", "1150103 陳 left (transfer_out, 115年11月16日（一）) by the record, yet this file "
                              "lists the student in 101")):
        proc = run("import", "students", str(csv), "-C", str(registry), "--semester", "115-1",
                   *(["--lang", lang] if lang else []))
        assert proc.returncode == 0 and said in proc.stdout and "reinstate" in proc.stdout, proc.stdout + proc.stderr
    newcomers = students_csv(tmp_path / "新生.csv", "utf-8", [f"1150301,郭,{with_check_digit('G10000000')},0990101,103,1"])
    proc = run("import", "students", str(newcomers), "-C", str(registry), "--semester", "115-1")
    assert proc.returncode == 0 and "不在此檔中" not in proc.stdout, proc.stdout


def test_a_reimport_says_what_changed_as_the_file_names_it(school, tmp_path):
    """A student moved to another class: the dry run said `classes: {'115-1': '102'} → {'115-1': '101'}`
    (two Python dicts); it names the semester's class that changed."""
    registry = school / "registry"
    csv = students_csv(tmp_path / "名冊.csv", "utf-8")
    assert run("import", "students", str(csv), "-C", str(registry), "--semester", "115-1", "--apply").returncode == 0
    moved = tmp_path / "轉班後.csv"
    moved.write_bytes(csv.read_bytes().replace(b",102,2\r\n", b",101,7\r\n", 1))
    proc = run("import", "students", str(moved), "-C", str(registry), "--semester", "115-1")
    assert proc.returncode == 0 and "classes.115-1: 102 → 101; seat_no: 2 → 7" in proc.stdout, proc.stdout
    assert "{" not in proc.stdout and "'" not in proc.stdout, proc.stdout
