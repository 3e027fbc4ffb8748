"""`licheng inbox`: the pending merge requests a teacher may certify now, most urgent first."""

from __future__ import annotations

import json
import sys

from ..git import openness
from .common import CHECK_HELP, queue_text


def add_arguments(parser) -> None:
    parser.add_argument("--as", dest="staff", metavar="STAFF_ID",
                        help="教職員代號（預設為本機 Git user.email 所屬者）/ staff id (default: git user.email's)")
    parser.add_argument("--format", choices=["text", "json"], default="text",
                        help="輸出格式（預設 text）/ output format (default text)")
    parser.add_argument("--no-cache", action="store_true", help="不使用快取 / ignore the cache")
    parser.add_argument("--check", action="store_true", help=CHECK_HELP)


def run(args) -> bool:
    from ..validate import Shared
    from .common import queue as teachers_queue, school_records, school_root, staff_member

    root = school_root(args.repo)
    # the queue's checks share main's tip, validated once (as certify's do)
    shared = Shared(histories=None, documents=None, lasting=None) if args.no_cache else Shared()
    records = school_records(root, args.now, ask_platform=True, use_cache=not args.no_cache, shared=shared)
    staff_id = staff_member(records, args.staff, root)
    queue = teachers_queue(records, staff_id, check=args.check, shared=shared, use_cache=not args.no_cache)
    if args.format == "json":
        found = openness.of(records)
        payload = {"staff": staff_id, "now": records.now.isoformat(),
                   "open_checked_by": found.by or None,
                   "open_unchecked_reason": found.error.text(args.lang) if found.error else None,
                   "checked": args.check,
                   # ready: true only once its check ran; null where only the check could tell
                   "requests": [{**e.__dict__, "left": e.left, "ready": (why is None) if why or args.check else None,
                                 "not_ready_because": why.text(args.lang) if why else None} for e, _, why in queue]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(queue_text(records, staff_id, queue, args.lang, checked=args.check))
    return True
