"""export, letters and purge as users run them: real processes on real repositories."""

from __future__ import annotations

import json

from gitschool import sample_repo
from test_cli import run

from conftest import NOW, needs_cjk_font


def test_export_refuses_while_errors_concern_the_data_and_force_overrides(school, tmp_path):
    school.edit("records/students/1140101.yaml", "national_id: ", "national_id: X")
    out = tmp_path / "out"
    proc = run("export", "-C", str(school.root), "--now", NOW, "--semester", "114-2", "--out", str(out))
    assert proc.returncode == 1 and "records/students/1140101.yaml" in proc.stderr and not out.exists()
    proc = run("export", "-C", str(school.root), "--now", NOW, "--semester", "114-2", "--out", str(out), "--force")
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["semester"] == "114-2" and (out / "grades.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@needs_cjk_font
def test_letters_command(school, tmp_path):
    proc = run("letters", "-C", str(school.root), "--now", NOW, "--semester", "114-2", "--out", str(tmp_path))
    assert proc.returncode == 0 and (tmp_path / "letters-114-2.pdf").read_bytes().startswith(b"%PDF")


def test_purge_lists_then_applies_in_one_commit_the_audit_accepts(tmp_path):
    root = tmp_path / "school"
    repo = sample_repo(root)
    head = repo.git("rev-parse", "HEAD")
    later = "2031-03-01"  # 1130110 left on 2026-02-15: five years are over
    listing = run("purge", "-C", str(root), "--now", later)
    assert listing.returncode == 0 and "records/students/1130110.yaml" in listing.stdout
    assert repo.git("rev-parse", "HEAD") == head and repo.git("status", "--porcelain") == ""
    assert run("purge", "-C", str(root), "--now", later, "--apply").returncode == 2  # who?
    assert run("purge", "-C", str(root), "--now", later, "--apply", "--as", "lai-zhiwei").returncode == 2
    applied = run("purge", "-C", str(root), "--now", later, "--apply", "--as", "wang-yating")
    assert applied.returncode == 0, applied.stderr
    assert repo.git("rev-list", "--count", f"{head}..HEAD") == "1"
    assert not (root / "records/students/1130110.yaml").exists()
    report = json.loads(run("validate", "-C", str(root), "--now", later, "--format", "json").stdout)
    assert not [f for f in report["findings"] if f["rule"].startswith("perm.")], report["findings"]
    assert "1130110" not in run("purge", "-C", str(root), "--now", later).stdout
