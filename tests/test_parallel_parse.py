"""Many record files are parsed by worker processes (records/parsing.py); what comes out must be
exactly what one process makes of the same tree: the documents, their data and line numbers,
the cache's entries, and every finding in the same order, bad files and symlinks included."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import threading
import time

import pytest

from generator.records import forked
from generator.records import loader, parsing, schema
from generator.records.parsing import Parser
from generator.validate import validate

from conftest import NOW, copy_sample

GOOD = 'course: "113999999H001010A010122"\ntitle: 報告 {i}\nsummary: 摘要 {i}。\nfiles: []\n'
BAD = {
    "syntax.yaml": "course: x\ntitle: [報告\n",
    "dupe.yaml": GOOD + "title: 又一個\n",
    "big5.yaml": GOOD.format(i=0).encode("big5"),
    "empty.yaml": "",
    "listed.yaml": "- course: x\n- title: y\n",
    "missing.yaml": "course: x\nfiles: []\n",
    "typed.yaml": 'course: 5\ntitle: {a: 1}\nsummary: 摘要\nfiles: "x.pdf"\n',
    "binary.yaml": GOOD.format(i=0) + "extra: !!binary aGVsbG8=\n",
    "tagged.yaml": "course: !!int abc\n",
    "bomb.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefg", "bcdefgh")),
    "Report.YAML": GOOD.format(i=0),
    "essay.pdf": b"%PDF-1.4 demo\n",
    "scan.pdf": b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"ab" * 32 + b"\nsize 2048\n",
    "photo.jpg": b"\xff\xd8\xff\xe0" + bytes(3000),
}


def _tree(root):
    """The sample school, 300 outcome files with a bad one now and then, symlinks out of the tree."""
    school = copy_sample(root / "school")
    students = sorted(p.stem for p in (root / "school/records/students").glob("*.yaml"))
    bad = list(BAD.items())
    for i in range(300):
        folder = f"records/outcomes/115-1/{students[i % len(students)]}"
        school.write(f"{folder}/p{i:03d}.yaml", GOOD.format(i=i))
        if i % 23 == 0:
            name, text = bad[(i // 23) % len(bad)]
            school.write(f"{folder}/b{i:03d}-{name}", text)
    school.write("records/notes.txt", "not a record\n")
    school.append(f"records/students/{students[1]}.yaml", "  - {date: 2025-13-40, type: admitted}\n")
    outside = root / "outside"
    outside.mkdir()
    (outside / "leak.yaml").write_text("course: 機密內容\n", "utf-8")
    os.symlink(outside / "leak.yaml", school.path(f"records/outcomes/115-1/{students[0]}/leak.yaml"))
    os.symlink(outside, school.path("records/outcomes/115-1/9990001"))
    return school


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return _tree(tmp_path_factory.mktemp("parallel"))


def _deep(value):
    """The data with every line number it carries."""
    if isinstance(value, dict):
        return ("map", value.line, dict(value.key_lines), {k: _deep(v) for k, v in value.items()})
    if isinstance(value, list):
        return ("seq", value.line, list(value.item_lines), [_deep(v) for v in value])
    return (type(value).__name__, value)


def _snapshot(records, findings, parsed):
    docs = [(d.path, d.kind, d.keys, d.loaded, d.valid, sorted(d.bad_items), d.blob, d.repository, _deep(d.data))
            for d in records.documents]
    found = [(f.rule, f.severity, f.clause, f.path, f.line, f.variant, repr(f.params), f.repository)
             for f in findings]
    return docs, found, parsed, (list(records.files.items()), list(records.heads.items()),
                                 list(records.lfs_missing.items()))


def _load(school):
    blobs = {str(p.relative_to(school.root)): f"blob-{i}"
             for i, p in enumerate(sorted(school.root.rglob("*.yaml")))}
    parsed = {"blob-1": ["damaged"]}  # a damaged entry is parsed again
    records, findings = loader.load(school.root, parsed, blobs)
    return _snapshot(records, findings, parsed)


@pytest.fixture
def pooled(monkeypatch):
    """Worker processes for any number of files, a few files per task."""
    monkeypatch.setattr(parsing, "PARALLEL_FROM", 0)
    monkeypatch.setattr(parsing, "SPAWN_FROM", 0)
    monkeypatch.setattr(parsing, "CHUNK", 7)
    monkeypatch.setenv("LICHENG_WORKERS", "2")
    if forked.workers_wanted() < 2:
        pytest.skip("one core: worker processes are never started")


def test_workers_find_what_one_process_finds(tree, pooled, monkeypatch):
    pooled_run = _load(tree)
    assert parsing.last_run == (2, "fork" if threading.active_count() == 1 else "spawn")
    monkeypatch.setenv("LICHENG_WORKERS", "1")
    single = _load(tree)
    assert parsing.last_run == (1, None)
    docs, found, parsed, (files, heads, missing) = single
    assert len(files) > 20 and len(heads) > 10 and len(missing) == 1
    assert any(size == 3004 for _, size in files) and any(size == 2048 for _, size in files)
    codes = {f[0] for f in found}
    assert {"yaml.syntax", "yaml.duplicate-key", "yaml.encoding", "yaml.aliases", "file.symlink",
            "layout.misnamed", "layout.unknown-file"} <= codes
    assert len(docs) > 300 and len(parsed) > 300 and "blob-1" in parsed
    assert pooled_run == single


def test_validation_is_the_same_either_way(tree, pooled, monkeypatch):
    pooled_result = validate(tree.root, NOW)[1]
    monkeypatch.setenv("LICHENG_WORKERS", "1")
    single = validate(tree.root, NOW)[1]
    assert {"schema.invalid", "file.symlink", "yaml.syntax"} <= {f.rule for f in single.findings}
    assert [(f.rule, f.path, f.line, f.variant, repr(f.params)) for f in pooled_result.findings] == \
           [(f.rule, f.path, f.line, f.variant, repr(f.params)) for f in single.findings]
    assert "機密內容" not in "".join(f.message() for f in pooled_result.findings)


def test_schema_checks_made_apart_give_what_checks_made_here_give(tree, monkeypatch):
    """The documents no worker checked are checked by a child process while the history is read;
    the failing ones again here, for their findings (and the entries they drop)."""
    monkeypatch.setattr(parsing, "CHECK_APART_FROM", 0)
    monkeypatch.setenv("LICHENG_WORKERS", "2")
    if forked.workers_wanted() < 2:
        pytest.skip("one core: no child process")

    apart = _validated(tree)
    assert parsing.last_checks == "apart"
    monkeypatch.setenv("LICHENG_WORKERS", "1")
    here = _validated(tree)
    assert parsing.last_checks == "here"
    assert any(not valid for _, valid, _, _ in here[0])
    assert "schema.invalid" in {rule for rule, *_ in here[1]}
    assert apart == here


def test_a_schema_child_that_does_not_answer_is_ended_and_the_checks_made_here(tree, monkeypatch):
    """A child stuck (a lock it inherited held forever) costs the run CHECK_SECONDS, not the run."""
    monkeypatch.setenv("LICHENG_WORKERS", "1")
    expected = _validated(tree)
    monkeypatch.setattr(parsing, "CHECK_APART_FROM", 0)
    monkeypatch.setattr(parsing, "CHECK_SECONDS", 0.5)
    monkeypatch.setattr(parsing, "PARALLEL_FROM", 10**9)  # (no workers: they check schemas too)
    monkeypatch.setenv("LICHENG_WORKERS", "2")
    if forked.workers_wanted() < 2:
        pytest.skip("one core: no child process")
    parent, is_valid, slept = os.getpid(), schema.is_valid, []

    def stuck_in_the_child(*args):
        if os.getpid() != parent and not slept:  # (20 s: without a bound the test fails, its child soon ends)
            slept.append(time.sleep(20))
        return is_valid(*args)
    monkeypatch.setattr(schema, "is_valid", stuck_in_the_child)

    def stuck(*_):
        raise TimeoutError("the run waited for the child")
    before = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(10)
    try:
        assert _validated(tree) == expected
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
    assert parsing.last_checks == "here"


def test_a_childs_answer_is_read_on_a_descriptor_past_1024():
    """A long-lived process (a site server, a test run) holds many files: select() refuses a pipe
    numbered from 1024 on, poll() does not."""
    read, write = os.pipe()
    high = os.dup2(read, 1500)
    os.close(read)
    pid = os.fork()
    if pid == 0:  # the child
        os.close(high)
        os.write(write, b"findings")
        os._exit(0)
    os.close(write)
    try:
        assert forked.answer((pid, high), 5) == b"findings"
    finally:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:  # (reaped already)
            pass


def _validated(tree):
    records, result = validate(tree.root, NOW)
    return ([(d.path, d.valid, sorted(d.bad_items), _deep(d.data)) for d in records.documents],
            [(f.rule, f.path, f.line, f.variant, repr(f.params)) for f in result.findings])


def test_a_process_running_threads_starts_fresh_workers(tree, pooled, monkeypatch):
    """Forking a process with other threads can deadlock the child: such a process spawns."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        pooled_run = _load(tree)
        assert parsing.last_run == (2, "spawn")
    finally:
        stop.set()
        other.join()
    monkeypatch.setenv("LICHENG_WORKERS", "1")
    assert _load(tree) == pooled_run


