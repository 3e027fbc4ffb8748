"""At a large school the rule checks run in two processes (generator/rules/running.py): what comes out
must be exactly what one process makes — every finding, in the same order, a check's bug as its
internal.error, the per-commit parses the child read kept in the cache — and one process runs
everything where fork is unsafe or the child dies."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from generator import cache
from generator.records import forked
from generator.git import committed
from generator.rules import running
from generator.records import parsing
from generator.rule import hit
from generator.validate import validate
from gitschool import sample_repo

from conftest import NOW

ENGLISH = "115999999H001010A010211"
OUTCOME = f'course: "{ENGLISH}"\ntitle: 英文日記\nsummary: 每週一篇英文日記。\n'


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A history with findings of both groups: certification's (this process) and the permission
    audit's and the records' (the child); and an open merge request."""
    school = sample_repo(tmp_path_factory.mktemp("running") / "school")
    school.mr({"records/outcomes/115-1/1150101/diary.yaml": OUTCOME}, "1150101", "2026-09-15 20:00",
              "1150101", "2026-09-16 10:00")
    grades = next((school.root / "records/grades/114-2").glob("*.yaml")).relative_to(school.root).as_posix()
    school.direct({grades: school.read(grades).replace(": 8", ": 9", 1)}, "lai-zhiwei", "2026-09-03 10:00")
    school.open_mr({"records/outcomes/115-1/1150103/poem.yaml": OUTCOME.replace("英文日記", "英文詩"),
                    "records/courses/115-1.yaml": "[]\n"}, "1150103", "2026-10-06 20:00")
    school.write("records/outcomes/115-1/1150102/bad.yaml", 'course: "000"\ntitle: 無此課程\nsummary: 摘要。\n')
    return school


@pytest.fixture
def two(monkeypatch):
    monkeypatch.setenv("LICHENG_WORKERS", "2")
    if forked.workers_wanted() < 2:
        pytest.skip("one core: no child process")
    monkeypatch.setattr(running, "APART_FROM", 0)


def _rows(findings):
    return [(f.rule, f.severity, f.path, f.line, f.variant, repr(f.params), f.repository) for f in findings]


def test_checks_run_apart_give_the_findings_of_one_process(repo, two, monkeypatch):
    apart = _rows(validate(repo.root, NOW)[1].findings)
    assert running.last_run == "apart"
    monkeypatch.setattr(running, "APART_FROM", float("inf"))
    here = _rows(validate(repo.root, NOW)[1].findings)
    assert running.last_run == "here"
    assert {"cert.self-merge", "perm.denied", "ref.unknown"} <= {row[0] for row in here}
    assert apart == here


def _school_line(records):
    yield hit("records/school.yaml", 1, detail="甲")


def _tupled(records):
    """Findings MessagePack would not give back as they are (a tuple): this process runs it again."""
    yield hit("records/school.yaml", 4, detail=("丁", 4))


def _broken(records):
    yield hit("records/school.yaml", 2, detail="乙")
    raise KeyError("乙")


def _parses(records):
    """Reads a file as a commit held it, through the per-commit cache (as the permission audit does)."""
    parsed = committed.files(records, "test-parses.json").parsed([f"{records.history.head}:records/school.yaml"])
    yield hit("records/school.yaml", 3, detail=str(sorted(next(iter(parsed.values())))[:2]))


CHECKS = [("ref.unknown", _school_line), ("ref.unknown", _broken), ("ref.unknown", _tupled), ("ref.unknown", _parses)]


def test_a_checks_bug_and_the_parses_it_read_come_back(repo, two, tmp_path, monkeypatch):
    monkeypatch.setenv("LICHENG_CACHE_DIR", str(tmp_path / "cache"))
    records, _ = validate(repo.root, NOW, use_cache=True)
    apart = running.run(records, CHECKS)
    assert running.last_run == "apart"
    committed.flush(records)
    [spec] = cache.read(repo.root, "test-parses.json")["files"]
    assert spec.endswith(":records/school.yaml")
    monkeypatch.setattr(running, "APART_FROM", float("inf"))
    here = running.run(records, CHECKS)
    assert running.last_run == "here"
    assert [f.rule for f in here] == ["ref.unknown", "ref.unknown", "internal.error", "ref.unknown", "ref.unknown"]
    assert "KeyError" in here[2].params["detail"] and apart[3].params["detail"] == ("丁", 4)
    assert _rows(apart) == _rows(here)


