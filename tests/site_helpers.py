"""Shared by the site tests: a copy of the sample school with its site files, and built-file reading."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOW = "2026-11-28 12:00"


def copy_school(target: Path) -> Path:
    for top in ("records", "schedules"):
        shutil.copytree(REPO / top, target / top)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    school = target / "records/school.yaml"  # a school's copy: without the tool's `history: not-audited`
    school.write_text("".join(line for line in school.read_text("utf-8").splitlines(True)
                              if not line.startswith("history: not-audited")), "utf-8")
    return target


def built_texts(site_dir: Path) -> dict[str, str]:
    """Every built file as text (sitemap.xml.gz decompressed; binary files decoded leniently)."""
    out = {}
    for path in sorted(site_dir.rglob("*")):
        if path.is_file():
            raw = path.read_bytes()
            if path.suffix == ".gz":
                raw = gzip.decompress(raw)
            out[path.relative_to(site_dir).as_posix()] = raw.decode("utf-8", "replace")
    return out
