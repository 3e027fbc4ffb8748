"""Where the audit starts: at the first commit on main that set the configuration, never at a date.

GitSchool's first commit (2026-07-01) sets audit_since: 2026-08-01, so it is the audit start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from generator.git import audit, committed
from generator.git import history as history_mod
from generator.validate import validate
from gitschool import who
from test_history import NEW, OUTCOME, check, repo, state  # noqa: F401  (repo is a fixture)

from conftest import NOW, REPO


def _student_push(repo, at: str) -> None:
    repo.write(NEW, OUTCOME)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "成果", author=who("1150101"), at=at)


def test_the_first_config_commit_is_the_import(repo):
    records, codes, result = check(repo)
    start = audit.of(records)
    assert start.commit.sha == repo.git("rev-parse", "HEAD") and start.index == 0 and start.value == "2026-08-01"
    assert result.errors == 0


def test_a_commit_after_the_start_is_audited_whatever_date_it_claims(repo):
    repo.direct({"schedules/115-1.yaml": repo.read("schedules/115-1.yaml") + "\n"}, "huang-shufen",
                "2026-07-02 09:00")
    _student_push(repo, "2025-01-01 10:00")  # long before audit_since and before the start commit
    records, codes, _ = check(repo)
    assert state(records) == "uncertified" and "cert.not-merged" in codes


def test_an_audit_since_far_ahead_exempts_nothing_after_the_start(repo):
    repo.edit("records/school.yaml", "audit_since: 2026-08-01", "audit_since: 2099-01-01")
    repo.git("add", "-A")
    repo.git("commit", "-q", "--amend", "--no-edit")  # the start commit itself says 2099
    _student_push(repo, "2026-09-15 10:00")
    records, codes, _ = check(repo)
    assert audit.of(records).value == "2099-01-01"
    assert state(records) == "uncertified" and "cert.not-merged" in codes and "audit.moved" not in codes


def test_moving_audit_since_is_audit_moved_and_imports_nothing(repo):
    _student_push(repo, "2026-09-15 10:00")
    repo.edit("records/school.yaml", "audit_since: 2026-08-01", "audit_since: 2026-12-01")
    moved = repo.commit_all("調整稽核起始日", "huang-shufen", "2026-11-01 09:00")  # the director herself
    records, codes, result = check(repo)
    assert "audit.moved" in codes and state(records) == "uncertified"
    found = next(f for f in result.findings if f.rule == "audit.moved")
    assert found.severity == "error" and found.path == "records/school.yaml" and found.line == 7
    assert moved[:8] in found.message("en") and "115" in found.message("en")  # names the commit, ROC date
    # restoring the first value (written another way) clears it
    repo.edit("records/school.yaml", "audit_since: 2026-12-01", "audit_since: 115-08-01")
    repo.commit_all("還原", "huang-shufen", "2026-11-02 09:00")
    assert "audit.moved" not in check(repo)[1]


def test_removing_audit_since_is_audit_moved(repo):
    repo.edit("records/school.yaml", "audit_since: 2026-08-01", "name_note: x")
    repo.commit_all("刪除", "huang-shufen", "2026-11-01 09:00")
    _, codes, result = check(repo)
    assert [f.variant for f in result.findings if f.rule == "audit.moved"] == ["removed"]
    repo.write("records/school.yaml", repo.read("records/school.yaml").replace("name_note: x", "audit_since: 2026-08-01")
               + "name: 重複\n")  # restored, but a duplicate key leaves the file unread: no word on audit_since
    _, codes, result = check(repo)
    assert "yaml.duplicate-key" in codes and "audit.moved" not in codes, codes


def test_a_repository_that_sets_the_configuration_later_starts_there(repo):
    """Before the first commit with audit_since, nothing is configured: that history is imported."""
    text = repo.read("records/school.yaml")
    repo.write("records/school.yaml", "".join(l for l in text.splitlines(True) if not l.startswith("audit_since:")))
    repo.git("add", "-A")
    repo.git("commit", "-q", "--amend", "--no-edit")
    _student_push(repo, "2026-07-15 10:00")  # before the configuration: imported
    repo.edit("records/school.yaml", "timezone: Asia/Taipei\n", "timezone: Asia/Taipei\naudit_since: 2026-08-01\n")
    configured = repo.commit_all("開始稽核", "huang-shufen", "2026-08-01 09:00")
    records, codes, result = check(repo)
    assert audit.of(records).commit.sha == configured
    assert state(records) == "imported" and result.errors == 0


def test_the_configuration_path_is_a_parameter(repo):
    """A registry's audit starts at the first commit that holds records/registry.yaml."""
    repo.direct({"schedules/115-1.yaml": repo.read("schedules/115-1.yaml") + "\n"}, "huang-shufen",
                "2026-07-02 09:00")
    added = repo.direct({"records/registry.yaml": "portfolio: ../portfolio\nref: main\n"}, "huang-shufen",
                        "2026-07-03 09:00")
    repo.direct({"records/registry.yaml": "portfolio: ../other\nref: main\n"}, "huang-shufen", "2026-07-04 09:00")
    hist = history_mod.read(repo.root)
    start = audit.find_start(repo.root, hist, audit.REGISTRY_CONFIG)
    assert start.commit.sha == added and start.index == 2
    assert [c.sha for c in (m for m in hist.mainline if start.audited(hist.mainline.index(m)))] == \
        [hist.mainline[3].sha]