def test_a_child_that_dies_leaves_its_checks_to_this_process(repo, two):
    parent = os.getpid()

    def dies_apart(records):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        yield hit("records/school.yaml", 1, detail="丙")

    records, _ = validate(repo.root, NOW)
    found = running.run(records, [("ref.unknown", _school_line), ("ref.unknown", dies_apart)])
    assert running.last_run == "here"
    assert [f.params["detail"] for f in found] == ["甲", "丙"]


def test_a_child_that_does_not_answer_in_time_is_ended_and_its_checks_run_here(repo, two, monkeypatch):
    parent = os.getpid()

    def stalls_apart(records):
        if os.getpid() != parent:
            time.sleep(60)
        yield hit("records/school.yaml", 1, detail="戊")

    monkeypatch.setattr(running, "CHILD_SECONDS", 0.5)
    records, _ = validate(repo.root, NOW)
    started = time.monotonic()
    found = running.run(records, [("ref.unknown", _school_line), ("ref.unknown", stalls_apart)])
    assert time.monotonic() - started < 10
    assert running.last_run == "here"
    assert [f.params["detail"] for f in found] == ["甲", "戊"]


def test_a_process_running_threads_runs_every_check_itself(repo, two):
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        threaded = _rows(validate(repo.root, NOW)[1].findings)
        assert running.last_run == "here"
    finally:
        stop.set()
        other.join()
    assert _rows(validate(repo.root, NOW)[1].findings) == threaded
    assert running.last_run == "apart"


def test_by_default_the_child_starts_only_with_a_core_to_spare(repo, two, monkeypatch):
    """LICHENG_WORKERS=2 asks for the child however busy the machine is; unset, the load decides."""
    monkeypatch.delenv("LICHENG_WORKERS")
    monkeypatch.setattr(running, "SPARE", float("inf"))  # (however idle the machine is)
    validate(repo.root, NOW)
    assert running.last_run == "here"
    monkeypatch.setattr(running, "SPARE", float("-inf"))  # (however busy it is)
    validate(repo.root, NOW)
    assert running.last_run == "apart"


def test_what_both_halves_share_failing_is_an_internal_error_not_the_runs_end(repo, two, monkeypatch):
    """The table made before the fork (the audited commits) cannot be made, as in a damaged clone:
    no child starts, and each check that needs it reports internal.error as it does in one process."""
    from generator.git import audit

    def damaged(records):
        raise OSError("damaged clone")
    monkeypatch.setattr(audit, "audited_commits", damaged)
    findings = validate(repo.root, NOW)[1].findings
    assert running.last_run == "here"
    assert "internal.error" in {f.rule for f in findings}


def test_words_of_the_report_come_back_from_the_child_as_words(repo, two):
    """A finding whose value is words in both languages (result.Said: perm.denied's who-may) is sent
    back as it is: the child's finding is kept, not made again here, and reads alike in each language."""
    from generator.result import Said

    parent = os.getpid()

    def said_apart(records):
        yield hit("records/school.yaml", 1, detail=Said({"zh-TW": "教務主任", "en": "the academic director"}),
                  child=os.getpid() != parent)

    records, _ = validate(repo.root, NOW)
    [found] = running.run(records, [("ref.unknown", said_apart)])
    assert running.last_run == "apart"
    assert found.params["child"] is True  # (made in the child, and not again here)
    assert type(found.params["detail"]) is Said
    assert "the academic director" in found.message("en") and "教務主任" in found.message("zh-TW")


def test_without_a_request_the_request_rules_do_not_make_the_certification_analysis(repo):
    """The request's rules run in the child: without a request they must not make the analysis
    (this process's half makes it; the child would make it again for nothing)."""
    from generator.rule import CHECKS

    from generator.validate import school

    records = school(repo.root, NOW)
    request_checks = [c for c in CHECKS if c[1].__module__.endswith(".request")]
    assert request_checks and running.run(records, request_checks) == []
    assert records.history is not None and "certification" not in records.__dict__


