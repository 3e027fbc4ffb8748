"""records/acknowledgements.yaml on a real history: a past self-merge the school has examined."""

from __future__ import annotations

import json
import shutil

import pytest

from generator.cli import main
from generator.papers.export import blocking
from generator.validate import validate
from gitschool import GitSchool, portfolio_copy

from conftest import NOW, REPO

ENGLISH = "115999999H001010A010211"
OLD = "records/outcomes/115-1/1150101/diary.yaml"
OUTCOME = f'course: "{ENGLISH}"\ntitle: 英文日記\nsummary: 每週一篇英文日記。\n'
ACKS = "records/acknowledgements.yaml"


@pytest.fixture(scope="module")
def self_merged(tmp_path_factory):
    """1150101 merged their own request in 115-1 (cert.self-merge, perm.denied on the outcome)."""
    repo = GitSchool(portfolio_copy(tmp_path_factory.mktemp("ack") / "school"))
    merge = repo.mr({OLD: OUTCOME}, "1150101", "2026-09-15 20:00", "1150101", "2026-09-16 10:00")
    return repo, merge


def _entry(rule, path, by="huang-shufen", commit=None):
    sha = f"  commit: {commit}\n" if commit else ""
    return f"- rule: {rule}\n  path: {path}\n{sha}  reason: 學生誤按合併；任課教師已確認內容\n  by: {by}\n  at: 2026-11-20\n"


def _acknowledge(repo, text):
    repo.direct({ACKS: text}, "huang-shufen", "2026-11-20 09:00", message="確認過去的自行合併")


def test_acknowledged_finding_is_reported_but_fails_nothing(self_merged, tmp_path, capsys):
    repo, merge = self_merged
    records, before = validate(repo.root, NOW)
    failing = {f.rule for f in before.findings if f.severity == "error" and f.path == OLD}
    assert failing == {"cert.self-merge", "perm.denied"}
    _acknowledge(repo, _entry("cert.self-merge", OLD, commit=merge[:8]) + _entry("perm.denied", OLD))
    try:
        records, result = validate(repo.root, NOW)
        marked = [f for f in result.findings if f.path == OLD]
        assert {f.rule for f in marked} == failing and all(f.acknowledged for f in marked)
        assert all(f.severity == "error" for f in marked) and result.errors == 0
        assert records.certification.outcomes[OLD].state == "uncertified"  # the verdict stands
        assert "ack.stale" not in {f.rule for f in result.findings}
        assert main(["validate", "-C", str(repo.root), "--now", NOW, "--format", "json", "--no-cache"]) == 0
        report = json.loads(capsys.readouterr().out)
        acknowledged = [f for f in report["findings"] if f.get("acknowledged")]
        assert {f["rule"] for f in acknowledged} == failing and report["summary"]["errors"] == 0
        assert main(["validate", "-C", str(repo.root), "--now", NOW, "--no-cache"]) == 0
        assert "錯誤（已確認） [cert.self-merge" in capsys.readouterr().out
        assert not [b for b in blocking(records, "115-1", result.findings) if b["path"] == OLD]
    finally:
        repo.git("reset", "-q", "--hard", "HEAD~1")


def test_an_entry_for_another_commit_acknowledges_nothing_and_is_stale(self_merged, capsys):
    repo, _ = self_merged
    _acknowledge(repo, _entry("cert.self-merge", OLD, commit="0000beef")
                 + _entry("cert.self-merge", "records/outcomes/115-1/1150101/gone.yaml"))
    try:
        records, result = validate(repo.root, NOW)
        assert not any(f.acknowledged for f in result.findings)
        stale = [f for f in result.findings if f.rule == "ack.stale"]
        assert [(f.path, f.line, f.severity) for f in stale] == [(ACKS, 1, "warning"), (ACKS, 7, "warning")]
        assert "0000beef" in stale[0].message() and "gone.yaml" in stale[1].message("en")
        assert main(["validate", "-C", str(repo.root), "--now", NOW, "--no-cache"]) == 1
    finally:
        repo.git("reset", "-q", "--hard", "HEAD~1")


def test_what_cannot_be_acknowledged_and_who_may_not(self_merged):
    repo, _ = self_merged
    _acknowledge(repo, _entry("audit.moved", "records/school.yaml") + _entry("cert.self-merge", OLD, by="jiang-shuhui")
                 + _entry("ack.stale", ACKS))
    try:
        records, result = validate(repo.root, NOW)
        invalid = sorted((f.line, f.variant) for f in result.findings if f.rule == "ack.invalid")
        assert invalid == [(1, "rule"), (6, "by"), (11, "self")]
        assert "江淑惠" in next(f for f in result.findings if f.variant == "by" and f.rule == "ack.invalid").message()
        assert not any(f.acknowledged for f in result.findings)
    finally:
        repo.git("reset", "-q", "--hard", "HEAD~1")


def test_a_student_may_not_change_the_acknowledgements(self_merged):
    repo, _ = self_merged
    repo.mr({ACKS: _entry("cert.self-merge", OLD)}, "1150101", "2026-11-20 20:00", "jiang-shuhui", "2026-11-21 10:00")
    try:
        _, result = validate(repo.root, NOW)
        assert any(f.rule == "perm.denied" and f.path == ACKS for f in result.findings)
    finally:
        repo.git("reset", "-q", "--hard", "HEAD~1")
