"""Shared fixtures: a copy of the sample school in a tmp dir, edited the way staff would."""

from __future__ import annotations

import os
import shutil
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
    for name in [n for n in os.environ if n.startswith(("GITHUB_", "CI_MERGE_REQUEST_", "GITLAB_USER_"))]:
        del os.environ[name]


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
