"""Students on the staff site: masked names and page keys that are not the student number."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import dates
from ..records.model import Records

MASK = "○"


def mask(name: str) -> str:
    """陳小明 -> 陳○明, 王明 -> 王○, 歐陽小明 -> 歐○○明: first and last character kept."""
    name = (name or "").strip()
    if len(name) <= 1:
        return MASK
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * (len(name) - 2) + name[-1]


def slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]+", "_", text) or "_"


def _semester_key(semester: str) -> tuple[int, str]:
    return dates.academic_year(semester), semester


@dataclass
class Student:
    number: str = field(repr=False)  # only to look records up; never shown, never in a path
    key: str  # 115-1-101-03: semester, class and seat of the student's latest class
    masked: str
    semester: str
    cls: str
    seat: int


def roster(records: Records, current: str) -> list[Student]:
    """Every student, keyed by class and seat (seat = order of student numbers in the class):
    the class of the `current` semester, else the student's latest class."""
    placed: dict[str, tuple[str, str]] = {}
    for no, student in records.students.items():
        classes = student.get("classes") or {}
        if current in classes:
            placed[no] = (current, str(classes[current]))
        elif classes:
            sem = max(classes, key=_semester_key)
            placed[no] = (sem, str(classes[sem]))
        else:
            placed[no] = ("0-0", "未編班")
    seats: dict[tuple[str, str], list[str]] = {}
    for no in sorted(placed):
        seats.setdefault(placed[no], []).append(no)
    out = []
    for (sem, cls), numbers in sorted(seats.items()):
        for seat, no in enumerate(numbers, 1):
            out.append(Student(no, f"{sem}-{slug(cls)}-{seat:02d}", mask(records.students[no].get("name", "")),
                               sem, cls, seat))
    return out
