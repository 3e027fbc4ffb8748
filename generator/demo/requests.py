"""Demo school: what students upload through merge requests, and who merges them.

Outcomes (§5.3) are merged by the teacher on duty for the course — the course's teacher
while available, else the first available delegate (§7) — inside the certification
window. Performances and selections are merged by the student's homeroom teacher.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..layout import modeline
from .content import OUTCOMES, PERFORMANCES
from .history import Commit, Direct, Request, Shared, at
from .people import Staff, Student
from .school import Course, School

NOW_LIMIT = at("2026-11-27 17:00")  # "now" is 2026-11-28: nothing later happens
UPLOADS = {"114-2": ("2026-03-02", "2026-06-26", "2026-07-20 16:00"),   # first, last upload, merged by
           "115-1": ("2026-09-07", "2026-11-25", None)}
PERF_UPLOADS = {114: ("2026-02-23", "2026-07-20", "2026-08-04 16:00"), 115: ("2026-09-07", "2026-11-25", None)}
SELECTION_DAYS = ("2026-07-23", "2026-08-04")


def evening(day: datetime, rng: random.Random) -> datetime:
    """When students upload: lunch break or the evening."""
    hour, minute = rng.choice([(12, 20), (19, 0), (20, 0), (21, 0), (22, 0)]), rng.randrange(40)
    return day.replace(hour=hour[0], minute=hour[1] + minute)


def office_hours(day: datetime, rng: random.Random) -> datetime:
    """When teachers merge: a weekday between 08:10 and 16:50."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.replace(hour=rng.randint(8, 16), minute=rng.randint(10, 50))


def random_day(first: str, last: str, rng: random.Random) -> datetime:
    return at(first) + timedelta(days=rng.randrange((at(last) - at(first)).days + 1))


def available(person: Staff, when: datetime) -> bool:
    """Employed (or holding an account, §7.3.2) and not on leave at `when`."""
    if when < at(person.since):
        return False
    ends = [at(d) + timedelta(days=1) for d in (person.until, person.account_until) if d]
    if ends and when >= max(ends):
        return False
    return not any(at(a) <= when < at(b) + timedelta(days=1) for a, b, _ in person.unavailable)


def delegate_order(school: School, course: Course) -> list[str]:
    if course.semester == "115-1" and school.departed.id in course.teachers:
        return [school.colleague.id, "chen-yijun"]
    return ["chen-yijun", "huang-shufen"]


def on_duty(school: School, course: Course, when: datetime) -> Staff:
    staff = school.staff_by_id()
    for sid in course.teachers + delegate_order(school, course):
        if available(staff[sid], when):
            return staff[sid]
    raise ValueError(f"nobody may certify {course.code} at {when}")


@dataclass
class Outcome:
    student: Student
    semester: str
    course: Course
    slug: str
    title: str
    summary: str
    upload: datetime
    merge: datetime | None          # None: still open (pending)
    mode: str = "merge"             # merge | squash | rebase | direct
    merger: Staff | Student | None = None   # None: whoever is on duty
    author: tuple[str, str] | None = None   # None: the student
    login: str | None = None
    style: str | None = None        # forced platform style
    two_commits: bool = False
    clean: bool = True              # certified by the right person in time: selectable

    @property
    def path(self) -> str:
        return f"records/outcomes/{self.semester}/{self.student.id}/{self.slug}.yaml"

    def yaml(self, summary: str | None = None, with_file: bool = True) -> str:
        files = f"[{self.slug}.pdf]" if with_file else "[]"
        return (modeline(self.path, "outcome") + f'course: "{self.course.code}"   # {self.course.name}\n'
                + f"title: {self.title}\nsummary: {summary or self.summary}\nfiles: {files}\n")


@dataclass
class Performance:
    student: Student
    year: int
    slug: str
    category: str
    title: str
    summary: str
    ext: str
    upload: datetime
    merge: datetime | None

    @property
    def path(self) -> str:
        return f"records/performances/{self.year}/{self.student.id}/{self.slug}.yaml"

    def yaml(self) -> str:
        day = max(self.upload - timedelta(days=3 + len(self.slug) % 11), at(f"{self.year + 1911}-08-01"))
        return (modeline(self.path, "performance") + f"category: {self.category}\ntitle: {self.title}\n"
                + f"summary: {self.summary}\ndate: {day:%Y-%m-%d}\nfiles: [{self.slug}.{self.ext}]\n")


@dataclass
class Selection:
    student: Student
    year: int
    outcomes: list[Outcome]
    performances: list[Performance]
    commit: datetime
    merge: datetime

    @property
    def path(self) -> str:
        return f"records/selections/{self.year}/{self.student.id}.yaml"

    def yaml(self, extra_outcomes: tuple = ()) -> str:
        outcomes = [f"{o.semester}/{o.slug}" for o in self.outcomes] + list(extra_outcomes)
        return (modeline(self.path, "selection")
                + f"# {self.year}學年度勾選：課程學習成果（至多6件）與多元表現（至多10件）\n"
                + f"outcomes: [{', '.join(outcomes)}]\nperformances: [{', '.join(p.slug for p in self.performances)}]\n")


def make_outcomes(school: School, rng: random.Random) -> list[Outcome]:
    out = []
    for sem, (first, last, merged_by) in UPLOADS.items():
        for s in school.students:
            klass = s.class_in(sem)
            if klass:
                courses = school.class_courses(sem, klass)
                mine: list[Outcome] = []
                for course in rng.sample(courses, min(len(courses), rng.choice((3, 4, 4)))):
                    mine.append(new_outcome(school, rng, s, course, random_day(first, last, rng), merged_by, mine))
                out += mine
    return out


