"""A semester's schedule skeleton (status: draft): every operation of the regulation with a
plausible window for the director of academic affairs to adjust and publish (§4).

Per-semester operations are placed relative to the term; yearly operations at their usual time of
the academic year, in the first file of the year that lacks them. Dates are weekdays.
"""

from __future__ import annotations

from datetime import date, timedelta

from .. import dates
from ..rules.schedules import PER_SEMESTER, PER_YEAR

OWNERS = {"outcome_upload": "教學組", "outcome_certification": "教學組", "cadre_entry": "訓育組",
          "grade_entry": "註冊組", "outcome_selection": "教學組", "performance_upload": "招生組",
          "performance_selection": "招生組", "submit_enrollment": "註冊組", "submit_grades": "註冊組",
          "submit_outcomes": "招生組", "submit_performances": "招生組", "submit_cadres": "訓育組",
          "receipt_confirmation": "註冊組"}

# yearly operations: (start, end, self-check) as (month, day, 0 | 1): 0 the academic year's first
# calendar year (August–December), 1 its second (January–August)
YEARLY = {
    "performance_upload": ((8, 1, 0), (8, 6, 1), (7, 30, 1)),
    "submit_enrollment": ((9, 14, 0), (10, 2, 0), (9, 25, 0)),
    "receipt_confirmation": ((9, 21, 0), (8, 31, 1), (8, 24, 1)),
    "submit_grades": ((7, 12, 1), (7, 30, 1), (7, 23, 1)),
    "submit_cadres": ((7, 12, 1), (7, 23, 1), (7, 20, 1)),
    "outcome_selection": ((7, 26, 1), (8, 6, 1), (8, 2, 1)),
    "performance_selection": ((7, 26, 1), (8, 13, 1), (8, 9, 1)),
    "submit_outcomes": ((7, 26, 1), (8, 13, 1), (8, 10, 1)),
    "submit_performances": ((8, 16, 1), (8, 27, 1), (8, 23, 1)),
}


def _weekday(day: date, forward: bool = True) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1 if forward else -1)
    return day


def _in_year(year: int, when: tuple[int, int, int]) -> date:
    month, day, second = when
    return date(year + dates.ROC_OFFSET + second, month, day)


def term(semester: str) -> tuple[date, date]:
    year, half = dates.academic_year(semester), semester.rsplit("-", 1)[1]
    first = year + dates.ROC_OFFSET
    if half == "1":
        return _weekday(date(first, 8, 30)), _weekday(date(first + 1, 1, 20), False)
    return _weekday(date(first + 1, 2, 11)), _weekday(date(first + 1, 6, 30), False)


def _window(start: date, end: date, check: date) -> dict:
    start, end, check = _weekday(start), _weekday(end, False), _weekday(check, False)
    return {"start": start.isoformat(), "end": f"{end.isoformat()} 17:00", "self_check": check.isoformat()}


def operations(semester: str, yearly_elsewhere: set[str] = frozenset()) -> dict[str, dict]:
    """The operations of `semester`'s skeleton; `yearly_elsewhere`: yearly ones the year's other file has."""
    first, last = term(semester)
    day = timedelta(days=1)
    upload_end = last + 16 * day  # uploads stay open ≥ 14 days after 休業式 (national rule)
    ops = {
        "outcome_upload": _window(first + 2 * day, upload_end, last - 7 * day),
        "outcome_certification": _window(first + 2 * day, upload_end + 7 * day, upload_end + 2 * day),
        "cadre_entry": _window(first + 14 * day, last + 2 * day, last - 12 * day),
        "grade_entry": _window(last - 16 * day, last + 9 * day, last + 5 * day),
    }
    year = dates.academic_year(semester)
    wanted = [op for op in PER_YEAR if op not in yearly_elsewhere]
    if semester.endswith("-1"):  # the first half opens the yearly operations that start in it
        wanted = [op for op in wanted if YEARLY[op][0][2] == 0]
    for name in wanted:
        start, end, check = YEARLY[name]
        ops[name] = _window(_in_year(year, start), _in_year(year, end), _in_year(year, check))
    for name, op in ops.items():
        op["owner"] = OWNERS[name]
    assert set(PER_SEMESTER) <= set(ops)
    return ops


def skeleton_yaml(semester: str, yearly_elsewhere: set[str] = frozenset(), *, modeline: str = "") -> str:
    first, last = term(semester)
    year, half = dates.academic_year(semester), semester.rsplit("-", 1)[1]
    lines = [modeline.rstrip("\n")] if modeline else []
    lines += [f"# {year}學年度第{'一' if half == '1' else '二'}學期 學習歷程檔案作業期程（草稿：教務主任調整日期後改為 published 公告）",
              f"semester: {semester}",
              "status: draft                  # draft：只在教職員網站顯示；確認後改為 published",
              f"term: {{start: {first.isoformat()}, end: {last.isoformat()}}}    # 開學日、休業式（請依行事曆修正）",
              "operations:"]
    for name, op in operations(semester, yearly_elsewhere).items():
        inner = ", ".join(f"{key}: {value}" for key, value in op.items())
        lines.append(f"  {name}: {{{inner}}}")
    lines += ["events:",
              f"  - {{type: working_group_meeting, date: {_weekday(first + timedelta(days=14)).isoformat()} 15:10, "
              f"title: {year}學年度工作小組會議}}"]
    if half == "1":
        lines += [f"  - {{type: student_training, date: {_weekday(first + timedelta(days=24)).isoformat()}, "
                  "title: 學習歷程系統操作說明（生涯規劃課）, by: counseling_director}",
                  f"  - {{type: teacher_workshop, date: {_weekday(first + timedelta(days=52)).isoformat()} 13:30, "
                  "title: 學習歷程認證操作研習}",
                  f"  - {{type: parent_session, date: {_weekday(first + timedelta(days=76)).isoformat()} 09:30, "
                  "title: 親師座談會學習歷程檔案說明}"]
    return "\n".join(lines) + "\n"
