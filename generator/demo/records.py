"""Demo school: the offices' records and their direct commits on main.

Staff commit straight to main, as DESIGN.md's permission table allows them: the academic
director (school, staff, delegates, schedules, courses, working groups), registration
(students, grades, submissions), activities (cadres), admissions (submissions), course
counselors (counseling).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from ..layout import modeline
from .content import COUNSELING
from .history import Commit, Direct, at
from .people import Staff, Student
from .schedules import SCHEDULES, SCHOOL_YAML
from .school import (DEPARTURE_KNOWN, SICK_LEAVE, School, courses_yaml, delegates_yaml, staff_yaml, student_yaml,
                     working_group_yaml)

TERMS = {"114-2": ("2026-02-11", "2026-06-30"), "115-1": ("2026-08-30", "2027-01-20")}
CLUBS = ["吉他社", "攝影社", "熱舞社", "科學研究社", "英語話劇社", "桌球社"]
PLACES = ["輔導室", "課程諮詢室", "圖書館討論室"]
TIMES = ["12:10-12:50", "16:10-17:00", "13:10-14:00"]


@dataclass
class Case:
    """A planted (or notable clean) history case, for the summary and the tests."""
    code: str                 # the finding expected, or "clean.*"
    label: str
    path: str
    event: object             # the Direct / Request that carries it
    detail: dict = field(default_factory=dict)


def _direct(who: Staff | Student, when: str, message: str, files: dict) -> Direct:
    return Direct(Commit((who.name, who.email), at(when), message, files))


def grades_yaml(course, scores: dict[str, int]) -> str:
    path = f"records/grades/{course.semester}/{course.code}.yaml"
    lines = "".join(f'  "{no}": {score}\n' for no, score in scores.items())
    return (modeline(path, "grades") + f"# {course.name}（{course.klass}班）{course.semester} 學期成績\n"
            + f'course: "{course.code}"\nscores:\n{lines}')


def cadres_yaml(school: School, semester: str, rng: random.Random) -> tuple[str, int]:
    start, end = TERMS[semester]
    span = f"from: {start}, until: {end}"
    by_class: dict[str, list[Student]] = {}
    for s in school.students:
        if s.class_in(semester):
            by_class.setdefault(s.class_in(semester), []).append(s)
    rows = ["# 校級\n"]
    seniors = sorted(by_class.items())[-1][1]
    for position, s in zip(("會長", "活動長"), rng.sample(seniors, 2)):
        rows.append(f'- {{student: "{s.id}", level: school, unit: 班聯會, position: {position}, {span}}}\n')
    rows.append("# 班級\n")
    for klass, members in sorted(by_class.items()):
        for position, s in zip(("班長", "副班長", "學藝股長"), rng.sample(members, min(3, len(members)))):
            rows.append(f'- {{student: "{s.id}", level: class, unit: {klass}班, position: {position}, {span}}}\n')
    rows.append("# 社團\n")
    everyone = [s for members in by_class.values() for s in members]
    for club in CLUBS:
        s = rng.choice(everyone)
        rows.append(f'- {{student: "{s.id}", level: club, unit: {club}, position: 社長, {span}}}\n')
    path = f"records/cadres/{semester}.yaml"
    head = modeline(path, "cadres") + f"# {semester} 校級、班級、社團幹部（訓育組登錄）\n"
    return head + "".join(rows), sum(r.startswith("- ") for r in rows)


def counseling_yaml(school: School, semester: str, counselor: str, until: str, rng) -> str:
    start = TERMS[semester][0]
    enrolled = [s for s in school.students if s.class_in(semester)]
    days = sorted({f"{d:%Y-%m-%d}" for d in _days(start, until, rng, 4 + len(enrolled) // 150)})
    rows = [f'- {{student: "{rng.choice(enrolled).id}", date: {day}, time: "{rng.choice(TIMES)}", '
            f"place: {rng.choice(PLACES)}, content: {rng.choice(COUNSELING)}}}\n" for day in days]
    path = f"records/counseling/{semester}/{counselor}.yaml"
    return (modeline(path, "counseling")
            + f"# {semester} 課程諮詢紀錄（僅供課程諮詢教師使用，不公開、不上傳中央資料庫）\n" + "".join(rows))


def _days(start: str, until: str, rng, count: int):
    first, span = at(start), (at(until) - at(start)).days
    return [first + timedelta(days=rng.randrange(max(span, 1))) for _ in range(count)]


def _submission(entry: dict) -> str:
    out = f"- category: {entry['category']}\n  by: {entry['by']}\n  at: {entry['at']}\n  count: {entry['count']}\n"
    if "receipt" in entry:
        r = entry["receipt"]
        out += f"  receipt:\n    by: {r['by']}\n    at: {r['at']}\n"
        if "note" in r:
            resolved = f", resolved_by: {r['resolved_by']}, resolved_at: {r['resolved_at']}" if "resolved_by" in r else ""
            out += f"    discrepancies:\n      - {{note: {r['note']}{resolved}}}\n"
    return out


def submissions_events(semester: str, plan: list[tuple], staff: dict[str, Staff]) -> list[Direct]:
    """`plan`: (category, by, at, count, receipt_by, receipt_at[, note, resolved_by, resolved_at])."""
    path = f"records/submissions/{semester}.yaml"
    head = modeline(path, "submissions") + f"# {semester} 提交中央資料庫紀錄與收訖明細確認（§6）\n"
    entries: list[dict] = []
    steps = []  # (time, who, message, mutate)
    for row in plan:
        category, by, when, count, rby, rwhen, *issue = row
        entry = {"category": category, "by": by, "at": when, "count": count}
        steps.append((when, by, f"提交中央資料庫：{category}", lambda e=entry: entries.append(e)))

        def receipt(e=entry, rby=rby, rwhen=rwhen, issue=tuple(issue)):
            e["receipt"] = {"by": rby, "at": rwhen} | ({"note": issue[0]} if issue else {})
        steps.append((rwhen, rby, f"收訖明細確認：{category}", receipt))
        if issue:
            def resolve(e=entry, issue=tuple(issue)):
                e["receipt"].update(resolved_by=issue[1], resolved_at=issue[2])
            steps.append((issue[2], issue[1], f"收訖疑義已釐清：{category}", resolve))
    events = []
    for when, who, message, mutate in sorted(steps, key=lambda s: s[0]):
        mutate()
        text = head + "\n".join(_submission(e) for e in entries)
        events.append(_direct(staff[who], f"{when[:16]}", message, {path: text}))
    return events


def office_events(school: School, rng: random.Random, counts: dict, project_files: dict) -> tuple[list, list]:
    """Every direct commit by the offices, and the planted cases among them."""
    staff = school.staff_by_id()
    director, registrar, clerk = staff["huang-shufen"], staff["wang-yating"], staff["xu-huiwen"]
    events: list[Direct] = []
    cases: list[Case] = []
    old = [s for s in school.students if s.cohort < 115]
    new = [s for s in school.students if s.cohort == 115]
    setup = {"records/school.yaml": SCHOOL_YAML, "schedules/114-2.yaml": SCHEDULES["114-2"],
             "records/staff.yaml": staff_yaml(school, "2026-02-02"),
             "records/delegates.yaml": delegates_yaml(school, "2026-02-02"),
             "records/working-group/114.yaml": working_group_yaml(school, 114, rng),
             "records/courses/114-2.yaml": courses_yaml(school, "114-2"), **project_files}
    events.append(_direct(director, "2026-02-02 09:30", "建立學習歷程資料庫：學校設定、人員、114-2 期程與開課", setup))
    events.append(_direct(registrar, "2026-02-10 10:00", "匯入在學學生基本資料（113、114學年度入學）",
                          {f"records/students/{s.id}.yaml": student_yaml(s) for s in old}))
    text, counts["cadres"] = cadres_yaml(school, "114-2", rng)
    events.append(_direct(staff["zheng-yuxuan"], "2026-03-06 15:20", "登錄114-2 幹部經歷", {"records/cadres/114-2.yaml": text}))
    for who, when in (("yang-ziqing", "2026-06-12 16:30"), ("zhou-jiahao", "2026-06-19 17:05")):
        path = f"records/counseling/114-2/{who}.yaml"
        events.append(_direct(staff[who], when, "114-2 課程諮詢紀錄", {path: counseling_yaml(school, "114-2", who, when[:10], rng)}))
    events += _grades(school, rng, staff, cases, counts)
    plan = [("enrollment", "xu-huiwen", "2026-03-12 10:20", sum(1 for s in old if s.class_in("114-2")),
             "wang-yating", "2026-03-16 09:30"),
            ("cadres", "zheng-yuxuan", "2026-07-15 11:00", counts["cadres"], "wang-yating", "2026-07-17 09:00"),
            ("grades", "wang-yating", "2026-07-20 14:00", counts["grades"], "xu-huiwen", "2026-07-24 10:00"),
            ("outcomes", "xie-jiarong", "2026-07-30 16:00", counts["outcomes"], "wang-yating", "2026-08-04 09:00",
             "2 筆成果附件無法開啟，已請招生組重新上傳", "xie-jiarong", "2026-08-06 11:00"),
            ("performances", "cai-mingzhe", "2026-08-14 10:00", counts["performances"], "xu-huiwen", "2026-08-18 15:30")]
    events += submissions_events("114-2", plan, staff)
    events.append(_direct(director, "2026-07-21 14:00", "公告115-1 作業期程", {"schedules/115-1.yaml": SCHEDULES["115-1"]}))
    events.append(_direct(registrar, "2026-08-10 09:40", "匯入115學年度新生基本資料",
                          {f"records/students/{s.id}.yaml": student_yaml(s) for s in new}))
    events.append(_direct(director, "2026-08-20 11:10", "115-1 開課資料與115學年度工作小組",
                          {"records/courses/115-1.yaml": courses_yaml(school, "115-1"),
                           "records/working-group/115.yaml": working_group_yaml(school, 115, rng)}))
    cadres_now, _ = cadres_yaml(school, "115-1", rng)
    events.append(_direct(staff["zheng-yuxuan"], "2026-09-16 15:40", "登錄115-1 幹部經歷",
                          {"records/cadres/115-1.yaml": cadres_now}))
    plan = [("enrollment", "xu-huiwen", "2026-09-24 10:30", sum(1 for s in school.students if s.class_in("115-1")),
             "wang-yating", "2026-09-30 15:00")]
    events += submissions_events("115-1", plan, staff)
    events.append(_direct(director, f"{DEPARTURE_KNOWN} 10:00", f"{school.departed.name}老師調校：帳號延長與代理人",
                          {"records/staff.yaml": staff_yaml(school, DEPARTURE_KNOWN),
                           "records/delegates.yaml": delegates_yaml(school, DEPARTURE_KNOWN)}))
    events.append(_direct(director, f"{SICK_LEAVE[0]} 08:20", f"{school.sick.name}老師病假",
                          {"records/staff.yaml": staff_yaml(school)}))
    for who, when in (("yang-ziqing", "2026-10-20 16:40"), ("zhou-jiahao", "2026-11-10 17:15")):
        path = f"records/counseling/115-1/{who}.yaml"
        events.append(_direct(staff[who], when, "115-1 課程諮詢紀錄", {path: counseling_yaml(school, "115-1", who, when[:10], rng)}))
    events.append(_direct(director, "2026-11-16 09:00", "公告115-2 作業期程（暫定）與開課資料",
                          {"schedules/115-2.yaml": SCHEDULES["115-2"],
                           "records/courses/115-2.yaml": courses_yaml(school, "115-2")}))
    events += _unknown_identity(cases, {"schedules/115-1.yaml": SCHEDULES["115-1"],
                                        "records/cadres/115-1.yaml": cadres_now})
    return events, cases


def _grades(school: School, rng, staff, cases: list, counts: dict) -> list[Direct]:
    """Registration enters 114-2 grades and corrects one; a teacher edits one directly (perm.denied)."""
    scores = {}
    classes: dict[str | None, list] = {}
    for s in school.students:
        classes.setdefault(s.class_in("114-2"), []).append(s)
    for course in school.courses["114-2"]:
        members = classes.get(course.klass, [])
        scores[course.code] = (course, {s.id: rng.randint(55, 96) for s in members})
    counts["grades"] = sum(len(v[1]) for v in scores.values())

    def files(codes):
        return {f"records/grades/114-2/{c}.yaml": grades_yaml(*scores[c]) for c in codes}

    by_grade = {g: [c for c, (course, _) in scores.items() if course.grade == g] for g in (1, 2)}
    events = [_direct(staff["xu-huiwen"], "2026-07-03 16:20", "登錄114-2 高一學期成績", files(by_grade[1])),
              _direct(staff["wang-yating"], "2026-07-06 10:40", "登錄114-2 高二學期成績", files(by_grade[2]))]
    fixed = by_grade[1][0]
    first = next(iter(scores[fixed][1]))
    scores[fixed][1][first] += 2
    events.append(_direct(staff["xu-huiwen"], "2026-07-09 11:00", "更正114-2 成績登錄錯誤", files([fixed])))
    cases.append(Case("clean.registration-edit", "registration staff corrects a grade on main",
                      f"records/grades/114-2/{fixed}.yaml", events[-1]))
    for code, when in ((by_grade[2][-1], "2026-07-13 21:30"), (by_grade[1][-1], "2026-07-14 20:10")):
        course, marks = scores[code]
        teacher = staff[course.teachers[0]]
        last = list(marks)[-1]
        marks[last] = min(100, marks[last] + 3)
        events.append(_direct(teacher, when, "修改學期成績", files([code])))
        cases.append(Case("perm.denied", "a teacher edits grades directly on main",
                          f"records/grades/114-2/{code}.yaml", events[-1]))
    return events


def _unknown_identity(cases: list, texts: dict[str, str]) -> list[Direct]:
    """A helper using a personal address edits a comment in two offices' files."""
    helper = ("教務處工讀生", "helper.pt2026@gmail.com")
    events = []
    for path, when, old, new in (("schedules/115-1.yaml", "2026-10-28 18:05", "（教務處規劃，公告於學校網站）",
                                  "（教務處規劃，已公告於學校網站）"),
                                 ("records/cadres/115-1.yaml", "2026-11-04 17:50", "（訓育組登錄）", "（訓育組登錄，已核對）")):
        text = texts[path]
        assert old in text
        events.append(Direct(Commit(helper, at(when), "修正說明文字", {path: text.replace(old, new, 1)})))
        cases.append(Case("perm.unknown-identity", "a commit by an address nobody owns", path, events[-1]))
    return events
