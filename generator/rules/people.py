"""People: the working group (§3), course-counseling records (§5.2.2), who is named where, one id per staff member."""

from __future__ import annotations

from .. import dates
from ..rule import WARNING, checks, hit, rule

# seat -> (how many, role the holder needs or None, nominating body or None, holder key)
SEATS = {
    "academic_director": (1, "academic_director", None, "staff"),
    "student_affairs_director": (1, "student_affairs_director", None, "staff"),
    "counseling_director": (1, "counseling_director", None, "staff"),
    "practicum_director": (1, "practicum_director", None, "staff"),
    "teaching_chief": (1, "teaching_chief", None, "staff"),
    "registration_chief": (1, "registration_chief", None, "staff"),
    "activities_chief": (1, "activities_chief", None, "staff"),
    "course_counselor": (1, "course_counselor", None, "staff"),  # one or more
    "counselor": (2, "counselor", "輔導室", "staff"),
    "homeroom_rep": (1, "homeroom_teacher", "學務處", "staff"),
    "teacher_rep": (1, "teacher", "教師會", "staff"),
    "parent_rep": (1, None, "家長會", "name"),
    "student_rep": (1, None, "學生會", "student"),
}
EXACT = {"counselor", "homeroom_rep", "teacher_rep", "parent_rep", "student_rep"}


@rule(
    "group.seat",
    "§3.1",
    {
        "missing": "{year} 學年度工作小組缺少席次「{seat}」（需要 {need} 位，目前 {have} 位）",
        "extra": "{year} 學年度工作小組的席次「{seat}」應為 {need} 位，目前 {have} 位",
        "role": "席次「{seat}」應由具 {role} 角色者擔任；「{name}」沒有此角色",
        "nominated": "席次「{seat}」應由{body}推派（nominated_by: {body}）",
        "holder": "席次「{seat}」應填寫 {key}",
        "convener": "召集人應為校長（role principal）；「{name}」不是",
        "secretary": "執行秘書應為教務主任（role academic_director）；「{name}」不是",
        "student": "學生代表 {name} 在 {year} 學年度不在學",
    },
    {
        "missing": "the {year} working group lacks seat '{seat}' ({need} needed, {have} filled)",
        "extra": "the {year} working group's seat '{seat}' takes {need}, it has {have}",
        "role": "seat '{seat}' must be held by someone with role {role}; '{name}' lacks it",
        "nominated": "seat '{seat}' must be nominated by {body} (nominated_by: {body})",
        "holder": "seat '{seat}' must name its holder under '{key}'",
        "convener": "the convener must be the principal (role principal); '{name}' is not",
        "secretary": "the executive secretary must be the director of academic affairs; '{name}' is not",
        "student": "student representative {name} is not enrolled in academic year {year}",
    },
)
def working_group(records):
    for doc in records.valid("working-group"):
        data, year = doc.data, doc.keys["year"]
        for key, role in (("convener", "principal"), ("secretary", "academic_director")):
            who = data.get(key)
            if who in records.staff and not records.has_role(who, role):
                yield hit(doc.path, doc.line(key), key, name=who)
        filled: dict[str, int] = {}
        for index, member in enumerate(data.get("members") or ()):
            seat = member.get("seat")
            if seat not in SEATS:
                continue
            need, role, body, key = SEATS[seat]
            filled[seat] = filled.get(seat, 0) + 1
            line = doc.line("members", index)
            holder = member.get(key)
            if not holder:
                yield hit(doc.path, line, "holder", seat=seat, key=key)
            elif role and holder in records.staff and not records.has_role(holder, role):
                yield hit(doc.path, line, "role", seat=seat, role=role, name=holder)
            elif key == "student" and holder in records.students:
                sems = dates.semesters_of_year(int(year))
                if not any(records.enrolled(holder, s) for s in sems):
                    yield hit(doc.path, line, "student", name=holder, year=year)
            if body and member.get("nominated_by") != body:
                yield hit(doc.path, line, "nominated", seat=seat, body=body)
        for seat, (need, *_rest) in SEATS.items():
            have = filled.get(seat, 0)
            if have < need:
                yield hit(doc.path, doc.line("members"), "missing", year=year, seat=seat, need=need, have=have)
            elif seat in EXACT and have > need:
                yield hit(doc.path, doc.line("members"), "extra", year=year, seat=seat, need=need, have=have)


