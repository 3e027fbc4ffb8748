"""`licheng rollover SEMESTER`: the next semester drafted from the last one.

- students (a registry, or the single layout): continuing students get the new semester's class —
  the same class in a second semester, grade + 1 in a new academic year ("101" → "201",
  "1年1班" → "2年1班"); seats stay. Students who left, are suspended or borrowed out, or finish
  the top grade are listed, not carried.
- courses (a portfolio): records/courses/<semester>.yaml drafted from the same half of last year
  (codes a year on) or from the previous semester, for the academic affairs office to review.
- schedule: the semester's draft skeleton with the yearly operations the year's other file lacks.

Existing files of the new semester are never overwritten. Nothing is committed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import dates, layout
from ..errors import UsageError
from .importer import Change, School, _render
from .skeleton import skeleton_yaml
from .yamlout import flow

LEFT = {"graduate", "transfer_out", "withdraw"}
AWAY = {"suspend", "borrow_out"}
BACK = {"reinstate", "admitted", "transfer_in", "borrow_in", "repeat"}
TOP_GRADE = 3
CHINESE = "一二三四五六"


@dataclass
class Rollover:
    semester: str
    previous: str
    changes: list[Change] = field(default_factory=list)
    carried: int = 0
    not_carried: list[tuple[str, str]] = field(default_factory=list)  # ("1150101 潘冠霖：已離校", "1150101 潘冠霖: left")
    skipped: list[str] = field(default_factory=list)  # files that already exist
    unplaced: int = 0  # students with a class in neither the previous semester nor this one
    placed: int = 0  # students with a class in the previous semester (none: it was never rolled over)


def previous_semester(semester: str) -> str:
    year, half = dates.academic_year(semester), semester.rsplit("-", 1)[1]
    return f"{year}-1" if half == "2" else f"{year - 1}-2"


def next_class(name: str) -> str | None:
    """The class a year on, or None past the top grade or for a name we cannot read."""
    m = re.fullmatch(r"(\d)(\d{2})", name)
    if m:
        grade = int(m[1]) + 1
        return f"{grade}{m[2]}" if grade <= TOP_GRADE else None
    m = re.fullmatch(r"(.*?)([1-6一二三四五六])(年.*)", name)
    if m:
        digit = m[2]
        grade = (CHINESE.index(digit) + 1 if digit in CHINESE else int(digit)) + 1
        if grade > TOP_GRADE:
            return None
        return m[1] + (CHINESE[grade - 1] if digit in CHINESE else str(grade)) + m[3]
    return None


def _status(student: dict, start: str) -> tuple[str, str] | None:
    """Why a student is not carried into the semester starting `start` (ISO), in Chinese and in English; or None."""
    events = [e for e in student.get("events") or () if isinstance(e, dict) and str(e.get("date", "")) < start]
    last = events[-1].get("type") if events else None
    if any(e.get("type") in LEFT for e in events):
        return "已離校", "left"
    if last in AWAY:
        return "休學或借讀中", "suspended or away"
    return None


def _students(school: School, report: Rollover, new_year: bool) -> None:
    start = dates.semester_bounds(report.semester)[0].date().isoformat()
    for no, student in school.students().items():
        classes = dict(student.get("classes") or {})
        old = classes.get(report.previous)
        report.placed += bool(old)
        if not old or report.semester in classes:
            report.unplaced += not old and report.semester not in classes
            continue
        label = f"{no} {student.get('name', '')}"
        why = _status(student, start)
        new = old if not new_year else next_class(str(old))
        if why is None and new is None:
            why = ("最高年級（畢業班）", "top grade") if re.fullmatch(r"\d\d{2}|.*[3三]年.*", str(old)) else \
                (f"無法從班級「{old}」推算新班級", f"the class after '{old}' cannot be told")
        if why:
            report.not_carried.append((f"{label}：{why[0]}", f"{label}: {why[1]}"))
            continue
        classes[report.semester] = new
        rel = f"records/students/{no}.yaml"
        text = (school.root / rel).read_text("utf-8")
        line = re.compile(r"(?m)^classes: \{[^\n#]*\}[ \t]*$")
        if len(line.findall(text)) == 1:  # edit the one line, keep the rest of the file as it is
            text = line.sub(lambda _: "classes: " + flow(classes), text)
        else:
            text = school.header(rel, "student") + _render("mapping", {**student, "classes": classes})
        report.changes.append(Change(rel, "change", text, [f"{report.previous} {old} → {report.semester} {new}"]))
        report.carried += 1


def _course_code(code: str, year_on: bool, half: str) -> str:
    if not re.fullmatch(r"\d{3}\w{18}\d{2}", code):
        return code
    if year_on:
        code = f"{int(code[:3]) + 1:03d}" + code[3:]
    return code[:-1] + half


def _courses(school: School, report: Rollover) -> None:
    rel = f"records/courses/{report.semester}.yaml"
    if (school.root / rel).exists():
        report.skipped.append(rel)
        return
    year, half = dates.academic_year(report.semester), report.semester[-1]
    year_ago = f"{year - 1}-{half}"
    source = year_ago if school.load(f"records/courses/{year_ago}.yaml") else report.previous
    base = [c for c in (school.load(f"records/courses/{source}.yaml") or []) if isinstance(c, dict)]
    if not base:
        return
    drafted = [{**c, "code": _course_code(str(c.get("code", "")), source == year_ago, half)} for c in base]
    head = school.modeline(rel, "courses") + (
        f"# {report.semester} 開課資料草稿：由 {source} 複製，請核對課程代碼、任課教師與班級後提交\n")
    report.changes.append(Change(rel, "add", head + _render("entries", drafted), [(f"{len(drafted)} 門課", f"{len(drafted)} courses")]))


def _schedule(school: School, report: Rollover) -> None:
    rel = f"schedules/{report.semester}.yaml"
    if (school.root / rel).exists():
        report.skipped.append(rel)
        return
    other = next(s for s in dates.semesters_of_year(dates.academic_year(report.semester)) if s != report.semester)
    elsewhere = set(((school.load(f"schedules/{other}.yaml") or {}).get("operations") or {}))
    draft = skeleton_yaml(report.semester, elsewhere, modeline=school.modeline(rel, "schedule"))
    report.changes.append(Change(rel, "add", draft, [("草稿", "a draft")]))


def rollover(root: Path, semester: str) -> Rollover:
    if not layout.is_semester(semester):
        raise UsageError(f"{semester}: 學期應寫成 115-1 或 115-2", en=f"{semester}: a semester reads like 115-1")
    school = School(root)
    report = Rollover(semester, previous_semester(semester))
    if (root / "records/students").is_dir():
        _students(school, report, new_year=semester.endswith("-1"))
    if (root / "records/school.yaml").is_file():
        _courses(school, report)
        _schedule(school, report)
    return report


def write(root: Path, report: Rollover) -> None:
    for change in report.changes:
        target = root / change.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(change.text, "utf-8", newline="\n")
