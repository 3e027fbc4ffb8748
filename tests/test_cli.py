"""The command line as users and CI run it: a real process, formats, languages, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import NOW, REPO


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                          cwd=REPO, env={**os.environ, **(env or {})}, timeout=120)


def test_sample_school_passes():
    proc = run("validate", "--now", NOW)
    assert proc.returncode == 0, proc.stdout
    assert "檢查通過" in proc.stdout


def test_errors_exit_1_with_json_report(school):
    school.edit("records/students/1150101.yaml", "J125493395", "J125493396")
    proc = run("validate", "-C", str(school.root), "--now", NOW, "--format", "json", "--lang", "en")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert report["summary"] == {"errors": 1, "warnings": 0}
    [finding] = report["findings"]
    assert finding == {"rule": "id.national-id", "severity": "error", "clause": "§5.1", "repository": "single",
                       "path": "records/students/1150101.yaml", "line": 4,
                       "message": "national ID 'J12*****96' has a wrong form or check digit"}
    assert "J125493396" not in proc.stdout


def test_github_annotations_and_strict(school):
    school.append("records/outcomes/115-1/1150101/book-review.yaml", "note: 備註\n")
    args = ("validate", "-C", str(school.root), "--now", NOW, "--format", "github")
    proc = run(*args)
    assert proc.returncode == 0
    assert proc.stdout.startswith(
        "::warning file=records/outcomes/115-1/1150101/book-review.yaml,line=6,title=schema.unknown-key §5::")
    assert run(*args, "--strict").returncode == 1


def test_zh_tw_is_the_default_language(school):
    school.edit("records/students/1150101.yaml", "J125493395", "J125493396")
    proc = run("validate", "-C", str(school.root), "--now", NOW)
    assert "records/students/1150101.yaml:4: 錯誤 [id.national-id §5.1] 身分證明號碼" in proc.stdout


def test_cannot_run_exits_2(tmp_path):
    assert run("validate", "-C", str(tmp_path)).returncode == 2
    assert run("validate", "--now", "not-a-date").returncode == 2
    assert run("validate", "--format", "xml").returncode == 2


def test_a_reader_that_stops_reading_gets_no_english_complaint():
    """`licheng status | head -1`, a pager quit early: stdout is closed before the report is written
    (its reader gone before the run starts: a report smaller than a pipe holds, written before a
    reader closed it, would be no test)."""
    reader, writer = os.pipe()
    os.close(reader)
    proc = subprocess.Popen([sys.executable, "-m", "generator", "status", "--now", NOW], cwd=REPO,
                            stdout=writer, stderr=subprocess.PIPE)
    os.close(writer)
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 2 and err == "", err


def test_now_from_source_date_epoch(school):
    # 1130110 left on 2026-02-15; on 2031-03-01 (epoch 1930492800) the records are past retention
    proc = run("validate", "-C", str(school.root), "--format", "json", env={"SOURCE_DATE_EPOCH": "1930492800"})
    rules = {f["rule"] for f in json.loads(proc.stdout)["findings"]}
    assert "retention.expired" in rules
    proc = run("validate", "-C", str(school.root), "--format", "json", "--now", NOW,
               env={"SOURCE_DATE_EPOCH": "1930492800"})
    assert "retention.expired" not in {f["rule"] for f in json.loads(proc.stdout)["findings"]}


def test_cache_reuses_unchanged_work_and_rereads_changed_files(school):
    import shutil

    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=school.root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=school.root, check=True)
    subprocess.run(["git", "-c", "user.name=黃淑芬", "-c", "user.email=huang.shufen@example.edu.tw", "commit",
                    "-q", "-m", "匯入"], cwd=school.root, check=True)
    args = ("validate", "-C", str(school.root), "--now", NOW, "--format", "json")
    assert run(*args).returncode == 0
    from generator.cache import directory

    cache_dir = directory(school.root)
    assert (cache_dir / "records.json").exists() and (cache_dir / "history.json").exists()
    assert run(*args).returncode == 0  # parse results and commits from the cache
    school.edit("records/students/1150101.yaml", "J125493395", "J125493396")  # a dirty file is re-read
    report = json.loads(run(*args).stdout)
    assert [f["rule"] for f in report["findings"]] == ["id.national-id"]
    school.edit("records/students/1150101.yaml", "J125493396", "J125493395")
    assert run(*args).returncode == 0
    assert run(*args[:-2], "--now", "2031-03-01").returncode == 0  # now moved past a moment: recomputed
    assert "retention.expired" in run(*args[:-4], "--now", "2031-03-01", "--format", "json").stdout
    for name in ("records.json", "history.json"):  # a damaged cache is ignored
        (cache_dir / name).write_bytes(b"\x80\x05garbage")
    assert run(*args).returncode == 0
    shutil.rmtree(cache_dir)
    school.edit("records/students/1150101.yaml", "J125493395", "J125493396")
    assert run(*args).returncode == 1


def test_gitlab_code_quality_report(school):
    school.edit("records/students/1150101.yaml", "J125493395", "J125493396")
    proc = run("validate", "-C", str(school.root), "--now", NOW, "--format", "codequality")
    [issue] = json.loads(proc.stdout)
    assert issue["location"] == {"path": "records/students/1150101.yaml", "lines": {"begin": 4}}
    assert issue["severity"] == "major" and issue["check_name"] == "id.national-id"


def test_one_run_prints_the_text_report_and_writes_the_code_quality_report(school, tmp_path):
    """GitLab's job needs both reports: --report writes the second from the same validation (CI ran
    validate twice, doubling its time); each equals what its own --format prints, the exit code is the run's."""
    school.edit("records/students/1150101.yaml", "J125493395", "J125493396")
    args = ("validate", "-C", str(school.root), "--now", NOW, "--no-cache")
    report = tmp_path / "gl-code-quality-report.json"
    both = run(*args, "--report", f"codequality={report}", "--report", f"json={tmp_path / 'r.json'}")
    text, quality, as_json = run(*args), run(*args, "--format", "codequality"), run(*args, "--format", "json")
    assert both.returncode == text.returncode == 1 and not both.stderr
    assert both.stdout == text.stdout and "id.national-id" in both.stdout
    assert report.read_text("utf-8") == quality.stdout and json.loads(quality.stdout)
    assert (tmp_path / "r.json").read_text("utf-8") == as_json.stdout
    for wrong in ("codequality", "xml=out.json", "codequality="):
        proc = run(*args, "--report", wrong)
        assert proc.returncode == 2 and "FORMAT=FILE" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    proc = run(*args, "--report", f"codequality={tmp_path / 'no-such-folder/r.json'}")
    assert proc.returncode == 2 and "no-such-folder/r.json" in proc.stderr and "Traceback" not in proc.stderr
    assert "資料夾" in proc.stderr and not proc.stdout  # said before the run, in the run's language
    (tmp_path / "a-folder.json").mkdir()  # a report that cannot be written once the run is done: no finding lost
    proc = run(*args, "--report", f"codequality={tmp_path / 'a-folder.json'}")
    assert proc.returncode == 2 and "a-folder.json" in proc.stderr and proc.stdout == text.stdout, proc.stderr
    assert "這是資料夾，不是檔案" in proc.stderr and "Is a directory" not in proc.stderr, proc.stderr


