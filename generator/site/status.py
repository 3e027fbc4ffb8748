"""Aggregate status: counts per operation, class and course. Never a single student's data."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .. import dates
from ..rule import RULES
from .. import names
from . import labels
from .data import STATES, SiteData
from .pictures import Progress
from .schedule import semesters


MIN_PUBLIC_GROUP = 3  # no public aggregate cell about fewer students than this


@dataclass
class Tally:
    """Outcomes of one class or course, counted by state."""

    key: str
    name: str = ""
    counts: Counter = field(default_factory=Counter)
    students: set = field(default_factory=set)  # whose outcomes are counted

    def count(self, column: str) -> int:
        """A status table's cell (labels.COLUMNS): "outside" is early and late together."""
        return self.counts["early"] + self.counts["late"] if column == "outside" else self.counts[column]

    @property
    def withheld(self) -> bool:
        """Too few students to show publicly: the counts would tell about one or two persons."""
        return 0 < len(self.students) < MIN_PUBLIC_GROUP

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def certified(self) -> Progress:
        return Progress(self.counts["certified"] + self.counts["early"] + self.counts["late"], self.total)


def class_of(data: SiteData, student_no: str, semester: str) -> str:
    return str(((data.records.students.get(student_no) or {}).get("classes") or {}).get(semester) or "未編班")


def enrolled(data: SiteData, semester: str) -> list[str]:
    return sorted(no for no in data.records.students if data.records.enrolled(no, semester))


def outcome_paths(data: SiteData, semester: str) -> dict[str, dict]:
    """Outcome path -> its record (empty when only on a merge request), for one semester."""
    return data.outcomes.get(semester, {})


def outcomes(data: SiteData, semester: str) -> tuple[Tally, list[Tally], list[Tally]]:
    """(whole school, per class, per course) outcome counts by state."""
    courses = data.records.courses.get(semester, {})
    school, by_class, by_course = Tally("全校"), {}, {}
    for path, record in sorted(outcome_paths(data, semester).items()):
        state = data.state(path)
        student = path.split("/")[3]  # records/outcomes/<semester>/<student>/<slug>.yaml
        cls = class_of(data, student, semester)
        code = str(record.get("course") or "")
        name = (courses.get(code) or {}).get("name") or ("（合併請求）" if not code else "未知課程")
        for tally in (school, by_class.setdefault(cls, Tally(cls)), by_course.setdefault(code, Tally(code, name))):
            tally.counts[state] += 1
            tally.students.add(student)
    return school, sorted(by_class.values(), key=lambda t: t.key), sorted(by_course.values(), key=lambda t: (t.name, t.key))


@dataclass
class OperationStatus:
    title: str
    name: str
    progress: Progress
    unit: str  # what is counted


def _students_with(data: SiteData, kind: str, key: str, value: str, among: list[str]) -> int:
    having = {d.keys["student"] for d in data.records.all(kind) if d.keys[key] == value}
    return sum(1 for no in among if no in having)


def operations(data: SiteData, semester: str) -> list[OperationStatus]:
    """Progress of each operation that applies to `semester` (yearly ones for its academic year)."""
    records = data.records
    year = str(dates.academic_year(semester))
    students = enrolled(data, semester)
    year_students = sorted({no for sem in dates.semesters_of_year(int(year)) for no in enrolled(data, sem)})
    school, _, _ = outcomes(data, semester)
    courses = records.courses.get(semester, {})
    graded = {d.keys["course"] for d in records.all("grades") if d.keys["semester"] == semester}
    cadres = sum(len(d.data) for d in records.valid("cadres") if d.keys["semester"] == semester)
    rows = [
        ("outcome_upload", Progress(_students_with(data, "outcome", "semester", semester, students), len(students)), "位學生已上傳"),
        ("outcome_certification", school.certified, "件已認證"),
        ("grade_entry", Progress(sum(1 for c in courses if c in graded), len(courses)), "門課程已登錄成績"),
        ("cadre_entry", Progress(cadres, cadres), "筆幹部紀錄"),
        ("performance_upload", Progress(_students_with(data, "performance", "year", year, year_students),
                                        len(year_students)), "位學生已上傳（本學年）"),
        ("outcome_selection", Progress(_students_with(data, "selection", "year", year, year_students),
                                       len(year_students)), "位學生已勾選（本學年）"),
    ]
    return [OperationStatus(labels.operation(name), name, progress, unit) for name, progress, unit in rows]


@dataclass
class SelectionRow:
    cls: str
    students: int
    selected: int  # students with a selection file
    outcomes: int
    performances: int

    @property
    def progress(self) -> Progress:
        return Progress(self.selected, self.students)

    @property
    def withheld(self) -> bool:
        return 0 < self.students < MIN_PUBLIC_GROUP


def selections(data: SiteData, year: int) -> list[SelectionRow]:
    first, second = dates.semesters_of_year(year)
    chosen = {d.keys["student"]: d.data for d in data.records.valid("selection") if d.keys["year"] == str(year)}
    rows: dict[str, SelectionRow] = {}
    for no in sorted(set(enrolled(data, first)) | set(enrolled(data, second))):
        cls = class_of(data, no, first) if data.records.enrolled(no, first) else class_of(data, no, second)
        row = rows.setdefault(cls, SelectionRow(cls, 0, 0, 0, 0))
        row.students += 1
        if no in chosen:
            row.selected += 1
            row.outcomes += len(chosen[no].get("outcomes") or [])
            row.performances += len(chosen[no].get("performances") or [])
    return sorted(rows.values(), key=lambda r: r.cls)


def years(data: SiteData, drafts: bool = False) -> list[int]:
    return sorted({dates.academic_year(s) for s in semesters(data.records, drafts)}, reverse=True)


@dataclass
class SubmissionRow:
    semester: str
    category: str
    unit: str
    by: str
    at: str
    count: int | None
    receipt: str
    open_notes: list[str]


def submissions(data: SiteData) -> list[SubmissionRow]:
    records, rows = data.records, []
    for doc in sorted(records.valid("submissions"), key=lambda d: d.keys["semester"], reverse=True):
        for _, item in doc.items():
            person = records.staff.get(item.get("by"))
            at = records.date(item.get("at"))
            receipt = item.get("receipt") or {}
            got = records.date(receipt.get("at")) if receipt else None
            notes = [str(d.get("note", "")) for d in receipt.get("discrepancies") or [] if not d.get("resolved_at")]
            rows.append(SubmissionRow(doc.keys["semester"], names.SUBMISSION_CATEGORIES.get(item.get("category"), ""),
                                      labels.unit_of(person), (person or {}).get("name", ""),
                                      dates.roc(at) if at else "", item.get("count"),
                                      f"已確認 {dates.roc(got)}" if got else "待確認", notes))
    return rows


@dataclass
class RuleCount:
    code: str
    clause: str
    anchor: str
    severity: str
    summary: str
    count: int


def findings_by_rule(data: SiteData) -> list[RuleCount]:
    counts = Counter((f.rule, f.severity) for f in data.findings)
    out = []
    for (code, severity), count in sorted(counts.items()):
        rule = RULES[code]
        # the message template without its values: values may name a student or an ID
        summary = rule.zh.get("") or next(iter(rule.zh.values()))
        for part in _placeholders(summary):
            summary = summary.replace(part, "…")
        out.append(RuleCount(code, rule.clause, labels.clause_anchor(rule.clause), severity, summary, count))
    return out


def _placeholders(template: str) -> list[str]:
    return re.findall(r"\{[^{}]*\}", template)
