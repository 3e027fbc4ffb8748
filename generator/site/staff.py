"""Staff audience: each class's students (masked) and each student's items with their state.

No national ID, birth date, grade or counseling record is read here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .. import dates
from . import labels
from .data import SiteData
from .people import Student, roster, slug
from .status import outcome_paths


@dataclass
class Item:
    period: str  # semester or academic year
    kind: str
    title: str
    detail: str
    state: str


@dataclass
class StudentPage:
    student: Student
    items: list[Item] = field(default_factory=list)
    states: Counter = field(default_factory=Counter)  # outcome states, all semesters
    selected: dict[str, str] = field(default_factory=dict)  # year -> "成果 n 件、多元表現 m 件"


@dataclass
class ClassPage:
    semester: str
    cls: str
    key: str
    students: list[StudentPage]


def student_pages(data: SiteData) -> list[StudentPage]:
    records = data.records
    pages = {s.number: StudentPage(s) for s in roster(records, dates.semester_of(data.now))}
    for sem in sorted(data.outcomes):
        courses = records.courses.get(sem, {})
        for path, record in sorted(outcome_paths(data, sem).items()):
            no = path.split("/")[3]
            if no not in pages:
                continue
            state = data.state(path)
            course = (courses.get(str(record.get("course") or "")) or {}).get("name", "")
            pages[no].items.append(Item(sem, "課程學習成果", record.get("title", ""), course, labels.STATES[state]))
            pages[no].states[state] += 1
    for doc in sorted(records.valid("performance"), key=lambda d: d.path):
        page = pages.get(doc.keys["student"])
        if page:
            category = labels.PERFORMANCE_CATEGORIES.get(doc.data.get("category"), "")
            page.items.append(Item(doc.keys["year"], "多元表現", doc.data.get("title", ""), category, "已上傳"))
    for doc in records.valid("selection"):
        page = pages.get(doc.keys["student"])
        if page:
            page.selected[doc.keys["year"]] = (f"課程學習成果 {len(doc.data.get('outcomes') or [])} 件、"
                                               f"多元表現 {len(doc.data.get('performances') or [])} 件")
    return list(pages.values())


def class_pages(data: SiteData, pages: list[StudentPage]) -> list[ClassPage]:
    """One page per class of the current semester (by "now"); students not in one: by their latest class."""
    current = dates.semester_of(data.now)
    by_class: dict[tuple[str, str], list[StudentPage]] = {}
    for page in pages:
        by_class.setdefault((page.student.semester, page.student.cls), []).append(page)
    ordered = sorted(by_class.items(), key=lambda kv: (kv[0][0] != current, kv[0]))
    return [ClassPage(sem, cls, f"{sem}-{slug(cls)}", sorted(members, key=lambda m: m.student.seat))
            for (sem, cls), members in ordered]
