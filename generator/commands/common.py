"""What every command shares: the school's root folder, "now", and the common options."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from .. import dates
from ..errors import RepositoryError
from ..yaml import YamlProblem, load_bytes


def options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-C", "--repo", help="學校資料庫的根目錄（預設為目前目錄）/ the school repository")
    common.add_argument("--now", help="把「現在」設為此時間（預設 SOURCE_DATE_EPOCH 或時鐘）/ the time taken as now")
    common.add_argument("--lang", choices=["zh-TW", "en"], default="zh-TW", help="訊息語言 / message language")
    return common


def school_root(given: str | None) -> Path:
    root = Path(given or os.getcwd()).resolve()
    if not (root / "records").is_dir():
        raise RepositoryError(f"{root}: 找不到 records/ 資料夾，這不是學校的歷程資料庫 (not a school repository)")
    return root


def now(root: Path, given: str | None):
    """The run's "now" in the school's timezone (school.yaml read on its own: this is cheap)."""
    try:
        school = load_bytes((root / "records/school.yaml").read_bytes())
    except (OSError, YamlProblem):
        school = None
    zone = school.get("timezone") if isinstance(school, dict) else None
    return dates.resolve_now(given, dates.zone(zone if isinstance(zone, str) else None))
