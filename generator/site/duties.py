"""Staff audience: who is on duty now and who is next, per duty (§7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .. import duty

DUTIES = {
    "certification": "課程學習成果認證",
    "registration": "註冊組業務（學籍、成績、收訖明細）",
    "activities": "訓育組業務（幹部經歷）",
    "admissions": "招生組業務（成果、多元表現提交）",
    "counseling": "課程諮詢紀錄",
    "schedule": "作業期程規劃",
}


@dataclass
class Row:
    duty: str
    label: str
    scope: str  # "" for a whole section; a course's code and name for a course
    on_duty: list[str]  # names of who acts now
    next: str  # who acts if they cannot: the first other available person in the order
    away: list[str]  # responsible people unavailable now


def _row(records, name: str, label: str, now: datetime, scope: str | None, scope_label: str,
         semester: str | None = None) -> Row:
    acting = duty.on_duty(records, name, now, scope=scope, semester=semester)
    normal = duty.responsible(records, name, scope, semester)
    order = [p for p in normal + duty.delegates(records, name, scope)
             if p not in acting and duty.available(records, p, now)]
    away = [p for p in normal if not duty.available(records, p, now)]
    return Row(name, label, scope_label, [records.staff_name(p) for p in acting],
               records.staff_name(order[0]) if order else "—", [records.staff_name(p) for p in away])


def rows(records, now: datetime, semester: str) -> list[Row]:
    out = [_row(records, name, label, now, None, "") for name, label in DUTIES.items() if name != "certification"]
    for code, course in sorted(records.courses.get(semester, {}).items()):
        row = _row(records, "certification", DUTIES["certification"], now, code,
                   f"{course.get('name', '')}（{code}）", semester)
        if row.away or not row.on_duty:  # a course whose teacher is away: who certifies now
            out.append(row)
    return out
