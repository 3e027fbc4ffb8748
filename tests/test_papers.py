"""The papers a school prints or hands out: 歷程確認單 (sheets), a student's archive (§7.2), and
the §11 evaluation — real PDFs read back with pdftotext, real zips, real Git history."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import zipfile

import pytest

from generator.validate import validate
from gitschool import sample_repo
from test_cli import run
from test_history import NEW, OUTCOME

from conftest import NOW, needs_cjk_font, needs_pdftotext


@needs_pdftotext
@needs_cjk_font
def test_sheets_one_page_per_student_one_file_per_class(school, tmp_path):
    records, _ = validate(school.root, NOW)
    in_201 = sorted(no for no, s in records.students.items() if s.get("classes", {}).get("114-2") == "201")
    proc = run("sheets", "-C", str(school.root), "--now", NOW, "--semester", "114-2", "--out", str(tmp_path),
               "--class", "201")
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "sheets-114-2-201.pdf"
    assert [p.name for p in tmp_path.glob("*.pdf")] == [pdf.name]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(rf"^Pages:\s+{len(in_201)}$", info, re.M), info
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    for no, page in zip(in_201, pages):
        student = records.students[no]
        assert no in page and student["name"] in page and "學生簽名" in page and "家長簽名" in page
        assert student["national_id"] not in page and student["birth_date"] not in page
        titles = [d.data["title"] for d in records.valid("outcome") if d.keys["student"] == no
                  and d.keys["semester"] == "114-2"]
        assert all(t[:6] in page for t in titles)
    selected = records.valid("selection")
    chosen = next(d for d in selected if d.keys["student"] in in_201 and d.data.get("outcomes"))
    page = pages[in_201.index(chosen.keys["student"])]
    assert "✓" in page


def test_sheets_for_a_class_nobody_is_in(school, tmp_path):
    proc = run("sheets", "-C", str(school.root), "--now", NOW, "--semester", "114-2", "--out", str(tmp_path),
               "--class", "999")
    assert proc.returncode == 2 and not list(tmp_path.glob("*.pdf"))


def test_archive_holds_the_students_own_files_and_a_summary(school, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not theirs", "utf-8")
    os.symlink(outside, school.path("records/outcomes/114-2/1130101/link.pdf"))
    out = tmp_path / "1130101.zip"
    proc = run("archive", "-C", str(school.root), "--now", NOW, "--student", "1130101", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        summary = zf.read("summary.html").decode("utf-8")
        assert b"not theirs" not in b"".join(zf.read(n) for n in names)
    assert "summary.html" in names and not any(n.endswith("link.pdf") for n in names)
    own = [p.relative_to(school.root).as_posix() for p in school.root.glob("records/outcomes/*/1130101/*")
           if not p.is_symlink()]
    assert own and set(own) <= set(names)
    assert all("1130101" in n for n in names if n != "summary.html")
    records, _ = validate(school.root, NOW)
    assert records.students["1130101"]["name"] in summary and "national_id" not in summary
    assert run("archive", "-C", str(school.root), "--student", "0000000", "--out", str(out)).returncode == 2


def test_evaluation_counts_a_teachers_certification_and_its_days(tmp_path):
    repo = sample_repo(tmp_path / "school")
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 10:00", "jiang-shuhui", "2026-09-18 22:00")
    out = tmp_path / "evaluation.csv"
    proc = run("evaluation", "-C", str(repo.root), "--now", NOW, "--year", "115", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["類別", "對象", "項目", "數值"]
    mine = {r[2]: r[3] for r in rows if r[0] == "教師" and r[1] == "江淑惠"}
    assert mine == {"認證件數": "1", "期限內認證": "1", "上傳至認證天數中位數": "3.5"}
    assert any(r[0] == "研習與會議" and r[1] == "學生訓練" for r in rows)
    assert run("evaluation", "-C", str(repo.root), "--year", "x").returncode == 2


def test_the_staff_site_shows_the_evaluation(tmp_path):
    from generator.publish import build

    repo = sample_repo(tmp_path / "school")
    repo.mr({NEW: OUTCOME}, "1150101", "2026-09-15 10:00", "jiang-shuhui", "2026-09-18 22:00")
    report = build(repo.root, "staff", tmp_path / "site", now=NOW)
    page = (report.site_dir / "staff/evaluation/index.html").read_text("utf-8")
    assert "115 學年度成效評估" in page and "江淑惠" in page and "上傳至認證天數中位數" in page
    public = build(repo.root, "public", tmp_path / "public", now=NOW)
    assert not (public.site_dir / "staff").exists()
