"""The language of what a command itself prints: Traditional Chinese only by default, English only
with --lang en (its summaries, checklists and refusals; record text such as names and titles, and
ROC dates, stay as they are).

Every verb runs once on real repositories (the sample school under Git, a school made by
`licheng init`, a spreadsheet imported into it); the runs are shared by the tests below.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from generator import cli
from gitschool import sample_repo
from test_import import students_csv

from conftest import NOW, REPO, _font_problem

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
ROC_DATE = re.compile(r"\d+年\d+月\d+日(?:（.）)?(?:\d\d:\d\d)?")
# a line that still says one thing in both languages: Chinese, then " / " and English words
BOTH = re.compile(r"[\u4e00-\u9fff][^\n]* / [A-Za-z]{2}")
FONT = _font_problem() is None
LATER = "2031-03-01 09:00"  # 1130110 (left 2026-02-15) is past retention: purge lists her records


def said(*argv: str) -> tuple[int, str]:
    """One run of licheng in this process: its exit code, and stdout then stderr (with what MkDocs
    logs, which a licheng process prints on stderr)."""
    out, err = io.StringIO(), io.StringIO()
    mkdocs, handler = logging.getLogger("mkdocs"), logging.StreamHandler(err)
    mkdocs.addHandler(handler)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(list(argv))
    finally:
        mkdocs.removeHandler(handler)
    return code, out.getvalue() + err.getvalue()


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def record_text(*roots) -> list[str]:
    """Every text of the schools' records and schedules that holds Chinese, longest first."""
    found = set()
    for root in roots:
        for path in [*root.glob("records/**/*.yaml"), *root.glob("schedules/*.yaml")]:
            found.update(t for t in _texts(yaml.safe_load(path.read_text("utf-8"))) if CJK.search(t))
    return sorted(found, key=len, reverse=True)


