"""No crash, no hang, on any input: hostile YAML, extreme dates, file names that try to inject
workflow commands, symlinked folders, bad command-line arguments (issue 10, class 3)."""

from __future__ import annotations

import json
import os
import re
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from generator import cli, dates
from generator.errors import printable
from generator.reporter import REPORTERS, _escape
from generator.result import Result, finding
from generator.yaml import YamlProblem, loads

OUT = "records/outcomes/115-1/1150101/book-review.yaml"
HOSTILE_VALUES = [
    "!!int abc", "!!float x", "!!bool maybe", "!!binary '@@@'", "!!set {x}", "!!map x", "!!seq x",
    "!!python/object:os.system x", "!!python/name:os.system ''", "!foo x", "9" * 5000, "0x" + "f" * 5000,
    "!!timestamp 99999-01-01", "!<tag:yaml.org,2002:int> x",
]


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=range(len(HOSTILE_VALUES)))
def test_a_constructor_error_is_a_syntax_problem(value):
    try:
        data = loads(f"title: {value}\n")
    except YamlProblem as problem:
        assert problem.code == "yaml.syntax" and problem.line == 1
    else:  # only an explicit timestamp is read, and then as text (generator.dates parses it)
        assert data == {"title": "99999-01-01"}


def test_hostile_values_in_a_school_are_findings_not_crashes(school):
    for n, value in enumerate(HOSTILE_VALUES):
        school.write(f"records/outcomes/115-1/1150101/x{n}.yaml", f'course: "115999999H001010A010211"\ntitle: {value}\n')
    school.write("schedules/115-2.yaml", "semester: 115-2\nterm: {start: 99999-02-01, end: 10000-01-01}\n")
    result = school.validate()
    codes = {f.rule for f in result.findings}
    assert "internal.error" not in codes
    syntax = {f.path for f in result.findings if f.rule == "yaml.syntax"}
    assert len(syntax) == len(HOSTILE_VALUES) - 1
    assert any(f.path == "schedules/115-2.yaml" and f.rule == "schema.invalid" for f in result.findings)


@pytest.mark.parametrize("text, variant, line", [
    ("title：我的報告\nsummary: x\n", "fullwidth-colon", 1),
    ("title: a\n\tsummary: x\n", "tab", 2),
    ("title: a\n summary: x\n", "indent", 2),
    ("summary: x\ntitle: 'abc\nsummary: x\n", "unclosed", 2),
    ("title: 主題: 植物\n", "value-colon", 1),
    ("files: [a.pdf, b.pdf\nsummary: x\n", "brackets", 2),
    ("title: @x\n", "character", 1),
    ('course: ""115999999H001010A010211""\ntitle: x\n', "after-quote", 1),
    ("summary: x\ntitle: '主題' 植物\n", "after-quote", 2),
])
def test_common_syntax_errors_are_named_in_chinese(text, variant, line):
    with pytest.raises(YamlProblem) as caught:
        loads(text)
    problem = caught.value
    assert problem.params["variant"] == variant and problem.params["at"] == line
    assert problem.line == line  # the finding's file:line is the line its message names
    message = finding(problem.code, OUT, problem.line, **problem.params).message("zh-TW")
    assert not re.search(r"[a-z]{4,} [a-z]{4,}", message), message  # no English sentence from libyaml


@pytest.mark.parametrize("value", [
    "10000-01-01", "99999-01-01", "0001-01-01", "2026-01-01T00:00+99:00", "2026-01-01 00:00+08:60",
    "9999-12-31 23:59:59-05:00", "2026-02-30", "8999-12-31 23:59+14:00x",
])
def test_extreme_dates_are_no_dates(value):
    assert not dates.is_date(value)
    with pytest.raises(ValueError):
        dates.parse(value)


def test_the_last_accepted_moment_moves_to_any_zone():
    latest = dates.parse(f"{dates.MAX_YEAR}-12-31 23:59-14:00")
    assert dates.roc(latest.astimezone(dates.zone("Pacific/Kiritimati")))


