"""The schedule and status website, as a library: `build` and `serve` for the CLI.

generator.site.pages makes the pages from the records and knows nothing of MkDocs;
generator.plugin is the one adapter to MkDocs (imported lazily, only when building).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .pages import AUDIENCES, Site, generate  # noqa: F401


@dataclass
class BuildReport:
    audience: str
    site_dir: Path
    pages: int  # generated pages
    files: int  # every file written to site_dir
    errors: int  # validation errors (the site shows them)
    warnings: int
    seconds: float


def build(root: Path, audience: str = "public", site_dir: Path | None = None, now: str | None = None,
          strict: bool = False) -> BuildReport:
    """Validate and build the site with the school's mkdocs.yml. RuntimeError when strict and errors."""
    from ..plugin import run_build

    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}")
    started = time.perf_counter()
    root = Path(root).resolve()
    plugin, out = run_build(root, {"audience": audience, "now": now, "strict": strict},
                            Path(site_dir).resolve() if site_dir else root / "site")
    files = sum(1 for p in out.rglob("*") if p.is_file())
    return BuildReport(audience, out, len(plugin.site.pages), files, plugin.data.errors, plugin.data.warnings,
                       round(time.perf_counter() - started, 2))


def serve(root: Path, audience: str = "public", now: str | None = None, dev_addr: str | None = None) -> None:
    """Live preview; records/, schedules/ and site_templates/ are watched."""
    from ..plugin import run_serve

    run_serve(Path(root).resolve(), {"audience": audience, "now": now}, dev_addr)
