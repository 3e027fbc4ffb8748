"""Each kind of import: the columns it needs and how its rows become record files.

convert(table, school, semester, problems) → {path: (data, style, schema kind)}; a bad row adds a
problem and the caller writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable

from .. import dates
from ..errors import LichengError, printable
from .values import parse_date, parse_int, parse_national_id, parse_score, split_list, text

ROLES = {  # 職稱 as schools write them → role
    "校長": "principal", "教務主任": "academic_director", "學務主任": "student_affairs_director",
    "輔導主任": "counseling_director", "實習主任": "practicum_director", "教學組長": "teaching_chief",
    "註冊組長": "registration_chief", "訓育組長": "activities_chief", "招生組長": "admissions_chief",
    "註冊組員": "registration_staff", "註冊組幹事": "registration_staff", "訓育組員": "activities_staff",
    "訓育組幹事": "activities_staff", "招生組員": "admissions_staff", "招生組幹事": "admissions_staff",
    "課程諮詢教師": "course_counselor", "輔導教師": "counselor", "專任輔導教師": "counselor",
    "導師": "homeroom_teacher", "教師": "teacher", "專任教師": "teacher", "兼任教師": "teacher",
    "代理教師": "teacher",
}
ROLE_NAMES = set(ROLES.values())
LEVELS = {"校級": "school", "學校": "school", "1": "school", "school": "school", "班級": "class", "2": "class",
          "class": "class", "社團": "club", "3": "club", "club": "club"}
STUDENT_ORDER = ("student_no", "name", "national_id", "birth_date", "git", "github", "gitlab", "classes", "seat_no",
                 "mailing_address", "events")


@dataclass
class Kind:
    required: tuple[str, ...]
    convert: Callable


def _cell(row, name: str, problems, parse=None, *args):
    """The parsed cell, or None after recording the row's problem."""
    try:
        value = row.get(name)
        return parse(value, *args) if parse else text(value)
    except ValueError as exc:
        problems.append(_problem(row, str(exc), getattr(exc, "en", str(exc)), name))
        return None


def _problem(row, message: str, en: str, column: str | None = None):
    """The row's problem; of one cell (`column`: its field), naming the cell's column too."""
    from .importer import Problem

    return Problem(row.number, text(row.get("student_no")), message, en, row.column(column) if column else None)


def _duplicates(table, key, problems, what: tuple[str, str], column: str | None = None) -> None:
    """A row whose key an earlier row has; `column`: the key's one field, whose cell is named."""
    seen: dict = {}
    for row in table.rows:
        k = key(row)
        if k in seen:
            problems.append(_problem(row, f"與第 {seen[k]} 列重複（{what[0]}）", f"duplicate of row {seen[k]} ({what[1]})",
                                     column))
        else:
            seen[k] = row.number


def _student_no(row, problems) -> str | None:
    no = text(row.get("student_no"))
    if not re.fullmatch(r"[0-9A-Za-z]+", no):
        problems.append(_problem(row, f"學號「{no}」應為英數字", f"the student number '{no}' must be letters and digits"))
        return None
    return no


def students(table, school, semester, problems):
    _duplicates(table, lambda r: text(r.get("student_no")), problems, ("同一學號", "the same student number"),
                "student_no")
    start = dates.semester_bounds(semester)[0].date().isoformat()
    files = {}
    for row in table.rows:
        no = _student_no(row, problems)
        name = _cell(row, "name", problems)
        national_id = _cell(row, "national_id", problems, parse_national_id)
        birth = _cell(row, "birth_date", problems, parse_date)
        klass = _cell(row, "class", problems)
        seat = _cell(row, "seat_no", problems, parse_int, ("座號", "seat number"), 1, 999) if text(row.get("seat_no")) else None
        admitted = _cell(row, "admitted", problems, parse_date) if text(row.get("admitted")) else start
        if not name:
            problems.append(_problem(row, "姓名空白", "no name", "name"))
        if not klass:
            problems.append(_problem(row, "班級空白", "no class", "class"))
        if None in (no, name, national_id, birth, klass, admitted) or not (name and klass):
            continue
        rel = f"records/students/{no}.yaml"
        old = school.load(rel) or {}
        new = dict(old)
        new.update(student_no=no, name=name, national_id=national_id, birth_date=birth)
        new["classes"] = {**(old.get("classes") or {}), semester: klass}
        if seat is not None:
            new["seat_no"] = seat
        email = text(row.get("email"))
        if email:
            new["git"] = list(old.get("git") or []) + ([email] if email not in (old.get("git") or []) else [])
        for platform in ("github", "gitlab"):
            if text(row.get(platform)):
                new[platform] = text(row.get(platform))
        new.setdefault("events", [{"date": admitted, "type": "admitted"}])
        ordered = {k: new[k] for k in STUDENT_ORDER if k in new}
        ordered.update({k: v for k, v in new.items() if k not in ordered})
        files[rel] = (ordered, "mapping", "student")
    return files


