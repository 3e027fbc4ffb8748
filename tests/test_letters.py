"""Paper-mail letters for students who left (§7.3.3): a real PDF, read back with poppler-utils.

1130110 transferred out on 2026-02-15 (in 114-2) and has a mailing address; the test makes
1130109 withdraw on 2026-06-30 without one. 114's receipt confirmation closes 2026-08-31 17:00.
"""

from __future__ import annotations

import subprocess

import pytest

from generator.papers import letters as letters_mod
from generator.papers.letters import FontMissing, find_font, letters
from generator.validate import validate

from conftest import needs_cjk_font, needs_pdftotext


def leave(school, no, date, kind="withdraw"):
    school.edit(f"records/students/{no}.yaml", "type: admitted}", f"type: admitted}}\n  - {{date: {date}, type: {kind}}}")


def run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@needs_pdftotext
@needs_cjk_font
def test_one_page_per_student_who_left(school, tmp_path):
    leave(school, "1130109", "2026-06-30")
    school.append("records/school.yaml", 'address: "999 示範市和平區中山路一段1號"\nphone: "(09) 999-9999 分機 123"\n')
    records, result = validate(school.root, "2026-11-28 12:00")
    assert not [f for f in result.findings if f.path == "records/school.yaml"]
    report = letters(records, "114-2", tmp_path)
    assert report.students == ["1130109", "1130110"] and report.no_address == ["1130109"]
    assert report.deadline == "115年8月31日（一）17:00" and report.pages == 2
    assert "Pages:           2" in run("pdfinfo", str(report.pdf))
    assert " yes " in run("pdffonts", str(report.pdf)).splitlines()[2]  # the CJK font is embedded
    text = run("pdftotext", "-layout", str(report.pdf), "-")
    pages = text.split("\f")
    assert "鄭雅筑" in pages[1] and "示範市和平區中山路二段88巷6號" in pages[1] and "轉出" in pages[1]
    assert "無通訊地址" in pages[0] and "退學" in pages[0]
    for page in pages[:2]:
        assert "示範市立示範高級中學" in page and "115年8月31日" in page and "王雅婷" in page
        assert "(09) 999-9999" in page and "收訖明細" in page
    assert "1150101" not in text  # still enrolled: no letter
    run("pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(report.pdf), str(tmp_path / "page"))
    assert (tmp_path / "page-1.png").stat().st_size > 5000
    rows = report.csv.read_bytes()
    assert rows.startswith(b"\xef\xbb\xbf") and b"\r\n" in rows
    lines = rows.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("學號,姓名,郵遞區號,地址")
    assert lines[2].startswith("1130110,鄭雅筑,999,示範市和平區中山路二段88巷6號,")


@needs_pdftotext
@needs_cjk_font
def test_what_to_check_is_what_the_export_carries(school, tmp_path):
    leave(school, "1130101", "2026-07-31", "graduate")
    records, _ = validate(school.root, "2026-09-01")
    chosen = {letter.student_no: letter for letter in letters_mod.recipients(records, "114-2")}
    assert chosen["1130101"].reason == "畢業"
    counts = chosen["1130101"].counts
    assert counts["enrollment"] == 1 and counts["grades"] == 4 and counts["cadres"] == 1
    assert counts["performances"] == 10  # selected in 114; no Git here, so no outcome counts as certified


@needs_pdftotext
@needs_cjk_font
def test_nobody_has_left_yet(school, tmp_path):
    records, _ = validate(school.root, "2026-02-10")
    report = letters(records, "114-2", tmp_path / "none")
    assert report.students == [] and report.pdf is None and not (tmp_path / "none").exists()


def test_missing_font_names_the_package(monkeypatch):
    monkeypatch.setenv("LICHENG_CJK_FONT", "/nonexistent/font.ttf")
    with pytest.raises(FontMissing, match="LICHENG_CJK_FONT"):
        find_font()
    monkeypatch.delenv("LICHENG_CJK_FONT")
    monkeypatch.setattr(letters_mod, "FONTS", [("/nonexistent/a.ttc", "fonts-noto-cjk")])
    with pytest.raises(FontMissing, match="apt-get install fonts-noto-cjk"):
        find_font()


@needs_pdftotext
@needs_cjk_font
def test_ten_long_titles_go_on_to_a_second_page_and_the_mail_merge_runs_no_formula(school, tmp_path):
    leave(school, "1130101", "2026-07-31", "graduate")
    long = "：跨領域探究與實作成果，含田野調查、訪談紀錄、資料分析與反思（" + "延伸說明" * 12 + "）"
    for path in school.path("records/performances/114/1130101").glob("*.yaml"):
        text = path.read_text("utf-8")
        title = next(line for line in text.splitlines() if line.startswith("title: "))
        path.write_text(text.replace(title, title + long), "utf-8")
    school.edit("records/students/1130101.yaml", "name: ", 'mailing_address: "=HYPERLINK(\\"http://x\\")"\nname: ')
    records, _ = validate(school.root, "2026-09-01")
    letter = next(item for item in letters_mod.recipients(records, "114-2") if item.student_no == "1130101")
    assert len(letter.items) == 10 and all(long in item for item in letter.items)
    report = letters(records, "114-2", tmp_path)
    assert report.pages > len(report.students)  # her letter goes on to a second page
    text = run("pdftotext", "-layout", str(report.pdf), "-")
    assert text.count("學生簽名") == len(report.students)  # every letter reaches its end, on the paper
    assert text.count(long[:10]) == 10
    rows = report.csv.read_bytes().decode("utf-8-sig")
    assert "'=HYPERLINK" in rows and ",=HYPERLINK" not in rows


@pytest.mark.parametrize("content", [None, b"not a font at all", b"\x00\x01\x00\x00" + b"\x00" * 200])
def test_a_missing_damaged_or_foreign_font_exits_2(school, tmp_path, monkeypatch, capsys, content):
    from generator import cli

    font = tmp_path / "font.ttf"
    if content is not None:
        font.write_bytes(content)
    monkeypatch.setenv("LICHENG_CJK_FONT", str(font))
    leave(school, "1130109", "2026-06-30")
    assert cli.main(["letters", "--semester", "114-2", "--out", str(tmp_path / "out"), "-C", str(school.root),
                     "--now", "2026-11-28 12:00"]) == 2
    err = capsys.readouterr().err
    assert "LICHENG_CJK_FONT" in err and "Traceback" not in err


@needs_cjk_font
def test_the_letters_without_an_address_are_named_with_what_to_add(school, tmp_path, capsys):
    """'缺少通訊地址：1 位' left registration to find whose among the letters; now the numbers and the fix."""
    from generator import cli

    leave(school, "1130109", "2026-06-30")
    for lang, said in ((None, "缺少通訊地址：1 位（1130109）"), ("en", "no mailing address: 1 student (1130109)")):
        assert cli.main(["letters", "--semester", "114-2", "--out", str(tmp_path / f"out-{lang}"), "-C",
                         str(school.root), "--now", "2026-11-28 12:00", *(["--lang", lang] if lang else [])]) == 0
        err = capsys.readouterr().err
        assert said in err and "mailing_address" in err and "1130110" not in err, err
