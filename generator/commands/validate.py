"""licheng validate: check every record and schedule, print the report.

In a merge-request check (--base, the platform's variables, or a HEAD off main's first-parent
chain) the request is judged as the merge it would make, and only what it introduces fails.
"""

from __future__ import annotations

import os
import sys

from ..reporter import REPORTERS, verdict
from .common import revision, school_root


def add_arguments(parser) -> None:
    parser.add_argument("--format", choices=sorted(REPORTERS), default="text",
                        help="輸出格式：text 文字、json、github（GitHub Actions 註記）、codequality（GitLab Code Quality 報告）"
                             " / output format")
    parser.add_argument("--strict", action="store_true", help="警告也視為錯誤 / warnings are errors")
    parser.add_argument("--rev", help="驗證某個 Git 版本的歷史 / validate the history of a Git revision")
    parser.add_argument("--base", help="合併請求檢查：請求要併入的分支（如 main；在 CI 中由平臺的變數得知）/ merge-request check "
                        "against this base (in CI: from the platform's variables)")
    parser.add_argument("--no-cache", action="store_true", help="不使用快取 / ignore the cache")


def run(args) -> bool:
    from ..validate import validate

    root = school_root(args.repo)
    if args.rev and args.base:
        from ..errors import UsageError

        raise UsageError("--rev 與 --base 不能同時使用 / --rev and --base cannot be combined")
    if args.rev:
        args.rev = revision(root, args.rev)
    if not args.rev:
        from ..git import request as request_mod

        found = request_mod.find(root, args.base)
        if found is not None:
            return _request(root, args, found)
    _, result = validate(root, args.now, rev=args.rev, use_cache=not args.no_cache,
                         portfolio=args.portfolio)
    if args.strict:
        result = result.strict()
    sys.stdout.write(REPORTERS[args.format](result, args.lang))
    return not result.failing


def _request(root, args, found) -> bool:
    from ..review import check, summary

    _, result, facts = check.check(root, args.now, found, use_cache=not args.no_cache,
                                   portfolio=args.portfolio)
    if args.strict:
        result = result.strict()
    if args.format == "json":
        out = REPORTERS["json"](result, args.lang, request=summary.as_dict(facts, result))
    elif args.format in ("text", "github"):  # a workflow log shows plain lines between the annotations
        out = summary.text(facts, args.lang) + REPORTERS[args.format](result, args.lang)
    else:
        out = REPORTERS[args.format](result, args.lang)
    sys.stdout.write(out)
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        try:
            with open(target, "a", encoding="utf-8") as fh:
                fh.write(summary.markdown(facts, result, args.lang, verdict(result, args.lang)))
        except OSError as exc:
            print(f"licheng: GITHUB_STEP_SUMMARY {target}: {exc.strerror}", file=sys.stderr)
    return not result.failing