def new_outcome(school, rng, student, course, day, merged_by, siblings=()) -> Outcome:
    """`siblings`: outcomes that may be the same student's, whose slugs are taken."""
    taken = {o.slug for o in siblings if o.student is student and o.semester == course.semester}
    slug, title, summary = rng.choice(OUTCOMES[course.topic])
    while slug in taken:
        slug = slug + "-2"
    upload = evening(day, rng)
    merge = office_hours(upload + timedelta(days=rng.randint(1, 10)), rng)
    if merged_by and merge > at(merged_by):
        merge = at(merged_by) - timedelta(minutes=rng.randrange(600))
    o = Outcome(student, course.semester, course, slug, title, summary, upload,
                merge if merge <= NOW_LIMIT else None, two_commits=rng.random() < 0.08)
    return o


def make_performances(school: School, rng: random.Random) -> list[Performance]:
    out = []
    for year, (first, last, merged_by) in PERF_UPLOADS.items():
        for s in school.students:
            if s.class_in(f"{year}-1" if year == 115 else f"{year}-2"):
                for item in rng.sample(PERFORMANCES, rng.randint(1, 3) if year == 114 else rng.randint(0, 2)):
                    out.append(new_performance(rng, s, year, item, random_day(first, last, rng), merged_by))
    return out


def new_performance(rng, student, year, item, day, merged_by) -> Performance:
    slug, category, title, summary, ext = item
    upload = evening(day, rng)
    merge = office_hours(upload + timedelta(days=rng.randint(1, 6)), rng)
    if merged_by and merge > at(merged_by):
        merge = at(merged_by) - timedelta(minutes=rng.randrange(600))
    return Performance(student, year, slug, category, title, summary, ext, upload,
                       merge if merge <= NOW_LIMIT else None)


def make_selections(school, rng, outcomes, performances) -> list[Selection]:
    """Each 114 student's yearly selection, inside the selection window (clean outcomes only)."""
    mine_o: dict[str, list[Outcome]] = {}
    mine_p: dict[str, list[Performance]] = {}
    for o in outcomes:
        if o.semester == "114-2" and o.clean and o.merge:
            mine_o.setdefault(o.student.id, []).append(o)
    for p in performances:
        if p.year == 114 and p.merge:
            mine_p.setdefault(p.student.id, []).append(p)
    out = []
    for s in school.students:
        if not s.class_in("114-2"):
            continue
        commit = evening(random_day(*SELECTION_DAYS, rng), rng)
        merge = min(office_hours(commit + timedelta(days=1), rng), at("2026-08-05 16:00"))
        chosen_o = [o for o in mine_o.get(s.id, []) if o.merge < commit]
        chosen_p = [p for p in mine_p.get(s.id, []) if p.merge < commit]
        chosen_o = rng.sample(chosen_o, min(len(chosen_o), rng.randint(2, 6)))
        if chosen_o or chosen_p:
            out.append(Selection(s, 114, sorted(chosen_o, key=lambda o: o.slug), chosen_p, commit, merge))
    return out


def ident(person) -> tuple[str, str]:
    return (person.name, person.email)


def outcome_event(school: School, o: Outcome) -> Request | Direct:
    author = o.author or ident(o.student)
    attachment = o.path.rsplit("/", 1)[0] + f"/{o.slug}.pdf"
    message = f"新增課程學習成果：{o.title}\n"
    if o.two_commits and o.mode == "merge":
        commits = [Commit(author, o.upload, message, {o.path: o.yaml(with_file=False)}),
                   Commit(author, o.upload + timedelta(hours=2), "補上成果附件\n",
                          {o.path: o.yaml(), attachment: Shared("pdf")})]
    else:
        commits = [Commit(author, o.upload, message, {o.path: o.yaml(), attachment: Shared("pdf")})]
    if o.mode == "direct":
        return Direct(commits[0])
    merger = o.merger or (on_duty(school, o.course, o.merge) if o.merge else None)
    return Request(0, o.style or "", o.login or o.student.login, o.title, commits,
                   o.mode if o.merge else None, merger and ident(merger), o.merge)


def performance_event(school: School, p: Performance) -> Request:
    files = {p.path: p.yaml(), p.path.rsplit("/", 1)[0] + f"/{p.slug}.{p.ext}": Shared(p.ext)}
    c = Commit(ident(p.student), p.upload, f"新增多元表現：{p.title}\n", files)
    homeroom = school.staff_by_id()[school.homeroom_of(p.student)]
    return Request(0, "", p.student.login, p.title, [c], "merge" if p.merge else None, ident(homeroom), p.merge)


def selection_event(school: School, sel: Selection, extra_outcomes: tuple = ()) -> Request:
    title = f"{sel.year}學年度勾選課程學習成果與多元表現"
    c = Commit(ident(sel.student), sel.commit, title + "\n", {sel.path: sel.yaml(extra_outcomes)})
    homeroom = school.staff_by_id()[school.homeroom_of(sel.student)]
    return Request(0, "", sel.student.login, title, [c], "merge", ident(homeroom), sel.merge)


def number_requests(events: list) -> None:
    """Numbers in the order the requests were opened; even GitHub, odd GitLab unless forced."""
    requests = sorted((e for e in events if isinstance(e, Request)), key=lambda r: r.commits[0].author_time)
    for n, req in enumerate(requests, 1):
        req.number = n
        req.style = req.style or ("github" if n % 2 == 0 else "gitlab")
