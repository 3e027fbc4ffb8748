"""Every command works from a non-editable install: build the wheel, install it into a fresh
virtual environment (reusing the installed dependencies), run the commands outside the source tree."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

@pytest.fixture(scope="module")
def venv(wheel_venv) -> Path:
    return wheel_venv


def licheng(base: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([str(base / "venv/bin/licheng"), *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


def test_the_installed_package_is_the_wheel_not_the_source(venv):
    done = subprocess.run([str(venv / "venv/bin/python"), "-c", "import generator; print(generator.__file__)"],
                          capture_output=True, text=True, cwd=venv, env={**os.environ, "PYTHONPATH": ""})
    assert str(venv / "venv") in done.stdout


def test_init_validate_demo_build_from_the_wheel(venv, tmp_path):
    proc = licheng(venv, "init", "school", "--name", "測試高中", "--code", "654321", "--now", "2026-11-30",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = licheng(venv, "validate", "-C", "school/portfolio", "--now", "2026-11-30 12:00", cwd=tmp_path)
    assert "group.missing" in proc.stdout and "Traceback" not in proc.stderr, proc.stdout + proc.stderr
    proc = licheng(venv, "demo", "demo", "--students", "40", "--single", "--no-site", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = licheng(venv, "build", "-C", "demo", "--site-dir", str(tmp_path / "site"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "site/index.html").is_file()
