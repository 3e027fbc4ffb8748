"""Calendar feeds (RFC 5545) that remind: short entries with alarms, never months-long bars.

Per operation: an all-day "opens" entry, a deadline entry at the deadline's time with
reminders a week and a day before, and the self-check day as its own entry; the term's
first and last days and the events are entries of their own. No entry lasts more than a
day. UIDs are derived from school code + semester + operation (+ what the entry is), so a
subscribed calendar replaces an entry when its date moves instead of adding a second one;
the deadline keeps the UID the whole window had before feeds reminded. DTSTAMP is "now",
so two builds with the same "now" give the same bytes. Draft schedules are in no feed.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from .. import names
from ..records.model import Records
from .schedule import Moment, Operation, events, operations, semesters

PRODID = "-//licheng//學習歷程檔案作業期程//ZH-TW"
REFRESH = "PT6H"  # how often a subscribed calendar should fetch the feed again
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# feeds for one audience: the operations they act in, the events meant for them
AUDIENCES = {
    "students": ("學生", ("outcome_upload", "performance_upload", "outcome_selection", "performance_selection",
                         "receipt_confirmation"), ("student_training",)),
    "teachers": ("教師", ("outcome_certification",), ("teacher_workshop",)),
}


def escape(text: str) -> str:
    """TEXT value: control characters removed, line breaks as \\n, separators escaped."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\\n".join(CONTROL.sub("", line).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
                      for line in lines)


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


def _day(at: datetime) -> list[str]:
    return [f"DTSTART;VALUE=DATE:{at:%Y%m%d}", f"DTEND;VALUE=DATE:{at.date() + timedelta(days=1):%Y%m%d}"]


def _when(moment: Moment, minutes: int = 0) -> list[str]:
    """A whole day, or a time (lasting `minutes`; 0: a point in time, as a deadline is)."""
    if moment.whole_day:
        return _day(moment.at)
    return [f"DTSTART:{_utc(moment.at)}"] + ([f"DTEND:{_utc(moment.at + timedelta(minutes=minutes))}"] if minutes else [])


def _alarm(before: str, text: str) -> list[str]:
    return ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:-{before}", f"DESCRIPTION:{escape(text)}", "END:VALARM"]


def _event(uid: str, stamp: str, span: list[str], summary: str, description: str = "", url: str = "",
           alarms: list[list[str]] = ()) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}", *span, f"SUMMARY:{escape(summary)}",
             "TRANSP:TRANSPARENT"]  # a reminder, not a busy time
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    if url:
        lines.append(f"URL:{escape(url)}")
    for alarm in alarms:
        lines += alarm
    return lines + ["END:VEVENT"]


class _Feed:
    def __init__(self, records: Records, now: datetime):
        school = records.school
        self.records = records
        self.code = re.sub(r"[^0-9A-Za-z-]", "", str(school.get("code") or "")) or "school"
        self.site = records.site_url
        self.host = urlsplit(self.site).hostname or "licheng.invalid"
        self.stamp = _utc(now)

    def uid(self, *parts: str) -> str:
        return "-".join([self.code, *parts]) + f"@{self.host}"

    def page(self, semester: str) -> str:
        return f"{self.site.rstrip('/')}/schedule/{semester}/" if self.site else ""

    def operation(self, op: Operation) -> list[str]:
        name, sem = f"{op.title}（{op.semester}）", op.semester
        window = f"作業期間：{op.start.roc()} 至 {op.end.roc()}"
        details = "\n".join(x for x in (window, f"負責：{op.owner}" if op.owner else "", op.note) if x)
        url = self.page(sem)
        alarms = [_alarm("P1D", f"明天截止：{name}")]
        if op.end.at - timedelta(days=7) >= op.start.at:
            alarms.insert(0, _alarm("P7D", f"一週後截止：{name}"))
        lines = _event(self.uid(sem, op.name, "opens"), self.stamp, _day(op.start.at), f"開始：{name}", details, url)
        lines += _event(self.uid(sem, op.name), self.stamp, _when(op.end), f"截止：{name}", details, url, alarms)
        if op.self_check:
            lines += _event(self.uid(sem, op.name, "self-check"), self.stamp, _when(op.self_check),
                            f"自我檢核：{name}", details, url, [_alarm("P1D", f"明天自我檢核：{name}")])
        return lines

    def term(self, semester: str) -> list[str]:
        term = (self.records.schedules[semester].data.get("term") or {})
        lines = []
        for key, title in (("start", "開學"), ("end", "休業式")):
            at = self.records.date(term.get(key))
            if at:
                lines += _event(self.uid(semester, f"term-{key}"), self.stamp, _day(at), f"{semester} {title}",
                                url=self.page(semester))
        return lines

    def events(self, semester: str, types: tuple[str, ...] | None) -> list[str]:
        lines, seen = [], set()
        for ev in events(self.records, semester):
            uid = f"{ev.type}-{ev.when.at:%Y%m%dT%H%M}"
            uid = next(u for n in range(1, 999) if (u := uid if n == 1 else f"{uid}-{n}") not in seen)
            seen.add(uid)
            if types is None or ev.type in types:
                lines += _event(self.uid(semester, uid), self.stamp, _when(ev.when, 60), ev.title,
                                names.EVENT_TYPES.get(ev.type, ""), self.page(semester))
        return lines


def feed(records: Records, now: datetime, semester: str | None = None, audience: str | None = None) -> bytes:
    """One semester's feed, every semester's (`semester` None), or one audience's over every semester."""
    f = _Feed(records, now)
    ops, types = (None, None) if audience is None else AUDIENCES[audience][1:]
    name = f"{records.school.get('name', '')} 學習歷程檔案作業期程"
    name += f" {semester}" if semester else f"（{AUDIENCES[audience][0]}）" if audience else ""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"NAME:{escape(name)}", f"X-WR-CALNAME:{escape(name)}", f"X-WR-TIMEZONE:{records.tz.key}",
             f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}", f"X-PUBLISHED-TTL:{REFRESH}"]
    for sem in [semester] if semester else semesters(records):
        if audience != "teachers":
            lines += f.term(sem)
        for op in operations(records, sem):
            if ops is None or op.name in ops:
                lines += f.operation(op)
        lines += f.events(sem, types)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