def chinese_words(text: str, data: list[str]) -> list[str]:
    """The Chinese left in `text` once record text and ROC dates are taken out: licheng's own words."""
    for value in data:
        text = text.replace(value, " ")
    return CJK.findall(ROC_DATE.sub(" ", text))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """verb -> {lang: (exit code, output)}: every verb on real repositories, in English and
    (the representative ones) in the default language."""
    base = tmp_path_factory.mktemp("languages")
    school = sample_repo(base / "school")
    csv = students_csv(base / "學生名冊.csv", "utf-8")
    out: dict[str, dict[str, tuple[int, str]]] = {}

    def both(name: str, *argv: str, langs=("zh-TW", "en"), **paths) -> None:
        for lang in langs:
            tag = "zh" if lang == "zh-TW" else "en"
            argv_lang = [a.format(lang=tag, **paths) for a in argv]
            out.setdefault(name, {})[lang] = said(*argv_lang, *(["--lang", "en"] if lang == "en" else []))

    s, b = str(school.root), str(base)
    both("init", "init", b + "/init-{lang}", "--name", "測試高中", "--code", "123456", "--now", NOW)
    both("import", "import", "students", str(csv), "-C", b + "/init-{lang}/registry", "--semester", "115-1",
         "--now", NOW)
    both("import --apply", "import", "students", str(csv), "-C", b + "/init-{lang}/registry", "--semester",
         "115-1", "--apply", "--now", NOW)
    both("import problems", "import", "students", str(students_csv(base / "bad.csv", "utf-8", [
        "1150101,王,A123456788,0991399,101,1", "1150101,李,,0990314,,x"])), "-C", b + "/init-{lang}/registry",
         "--semester", "115-1", "--now", NOW)
    both("roster", "roster", "-C", b + "/init-{lang}/registry", "--now", NOW)
    both("identities", "identities", "-C", s, "--now", NOW)
    both("export", "export", "-C", s, "--semester", "115-1", "--out", b + "/export-{lang}", "--now", NOW)
    both("export refused", "export", "-C", s, "--semester", "115-1", "--out", s + "/records", "--now", NOW)
    both("purge", "purge", "-C", s, "--now", LATER)
    both("purge refused", "purge", "-C", s, "--apply", "--now", LATER)
    both("letters", "letters", "-C", s, "--semester", "115-1", "--out", b + "/letters-{lang}", "--now", NOW)
    if FONT:  # a PDF (the letters' text is for the student, in Chinese): its summary line
        both("letters 114-2", "letters", "-C", s, "--semester", "114-2", "--out", b + "/letters-{lang}", "--now", NOW,
             langs=("en",))
    en = ("en",)
    both("validate", "validate", "-C", s, "--now", NOW, langs=en)
    both("status", "status", "-C", s, "--semester", "115-1", "--teacher", "lai-zhiwei", "--now", NOW, langs=en)
    both("inbox", "inbox", "-C", s, "--as", "lai-zhiwei", "--now", NOW, langs=en)
    both("certify", "certify", "-C", s, "--as", "lai-zhiwei", "--now", NOW, langs=en)
    both("codeowners", "codeowners", "-C", s, "--out", "CODEOWNERS-{lang}", "--now", NOW, langs=en)
    both("evaluation", "evaluation", "-C", s, "--year", "115", "--now", NOW, langs=en)
    both("archive", "archive", "-C", s, "--student", "1150101", "--out", b + "/archive-{lang}.zip", "--now", NOW,
         langs=en)
    both("sheets", "sheets", "-C", s, "--semester", "115-1", "--class", "999", "--out", b + "/sheets-{lang}",
         "--now", NOW, langs=en)  # no such class: refused before any PDF is made
    both("migrate", "migrate", "-C", s, langs=en)  # without --lfs: refused
    both("demo", "demo", b + "/demo", "--students", "10", langs=en)  # too few: refused
    both("serve", "serve", "-C", s, "--dev-addr", "nowhere", langs=en)  # refused by its argument type
    both("build", "build", "-C", s, "--site-dir", str(csv), "--now", NOW, langs=en)  # a file: refused (MkDocs takes seconds)
    rolled = sample_repo(base / "rolled")
    both("rollover", "rollover", "116-1", "-C", str(rolled.root), "--now", NOW, langs=en)
    rolled.edit("records/students/1150101.yaml", "J125493395", "J125493396")
    both("build --strict", "build", "-C", str(rolled.root), "--strict", "--site-dir", b + "/site-{lang}", "--now", NOW)
    both("split", "split", "-C", s, b + "/registry-{lang}", "--now", NOW, langs=en)  # last: it moves records
    # the file's own headers: a column the import did not use, a bad cell's column, named as the file heads them
    headers = ["學號", "姓名", "身分證統一編號", "出生日期", "班級", "座號", "性別"]
    out["data"] = [str(csv), *headers, *record_text(REPO, base / "init-en/registry", base / "init-en/portfolio")]
    return out


def test_every_verb_speaks_english_with_lang_en(runs):
    data = runs["data"]
    verbs = {name.split()[0] for name in runs if name != "data"}
    assert verbs == set(cli.VERBS)
    for name, by_lang in runs.items():
        if name == "data":
            continue
        code, text = by_lang["en"]
        assert code in (0, 1, 2) and text.strip(), name
        assert chinese_words(text, data) == [], (name, text)


@pytest.mark.parametrize("name", ["init", "import", "import --apply", "import problems", "roster", "identities",
                                  "export", "export refused", "purge", "purge refused", "letters", "build --strict"])
def test_chinese_only_by_default_english_only_with_lang_en(runs, name):
    zh_code, zh = runs[name]["zh-TW"]
    en_code, en = runs[name]["en"]
    assert zh_code == en_code, (zh, en)
    assert chinese_words(zh, runs["data"]), zh  # licheng's own words, in Chinese
    assert not BOTH.search(zh), zh  # and not followed by their English
    assert chinese_words(en, runs["data"]) == [], en


