"""Students: identity numbers (§5.1), enrollment (§9) and retention (§8)."""

from __future__ import annotations

from datetime import datetime

from .. import dates
from ..records import national_id
from ..records.enrollment import left_on
from ..rule import WARNING, checks, hit, rule

@rule(
    "id.national-id",
    "§5.1",
    {"": "身分證明號碼「{value}」格式或檢查碼錯誤", "duplicate": "身分證明號碼與 {other} 重複"},
    {"": "national ID '{value}' has a wrong form or check digit", "duplicate": "national ID also used by {other}"},
)
def national_ids(records):
    seen: dict[str, str] = {}
    for no, doc in sorted(records.student_docs.items()):
        if not doc.valid:
            continue
        value = doc.data.get("national_id")
        if not national_id.is_valid(value):
            yield hit(doc.path, doc.line("national_id"), value=value)
        elif value in seen:
            yield hit(doc.path, doc.line("national_id"), "duplicate", other=seen[value])
        else:
            seen[value] = no


@rule(
    "id.mismatch",
    "§5",
    "檔名表示「{named}」，內容卻寫「{written}」；請讓兩者一致",
    "the file name says '{named}' but the content says '{written}'; make them agree",
)
def names_agree(records):
    pairs = [("student", "student", "student_no"), ("schedule", "semester", "semester"),
             ("grades", "course", "course"), ("working-group", "year", "year")]
    for kind, key, field in pairs:
        for doc in records.valid(kind):
            written = doc.data.get(field)
            if written is not None and str(written) != doc.keys[key]:
                yield hit(doc.path, doc.line(field), named=doc.keys[key], written=written)


def _records_of_students(records) -> list:
    """(document, line, student number, semesters it belongs to) for every per-student record."""
    return records.memo("records-of-students", lambda: list(_each_record_of_a_student(records)))


def _each_record_of_a_student(records):
    for doc in records.all("outcome"):
        if doc.valid and not records.transferred(doc):
            yield doc, 1, doc.keys["student"], (doc.keys["semester"],)
    years: dict[str, tuple] = {}  # (a year's semesters, made once)
    for kind in ("performance", "selection"):
        for doc in records.all(kind):
            year = doc.keys["year"]
            if year not in years:
                years[year] = dates.semesters_of_year(int(year))
            yield doc, 1, doc.keys["student"], years[year]
    for doc in records.valid("grades"):
        for no in doc.data.get("scores") or {}:
            yield doc, doc.line("scores", no), no, (doc.keys["semester"],)
    for kind in ("cadres", "counseling"):
        for doc in records.all(kind):
            for index, entry in doc.items():
                yield doc, doc.line(index), entry.get("student"), (doc.keys["semester"],)


@checks("ref.unknown")
def unknown_students(records):
    for doc, line, no, _ in _records_of_students(records):
        if not records.known_student(no):
            yield hit(doc.path, line, "student", name=no)


@rule(
    "enrollment.not-enrolled",
    "§9",
    "學生 {student} 依學籍異動紀錄在 {semester} 不在學，不應有此紀錄",
    "by the enrollment events, student {student} was not enrolled in {semester}; this record does not belong",
)
def not_enrolled(records):
    by_student: dict[tuple, list] = {}  # judge each (student, semesters) once
    for doc, line, no, semesters in _records_of_students(records):
        by_student.setdefault((no, semesters), []).append((doc, line))
    for (no, semesters), places in by_student.items():
        if no in records.students and not any(records.enrolled(no, sem) for sem in semesters):
            for doc, line in places:
                yield hit(doc.path, line, student=no, semester="、".join(semesters))


@rule(
    "retention.expired",
    "§8",
    "學生 {student} 於 {left} 離校，已超過保存年限 {years} 年；其紀錄可刪除（licheng purge）",
    "student {student} left on {left}, more than {years} years ago; the records may be deleted (licheng purge)",
    severity=WARNING,
)
def retention(records):
    years = int(records.limits["retention_years"])
    for no, doc in sorted(records.student_docs.items()):  # the roster does not say who left, and why
        left = left_on(doc.data, records.tz) if doc.valid else None
        if left and records.passed(_add_years(left, years)):
            yield hit(doc.path, doc.line("events"), student=no, left=dates.roc(left, with_time=False), years=years)


def _add_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)