def test_gitlab_code_quality_report_of_a_file_name_that_is_no_utf8(school):
    """A student's file whose name is no UTF-8 (Git allows any bytes): the report names it as Git
    does, where its fingerprint's hashing once ended the run with a traceback (and GitLab read an
    empty report). Every report is valid UTF-8: the odd byte is shown escaped, as in the text report."""
    with open(os.path.join(os.fsencode(school.root), b"records/outcomes/115-1/1150101/\xff.yaml"), "wb") as fh:
        fh.write(b'course: "115999999H001010A010211"\ntitle: t\nsummary: s\n')
    as_json = school.root.parent / "report.json"
    proc = subprocess.run([sys.executable, "-m", "generator", "validate", "-C", str(school.root), "--now", NOW,
                           "--format", "codequality", "--report", f"json={as_json}"],
                          capture_output=True, cwd=REPO, timeout=120)
    assert proc.returncode == 1 and not proc.stderr, proc.stderr
    issues = json.loads(proc.stdout.decode("utf-8"))
    assert "records/outcomes/115-1/1150101/\\xff.yaml" in {i["location"]["path"] for i in issues}
    findings = json.loads(as_json.read_bytes().decode("utf-8"))["findings"]
    assert "records/outcomes/115-1/1150101/\\xff.yaml" in {f["path"] for f in findings}


