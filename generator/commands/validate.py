"""licheng validate: check every record and schedule, print the report."""

from __future__ import annotations

import sys

from .. import cache
from ..reporter import REPORTERS
from .common import now, school_root

HELP = "驗證所有紀錄與期程 / validate records and schedules"


def add_arguments(parser) -> None:
    parser.add_argument("--format", choices=sorted(REPORTERS), default="text")
    parser.add_argument("--strict", action="store_true", help="警告也視為錯誤 / warnings are errors")
    parser.add_argument("--rev", help="驗證某個 Git 版本的歷史 / validate the history of a Git revision")
    parser.add_argument("--no-cache", action="store_true", help="不使用快取 / ignore the cache")


def run(args) -> bool:
    root = school_root(args.repo)
    moment = now(root, args.now)
    digest = cache.inputs(root, args.rev) if not args.no_cache else None
    stored = cache.stored_result(root, digest, moment) if digest else None
    if stored is None:
        from ..validate import validate

        records, result = validate(root, args.now, rev=args.rev, use_cache=not args.no_cache)
        if digest:
            cache.store_result(root, digest, moment, records.moments, result.findings, result.notes)
    else:
        from .. import rules  # noqa: F401  (the messages of the stored findings)
        from ..result import Result

        result = Result()
        result.extend(stored[0])
        result.notes = list(stored[1])
    if args.strict:
        result = result.strict()
    sys.stdout.write(REPORTERS[args.format](result, args.lang))
    return not result.errors