def _unit(name: str, ran, seconds: float = 0.0, dies_apart: int | None = None):
    """A check alone in its module `name` (so a unit of its own): it notes where it ran in `ran`."""
    def check(records):
        time.sleep(seconds)
        with open(ran, "a") as fh:
            fh.write(f"{name} {os.getpid()}\n")
        if dies_apart is not None and os.getpid() != dies_apart:
            os.kill(os.getpid(), signal.SIGKILL)
        yield hit("records/school.yaml", 1, detail=name)

    check.__module__ = f"tests.{name}"
    return "ref.unknown", check


def test_both_processes_take_the_modules_each_once_and_the_findings_are_one_process(repo, two, tmp_path):
    ran = tmp_path / "ran"
    checks = [_unit(f"m{i}", ran, 0.05) for i in range(8)]
    records, _ = validate(repo.root, NOW)
    found = running.run(records, checks)
    assert running.last_run == "apart"
    assert [f.params["detail"] for f in found] == [f"m{i}" for i in range(8)]
    lines = [line.split() for line in ran.read_text().splitlines()]
    assert sorted(name for name, _ in lines) == [f"m{i}" for i in range(8)]  # (each once)
    assert {pid for _, pid in lines} - {str(os.getpid())} and str(os.getpid()) in {pid for _, pid in lines}


def test_a_child_dying_on_a_module_it_took_leaves_it_to_this_process(repo, two, tmp_path):
    """This process is busy with a check of its own (one that reads the certification analysis)
    while the child takes a module from the queue and dies on it: that module is run here."""
    ran = tmp_path / "ran"
    parent = os.getpid()
    stays = _unit("here", ran, 0.5)
    stays[1].__module__ = "tests.certification"
    checks = [_unit("m0", ran), stays] + [_unit(f"m{i}", ran, dies_apart=parent) for i in range(1, 4)]
    records, _ = validate(repo.root, NOW)
    found = running.run(records, checks)
    assert running.last_run == "here"
    assert [f.params["detail"] for f in found] == ["m0", "here", "m1", "m2", "m3"]
    assert [line.split()[0] for line in ran.read_text().splitlines()].count("m1") == 2  # (in the child, then here)


def test_in_a_batch_the_values_the_batch_shares_are_made_in_this_process(repo, two, tmp_path, monkeypatch):
    """In a batch of validations (certify) the history rules' values are shared with the next
    validations (Records.lasting): they are made here, not in the child, where they would be lost."""
    from generator.validate import Shared

    monkeypatch.setenv("LICHENG_CACHE_DIR", str(tmp_path / "cache"))
    shared = Shared()
    validate(repo.root, NOW, use_cache=True, shared=shared)
    assert running.last_run == "apart"
    [(values, _)] = shared.lasting.values()
    assert {"window.performance-upload", "window.selection", "history.foxtrot", "permission-audit"} <= set(values)


def test_a_merge_requests_check_on_two_cores_says_what_one_process_says(repo, two, monkeypatch):
    """The merge-request check: the request's outcomes are marked pending before the rules (the
    analysis is made before the fork), and its rules may run in the child."""
    from generator.git import requests as mr
    from generator.git.request import of_head
    from generator.review.check import check
    from generator.validate import school

    [request] = mr.pending_requests(school(repo.root, NOW))

    def said():
        records, result = check(repo.root, NOW, of_head(repo.root, request.head))[:2]
        outcomes = {p: (o.state, o.ref) for p, o in records.certification.outcomes.items()}
        return [(f.as_dict(), f.introduced) for f in result.findings], outcomes

    apart = said()
    assert running.last_run == "apart"
    monkeypatch.setattr(running, "APART_FROM", float("inf"))
    assert said() == apart and running.last_run == "here"
    assert {"perm.denied"} <= {f["rule"] for f, _ in apart[0]}
    assert apart[1]["records/outcomes/115-1/1150103/poem.yaml"][0] == "pending"