@checks("ref.unknown")
def unknown_staff(records):
    """Every staff id named anywhere must be in staff.yaml."""
    def named():
        for doc in records.valid("working-group"):
            for key in ("convener", "secretary"):
                yield doc, doc.line(key), doc.data.get(key)
            for index, member in enumerate(doc.data.get("members") or ()):
                yield doc, doc.line("members", index), member.get("staff")
        for doc in records.all("delegates"):
            for index, entry in doc.items():
                for i, who in enumerate(entry.get("order") or ()):
                    yield doc, doc.line(index, "order", i), who
        for doc in records.all("courses"):
            for index, course in doc.items():
                for i, who in enumerate(course.get("teachers") or ()):
                    yield doc, doc.line(index, "teachers", i), who
        for doc in records.all("counseling"):
            yield doc, 1, doc.keys["staff"]
        for doc in records.all("submissions"):
            for index, entry in doc.items():
                yield doc, doc.line(index, "by"), entry.get("by")
                receipt = entry.get("receipt") or {}
                yield doc, doc.line(index, "receipt", "by"), receipt.get("by")
                for i, d in enumerate(receipt.get("discrepancies") or ()):
                    yield doc, doc.line(index, "receipt", "discrepancies", i), d.get("resolved_by")

    for doc, line, who in named():
        if who and who not in records.staff:
            yield hit(doc.path, line, "staff", name=who)
    for doc in records.valid("working-group"):
        for index, member in enumerate(doc.data.get("members") or ()):
            student = member.get("student")
            if student and not records.known_student(student):
                yield hit(doc.path, doc.line("members", index), "student", name=student)


@checks("ref.unknown")
def unknown_grade_courses(records):
    for doc in records.valid("grades"):
        sem, code = doc.keys["semester"], doc.data.get("course")
        if code not in records.courses.get(sem, {}):
            yield hit(doc.path, doc.line("course"), "course", semester=sem, name=code)


COUNSELING_FIELDS = {"date": "日期", "time": "時間", "place": "地點", "content": "諮詢內容及意見"}


@rule(
    "counseling.fields",
    "§5.2.2",
    {"": "課程諮詢紀錄缺少「{zh_field}」（{field}）", "time": "時間「{value}」應寫成 HH:MM-HH:MM，例如 12:10-12:50"},
    {"": "the course-counseling record lacks {field}", "time": "time '{value}' should read HH:MM-HH:MM, e.g. 12:10-12:50"},
)
def counseling_fields(records):
    import re

    time_form = re.compile(r"^\d{1,2}:\d{2}\s*[-~–]\s*\d{1,2}:\d{2}$")
    for doc in records.all("counseling"):
        for index, entry in doc.items():
            for field, zh in COUNSELING_FIELDS.items():
                value = entry.get(field)
                if value is None or (isinstance(value, str) and not value.strip()):
                    yield hit(doc.path, doc.line(index), field=field, zh_field=zh)
            value = entry.get("time")
            if isinstance(value, str) and value.strip() and not time_form.match(value.strip()):
                yield hit(doc.path, doc.line(index, "time"), "time", value=value)


@rule(
    "counseling.recorder",
    "§5.2.2",
    "課程諮詢紀錄由課程諮詢教師登錄；「{name}」不是課程諮詢教師（staff.yaml 的 roles 沒有 course_counselor）；請由課程諮詢教師登錄",
    "course-counseling records are written by course-counseling teachers; '{name}' lacks role course_counselor",
)
def counseling_recorder(records):
    for doc in records.all("counseling"):
        who = doc.keys["staff"]
        if who in records.staff and not records.has_role(who, "course_counselor"):
            yield hit(doc.path, 1, name=who)


@rule(
    "group.missing",
    "§3.1",
    "目前是 {year} 學年度，但沒有這一學年的工作小組名單（records/working-group/{year}.yaml）",
    "it is academic year {year} now and there is no working group for it (records/working-group/{year}.yaml)",
    severity=WARNING,
)
def group_missing(records):
    from .schedules import current_semester

    semester = current_semester(records)
    if semester is None:
        return
    year = dates.academic_year(semester)
    if not any(int(doc.keys["year"]) == year for doc in records.all("working-group")):
        yield hit(records.one("school").path, 1, year=year)


@rule(
    "staff.duplicate-id",
    "§5",
    "這位教職員（{name}）的代號與第 {first} 行的 {first_name} 相同；每位教職員的代號必須不同，"
    "否則只會讀到後一筆，前一筆的角色與提交身分都不算數",
    "this staff member ({name}) has the same id as {first_name} on line {first}; each staff member needs an id of "
    "their own, else only the later entry is read and the earlier one's roles and commit identities count for nothing",
)
def duplicate_staff_ids(records):
    for doc in records.valid("staff"):
        seen: dict[str, tuple[int, str]] = {}
        for index, person in doc.items():
            staff_id, name = str(person.get("id")), str(person.get("name") or person.get("id"))
            if staff_id in seen:
                first, first_name = seen[staff_id]
                yield hit(doc.path, doc.line(index, "id"), name=name, first=first, first_name=first_name)
            else:
                seen[staff_id] = (doc.line(index, "id"), name)
