"""`licheng inbox`: the pending merge requests a teacher may certify now, most urgent first."""

from __future__ import annotations

import json
import sys

from .. import dates
from ..errors import printable
from ..git import openness


def add_arguments(parser) -> None:
    parser.add_argument("--as", dest="staff", metavar="STAFF_ID",
                        help="教職員代號（預設為本機 Git user.email 所屬者）/ staff id (default: git user.email's)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--no-cache", action="store_true", help="不使用快取 / ignore the cache")


def text(records, staff_id: str, entries, lang: str = "zh-TW") -> str:
    from .common import name_of

    en = lang == "en"
    when = dates.roc(records.now.astimezone(records.tz))
    who = name_of(records, staff_id)
    found = openness.of(records)
    said = openness.note(found, lang) if entries or found.closed else ""  # (no caveat on an empty, unchecked queue)
    caveat = said + "\n" if said else ""
    if not entries:
        return (f"{who}: nothing to certify now ({when})\n" if en
                else f"{who}老師目前沒有待認證的合併請求（{when}）\n") + caveat
    lines = [f"{who}: {len(entries)} request(s) to certify, most urgent first ({when})" if en
             else f"{who}老師可認證的合併請求 {len(entries)} 件，依急迫程度排列（{when}）"]
    for i, e in enumerate(entries, 1):
        number = printable(e.named(lang))
        role = (" (as delegate on duty)" if en else "（值勤代理）") if e.delegate else ""
        klass = f"class {e.cls}" if en else f"{e.cls}班"
        lines.append("")
        sep = ", " if en else "、"
        lines.append(f"{i:>2}. {number}  {klass} {e.student}  {sep.join(e.courses)}{role}")
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
        if e.also:
            lines.append(f"    also needs {', '.join(e.also)} for its other outcomes (they belong in separate requests)"
                         if en else f"    另需 {'、'.join(e.also)} 認證其他成果（應分開提出合併請求）")
        lines.append(f"    {printable(e.link or e.ref)}")
    return "\n".join(lines) + "\n" + ("\n" + caveat if caveat else "")


def run(args) -> bool:
    from ..site.queue import entries
    from .common import school_records, school_root, staff_member

    root = school_root(args.repo)
    records = school_records(root, args.now, ask_platform=True, use_cache=not args.no_cache)
    staff_id = staff_member(records, args.staff, root)
    queue = entries(records, staff_id)
    if args.format == "json":
        found = openness.of(records)
        payload = {"staff": staff_id, "now": records.now.isoformat(),
                   "open_checked_by": found.by or None, "open_unchecked_reason": found.reason(args.lang) or None,
                   "requests": [{**e.__dict__, "left": e.left} for e in queue]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(text(records, staff_id, queue, args.lang))
    return True