def absent(table, school, semester) -> list[tuple[str, str]]:
    """(zh-TW, en) for each student still enrolled in a class this file lists for `semester` whom
    the file does not list (a transfer or withdrawal the export shows by leaving her out), and for
    each the file lists whose record says she left (an older export, or a return not recorded); the
    records' and the file's words escaped for the terminal."""
    from ..records.books import STATUS
    from ..records.enrollment import periods

    listed = {text(row.values.get("student_no")): text(row.values.get("class")) for row in table.rows}
    classes = set(listed.values())
    out = []
    students = school.students()
    for no, klass in listed.items():
        student = students.get(no) or {}
        spans = periods(student, dates.zone(None))
        if not spans or spans[-1][1] is None:
            continue
        event = (student.get("events") or [{}])[-1]
        kind, day, name = str(event.get("type")), dates.roc(spans[-1][1], with_time=False), text(student.get("name"))
        out.append((f"{no} {name} 的紀錄記著已於 {day} {STATUS.get(kind, kind)}，此檔仍列在 {klass} 班："
                    "若已復學或再轉入，請在 events 記下（reinstate、transfer_in 與日期）；否則此檔可能是較舊的匯出",
                    f"{no} {name} left ({kind}, {day}) by the record, yet this file lists the student in {klass}: "
                    "if the student came back, record it in events (reinstate, transfer_in with its date); else "
                    "this file may be an older export"))
    for no, student in students.items():
        klass = str((student.get("classes") or {}).get(semester) or "")
        spans = periods(student, dates.zone(None))
        if no in listed or klass not in classes or not spans or spans[-1][1] is not None:
            continue
        name = text(student.get("name"))
        out.append((f"{no} {name}（{klass}）不在此檔中：若已轉出、休學或退學，請在其紀錄的 events 記下"
                    "（transfer_out、suspend、withdraw 與日期）；匯入不會刪除任何人",
                    f"{no} {name} ({klass}) is not in this file: if the student left, record it in the record's "
                    "events (transfer_out, suspend, withdraw with its date); an import removes no one"))
    return [(printable(zh, None), printable(en, None)) for zh, en in out]


def _roles(row, problems) -> list[str] | None:
    out = []
    for word in split_list(row.get("roles")):
        role = word if word in ROLE_NAMES else ROLES.get(word)
        if not role:
            problems.append(_problem(row, f"不認得的職務「{word}」；可寫：{'、'.join(ROLES)}",
                                     f"unknown role '{word}' (a title as the school writes it, or one of "
                                     f"{', '.join(sorted(ROLE_NAMES))})"))
            return None
        if role not in out:
            out.append(role)
    return out


def _staff_id(row) -> str:
    given = text(row.get("id")).lower()
    if given:
        return given
    local = text(row.get("email")).split("@", 1)[0].lower()
    return re.sub(r"[^a-z0-9]+", "-", local).strip("-")


