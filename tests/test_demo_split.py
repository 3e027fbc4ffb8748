"""The demo as a school runs it: a portfolio students read, a registry only staff read."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.demo import create_demo
from generator.records.repositories import REGISTRY_KINDS
from generator import layout
from generator.validate import validate

NOW = "2026-11-28 12:00"
STUDENTS, SEED = 40, 5


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    target = tmp_path_factory.mktemp("split") / "school"
    summary = create_demo(target, STUDENTS, SEED, layout="split")
    return target, summary


def git(root: Path, *args: str, data: bool = False):
    out = subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
    return out.stdout if data else out.stdout.decode()


def students(registry: Path) -> list[dict]:
    return [yaml.safe_load(p.read_text("utf-8")) for p in sorted((registry / "records/students").glob("*.yaml"))]


def test_the_portfolio_never_held_personal_data(school):
    target, summary = school
    portfolio, registry = target / "portfolio", target / "registry"
    assert summary["repositories"].keys() == {"portfolio", "registry"}
    paths = set(git(portfolio, "log", "--all", "--name-only", "--format=").split())
    kinds = {layout.classify(p)[0] for p in paths if p.endswith(".yaml") and layout.classify(p)}
    assert "outcome" in kinds and "roster" in kinds and not kinds & REGISTRY_KINDS, kinds & REGISTRY_KINDS
    everything = git(portfolio, "cat-file", "--batch-all-objects", "--batch", data=True).decode("utf-8", "replace")
    people = students(registry)
    assert len(people) == STUDENTS
    for person in people:
        for value in (person["name"], person["national_id"], str(person["birth_date"])):
            assert value not in everything, value
    registry_paths = set(git(registry, "log", "--all", "--name-only", "--format=").split())
    assert "records/registry.yaml" in registry_paths
    assert not any(p.startswith(("records/outcomes/", "records/roster/", "schedules/")) for p in registry_paths)
    assert git(registry, "for-each-ref", "--format=%(refname)").split() == ["refs/heads/main"]  # no student requests


def test_each_planted_case_is_found_in_its_repository(school):
    target, summary = school
    found = {}
    for name in ("portfolio", "registry"):
        _, result = validate(target / name, NOW)
        assert {f.repository for f in result.findings} == {name}
        assert "roster.drift" not in {f.rule for f in result.findings}
        found[name] = {(f.rule, f.path) for f in result.findings}
    planted = [c for c in summary["cases"] if not c["code"].startswith("clean.") and c["code"] != "pending"]
    assert {c["repository"] for c in planted} == {"portfolio", "registry"}
    for case in planted:
        assert (case["code"], case["path"]) in found[case["repository"]], case
        head = summary["repositories"][case["repository"]]["head"]
        assert git(target / case["repository"], "merge-base", "--is-ancestor", case["commit"], head) == "" \
            or case["code"] == "pending"


def test_the_registry_audit_starts_at_its_first_commit_and_the_roster_follows_registration(school):
    target, _ = school
    registry, portfolio = target / "registry", target / "portfolio"
    first = git(registry, "rev-list", "--max-parents=0", "main").split()
    assert len(first) == 1 and "records/registry.yaml" in git(registry, "show", "--name-only", "--format=", first[0])
    assert yaml.safe_load((registry / "records/registry.yaml").read_text("utf-8"))["portfolio"] == "../portfolio"
    # registration writes the roster the moment it imports students, in the portfolio
    roster_log = git(portfolio, "log", "--format=%ae %s", "--", "records/roster").splitlines()
    assert roster_log and all(line.startswith(("wang.yating@", "xu.huiwen@")) for line in roster_log), roster_log
    rows = yaml.safe_load((portfolio / "records/roster/115-1.yaml").read_text("utf-8"))
    enrolled = {p["student_no"] for p in students(registry) if "115-1" in p["classes"]}
    assert {r["student"] for r in rows} == enrolled


def test_same_seed_same_repositories(school, tmp_path):
    _, summary = school
    again = create_demo(tmp_path / "again", STUDENTS, SEED, layout="split")
    assert {n: r["head"] for n, r in again["repositories"].items()} == \
        {n: r["head"] for n, r in summary["repositories"].items()}


def test_the_staff_site_reports_both_repositories_own_audits(school):
    from generator.site.data import load

    target, _ = school
    data = load(target / "registry", NOW)
    unknown = {(f.repository, f.path) for f in data.findings if f.rule == "perm.unknown-identity"}
    assert ("portfolio", "schedules/115-1.yaml") in unknown and ("registry", "records/cadres/115-1.yaml") in unknown


def test_the_command_makes_both_and_says_which_is_which(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "generator", "demo", str(tmp_path / "d"), "--students", "40",
                           "--no-site", "--now", NOW], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "d/portfolio/records/roster").is_dir() and (tmp_path / "d/registry/records/students").is_dir()
    assert "學籍儲存庫" in proc.stdout and "學習歷程儲存庫" in proc.stdout


def test_the_staff_site_keeps_what_only_the_registry_sees(school, tmp_path):
    """roster.drift is about the portfolio's file, yet only the registry's run can see it."""
    import shutil

    from generator.site.data import load

    target, _ = school
    copy = tmp_path / "school"
    shutil.copytree(target, copy, symlinks=True)
    roster = copy / "portfolio/records/roster/115-1.yaml"
    rows = yaml.safe_load(roster.read_text("utf-8"))
    roster.write_text(roster.read_text("utf-8").replace(f'class: "{rows[0]["class"]}"', 'class: "999"', 1), "utf-8")
    drift = [f for f in load(copy / "registry", NOW).findings if f.rule == "roster.drift"]
    assert drift and {f.repository for f in drift} == {"portfolio"}


def test_every_demo_record_names_a_schema_its_repository_holds(tmp_path):
    """Editors follow each record's yaml-language-server line: it points into the repository
    (.licheng/schemas, as licheng init writes it), not to the tool's source tree."""
    import re

    from generator.demo import create_demo

    create_demo(tmp_path / "demo", students=40, layout="split")
    for name in ("portfolio", "registry"):
        repo = tmp_path / "demo" / name
        lines = [(path, path.read_text("utf-8").splitlines()[0]) for path in (repo / "records").rglob("*.yaml")]
        pointed = [(path, re.match(r"# yaml-language-server: \$schema=(\S+)$", first)) for path, first in lines]
        assert sum(1 for _, m in pointed if m) > 20, name
        for path, m in pointed:
            if m:
                target = (path.parent / m[1]).resolve()
                assert target.is_file() and repo in target.parents, (path, m[1])


