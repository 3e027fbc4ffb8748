"""Calendar feeds (RFC 5545): every operation's window, its self-check and the semester's events.

UIDs are derived from school code + semester + operation, so a calendar app that
subscribed updates an event when its dates move instead of adding a second one.
DTSTAMP is "now", so two builds with the same "now" give the same bytes.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from ..records.model import Records
from . import labels
from .schedule import Moment, Operation, events, operations, semesters

PRODID = "-//licheng//學習歷程檔案作業期程//ZH-TW"


def escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with a space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _utc(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _span(start: Moment, end: Moment | None) -> list[str]:
    """DTSTART/DTEND: whole days as DATE values (DTEND exclusive), times in UTC."""
    if start.whole_day and (end is None or end.whole_day):
        last = (end or start).at.date()
        return [f"DTSTART;VALUE=DATE:{start.at:%Y%m%d}", f"DTEND;VALUE=DATE:{last + timedelta(days=1):%Y%m%d}"]
    stop = end.at if end else start.at + timedelta(hours=1)
    return [f"DTSTART:{_utc(start.at)}", f"DTEND:{_utc(stop)}"]


def _event(uid: str, stamp: str, span: list[str], summary: str, description: str = "") -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}", *span, f"SUMMARY:{escape(summary)}"]
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    return lines + ["END:VEVENT"]


def _operation_events(op: Operation, code: str, host: str, stamp: str) -> list[str]:
    base = f"{code}-{op.semester}-{op.name}"
    details = "；".join(x for x in (f"負責：{op.owner}" if op.owner else "", op.note) if x)
    lines = _event(f"{base}@{host}", stamp, _span(op.start, op.end), f"{op.title}（{op.semester}）", details)
    if op.self_check:
        lines += _event(f"{base}-self-check@{host}", stamp, _span(op.self_check, None),
                        f"自我檢核：{op.title}（{op.semester}）", details)
    return lines


def feed(records: Records, now: datetime, semester: str | None = None) -> bytes:
    """One semester's feed, or every semester's when `semester` is None."""
    school = records.school
    code = str(school.get("code") or "school")
    host = urlsplit(school.get("site_url") or "").hostname or "licheng.invalid"
    stamp = _utc(now)
    name = f"{school.get('name', '')} 學習歷程檔案作業期程" + (f" {semester}" if semester else "")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}", f"X-WR-TIMEZONE:{records.tz.key}"]
    for sem in [semester] if semester else semesters(records):
        for op in operations(records, sem):
            lines += _operation_events(op, code, host, stamp)
        seen: set[str] = set()
        for ev in events(records, sem):
            uid = f"{code}-{sem}-{ev.type}-{ev.when.at:%Y%m%dT%H%M}"
            uid = next(u for n in range(1, 999) if (u := uid if n == 1 else f"{uid}-{n}") not in seen)
            seen.add(uid)
            uid = f"{uid}@{host}"
            lines += _event(uid, stamp, _span(ev.when, None), ev.title, labels.EVENT_TYPES.get(ev.type, ""))
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