def staff(table, school, semester, problems):
    _duplicates(table, _staff_id, problems, ("同一代號", "the same id"), "id")
    people = list(school.load("records/staff.yaml") or [])
    index = {p.get("id"): i for i, p in enumerate(people) if isinstance(p, dict)}
    for row in table.rows:
        sid, name, roles = _staff_id(row), text(row.get("name")), _roles(row, problems)
        since = _cell(row, "from", problems, parse_date) if text(row.get("from")) else None
        until = _cell(row, "until", problems, parse_date) if text(row.get("until")) else None  # 離職日期: last day
        if since and until and until < since:
            left, began = (dates.roc(date.fromisoformat(d)) for d in (until, since))
            problems.append(_problem(row, f"離職日期 {left} 早於到職日期 {began}",
                                     f"the leaving date {until} is before the starting date {since}", "until"))
            until = None
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", sid):
            problems.append(_problem(row, "需要代號（英數字與 -，如 chen-yiling）或電子郵件",
                                     "needs an id (letters, digits and -, e.g. chen-yiling) or an email"))
            continue
        if not name:
            problems.append(_problem(row, "姓名空白", "no name", "name"))
        if roles is None or not name or (text(row.get("from")) and since is None) \
                or (text(row.get("until")) and until is None):
            continue
        old = people[index[sid]] if sid in index else {}
        person = {"id": sid, "name": name, **{k: v for k, v in old.items() if k not in ("id", "name")}}
        email = text(row.get("email"))
        if email and email not in (old.get("git") or []):
            person["git"] = list(old.get("git") or []) + [email]
        for platform in ("github", "gitlab"):
            if text(row.get(platform)):
                person[platform] = text(row.get(platform))
        person["roles"] = list(dict.fromkeys(list(old.get("roles") or []) + roles)) or ["teacher"]
        if since:
            person["from"] = since
        if until:
            person["until"] = until
        if sid in index:
            people[index[sid]] = person
        else:
            index[sid] = len(people)
            people.append(person)
    return {"records/staff.yaml": (people, "entries", "staff")}


def _teacher_ids(row, school, problems) -> list[str] | None:
    people = [p for p in (school.shared("records/staff.yaml") or []) if isinstance(p, dict)]
    out = []
    for word in split_list(row.get("teachers")):
        ids = [p["id"] for p in people if word in (p.get("id"), p.get("name"))]
        if len(ids) != 1:
            problems.append(_problem(row, f"教師「{word}」{'不在教職員名單中' if not ids else '同名者不只一位，請寫代號'}",
                                     f"teacher '{word}': " + ("not on the staff list" if not ids
                                                              else "more than one by that name: give the id")))
            return None
        out.append(ids[0])
    return out


def courses(table, school, semester, problems):
    rel = f"records/courses/{semester}.yaml"
    entries = [dict(c) for c in (school.load(rel) or []) if isinstance(c, dict)]
    by_code = {c.get("code"): c for c in entries}
    seen = set()
    for row in table.rows:
        code, name = text(row.get("course")), text(row.get("course_name"))
        grade = _cell(row, "grade", problems, parse_int, ("年級", "grade"), 1, 12)
        credits = _cell(row, "credits", problems, parse_int, ("學分", "credits"), 0, 40)
        teachers = _teacher_ids(row, school, problems)
        classes = split_list(row.get("class"))
        if not code or not name:
            problems.append(_problem(row, "課程代碼或科目名稱空白", "no course code or name"))
            continue
        if None in (grade, credits, teachers):
            continue
        course = by_code.get(code)
        if course is None:
            course = {"code": code, "name": name, "grade": grade, "credits": credits, "teachers": [], "classes": []}
            by_code[code] = course
            entries.append(course)
        if code not in seen:  # the import says what the course is; rows after the first add classes/teachers
            course.update(name=name, grade=grade, credits=credits)
            course["teachers"], course["classes"] = [], []
            seen.add(code)
        course["teachers"] = list(dict.fromkeys(course["teachers"] + teachers))
        course["classes"] = list(dict.fromkeys(course["classes"] + classes))
    return {rel: (entries, "entries", "courses")}


def _known_student(row, no, known, problems) -> bool:
    if no not in known:
        problems.append(_problem(row, f"學號 {no} 沒有學籍資料（請先匯入學生）",
                                 f"no student {no} (import the students first)"))
        return False
    return True


