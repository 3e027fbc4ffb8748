"""Files of this project that the commands need at run time: the sample school's schedules,
school.yaml and regulation, the CI templates (the portfolio's are this project's own CI files; the
registry's live under .github/registry/ and .gitlab/registry/), the sample mkdocs.yml and the site's templates (site_templates/).

In a source checkout (or an editable install) they are read where they live in the project; a
built wheel carries copies under generator/_data (setup.py's build step puts them there), so every
command works from a non-editable install too.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PROJECT = PACKAGE.parent
BUNDLED = PACKAGE / "_data"

# project-relative paths the wheel carries (files, or folders copied whole)
SHIPPED = (
    "mkdocs.yml",
    "site_templates",
    "schedules",
    "records/school.yaml",
    "records/regulation.md",
    ".github/workflows/licheng.yml",
    ".gitlab-ci.yml",
    ".github/registry/licheng.yml",  # the registry's CI (inert here: GitHub runs .github/workflows/ only)
    ".gitlab/registry/.gitlab-ci.yml",
)


def _in_source_tree() -> bool:
    return (PROJECT / "pyproject.toml").is_file() and (PROJECT / "schedules").is_dir()


def path(relative: str) -> Path:
    """Where the project file `relative` (one of SHIPPED or inside one) is on this installation."""
    return (PROJECT if _in_source_tree() else BUNDLED) / relative


def read_bytes(relative: str) -> bytes:
    return path(relative).read_bytes()


def read_text(relative: str) -> str:
    return path(relative).read_text("utf-8")
