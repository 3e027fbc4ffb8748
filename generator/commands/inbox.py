"""`licheng inbox`: the pending merge requests a teacher may certify now, most urgent first."""

from __future__ import annotations

import json
import sys

from .. import dates
from ..errors import printable
from ..names import class_label
from ..git import openness
from ..names import in_lang


def add_arguments(parser) -> None:
    parser.add_argument("--as", dest="staff", metavar="STAFF_ID",
                        help="教職員代號（預設為本機 Git user.email 所屬者）/ staff id (default: git user.email's)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--no-cache", action="store_true", help="不使用快取 / ignore the cache")
    parser.add_argument("--check", action="store_true", help=CHECK_HELP)


CHECK_HELP = "也在本機重跑每件請求的合併請求檢查（如 certify；較慢）/ also rerun each request's merge-request check here (as certify does; slower)"


UNCHECKED = {
    "zh-TW": "以上未在本機重跑各請求的合併請求檢查：請看它在平臺上的 CI 結果，或加上 --check（certify 合併前一定會檢查）。",
    "en": "The requests' merge-request checks were not rerun here: see each one's CI result on the platform, "
          "or add --check (certify always checks before it merges).",
}


def text(records, staff_id: str, queue, lang: str = "zh-TW", checked: bool = True) -> str:
    """The queue (common.queue's list) as the terminal shows it: the requests ready to certify,
    then those that are not, each with why; unless `checked`, a line saying the checks did not run."""
    en = lang == "en"
    when = dates.roc(records.now.astimezone(records.tz))
    who = records.staff_name(staff_id)
    found = openness.of(records)
    said = openness.note(found, lang) if queue or found.closed else ""  # (no caveat on an empty, unchecked queue)
    caveat = said + "\n" if said else ""
    if not queue:
        return (f"{who}: nothing to certify now ({when})\n" if en
                else f"{who}老師目前沒有待認證的合併請求（{when}）\n") + caveat
    ready = [(e, None) for e, _, why in queue if why is None]
    waiting = [(e, why) for e, _, why in queue if why is not None]
    if not checked:
        caveat = in_lang(UNCHECKED, lang) + "\n" + caveat
    if en:
        more = f"; {len(waiting)} more not ready yet, listed after them" if waiting else ""
        lines = [f"{who}: {len(ready)} request(s) to certify, most urgent first{more} ({when})"]
    else:
        more = f"；另有 {len(waiting)} 件尚不能認證，列於其後" if waiting else ""
        lines = [f"{who}老師可認證的合併請求 {len(ready)} 件，依急迫程度排列{more}（{when}）"]
    for i, (e, why) in enumerate(ready + waiting, 1):
        number = printable(e.named(lang))
        role = (" (as delegate on duty)" if en else "（值勤代理）") if e.delegate else ""
        klass = f"class {e.cls}" if en else class_label(e.cls)
        lines.append("")
        sep = ", " if en else "、"
        lines.append(printable(f"{i:>2}. {number}  {klass} {e.student}  {sep.join(e.courses)}{role}", None))
        titles = [printable(t) for t in e.titles]  # the student's words: no escape sequence reaches the terminal
        lines.append("    \u201c" + "\u201d \u201c".join(titles) + "\u201d" if en else f"    「{'」「'.join(titles)}」")
        if en:
            left = "—" if e.days_left is None else (f"{-e.days_left} day(s) overdue" if e.days_left < 0
                                                      else f"{e.days_left} day(s) left")
            deadline = f", certify by {e.deadline}, {left}" if e.deadline else ""
            lines.append(f"    uploaded {e.uploaded}{deadline}")
        else:
            deadline = f"，認證截止 {e.deadline}，{e.left}" if e.deadline else ""
            lines.append(f"    上傳 {e.uploaded}{deadline}")
        if why is not None:
            lines.append(f"    ✗ not ready: {why.text(lang)}" if en else f"    ✗ 尚不能認證：{why.text(lang)}")
        lines.append(f"    {printable(e.link or e.ref)}")
    return "\n".join(lines) + "\n" + ("\n" + caveat if caveat else "")


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
        sys.stdout.write(text(records, staff_id, queue, args.lang, checked=args.check))
    return True
