"""The working group's roster (§3.1) and the year's meetings and trainings (§3.2, §10)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import dates
from .. import names
from .data import SiteData
from .people import mask
from .schedule import Event, events

TRAININGS = ("student_training", "teacher_workshop", "parent_session")


@dataclass
class Seat:
    seat: str
    holder: str
    nominated_by: str


@dataclass
class Roster:
    year: int
    convener: str
    secretary: str
    seats: list[Seat]


def rosters(data: SiteData, audience: str) -> list[Roster]:
    records = data.records

    def staff_name(sid) -> str:  # (an id no staff member has: nothing on the public site)
        return records.staff_name(sid) if sid in records.staff else ""

    out = []
    for doc in sorted(records.valid("working-group"), key=lambda d: int(d.keys["year"]), reverse=True):
        seats = []
        for _, member in doc.items():
            if member.get("staff"):
                holder = staff_name(member["staff"])
            elif audience == "staff" and member.get("name"):
                holder = mask(member["name"])
            elif audience == "staff" and member.get("student"):
                holder = mask((records.students.get(member["student"]) or {}).get("name", ""))
            else:  # parents and students are not named on the public site
                holder = "（不公開）"
            seats.append(Seat(names.SEATS.get(member.get("seat"), member.get("seat", "")), holder,
                              member.get("nominated_by") or ""))
        out.append(Roster(int(doc.keys["year"]), staff_name(doc.data.get("convener")),
                          staff_name(doc.data.get("secretary")), seats))
    return out


@dataclass
class YearActivities:
    year: int
    meetings: dict[str, list[Event]]  # semester -> working group meetings (§3.2: at least one)
    trainings: dict[str, list[Event]]  # type -> events of the year (§10: each at least once)


def activities(data: SiteData) -> list[YearActivities]:
    by_year: dict[int, YearActivities] = {}
    for ev in events(data.records):
        year = dates.academic_year(ev.semester)
        row = by_year.setdefault(year, YearActivities(year, {s: [] for s in dates.semesters_of_year(year)},
                                                      {t: [] for t in TRAININGS}))
        if ev.type == "working_group_meeting":
            row.meetings.setdefault(ev.semester, []).append(ev)
        elif ev.type in TRAININGS:
            row.trainings[ev.type].append(ev)
    return [by_year[y] for y in sorted(by_year, reverse=True)]
