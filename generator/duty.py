"""Who is on duty (§7): the person normally responsible while available, else the delegates in order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

SECTIONS = {
    "registration": ("registration_chief", "registration_staff"),
    "activities": ("activities_chief", "activities_staff"),
    "admissions": ("admissions_chief", "admissions_staff"),
    "counseling": ("course_counselor",),
    "schedule": ("academic_director",),
}


def employed(records, staff_id: str, at: datetime) -> bool:
    """Holding an account at `at`: from `from` to `until`, or `account_until` where later (§7.3.2)."""
    spans = records.memo("employment", dict)
    if staff_id not in spans:
        spans[staff_id] = _employment(records, staff_id)
    span = spans[staff_id]
    return span is not None and not (span[0] and at < span[0]) and not (span[1] and at > span[1])


def _employment(records, staff_id: str):
    """(first moment or None, last moment or None) of a staff member's account; None: no such person."""
    person = records.staff.get(staff_id)
    if not person:
        return None
    # in UTC, as commit times are: the permission audit compares thousands of them (generator.dates.utc)
    last = [records.date(person.get(k), end=True, utc=True) for k in ("until", "account_until") if person.get(k)]
    return records.date(person.get("from"), utc=True), (max(last) if last and all(last) else None)


def available(records, staff_id: str, at: datetime) -> bool:
    """Employed and not on leave (an `unavailable` period) at `at`."""
    if not employed(records, staff_id, at):
        return False
    leaves = records.memo("leaves", dict)
    if staff_id not in leaves:
        leaves[staff_id] = _leaves(records, staff_id)
    return not any(begin <= at and (end is None or at <= end) for begin, end in leaves[staff_id])


def _leaves(records, staff_id: str) -> list[tuple[datetime, datetime | None]]:
    """(first moment, last moment or None) of each `unavailable` period that has a start."""
    periods = ((records.date(away.get("from"), utc=True), records.date(away.get("until"), end=True, utc=True))
               for away in records.staff[staff_id].get("unavailable") or ())
    return [(begin, end) for begin, end in periods if begin]


def responsible(records, duty: str, scope: str | None = None, semester: str | None = None,
                teachers: tuple[str, ...] | None = None) -> Sequence[str]:
    """Who normally does `duty`: the course's teachers (in `semester`; `teachers` when the caller
    knows them as of a moment in history) for certification, else the section."""
    if duty == "certification" and teachers is not None:
        return teachers
    if duty == "certification":
        teachers: list[str] = []
        terms = [records.courses.get(semester, {})] if semester else records.courses.values()
        for courses in terms:
            teachers += [t for t in (courses.get(scope) or {}).get("teachers", ()) if t not in teachers]
        return teachers
    roles = SECTIONS.get(duty, ())
    return sorted(sid for sid in records.staff if records.has_role(sid, *roles))


def delegates(records, duty: str, scope: str | None = None) -> list[str]:
    """The succession list for the most specific scope that has one (an empty list counts)."""
    lists = {}
    doc = records.one("delegates")
    for _, entry in doc.items() if doc else ():
        if entry.get("duty") == duty:
            lists[entry.get("scope", "*")] = list(entry.get("order") or ())
    return lists[scope] if scope in lists else lists.get("*", [])


def judge(records, duty: str, who: str, at: datetime, scope: str | None = None, semester: str | None = None,
          teachers: tuple[str, ...] | None = None) -> str:
    """'responsible', 'delegate' (rightly on duty), 'out-of-order', 'departed' (a responsible
    person whose account had ended, §7.3.2) or 'not-allowed'."""
    normal = responsible(records, duty, scope, semester, teachers)
    if who in normal:
        return "responsible" if employed(records, who, at) else "departed"
    order = delegates(records, duty, scope)
    if who not in order or not available(records, who, at):
        return "not-allowed"
    if any(available(records, p, at) for p in normal):
        return "out-of-order"
    earlier = order[: order.index(who)]
    return "out-of-order" if any(available(records, p, at) for p in earlier) else "delegate"


def on_duty(records, duty: str, at: datetime, scope: str | None = None, semester: str | None = None,
            teachers: tuple[str, ...] | None = None) -> list[str]:
    """Who may act now, in order: available responsible people, else the first available delegate."""
    normal = [p for p in responsible(records, duty, scope, semester, teachers) if available(records, p, at)]
    if normal:
        return normal
    return [p for p in delegates(records, duty, scope) if available(records, p, at)][:1]
