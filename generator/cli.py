"""The `licheng` command. Exit codes are decided here and only here: 0 ok, 1 errors, 2 could not run."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__, dates
from .errors import LichengError, RepositoryError, UsageError
from .reporter import REPORTERS

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN = 0, 1, 2


def _root(given: str | None) -> Path:
    root = Path(given or os.getcwd()).resolve()
    if not (root / "records").is_dir():
        raise RepositoryError(f"{root}: 找不到 records/ 資料夾，這不是學校的歷程資料庫 (not a school repository)")
    return root


def _now(root: Path, given: str | None):
    """The run's "now" in the school's timezone (school.yaml read on its own: this is cheap)."""
    from .yaml import YamlProblem, load_bytes

    try:
        school = load_bytes((root / "records/school.yaml").read_bytes())
    except (OSError, YamlProblem):
        school = None
    zone = school.get("timezone") if isinstance(school, dict) else None
    return dates.resolve_now(given, dates.zone(zone if isinstance(zone, str) else None))


def cmd_validate(args) -> int:
    from . import cache

    root = _root(args.repo)
    now = _now(root, args.now)
    digest = cache.inputs(root, args.rev) if not args.no_cache else None
    findings = cache.stored_result(root, digest, now) if digest else None
    if findings is None:
        from .validate import validate

        records, result = validate(root, args.now, rev=args.rev, use_cache=not args.no_cache)
        if digest:
            cache.store_result(root, digest, now, records.moments, result.findings)
    else:
        from . import rules  # noqa: F401  (the messages of the stored findings)
        from .result import Result

        result = Result()
        result.extend(findings)
    if args.strict:
        result = result.strict()
    sys.stdout.write(REPORTERS[args.format](result, args.lang))
    return EXIT_FINDINGS if result.errors else EXIT_OK


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-C", "--repo", help="學校資料庫的根目錄（預設為目前目錄）/ the school repository")
    common.add_argument("--now", help="把「現在」設為此時間（預設 SOURCE_DATE_EPOCH 或時鐘）/ the time taken as now")
    common.add_argument("--lang", choices=["zh-TW", "en"], default="zh-TW", help="訊息語言 / message language")
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="licheng", description="學生學習歷程檔案：紀錄與期程的驗證與發布")
    parser.add_argument("--version", action="version", version=f"licheng {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", parents=[_common()], help="驗證所有紀錄與期程 / validate records and schedules")
    v.add_argument("--format", choices=sorted(REPORTERS), default="text")
    v.add_argument("--strict", action="store_true", help="警告也視為錯誤 / warnings are errors")
    v.add_argument("--rev", help="驗證某個 Git 版本的歷史 / validate the history of a Git revision")
    v.add_argument("--no-cache", action="store_true", help="不使用 .licheng-cache / ignore the cache")
    v.set_defaults(run=cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_CANNOT_RUN if exc.code not in (0, None) else EXIT_OK
    try:
        if getattr(args, "now", None) and not dates.is_date(args.now):
            raise UsageError(f"--now {args.now}: 不是可辨識的時間 / not a date or time")
        return args.run(args)
    except LichengError as exc:
        print(f"licheng: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