def test_what_each_language_says(runs):
    assert "接下來" in runs["init"]["zh-TW"][1] and "next steps" in runs["init"]["en"][1]
    assert "1. Push portfolio/ and registry/" in runs["init"]["en"][1]
    assert "GitLab: Settings → Merge requests, Merge method \"Merge commit\"" in runs["init"]["en"][1]
    zh, en = runs["import"]["zh-TW"][1], runs["import"]["en"][1]
    assert "新增 6、變更 0、不變 0 個檔案（試算" in zh and "6 added, 0 changed, 0 unchanged files (a dry run" in en
    zh, en = runs["import problems"]["zh-TW"][1], runs["import problems"]["en"][1]
    assert "第 2 列（學號 1150101），C 欄「身分證統一編號」：身分證號「A12*****88」格式或檢查碼錯誤" in zh
    assert "row 2 (student 1150101), column C (身分證統一編號): national ID 'A12*****88' has a wrong form or check digit" in en
    row3 = [line.split(": ", 1)[1] for line in en.splitlines() if ": row 3 " in line]  # as the sheet reads: A, C, E, F
    assert [line.split(", column ")[1][0] for line in row3] == ["A", "C", "E", "F"], row3
    assert row3[0] == "row 3 (student 1150101), column A (學號): duplicate of row 2 (the same student number)"
    assert "\n6 problems: nothing imported" in en and "\n有 6 個問題，整份檔案未匯入" in zh
    assert runs["import problems"]["en"][0] == 1
    assert "沒有提交身分的教職員" in runs["identities"]["zh-TW"][1]
    assert "staff without a commit identity" in runs["identities"]["en"][1]
    assert "--apply needs --as STAFF_ID" in runs["purge refused"]["en"][1]
    assert "records: 資料夾不是空的，也不是 licheng 的匯出" in runs["export refused"]["zh-TW"][1]
    assert "error: argument --dev-addr: nowhere: must be IP:PORT" in runs["serve"]["en"][1]
    assert "1130110" in runs["purge"]["en"][1] and "past retention" in runs["purge"]["en"][1]
    failed = "1 error in the records (--strict): run licheng validate\n"
    assert runs["build --strict"]["en"] == (1, failed + "licheng: " + failed)  # MkDocs' log, then licheng's


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=12).filter(lambda v: v.strip() and v.isprintable()))
def test_a_refused_value_is_told_in_one_language(value):
    """An argument our own types refuse (here a semester): the complaint names the value and is
    Chinese by default, English with --lang en, whatever the value holds."""
    zh_code, zh = said("status", "-C", "/nonexistent-licheng", f"--semester={value}")
    en_code, en = said("status", "-C", "/nonexistent-licheng", f"--semester={value}", "--lang", "en")
    assert zh_code == en_code == 2
    zh_line, en_line = zh.strip().splitlines()[-1], en.strip().splitlines()[-1]
    if "semester" not in en_line:
        return  # refused before the value (e.g. no school folder): covered above
    assert zh_line.startswith("licheng status: 錯誤：參數 --semester：") and not BOTH.search(zh_line)
    assert CJK.findall(en_line.replace(value, " ")) == [], en_line


def test_parse_errors_and_the_now_option(tmp_path):
    code, text = said("validate", "--format", "xml")
    assert code == 2 and "錯誤：參數 --format：沒有 'xml' 這個選項" in text and "error:" not in text
    code, text = said("validate", "--format", "xml", "--lang", "en")
    assert code == 2 and "error: argument --format: invalid choice: 'xml'" in text and not CJK.search(text)
    code, text = said("validate", "-C", str(tmp_path), "--now", "someday", "--lang", "en")
    assert code == 2 and "--now someday: not a date or time" in text and not CJK.search(text)
    code, text = said("validate", "-C", str(tmp_path), "--lang", "en")
    assert code == 2 and "no records/ folder: not a school repository" in text and not CJK.search(text)
    code, text = said("validate", "-C", str(tmp_path))
    assert code == 2 and "這不是學校的歷程資料庫" in text and "not a school" not in text


def test_help_in_the_run_language():
    """--help shows each option's help in the run's language (written once as "中文 / English")."""
    for verb in [None, *cli.VERBS]:
        argv = [verb, "--help"] if verb else ["--help"]
        _, zh = said(*argv)
        _, en = said(*argv, "--lang", "en")
        assert CJK.search(zh) and not BOTH.search(zh), (verb, zh)
        # argparse's own words too: usage:, options:, positional arguments, -h's "show this help message"
        assert not re.search(r"usage:|options:|positional arguments|show this help|show program", zh), (verb, zh)
        assert "usage: licheng" in en
        assert not CJK.search(en), (verb, en)