@pytest.mark.parametrize("env, argv", [
    ({}, ["--now", "10000-01-01"]),
    ({}, ["--now", "2026-01-01T00:00+99:00"]),
    ({"SOURCE_DATE_EPOCH": "253402300800"}, []),
    ({"SOURCE_DATE_EPOCH": "99999999999999999999"}, []),
    ({"SOURCE_DATE_EPOCH": "1e9"}, []),
])
def test_a_bad_now_exits_2(school, monkeypatch, capsys, env, argv):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert cli.main(["validate", "-C", str(school.root), *argv]) == 2
    assert "licheng:" in capsys.readouterr().err


def _lines_that_command(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("::")]


def test_file_names_cannot_inject_workflow_commands():
    result = Result()
    path = "records/x\n::set-output name=token::stolen\r\n::error::fake,%0A.yaml"
    result.add(finding("layout.unknown-file", path, None))
    result.add(finding("yaml.syntax", "::warning file=a::b", 3, detail="x"))
    text = REPORTERS["text"](result, "zh-TW")
    assert len(text.splitlines()) == 3 and not _lines_that_command(text)
    github = REPORTERS["github"](result, "en")
    assert [line.split(" ", 1)[0] for line in _lines_that_command(github)] == ["::error", "::warning"]
    assert len(github.splitlines()) == 3
    assert "\\u000a" in github and "%250A" in github and "%3A%3Aset-output" in github and "%2C" in github
    assert [f["path"] for f in json.loads(REPORTERS["json"](result, "en"))["findings"]] == sorted([path, "::warning file=a::b"])
    assert len(json.loads(REPORTERS["codequality"](result, "en"))) == 2


# what a terminal, a CI log or a web page acts on instead of showing: a bidirectional override or
# isolate (a name that reads backwards, "Trojan source"), a zero-width joiner, a line break, an
# escape sequence, a C1 control, a line separator
TRICKS = ["\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200b", "\ufeff", "\n", "\r", "\x1b[2J", "\x9b",
          "\u2028", "\u2029", "\x85"]


def _shown_as_is(ch: str) -> bool:
    import unicodedata

    return ch.isprintable() or unicodedata.category(ch) in ("Zs", "Co") or ch == "\n"


def test_every_report_line_escapes_what_the_queue_escapes():
    """The report formats and the queue's lines (errors.printable) once escaped different sets: a
    bidirectional override in a file's name reached the CI log as it is."""
    result = Result()
    for n, trick in enumerate(TRICKS):
        result.add(finding("layout.unknown-file", f"records/x{n}{trick}gpj.yaml", None))
    for kind in ("text", "github"):
        out = REPORTERS[kind](result, "zh-TW")
        assert all(map(_shown_as_is, out)), [ch for ch in out if not _shown_as_is(ch)]
        assert len(out.splitlines()) == len(TRICKS) + 1 and "\\u202egpj" in out
    # a name that is no UTF-8 shows the byte Git stored, where a strict terminal encoding once failed on it
    result = Result()
    result.add(finding("layout.unknown-file", b"records/\xff.yaml".decode("utf-8", "surrogateescape"), None))
    assert "records/\\xff.yaml" in REPORTERS["text"](result, "en").encode("utf-8").decode("utf-8")


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_printable_leaves_nothing_a_terminal_acts_on(value):
    shown = printable(value, None)
    kept = [ch.isprintable() or unicodedata.category(ch) in ("Zs", "Co") for ch in value]
    assert all(ch.isprintable() or unicodedata.category(ch) in ("Zs", "Co") for ch in shown)
    assert shown == value if all(kept) else len(shown) > len(value)
    for kind in ("text", "data", "property"):
        line = _escape(value, kind)
        assert "\n" not in line and "\r" not in line and "\u202e" not in line and "\u2066" not in line
    assert not _escape(value, "text").startswith(":")
    assert "," not in _escape(value, "property") and ":" not in _escape(value, "property")
    assert printable(value, 10) == printable(value[:10], None) + ("…" if len(value) > 10 else "")


