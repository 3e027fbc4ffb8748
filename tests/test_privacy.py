"""Nothing personal in what others read: every report format masks, the public site carries no
student's ID, number, name or email, a student number typed into public text fails first in
validate and then the public build, and CI's installed licheng never runs a checkout's code."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import NOW, REPO
from gitschool import portfolio_copy

STUDENT = "records/students/1150101.yaml"
COUNSELING = "records/counseling/115-1/zhou-jiahao.yaml"


def licheng(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})


@pytest.mark.parametrize("fmt", ["text", "json", "github", "codequality"])
def test_every_report_format_masks_personal_values(school, fmt):
    school.edit(STUDENT, "J125493395", "J125493396")  # a wrong check digit: id.national-id echoes it
    school.edit("records/students/1150102.yaml", "birth_date: ", "birth_date: 2010-13-45 #")  # the schema echoes it
    text = school.read(COUNSELING)
    assert "time: " in text
    school.write(COUNSELING, text.replace("time: ", "time: 私下談話內容 #", 1))
    for lang in ("zh-TW", "en"):
        proc = licheng("validate", "-C", str(school.root), "--now", NOW, "--format", fmt, "--lang", lang, "--no-cache")
        assert proc.returncode == 1, proc.stderr
        out = proc.stdout + proc.stderr
        assert "J12*****96" in out
        for secret in ("J125493396", "2010-13-45", "私下談話內容"):
            assert secret not in out, (fmt, lang, secret)
        if fmt in ("json", "codequality"):
            json.loads(proc.stdout)


def test_a_student_number_in_an_event_title_fails_validate_and_the_public_build(school, tmp_path):
    school.edit("schedules/115-1.yaml", "title: 新進教師學習歷程認證操作研習", "title: 新進教師研習（助教 1150101）")
    proc = licheng("validate", "-C", str(school.root), "--now", NOW, "--format", "json", "--no-cache")
    found = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "privacy.public-text"]
    assert proc.returncode == 1 and [(f["path"], f["severity"]) for f in found] == [("schedules/115-1.yaml", "error")]
    proc = licheng("build", "-C", str(school.root), "--now", NOW, "--site-dir", str(tmp_path / "site"))
    assert proc.returncode != 0 and "privacy.public-text" in proc.stdout + proc.stderr
    assert not any("1150101" in p.read_text("utf-8", "ignore") for p in (tmp_path / "site").rglob("*.html")) \
        if (tmp_path / "site").exists() else True
    # the staff site (not public) is built: staff see the finding there
    proc = licheng("build", "-C", str(school.root), "--now", NOW, "--audience", "staff",
                   "--site-dir", str(tmp_path / "staff"), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert ", 1 error, 0 warnings, " in proc.stdout, proc.stdout  # (its English count agrees with its number)


def test_the_public_site_of_a_portfolio_names_no_student(tmp_path):
    """Built from the portfolio alone; scanned for every student's national ID, number, name and email."""
    from generator.validate import validate

    records, _ = validate(REPO, NOW, history=False)
    portfolio = portfolio_copy(tmp_path / "portfolio")
    proc = licheng("build", "-C", str(portfolio), "--now", NOW, "--site-dir", str(tmp_path / "site"))
    assert proc.returncode == 0, proc.stderr
    texts = [p.read_text("utf-8", "ignore") for p in (tmp_path / "site").rglob("*")
             if p.is_file() and p.suffix in (".html", ".json", ".ics", ".xml", ".js", ".txt")]
    assert len(texts) > 10
    site = "\n".join(texts)
    for no, student in records.students.items():
        for value in (student["national_id"], no, student["name"], *(student.get("git") or ())):
            assert value not in site, value


def test_the_installed_console_script_never_runs_a_checkouts_generator(tmp_path, wheel_venv):
    """CI installs a pinned licheng and runs its console script in the school's checkout: a
    generator/ committed there (here: one that writes a marker) must not run. `python -m
    generator` would run it (the current directory comes first on sys.path): the templates
    never use it."""
    base = wheel_venv
    school = portfolio_copy(tmp_path / "checkout")
    marker = tmp_path / "ran.txt"
    (school / "generator").mkdir()
    (school / "generator/__init__.py").write_text(f"open({str(marker)!r}, 'w').write('malicious')\n", "utf-8")
    (school / "generator/__main__.py").write_text("", "utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([str(base / "venv/bin/licheng"), "validate", "--now", NOW], cwd=school, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    assert not marker.exists()
    subprocess.run([str(base / "venv/bin/python"), "-m", "generator", "--version"], cwd=school, env=env,
                   capture_output=True, text=True, timeout=300)
    assert marker.exists()  # the hazard the templates avoid
    for template in (REPO / ".github/workflows/licheng.yml", REPO / ".gitlab-ci.yml"):
        assert "python -m generator" not in template.read_text("utf-8")



def test_a_students_name_is_found_anywhere_in_a_public_text():
    from generator.rules.privacy import _name_index, personal_in

    names = _name_index(["王小明", "王小", "林美玲"])
    assert personal_in("社團成果：王小明與林美玲主持", set(), names) == ("name", "林○○")  # the first in sorted order
    assert personal_in("主持人王小華", set(), names) == ("name", "王○")
    assert personal_in("美玲老師與小明", set(), names) is None


def test_a_public_text_is_read_as_it_shows_full_width_and_invisible_characters_too():
    from generator.rules.privacy import _name_index, personal_in

    names = _name_index(["王小明"])
    assert personal_in("頒獎：１１５０１０１", {"1150101"}, names) == ("number", "1150101")  # typed full-width
    assert personal_in("主持人王\u200b小明", set(), names) == ("name", "王○○")  # a zero-width space between
    assert personal_in("主持人王\u2060小\ufeff明", set(), names) == ("name", "王○○")
    assert personal_in("信箱 ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", set(), names) == ("email", "wa***@example.com")
