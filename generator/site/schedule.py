"""The semester timetables as the site shows them: rows, what is open now, what comes next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .. import dates
from ..records.model import Records
from .. import names
from . import labels


@dataclass(frozen=True)
class Moment:
    """A time from a record, with whether it was written as a whole day."""

    at: datetime
    whole_day: bool

    def roc(self) -> str:
        return dates.roc(self.at, with_time=not self.whole_day)


def moment(records: Records, value, *, end: bool = False) -> Moment | None:
    at = records.date(value, end=end)
    return Moment(at, dates.is_date(value, date_only=True)) if at else None


@dataclass(frozen=True)
class Operation:
    semester: str
    name: str
    title: str
    owner: str
    note: str
    start: Moment
    end: Moment
    self_check: Moment | None
    authority_deadline: Moment | None

    def state(self, now: datetime) -> str:
        if now < self.start.at:
            return "upcoming"
        return "open" if now <= self.end.at else "closed"


@dataclass(frozen=True)
class Event:
    semester: str
    type: str
    title: str
    when: Moment
    by: str
    held: bool | None


@dataclass(frozen=True)
class Deadline:
    when: Moment
    kind: str  # 截止 | 自我檢核 | 主管機關截止 | 開始
    operation: Operation


def is_draft(records: Records, semester: str) -> bool:
    doc = records.schedules.get(semester)
    return bool(doc and isinstance(doc.data, dict) and doc.data.get("status") == "draft")


def semesters(records: Records, drafts: bool = False) -> list[str]:
    """Semesters with a schedule; a draft (`status: draft`) only when asked for (the staff site)."""
    return sorted((s for s in records.schedules if drafts or not is_draft(records, s)),
                  key=lambda s: (dates.academic_year(s), s))


def operations(records: Records, semester: str) -> list[Operation]:
    doc = records.schedules.get(semester)
    out = []
    for name, op in ((doc.data.get("operations") or {}) if doc else {}).items():
        start, end = moment(records, op.get("start")), moment(records, op.get("end"), end=True)
        if not (start and end):
            continue
        out.append(Operation(semester, name, labels.operation(name, op.get("title")), op.get("owner") or "",
                             op.get("note") or "", start, end, moment(records, op.get("self_check")),
                             moment(records, op.get("authority_deadline"), end=True)))
    order = {name: i for i, name in enumerate(labels.OPERATIONS)}
    return sorted(out, key=lambda o: (o.start.at, o.end.at, order.get(o.name, 99), o.name))


def all_operations(records: Records, drafts: bool = False) -> list[Operation]:
    return [op for sem in semesters(records, drafts) for op in operations(records, sem)]


def events(records: Records, semester: str | None = None, drafts: bool = False) -> list[Event]:
    out = []
    for sem in [semester] if semester else semesters(records, drafts):
        doc = records.schedules.get(sem)
        for item in (doc.data.get("events") or []) if doc else []:
            when = moment(records, item.get("date"))
            if when:
                out.append(Event(sem, item.get("type", "other"), item.get("title") or names.EVENT_TYPES.get(
                    item.get("type"), ""), when, item.get("by") or "", item.get("held")))
    return sorted(out, key=lambda e: (e.when.at, e.title))


def open_now(records: Records, now: datetime, drafts: bool = False) -> list[Operation]:
    return sorted((op for op in all_operations(records, drafts) if op.state(now) == "open"), key=lambda o: o.end.at)


def upcoming(records: Records, now: datetime, limit: int = 10, drafts: bool = False) -> list[Deadline]:
    found = []
    for op in all_operations(records, drafts):
        for kind, when in (("開始", op.start), ("自我檢核", op.self_check), ("截止", op.end),
                           ("主管機關截止", op.authority_deadline)):
            if when and when.at > now:
                found.append(Deadline(when, kind, op))
    found.sort(key=lambda d: (d.when.at, d.operation.title, d.kind))
    return found[:limit]


def time_left(now: datetime, until: datetime) -> str:
    """`還有 12 天 5 小時` (whole hours, rounded down)."""
    left = until - now
    if left <= timedelta(0):
        return "已截止"
    days, hours = left.days, left.seconds // 3600
    if days == 0:
        return f"還有 {hours} 小時" if hours else "不到 1 小時"
    return f"還有 {days} 天 {hours} 小時"
