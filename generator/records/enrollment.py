"""Enrollment events (§9): in which semesters a student counts, and when they left (§8)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .. import dates

ENTER = {"admitted", "transfer_in", "reinstate", "borrow_in"}
LEAVE = {"transfer_out", "withdraw", "graduate", "suspend", "borrow_out"}
LEFT_SCHOOL = {"graduate", "transfer_out", "withdraw"}  # starts the §8 retention clock
# "repeat" keeps the student enrolled: they take the year again.


def periods(student: dict, tz: ZoneInfo) -> list[tuple[datetime, datetime | None]]:
    """Intervals the student is enrolled here: [start, end) with end None while enrolled."""
    out: list[tuple[datetime, datetime | None]] = []
    start = None
    for event in student.get("events") or ():
        when = dates.parse_or_none(event.get("date"), tz)
        if when is None:
            continue
        kind = event.get("type")
        if kind in ENTER and start is None:
            start = when
        elif kind in LEAVE and start is not None:
            out.append((start, when))
            start = None
    if start is not None:
        out.append((start, None))
    return out


def enrolled_in(student: dict, semester: str, tz: ZoneInfo) -> bool:
    return enrolled_during(periods(student, tz), semester, tz)


def enrolled_during(spans: list[tuple[datetime, datetime | None]], semester: str, tz: ZoneInfo) -> bool:
    """Do the enrollment `spans` (from `periods`) meet `semester`?"""
    first, last = dates.semester_bounds(semester, tz)
    return any(start <= last and (end is None or end > first) for start, end in spans)


def left_on(student: dict, tz: ZoneInfo) -> datetime | None:
    """When the student left the school for good (graduate, transfer_out, withdraw)."""
    events = student.get("events") or ()
    if events and events[-1].get("type") in LEFT_SCHOOL:
        return dates.parse_or_none(events[-1].get("date"), tz)
    return None