def test_few_files_stay_in_one_process(tree, monkeypatch):
    monkeypatch.setenv("LICHENG_WORKERS", "2")
    _load(tree)
    assert parsing.last_run == (1, None)  # a few hundred files: workers would cost more than they save


def test_a_pool_that_cannot_start_leaves_one_process(tree, pooled, monkeypatch):
    expected = _load(tree)
    # a machine where processes cannot share semaphores (no /dev/shm): the pool fails to start
    monkeypatch.setattr(multiprocessing, "get_context", lambda method: (_ for _ in ()).throw(OSError(38, "no")))
    assert _load(tree) == expected and parsing.last_run == (1, None)


def test_a_worker_that_dies_leaves_the_rest_to_this_process(tree, pooled, monkeypatch):
    """Workers killed mid-run (the machine out of memory): the files not yet parsed are parsed here."""
    expected = _load(tree)
    made = []

    def parser_whose_workers_die(count, parsed):
        parser = Parser(count, parsed)
        add = parser.add

        def add_then_kill(*args):
            index = add(*args)
            if index == 30:
                for child in multiprocessing.active_children():
                    os.kill(child.pid, signal.SIGKILL)
            return index
        parser.add = add_then_kill
        made.append(parser)
        return parser

    monkeypatch.setattr(parsing, "Parser", parser_whose_workers_die)
    assert _load(tree) == expected
    [parser] = made
    assert parser.pool is None and parser.applied == len(parser.jobs)


def test_the_console_script_parses_in_workers(tmp_path, wheel_venv):
    """The installed `licheng` (what CI runs) on 2,100 files: the same report with and without workers."""
    school = copy_sample(tmp_path / "school")
    for i in range(2_100):
        school.write(f"records/outcomes/115-1/1150101/w{i:04d}.yaml", GOOD.format(i=i) if i % 700 else "a: [\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    def report(workers: str) -> list:
        proc = subprocess.run([str(wheel_venv / "venv/bin/licheng"), "validate", "-C", str(school.root), "--now", NOW,
                               "--format", "json", "--no-cache"], capture_output=True, text=True,
                              env={**env, "LICHENG_WORKERS": workers}, timeout=300)
        assert proc.returncode == 1 and not proc.stderr, proc.stderr
        return json.loads(proc.stdout)

    pooled_report = report("2")
    assert sum(f["rule"] == "yaml.syntax" for f in pooled_report["findings"]) == 3
    assert pooled_report == report("1")