def test_the_systems_words_for_common_failures_are_said_in_the_runs_language(tmp_path):
    """OSError's and urlopen's words are English: the common cases are phrased in Chinese where a
    Chinese message wraps them; the rare rest stays as the system says it."""
    import errno
    import socket
    import urllib.error

    from generator.errors import os_reason
    from generator.records.parsing import _parse
    from generator import rules  # noqa: F401  (declares yaml.unreadable)

    cases = {
        OSError(errno.ENOENT, "No such file or directory", "x.csv"): "找不到這個檔案或資料夾",
        PermissionError(errno.EACCES, "Permission denied"): "沒有權限",
        IsADirectoryError(errno.EISDIR, "Is a directory"): "這是資料夾，不是檔案",
        NotADirectoryError(errno.ENOTDIR, "Not a directory"): "路徑中有一段不是資料夾",
        FileExistsError(errno.EEXIST, "File exists"): "已經有同名的檔案",  # a folder to make where a file is
        urllib.error.URLError(ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")): "對方拒絕連線",
        urllib.error.URLError(TimeoutError("timed out")): "逾時沒有回應",
        ConnectionResetError(): "連線被對方中斷",  # raised without an errno nor words
        socket.timeout("timed out"): "逾時沒有回應",
        urllib.error.URLError(socket.gaierror(socket.EAI_NONAME, "Name or service not known")): "找不到這個主機名稱",
    }
    for exc, chinese in cases.items():
        zh, en = os_reason(exc)
        assert zh.startswith(chinese) and zh.isprintable() and not zh.isascii(), (exc, zh)
        assert en.isascii() and en, (exc, en)
    assert os_reason(OSError(errno.EXDEV, "Invalid cross-device link")) == ("Invalid cross-device link",) * 2
    assert os_reason(OSError()) == ("OSError", "OSError") and os_reason(urllib.error.URLError(OSError())) == ("OSError",) * 2
    _, (code, line, params) = _parse(str(tmp_path))  # a folder named like a record
    said = finding(code, "records/x.yaml", line, **params)
    assert said.message("zh-TW") == "無法讀取檔案：這是資料夾，不是檔案" and said.message("en").endswith("Is a directory")


def test_symlinked_records_or_schedules_are_refused(school, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    school.path("schedules").rename(elsewhere)
    os.symlink(elsewhere, school.path("schedules"))
    assert cli.main(["validate", "-C", str(school.root)]) == 2
    assert "schedules" in capsys.readouterr().err
    assert any(f.rule == "file.symlink" and f.path == "schedules" for f in school.validate().findings)


@pytest.mark.parametrize("argv", [
    ["validate", "--rev", "nosuch"],
    ["validate", "--rev=--name-only"],
    ["validate", "-C", "{root}/records/school.yaml"],
    ["status", "--semester", "115-3"],
    ["export", "--semester", "115-3", "--out", "{tmp}/out"],
    ["export", "--semester", "115-1", "--out", "{root}/records/school.yaml"],
    ["letters", "--semester", "115-1", "--out", "{root}/records/school.yaml/x"],
    ["build", "--site-dir", "{root}/records/school.yaml"],
    ["demo", "{tmp}/demo", "--students", "-5"],
    ["demo", "{root}/records/school.yaml"],
    ["purge", "--apply", "--as", "nobody"],
    ["validate", "--format", "xml"],
    ["nosuchverb"],
])
def test_every_bad_argument_exits_2_with_a_message(school, tmp_path, capsys, argv):
    argv = [a.format(root=school.root, tmp=tmp_path) for a in argv]
    if "-C" not in argv and argv[0] != "demo":
        argv += ["-C", str(school.root)]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.strip() and "Traceback" not in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "demo").exists()


def test_a_merged_commit_dated_year_10000_breaks_no_build(tmp_path, capsys):
    from gitschool import sample_repo, who

    root = tmp_path / "school"
    repo = sample_repo(root)
    repo.git("checkout", "-q", "-b", "x")
    repo.write("records/outcomes/115-1/1150101/diary.yaml",
               'course: "115999999H001010A010211"\ntitle: 英文日記\nsummary: 每週一篇英文日記。\n')
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "x", "--date", "@253402300800 +0000", author=who("1150101"))
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "m", "x", author=who("jiang-shuhui"))
    repo.git("commit", "-q", "--amend", "--no-edit", "--date", "@253402300900 +0000", author=who("jiang-shuhui"))
    assert "10000" in repo.git("log", "-1", "--format=%ad")
    for argv in (["validate"], ["status"], ["build", "--site-dir", str(tmp_path / "site")]):
        assert cli.main([*argv, "-C", str(root), "--now", "2026-11-28 12:00"]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err
    assert (tmp_path / "site/index.html").exists()


# Property-based: whatever the text, the loader answers data or a YamlProblem; whatever the
# string, the date parser answers a datetime or ValueError; whatever argv, exit 0, 1 or 2.
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

YAML_ALPHABET = st.sampled_from(list(":-[]{},'\"!&*#|>?%@` \t\n：0123456789abcxyz年.") + ["!!int ", "!!binary ", "\n  "])


@settings(max_examples=150, deadline=None)
@given(st.lists(YAML_ALPHABET, max_size=40).map("".join))
def test_the_loader_never_crashes(text):
    try:
        loads(text)
    except YamlProblem as problem:
        assert finding(problem.code, OUT, problem.line, **problem.params).message("zh-TW")


DATE_PARTS = st.one_of(st.integers(-10, 100_000).map(str), st.sampled_from(["-", "/", ".", " ", "T", ":", "+", "Z", "99:00", "+14:00"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(DATE_PARTS, max_size=9).map("".join))
def test_the_date_parser_never_crashes(text):
    try:
        moment = dates.parse(text)
    except ValueError:
        assert not dates.is_date(text)
    else:
        assert dates.is_date(text) and dates.roc(moment.astimezone(dates.zone(None)))


ARGS = st.sampled_from(["validate", "status", "export", "letters", "purge", "codeowners", "--semester", "115-1",
                        "115-3", "--rev", "HEAD", "nosuch", "--now", "10000-01-01", "2026-11-28", "--format", "json",
                        "github", "--out", "-", "--as", "nobody", "--lang", "en", "-C", "--students", "-5", "x"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ARGS, max_size=6))
def test_any_command_line_exits_0_1_or_2(school, capsys, argv):
    if "-C" not in argv:
        argv = [*argv, "-C", str(school.root)]
    if "--out" in argv or "x" in argv:  # never write outside the school's copy
        argv = [a if a not in ("-", "x") else str(school.root / "out") for a in argv]
    assert cli.main(argv) in (0, 1, 2)
    assert "Traceback" not in capsys.readouterr().err


def test_a_broken_pending_request_leaves_mains_verdict_alone(tmp_path, capsys):
    from generator.validate import validate
    from gitschool import sample_repo

    root = tmp_path / "school"
    repo = sample_repo(root)
    before = [f.as_dict() for f in validate(root, "2026-11-28 12:00")[1].findings]
    for n, value in enumerate(["!!int abc", "9" * 5000, "!!timestamp 99999-01-01", "[unclosed"]):
        repo.open_mr({f"records/outcomes/115-1/1150101/bad{n}.yaml": f'course: "115999999H001010A010211"\ntitle: {value}\n'},
                     "1150101", "2026-09-15 20:00", style="github" if n % 2 else "gitlab")
    assert [f.as_dict() for f in validate(root, "2026-11-28 12:00")[1].findings] == before
    assert cli.main(["build", "-C", str(root), "--site-dir", str(tmp_path / "site"), "--now", "2026-11-28 12:00"]) == 0
    assert "Traceback" not in capsys.readouterr().err