def grades(table, school, semester, problems):
    if "course" not in table.columns and "course_name" not in table.columns:
        raise LichengError(f"{table.path}: 需要「課程代碼」或「科目名稱」欄",
                           en=f"{table.path}: needs a course code or a course name column")
    offered = {c.get("code"): c for c in (school.shared(f"records/courses/{semester}.yaml") or [])
               if isinstance(c, dict)}
    known = school.students()
    files, seen = {}, {}
    for row in table.rows:
        no = _student_no(row, problems)
        score = _cell(row, "score", problems, parse_score)
        if no is None or score is None or not _known_student(row, no, known, problems):
            continue
        code, name = text(row.get("course")), text(row.get("course_name"))
        if not code:
            klass = (known[no].get("classes") or {}).get(semester)
            matches = [c for c, course in offered.items() if course.get("name") == name
                       and klass in (course.get("classes") or ())]
            code = matches[0] if len(matches) == 1 else ""
        if code not in offered:
            problems.append(_problem(row, f"課程「{code or name}」不在 {semester} 的開課資料中",
                                     f"'{code or name}' is not a course of {semester}"))
            continue
        if (no, code) in seen:
            problems.append(_problem(row, f"與第 {seen[no, code]} 列重複（同一學生同一課程）",
                                     f"duplicate of row {seen[no, code]} (the same student and course)"))
            continue
        seen[no, code] = row.number
        rel = f"records/grades/{semester}/{code}.yaml"
        if rel not in files:
            old = school.load(rel) or {}
            files[rel] = ({**old, "course": code, "scores": dict(old.get("scores") or {})}, "mapping", "grades")
        files[rel][0]["scores"][no] = score
    for data, *_ in files.values():
        data["scores"] = dict(sorted(data["scores"].items()))
    return files


def _term(school, semester) -> tuple[str, str]:
    schedule = school.shared(f"schedules/{semester}.yaml") or {}
    term = schedule.get("term") or {} if isinstance(schedule, dict) else {}
    first, last = (d.date().isoformat() for d in dates.semester_bounds(semester))
    return str(term.get("start") or first), str(term.get("end") or last)


def cadres(table, school, semester, problems):
    rel = f"records/cadres/{semester}.yaml"
    entries = [dict(e) for e in (school.load(rel) or []) if isinstance(e, dict)]
    known, (first, last) = school.students(), _term(school, semester)
    _duplicates(table, lambda r: (text(r.get("student_no")), text(r.get("unit")), text(r.get("position"))), problems,
                ("同一學生同一職務", "the same student and position"))
    for row in table.rows:
        no = _student_no(row, problems)
        level = LEVELS.get(text(row.get("level")).replace("幹部", "").lower())
        start = _cell(row, "from", problems, parse_date) if text(row.get("from")) else first
        end = _cell(row, "until", problems, parse_date) if text(row.get("until")) else last
        unit, position = text(row.get("unit")), text(row.get("position")) or text(row.get("roles"))
        if not level:
            problems.append(_problem(row, f"幹部等級「{text(row.get('level'))}」應為 校級、班級 或 社團",
                                     f"the cadre level '{text(row.get('level'))}' must be school, class or club"))
        if not unit or not position:
            problems.append(_problem(row, "單位名稱或擔任職務空白", "no unit or position"))
        if no is None or not level or not unit or not position or None in (start, end):
            continue
        if not _known_student(row, no, known, problems):
            continue
        entry = {"student": no, "level": level, "unit": unit, "position": position, "from": start, "until": end}
        same = [e for e in entries if (e.get("student"), e.get("unit"), e.get("position")) == (no, unit, position)]
        if same:
            same[0].update(entry)
        else:
            entries.append(entry)
    return {rel: (entries, "lines", "cadres")}


KINDS = {
    "students": Kind(("student_no", "name", "national_id", "birth_date", "class"), students),
    "staff": Kind(("name", "roles"), staff),
    "courses": Kind(("course", "course_name", "grade", "credits", "class"), courses),
    "grades": Kind(("student_no", "score"), grades),
    "cadres": Kind(("student_no", "level", "unit"), cadres),
}
