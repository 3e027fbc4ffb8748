"""Shared fixtures: a copy of the sample school in a tmp dir, edited the way staff would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.validate import validate

REPO = Path(__file__).resolve().parents[1]
NOW = "2026-11-28 12:00"


def _font_problem() -> str | None:
    from generator.papers.letters import FontMissing, find_font

    try:
        find_font()
    except FontMissing as exc:
        return str(exc)
    return None


# tests of papers (PDF) skip on a machine without the system font / poppler, saying what to install
needs_cjk_font = pytest.mark.skipif(_font_problem() is not None, reason=f"needs a CJK font: {_font_problem()}")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="needs poppler-utils for pdftotext (apt-get install poppler-utils)")


class School:
    """A real school repository on disk (records/ and schedules/) that tests edit as text."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, rel: str) -> Path:
        return self.root / rel

    def read(self, rel: str) -> str:
        return self.path(rel).read_text("utf-8")

    def write(self, rel: str, text: str | bytes) -> None:
        target = self.path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, "utf-8")

    def edit(self, rel: str, old: str, new: str, count: int = 1) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, count))

    def append(self, rel: str, text: str) -> None:
        self.write(rel, self.read(rel) + text)

    def remove(self, rel: str) -> None:
        target = self.path(rel)
        shutil.rmtree(target) if target.is_dir() else target.unlink()

    def validate(self, now: str = NOW):
        return validate(self.root, now)[1]

    def codes(self, now: str = NOW) -> set[str]:
        return {f.rule for f in self.validate(now).findings}


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory):
    """licheng's caches (and the subprocesses' ones) go to a tmp dir, not the user's ~/.cache."""
    os.environ["LICHENG_CACHE_DIR"] = str(tmp_path_factory.mktemp("licheng-cache"))
    # a CI job's own merge-request variables must not turn every test's validate into a merge-request check
    for name in [n for n in os.environ if n.startswith(("GITHUB_", "CI_MERGE_REQUEST_", "GITLAB_USER_", "GITLAB_CI"))]:
        del os.environ[name]
    # nor a developer's platform token send the queue's tests to the real platform
    for name in ("LICHENG_TOKEN", "GH_TOKEN", "GITLAB_TOKEN"):
        os.environ.pop(name, None)


NOT_AUDITED = "history: not-audited"


def copy_sample(root: Path) -> School:
    """The sample school as a school's repository holds it: without the tool's `history: not-audited`."""
    for top in ("records", "schedules"):
        shutil.copytree(REPO / top, root / top)
    school = School(root)
    text = school.read("records/school.yaml")
    school.write("records/school.yaml", "".join(line for line in text.splitlines(True) if not line.startswith(NOT_AUDITED)))
    return school


@pytest.fixture
def school(tmp_path: Path) -> School:
    return copy_sample(tmp_path / "school")


TOP_LEVEL_SKIP = {".git", "build", "dist", "site", "bench", "docs", "tests", ".venv", "venv", ".pytest_cache"}


def _skip(folder: str, names: list[str]) -> set[str]:
    top = Path(folder) == REPO
    return {n for n in names if (top and n in TOP_LEVEL_SKIP) or n == "__pycache__" or n.endswith(".egg-info")}


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory) -> Path:
    """A wheel of this checkout installed into a fresh virtual environment (reusing the installed
    dependencies); built once for every test that needs a non-editable install."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(REPO, source, ignore=_skip)  # a copy: pip builds in place, the checkout stays clean
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    pytest.importorskip("wheel", reason="building the wheel offline needs the 'wheel' package (pip install wheel)")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                            "--no-index", "-w", str(base / "dist"), str(source)], capture_output=True, text=True, env=env)
    assert built.returncode == 0, built.stderr
    [wheel] = (base / "dist").glob("licheng-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(base / "venv")], check=True)
    subprocess.run([str(base / "venv/bin/python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, env=env)
    return base
