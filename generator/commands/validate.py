"""licheng validate: check every record and schedule, print the report."""

from __future__ import annotations

import sys

from ..reporter import REPORTERS
from .common import school_root

HELP = "驗證所有紀錄與期程 / validate records and schedules"


def add_arguments(parser) -> None:
    parser.add_argument("--format", choices=sorted(REPORTERS), default="text")
    parser.add_argument("--strict", action="store_true", help="警告也視為錯誤 / warnings are errors")
    parser.add_argument("--rev", help="驗證某個 Git 版本的歷史 / validate the history of a Git revision")
    parser.add_argument("--no-cache", action="store_true", help="不使用快取 / ignore the cache")


def run(args) -> bool:
    from ..validate import validate

    root = school_root(args.repo)
    _, result = validate(root, args.now, rev=args.rev, use_cache=not args.no_cache)
    if args.strict:
        result = result.strict()
    sys.stdout.write(REPORTERS[args.format](result, args.lang))
    return not result.errors