def test_a_teachers_queue_in_the_portfolio_tells_her_students_apart(school, capsys):
    """The portfolio holds no names: its queue names each student by the number her outcome's folder
    already shows (every student was "○○")."""
    from generator.cli import main
    from generator.commands.common import school_records
    from generator.git import requests as mr

    portfolio = school[0] / "portfolio"
    records = school_records(portfolio, NOW)
    waiting = [r for r in mr.pending_requests(records) if r.outcomes and r.outcomes[0].certifiers]
    assert waiting
    teacher = waiting[0].outcomes[0].certifiers[0]
    mine = {r.student for r in mr.inbox(records, teacher)}
    capsys.readouterr()
    assert main(["inbox", "-C", str(portfolio), "--as", teacher, "--now", NOW]) == 0
    out = capsys.readouterr().out
    assert "○○" not in out and all(number in out for number in mine), out


def test_a_registrys_queue_checks_the_portfolios_requests_there_and_certify_points_to_it(school, capsys):
    """A teacher's queue read in the registry (names, not numbers) checks each request as the
    portfolio's CI does: it merged portfolio heads into the registry, so every request was "in
    conflict with main". Certifying builds a batch: that is the portfolio's, so the registry says so."""
    from generator.cli import main
    from generator.commands.common import school_records
    from generator.git import requests as mr

    registry = school[0] / "registry"
    records = school_records(registry, NOW)
    teacher = next(r for r in mr.pending_requests(records) if r.outcomes and r.outcomes[0].certifiers) \
        .outcomes[0].certifiers[0]
    counts = []
    for where in (school[0] / "portfolio", registry):
        capsys.readouterr()
        main(["inbox", "-C", str(where), "--as", teacher, "--check", "--now", NOW])
        out = capsys.readouterr().out
        assert "衝突" not in out, out
        counts.append(re.search(r"可認證的合併請求 (\d+) 件", out).group(1))
    assert counts[0] == counts[1] != "0", counts
    before = git(registry, "for-each-ref", "refs/heads")
    assert main(["certify", "-C", str(registry), "--as", teacher, "--all", "--via", "local", "--now", NOW]) == 2
    err = capsys.readouterr().err
    assert "registry" in err and "portfolio" in err, err
    assert git(registry, "for-each-ref", "refs/heads") == before
