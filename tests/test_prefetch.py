"""Git commands started early (generator.prefetch): their output serves the one run that asks for
the same command in the same folder, and `licheng validate` uses every one it starts."""

from __future__ import annotations

import json
import subprocess

from conftest import NOW
from generator import cli
from generator.git import prefetch


def _git(root, *args):
    subprocess.run(["git", "-c", "user.name=黃淑芬", "-c", "user.email=huang.shufen@example.edu.tw", *args],
                   cwd=root, check=True, capture_output=True)


def _committed(school):
    _git(school.root, "init", "-q", "-b", "main")
    _git(school.root, "add", "-A")
    _git(school.root, "commit", "-q", "-m", "匯入")
    return school


def test_a_started_command_serves_one_run_of_the_same_command_with_its_output_of_then(school):
    root = _committed(school).root
    before = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True).stdout
    prefetch.start(root, "rev-parse", "HEAD")
    prefetch.start(root, "rev-parse", "--verify", "-q", "nothing-of-that-name")
    subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True)
    _git(root, "commit", "-q", "--allow-empty", "-m", "再一次")
    taken = prefetch.run(root, "rev-parse", "HEAD")
    assert (taken.returncode, taken.stdout, taken.stderr) == (0, before, b"")  # started before the commit
    assert prefetch.run(root, "rev-parse", "HEAD").stdout != before  # served once: run now
    failed = prefetch.run(root, "rev-parse", "--verify", "-q", "nothing-of-that-name")
    assert failed.returncode == 1 and failed.stdout == b""
    prefetch.start(root, "rev-parse", "HEAD")
    prefetch.discard()  # what nobody took is never served to a later run
    assert prefetch.run(root, "rev-parse", "HEAD").stdout != before


def test_a_large_output_is_read_whole(school):
    root = _committed(school).root
    expected = subprocess.run(["git", "-C", str(root), "ls-files", "-s", "--debug"], capture_output=True).stdout
    prefetch.start(root, "ls-files", "-s", "--debug")
    assert prefetch.run(root, "ls-files", "-s", "--debug").stdout == expected and len(expected) > 65536


def test_validate_takes_every_command_it_started_and_reports_as_without_them(school, monkeypatch, capsys):
    root = _committed(school).root
    school.edit("records/students/1150101.yaml", "J125493395", "J125493396")  # a changed file
    args = ["validate", "-C", str(root), "--now", NOW, "--format", "json"]
    assert cli.main([*args, "--no-cache"]) == 1
    expected = json.loads(capsys.readouterr().out)
    left, discard = [], prefetch.discard

    def observed():
        left.extend(prefetch._started)
        discard()

    started, start = [], prefetch.start
    monkeypatch.setattr(prefetch, "discard", observed)
    monkeypatch.setattr(prefetch, "start", lambda root, *a: (started.append(a), start(root, *a)))
    for _ in range(2):  # the cache written, then read
        started.clear()
        assert cli.main(args) == 1
        assert json.loads(capsys.readouterr().out) == expected
        assert len(started) == 4 and left == []
    monkeypatch.chdir(root)
    assert cli.main(["validate", f"--repo={root}", "--now", NOW, "--format", "json"]) == 1
    assert cli.main(["validate", "--now", NOW, "--format", "json"]) == 1
    assert left == []
