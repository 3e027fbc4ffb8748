"""Demo school: courses, teachers, homerooms, staff.yaml, delegates.yaml, working groups."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from ..layout import modeline
from .people import Staff, Student, leadership, new_teacher

SEMESTERS = ("114-2", "115-1", "115-2")

# (name, department, category, subject code, credits, content topic)
CORE = {
    1: [("國語文", "國文", "A", "0101", 4, "chinese"), ("英語文", "英文", "A", "0102", 4, "english"),
        ("數學", "數學", "A", "0201", 4, "math")],
    2: [("國語文", "國文", "A", "0101", 4, "chinese"), ("英語文", "英文", "A", "0102", 4, "english"),
        ("數學", "數學", "A", "0201", 4, "math")],
    3: [("國語文", "國文", "A", "0101", 4, "chinese"), ("英語文", "英文", "A", "0102", 4, "english"),
        ("數學甲", "數學", "C", "0202", 4, "math")],
}
EXTRA = {
    1: [("物理", "自然", "A", "0401", 2, "physics"), ("生物", "自然", "A", "0403", 2, "biology"),
        ("歷史", "社會", "A", "0301", 2, "history"), ("地理", "社會", "A", "0302", 2, "geography"),
        ("生活科技", "科技", "A", "0501", 2, "technology"), ("資訊科技", "科技", "A", "0502", 2, "computing"),
        ("美術", "藝術", "A", "0602", 1, "art")],
    2: [("化學", "自然", "A", "0402", 2, "chemistry"), ("歷史", "社會", "A", "0301", 2, "history"),
        ("公民與社會", "社會", "A", "0303", 2, "civics"), ("自然科學探究與實作", "自然", "A", "0409", 2, "inquiry"),
        ("地球科學", "自然", "A", "0404", 2, "geography"), ("音樂", "藝術", "A", "0601", 1, "music")],
    3: [("專題研究", "自然", "B", "0901", 2, "inquiry"), ("選修物理", "自然", "C", "0401", 3, "physics"),
        ("選修化學", "自然", "C", "0403", 3, "chemistry"), ("選修生物", "自然", "C", "0405", 3, "biology"),
        ("選修公民與社會", "社會", "C", "0304", 2, "civics")],
}
COURSES_PER_TEACHER = 6
SICK_LEAVE = ("2026-10-05", "2026-10-23", "病假")
DEPARTED_UNTIL, DEPARTED_ACCOUNT_UNTIL = "2026-09-30", "2026-10-31"


@dataclass
class Course:
    code: str
    name: str
    grade: int
    credits: int
    teachers: list[str]
    klass: str            # "101"
    semester: str
    dept: str
    topic: str


@dataclass
class School:
    students: list[Student]
    staff: list[Staff]
    courses: dict[str, list[Course]]          # semester -> offerings
    homeroom: dict[tuple[int, int], str]      # (cohort, class number) -> staff id
    sick: Staff
    departed: Staff
    colleague: Staff                          # the departed teacher's first delegate

    def staff_by_id(self) -> dict[str, Staff]:
        index = getattr(self, "_staff_index", None)
        if index is None or len(index) != len(self.staff):  # built once the staff are all there
            index = self._staff_index = {s.id: s for s in self.staff}
        return index

    def course(self, semester: str, code: str) -> Course:
        return self._index()[(semester, code)]

    def _index(self):
        if not hasattr(self, "_course_index"):
            self._course_index = {(c.semester, c.code): c for cs in self.courses.values() for c in cs}
        return self._course_index

    def class_courses(self, semester: str, klass: str) -> list[Course]:
        if not hasattr(self, "_by_class"):
            self._by_class = {}
            for sem, offerings in self.courses.items():
                for c in offerings:
                    self._by_class.setdefault((sem, c.klass), []).append(c)
        return self._by_class.get((semester, klass), [])

    def homeroom_of(self, student: Student) -> str:
        return self.homeroom[(student.cohort, student.klass)]


def course_code(cohort: int, klass: int, category: str, subject: str, grade: int, term: int) -> str:
    """23 characters like the sample's "114999999H001010A010112" (class number in chars 14–15)."""
    return f"{cohort}999999H001{klass:02d}0{category}{subject}{grade}{term}"