def test_only_licheng_s_own_process_runs_without_the_cyclic_collector(capsys):
    # a validation as its own process leaves the collector off (its objects live until it exits);
    # a run inside another program (this test) must leave that program's collector as it found it
    import gc

    from generator import cli

    assert cli.main(["validate", "-C", str(REPO), "--now", NOW]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    code = "import gc, sys; from generator import cli; cli.main(); print(gc.isenabled())"
    done = subprocess.run([sys.executable, "-c", code, "validate", "-C", str(REPO), "--now", NOW],
                          capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "False"


def test_argument_mistakes_are_told_in_chinese_first_and_in_english_only_with_lang_en(capsys):
    # argparse's own complaints were English only; each must exit 2, in Chinese by default
    from generator import cli

    cases = [
        (["export"], "缺少必要的參數：--semester, --out"),
        (["validate", "--lang", "fr"], "參數 --lang：沒有 'fr' 這個選項"),
        (["validate", "--rev"], "參數 --rev 後面需要一個值"),
        (["validate", "--no-such-option"], "無法辨識的參數：--no-such-option"),
        (["queue"], "指令：沒有 'queue' 這個選項"),
        (["status", "--semester", "115-3"], "參數 --semester：115-3: 學期應寫成"),
        (["sheets", "--semester", "banana", "--out", "x"], "參數 --semester：banana: 學期應寫成"),  # (a traceback)
        (["serve", "--dev-addr", "x"], "參數 --dev-addr：x: 應寫成「IP:連接埠」"),  # (MkDocs' own complaint exited 1)
        (["serve", "--dev-addr", "127.0.0.1:99999"], "參數 --dev-addr：127.0.0.1:99999: 應寫成"),
    ]
    for argv, chinese in cases:
        assert cli.main(argv) == 2, argv
        err = capsys.readouterr().err
        assert chinese in err, (argv, err)
        assert "Traceback" not in err
    assert cli.main(["export", "--lang", "en"]) == 2
    err = capsys.readouterr().err.splitlines()[-1]
    assert err == "licheng export: error: the following arguments are required: --semester, --out"
    for verb in ("validate", "status", "build"):  # a verb's unknown option shows that verb's usage, not licheng's
        assert cli.main([verb, "--bogus"]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"用法：licheng {verb} ") and f"licheng {verb}: 錯誤：無法辨識的參數：--bogus" in err, err
    assert cli.main(["validate", "--lang", "en", "--bogus", "x"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == "licheng validate: error: unrecognized arguments: --bogus x"


def test_every_argument_of_every_verb_says_what_it_is_in_each_language():
    """`licheng demo --help` listed `dir`, `--students` and `--seed` with no word on them (export's,
    letters' and sheets' --semester and --out, build's and serve's --audience, inbox's --format alike)."""
    import argparse
    import re

    from generator import cli

    cjk = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
    for english in (False, True):
        for verb in cli.VERBS:
            parser = cli.build_parser(verb, english)
            command = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[verb]
            for action in command._actions:
                name = (action.option_strings or [action.dest])[0]
                assert action.help, (verb, name)
                assert not (english and cjk.search(action.help)), (verb, name, action.help)  # one language


def test_demo_says_the_one_minimum_it_needs(tmp_path, capsys):
    """One place decides how few students the demo takes (its planted cases need them): the
    command said 30 for --students 10 and 40 for --students 35."""
    from generator import cli
    from generator.demo.create import MIN_STUDENTS

    for students in (10, MIN_STUDENTS - 1):
        assert cli.main(["demo", str(tmp_path / "d"), "--students", str(students)]) == 2
        assert capsys.readouterr().err == f"licheng: --students {students}: 示範學校至少需要 {MIN_STUDENTS} 位學生\n"
        assert cli.main(["demo", str(tmp_path / "d"), "--students", str(students), "--lang", "en"]) == 2
        err = capsys.readouterr().err
        assert err == f"licheng: --students {students}: the demo needs at least {MIN_STUDENTS} students\n"
    assert not (tmp_path / "d").exists()