def test_not_audited_outside_the_tool_repository_is_an_error_and_audits_anyway(repo):
    _student_push(repo, "2026-09-15 10:00")
    repo.append("records/school.yaml", "history: not-audited\n")
    repo.commit_all("不稽核", "huang-shufen", "2026-10-01 09:00")
    records, codes, result = check(repo)
    assert "audit.not-audited" in codes and "cert.not-merged" in codes and not result.notes
    # a generator/ folder added later does not make a school's repository the tool's
    repo.direct({"generator/__init__.py": ""}, "huang-shufen", "2026-10-02 09:00")
    _, codes, result = check(repo)
    assert "audit.not-audited" in codes and "cert.not-merged" in codes and not result.notes


def test_not_audited_in_a_folder_without_git(school):
    school.append("records/school.yaml", "history: not-audited\n")
    assert "audit.not-audited" in school.codes()


def _licheng(*args):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, env=env)


def test_the_sample_school_validates_clean_with_one_header_note():
    proc = _licheng("validate", "-C", str(REPO), "--format", "json", "--now", NOW)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["findings"] == [], report["findings"]
    assert report["history"] == "not-audited" and len(report["notes"]) == 1
    text = _licheng("validate", "-C", str(REPO), "--now", NOW, "--lang", "en").stdout.splitlines()
    assert text[0].startswith("# Git history not audited") and sum("not audited" in line for line in text) == 1


def test_a_warm_run_reads_the_audit_start_from_the_cache_as_git_has_it(repo, monkeypatch, tmp_path):
    """The configuration as each commit holds it is a fact of that commit: a run with the cache
    parses it once, the next reads it there (no Git), and both find the same start and changes."""
    monkeypatch.setenv("LICHENG_CACHE_DIR", str(tmp_path / "cache"))
    _student_push(repo, "2026-09-15 10:00")
    repo.edit("records/school.yaml", "audit_since: 2026-08-01", "audit_since: 2026-12-01")
    repo.commit_all("調整稽核起始日", "huang-shufen", "2026-11-01 09:00")

    def start(use_cache):
        records, _ = validate(repo.root, NOW, use_cache=use_cache)
        found = audit.of(records)
        return found.commit.sha, found.index, found.value, [(c.sha, v) for c, v in found.changes]

    expected = start(False)
    assert expected[2] == "2026-08-01" and expected[3][0][1] == "2026-12-01"
    assert start(True) == expected  # parsed from Git, written to the cache
    monkeypatch.setattr(audit, "read_blobs", lambda *args: pytest.fail("read from Git"))
    monkeypatch.setattr(committed, "read_objects", lambda *args: pytest.fail("read from Git"))
    assert start(True) == expected