def _offerings(rng: random.Random, classes: list[tuple[int, int]]) -> dict[str, list[Course]]:
    courses: dict[str, list[Course]] = {}
    for sem in SEMESTERS:
        year, term = int(sem[:3]), int(sem[-1])
        out = courses.setdefault(sem, [])
        for cohort, klass in classes:
            grade = year - cohort + 1
            if not 1 <= grade <= 3:
                continue
            extras = random.Random(f"{cohort}-{klass}-{sem}-{rng.random()}").sample(EXTRA[grade], rng.randint(1, 3))
            for name, dept, cat, subject, credits, topic in CORE[grade] + sorted(extras, key=lambda e: e[3]):
                code = course_code(cohort, klass, cat, subject, grade, term)
                out.append(Course(code, name, grade, credits, [], f"{grade}{klass:02d}", sem, dept, topic))
        out.sort(key=lambda c: (c.klass, c.code))
    return courses


def _assign_teachers(rng, courses, used_ids) -> dict[str, list[Staff]]:
    """Teachers per department, each teaching a contiguous block of the department's classes."""
    need: dict[str, int] = {}
    for offerings in courses.values():
        count: dict[str, int] = {}
        for c in offerings:
            count[c.dept] = count.get(c.dept, 0) + 1
        for dept, n in count.items():
            need[dept] = max(need.get(dept, 0), math.ceil(n / COURSES_PER_TEACHER))
    teachers = {dept: [new_teacher(rng, used_ids, dept) for _ in range(n)] for dept, n in sorted(need.items())}
    for offerings in courses.values():
        by_dept: dict[str, list[Course]] = {}
        for c in offerings:
            by_dept.setdefault(c.dept, []).append(c)
        for dept, group in by_dept.items():
            pool = teachers[dept]
            for i, c in enumerate(group):
                c.teachers = [pool[i * len(pool) // len(group)].id]
    return teachers


def _pick_departed(teachers: dict[str, list[Staff]], courses, sick: Staff) -> tuple[Staff, Staff]:
    """A teacher of 115-1 who left in September, and a colleague of the same department."""
    teaching = {t for c in courses["115-1"] for t in c.teachers}
    ranked = sorted(teachers, key=lambda d: (d != "自然", -len(teachers[d])))
    for dept in ranked:
        pool = [t for t in teachers[dept] if t.id in teaching and t is not sick]
        others = [t for t in teachers[dept] if t is not sick and (not pool or t is not pool[0])]
        if pool and others:
            return pool[0], others[0]
    everyone = [t for d in ranked for t in teachers[d] if t is not sick]
    departed = next(t for t in everyone if t.id in teaching)
    return departed, next(t for t in everyone if t is not departed)


def _homerooms(rng, classes, courses, teachers, excluded, used_ids) -> dict[tuple[int, int], str]:
    staff = [t for dept in sorted(teachers) for t in teachers[dept]]
    taken: set[str] = set(excluded)
    homeroom = {}
    for cohort, klass in classes:
        label_now = f"{115 - cohort + 1}{klass:02d}"
        mine = [t for c in courses["115-1"] if c.klass == label_now for t in c.teachers]
        choice = next((t for t in mine if t not in taken), None)
        if choice is None:
            choice = next((t.id for t in staff if t.id not in taken), None)
        if choice is None:
            extra = new_teacher(rng, used_ids, "國文")
            teachers.setdefault("國文", []).append(extra)
            staff.append(extra)
            choice = extra.id
        taken.add(choice)
        homeroom[(cohort, klass)] = choice
    return homeroom


def build_school(rng: random.Random, students: list[Student]) -> School:
    classes = sorted({(s.cohort, s.klass) for s in students})
    courses = _offerings(rng, classes)
    used_ids = {s.id for s in leadership()}
    teachers = _assign_teachers(rng, courses, used_ids)
    sick = teachers["英文"][0]
    sick.unavailable.append(SICK_LEAVE)
    sick.note = "英文科；115年10月病假，由代理人認證"
    departed, colleague = _pick_departed(teachers, courses, sick)
    departed.until, departed.account_until = DEPARTED_UNTIL, DEPARTED_ACCOUNT_UNTIL
    departed.note = "115年9月30日調校，帳號延長至115年10月31日（§7.3.2），之後由代理人認證"
    for c in courses["115-2"]:  # gone by then: the colleague takes the classes over
        c.teachers = [colleague.id if t == departed.id else t for t in c.teachers]
    homeroom = _homerooms(rng, classes, courses, teachers, {departed.id}, used_ids)
    for t in (t for dept in teachers.values() for t in dept):
        if t.id in homeroom.values():
            t.roles = ["teacher", "homeroom_teacher"]
    staff = leadership() + [t for dept in sorted(teachers) for t in teachers[dept]]
    return School(students, staff, courses, homeroom, sick, departed, colleague)


DEPARTURE_KNOWN = "2026-09-21"  # when the office recorded the departure and its delegates


def staff_yaml(school: School, known_on: str = "9999") -> str:
    """staff.yaml as the office kept it on `known_on` (departures and leave are added when known)."""
    out = [modeline("records/staff.yaml", "staff"), "# 本校學習歷程相關人員（虛構示範資料）\n"]
    for s in school.staff:
        special = (s is school.departed and known_on >= DEPARTURE_KNOWN) or \
            (s is school.sick and known_on >= SICK_LEAVE[0])
        note = s.note if (special or s.note and not s.subject) else (f"{s.subject}科" if s.subject else None)
        out.append(f"\n# {note}\n" if note else "\n")
        out.append(f"- id: {s.id}\n  name: {s.name}\n  git: [{s.email}]\n  github: {s.id}\n  gitlab: {s.id}\n"
                   f"  roles: [{', '.join(s.roles)}]\n  from: {s.since}\n")
        if s.until and known_on >= DEPARTURE_KNOWN:
            out.append(f"  until: {s.until}\n  account_until: {s.account_until}\n")
        if s.unavailable and known_on >= s.unavailable[0][0]:
            spans = ", ".join(f"{{from: {a}, until: {b}, reason: {r}}}" for a, b, r in s.unavailable)
            out.append(f"  unavailable: [{spans}]\n")
    return "".join(out)


def delegates_yaml(school: School, known_on: str = "9999") -> str:
    d = school.departed
    codes = sorted({c.code for c in school.courses["115-1"] if d.id in c.teachers})
    codes = codes if known_on >= DEPARTURE_KNOWN else []
    out = [modeline("records/delegates.yaml", "delegates"), "# 代理人名單及代理順位（§7），由工作小組訂定\n",
           "- duty: certification          # 課程學習成果認證：任課教師無法認證時\n",
           '  scope: "*"\n  order: [chen-yijun, huang-shufen]\n',
           "" if not codes else f"\n# {d.name}老師（115年9月30日調校）之115-1 課程：帳號至115年10月31日，之後由同科教師代理\n"]
    for code in codes:
        out.append(f'- duty: certification\n  scope: "{code}"\n  order: [{school.colleague.id}, chen-yijun]\n')
    out.append("""
- duty: registration           # 註冊組業務（學籍、成績）
  scope: "*"
  order: [chen-yijun, huang-shufen]

- duty: activities             # 訓育組業務（幹部紀錄）
  scope: "*"
  order: [zhang-wenbin, chen-yijun]

- duty: admissions             # 招生組業務（成果、多元表現提交）
  scope: "*"
  order: [huang-shufen, wang-yating]

- duty: counseling             # 課程諮詢紀錄
  scope: "*"
  order: [li-peishan, he-meiling]

- duty: schedule               # 作業期程規劃
  scope: "*"
  order: [chen-yijun, wang-yating]
""")
    return "".join(out)


def working_group_yaml(school: School, year: int, rng: random.Random) -> str:
    homerooms = sorted(set(school.homeroom.values()))
    teachers = [s.id for s in school.staff if "teacher" in s.roles and s.id not in homerooms and not s.until]
    rep_cohort = 113 if year == 114 else 114
    student = next(s for s in school.students if s.cohort == rep_cohort and not s.transfer_in)
    parent = rng.choice(["周淑貞", "許文雄", "陳美惠", "林國華"])
    path = f"records/working-group/{year}.yaml"
    return (modeline(path, "working-group")
            + f"# {year}學年度學生學習歷程檔案工作小組（§3.1），任期一學年\n"
            + f"year: {year}\nconvener: lin-zhiyuan          # 召集人：校長\n"
            + "secretary: huang-shufen        # 執行秘書：教務主任\nmembers:\n"
            + """  - {seat: academic_director, staff: huang-shufen}
  - {seat: student_affairs_director, staff: zhang-wenbin}
  - {seat: counseling_director, staff: li-peishan}
  - {seat: practicum_director, staff: wu-jianhong}
  - {seat: teaching_chief, staff: chen-yijun}
  - {seat: registration_chief, staff: wang-yating}
  - {seat: activities_chief, staff: liu-guanting}
  - {seat: course_counselor, staff: yang-ziqing}
  - {seat: course_counselor, staff: zhou-jiahao}
  - {seat: counselor, staff: he-meiling, nominated_by: 輔導室}
  - {seat: counselor, staff: luo-zhiming, nominated_by: 輔導室}
"""
            + f"  - {{seat: homeroom_rep, staff: {homerooms[year % len(homerooms)]}, nominated_by: 學務處}}\n"
            + f"  - {{seat: teacher_rep, staff: {(teachers or homerooms)[year % len(teachers or homerooms)]}, nominated_by: 教師會}}\n"
            + f"  - {{seat: parent_rep, name: {parent}, nominated_by: 家長會}}\n"
            + f'  - {{seat: student_rep, student: "{student.id}", nominated_by: 學生會}}\n')


def courses_yaml(school: School, semester: str) -> str:
    path = f"records/courses/{semester}.yaml"
    out = [modeline(path, "courses"),
           f"# {semester} 開課資料（課程代碼第17碼為課程類別：A 部定必修、B 校訂必修、C 校訂選修）\n"]
    klass = None
    for c in school.courses[semester]:
        if c.klass != klass:
            klass = c.klass
            out.append(f"\n# {klass}班\n")
        out.append(f'- code: "{c.code}"\n  name: {c.name}\n  grade: {c.grade}\n  credits: {c.credits}\n'
                   f'  teachers: [{", ".join(c.teachers)}]\n  classes: ["{c.klass}"]\n')
    return "".join(out)


def _accounts(s: Student) -> str:
    """The student's (fictional) platform accounts: the name her requests' merges already say
    ("Merge pull request #7 from s1150101/…"), so the merge-request check knows who opened one."""
    return f"github: {s.login}\ngitlab: {s.login}\n"


def student_yaml(s: Student, extra: str = "") -> str:
    sems = [f"{y}-{t}" for y in range(s.cohort, 116) for t in (1, 2)]
    classes = ", ".join(f'{sem}: "{s.class_in(sem)}"' for sem in sems if s.class_in(sem))
    event = (f"{{date: {s.transfer_in}, type: transfer_in, school: \"999888\"}}" if s.transfer_in
             else f"{{date: {s.cohort + 1911}-08-01, type: admitted}}")
    return (modeline(f"records/students/{s.id}.yaml", "student")
            + f'student_no: "{s.id}"\nname: {s.name}\nnational_id: {s.national_id}\n'
            + f"birth_date: {s.birth_date}\ngit: [{s.email}]\n{_accounts(s)}{extra}classes: {{{classes}}}\n"
            + f"events:                        # 由舊到新\n  - {event}\n")
