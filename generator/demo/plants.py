"""Demo school: the planted cases — a few of every history finding among thousands of clean ones.

Each plant takes a student nobody else's plant uses (so one commit shows one problem),
reshapes an outcome, performance or selection of theirs, or adds an event, and records
a Case naming the finding the validator should report (or "clean.*" for the notable
clean ones: a delegate on duty, a departed teacher still holding an account).
"""

from __future__ import annotations

import random
from datetime import timedelta

from .content import PERFORMANCES
from .history import Commit, Direct, Request, at
from .records import Case
from .requests import (NOW_LIMIT, Outcome, Performance, Selection, available, evening, ident,
                            new_outcome, new_performance, office_hours)
from .school import School, student_yaml


class Planter:
    def __init__(self, school: School, rng: random.Random, outcomes: list[Outcome], performances: list[Performance]):
        self.school, self.rng = school, rng
        self.outcomes, self.performances = outcomes, performances
        self.pool = outcomes[:]
        rng.shuffle(self.pool)
        self.taken: set[str] = set()
        self.cases: list[Case] = []
        self.events: list = []
        self.uncertified: dict[str, Outcome] = {}   # student id -> an outcome to select anyway

    # -- helpers --------------------------------------------------------------------

    def case(self, code: str, label: str, path: str, item) -> None:
        self.cases.append(Case(code, label, path, item))

    def pick(self, semester: str, test=lambda o: True) -> Outcome | None:
        for o in self.pool:
            if (o.semester == semester and o.mode == "merge" and o.merger is None and o.author is None
                    and o.student.id not in self.taken and test(o)):
                self.taken.add(o.student.id)
                return o
        return None

    def count(self, student, semester: str) -> int:
        return sum(1 for o in self.outcomes if o.student is student and o.semester == semester)

    def add(self, semester: str, test_course, day: str) -> Outcome:
        """A new outcome for a free student whose class has a course passing `test_course`."""
        for s in self.school.students:
            klass = s.class_in(semester)
            if not klass or s.id in self.taken or self.count(s, semester) >= 5:
                continue
            course = next((c for c in self.school.class_courses(semester, klass) if test_course(c)), None)
            if course:
                self.taken.add(s.id)
                o = new_outcome(self.school, self.rng, s, course, at(day), None, self.outcomes)
                o.two_commits = False
                self.outcomes.append(o)
                return o
        raise ValueError("the demo school is too small for its planted cases")

    def pick_or_add(self, semester: str, test_course, day: str) -> Outcome:
        return self.pick(semester, lambda o: test_course(o.course)) or self.add(semester, test_course, day)

    def retime(self, o: Outcome, merge: str) -> None:
        o.merge = at(merge)
        o.two_commits = False
        if o.upload > o.merge - timedelta(days=1):
            o.upload = evening(o.merge - timedelta(days=3), self.rng)

    # -- outcomes --------------------------------------------------------------------

    def plant_outcomes(self) -> None:
        self._landing_shapes()
        self._late_114()
        self._wrong_people()
        self._delegates_and_departure()
        self._edited_after_certification()
        self._permissions()
        self._pending()

    def _landing_shapes(self):
        for i in range(2):
            o = self.pick("114-2")
            o.mode, o.clean, o.two_commits = "direct", False, False
            self.case("cert.not-merged", "student pushes an outcome directly to main", o.path, o)
            if i == 0:
                self.uncertified[o.student.id] = o
        for mode in ("squash", "rebase"):
            o = self.pick("114-2")
            o.mode, o.style, o.clean, o.two_commits = mode, "github", False, False
            self.case("cert.squashed", f"GitHub {mode} merge", o.path, o)
            if mode == "squash":
                self.uncertified[o.student.id] = o

    def _late_114(self):
        for i, (upload, merge) in enumerate((("2026-07-16 20:15", "2026-07-20 10:30"),
                                             ("2026-07-17 21:40", "2026-07-20 14:05"))):
            o = self.pick("114-2")
            o.upload, o.merge, o.clean, o.two_commits = at(upload), at(merge), False, False
            self.case("window.outcome-upload", "uploaded after the upload window", o.path, o)
        for merge in ("2026-07-24 10:30", "2026-07-27 14:10"):
            o = self.pick("114-2")
            self.retime(o, merge)
            o.clean = False
            self.case("window.certification", "merged by the teacher after the certification window", o.path, o)

    def _wrong_people(self):
        school, staff = self.school, self.school.staff_by_id()
        special = {school.departed.id, school.sick.id, school.colleague.id}
        for _ in range(2):
            o = self.pick("115-1", lambda o: o.merge and not special & set(o.course.teachers))
            others = [s for s in school.staff if "teacher" in s.roles and s.id not in o.course.teachers
                      and s.id not in special and available(s, o.merge)]
            o.merger = self.rng.choice(others)
            self.case("cert.wrong-certifier", "merged by another subject's teacher", o.path, o)
        for style in ("gitlab", "github"):
            o = self.pick("115-1", lambda o: o.merge is not None)
            o.merger, o.style = o.student, style
            self.case("cert.self-merge", f"the student merges their own request ({style})", o.path, o)
        o = self.pick("115-1", lambda o: o.merge and not special & set(o.course.teachers))
        o.merger = staff["huang-shufen"]
        self.case("delegate.order", "the second delegate merges while the teacher is available", o.path, o)

    def _delegates_and_departure(self):
        school, staff = self.school, self.school.staff_by_id()
        sick = school.sick.id
        for merge in ("2026-10-13 10:10", "2026-10-16 15:00"):
            o = self.pick_or_add("115-1", lambda c: sick in c.teachers, "2026-10-01")
            self.retime(o, merge)
            self.case("clean.delegate", "the teacher is on leave; the first delegate merges", o.path, o)
        o = self.pick_or_add("115-1", lambda c: sick in c.teachers, "2026-10-01")
        self.retime(o, "2026-10-14 11:20")
        o.merger = staff["huang-shufen"]
        self.case("delegate.order", "the second delegate merges while the first is available", o.path, o)
        gone = school.departed.id
        for merge in ("2026-10-12 09:40", "2026-10-19 11:20"):
            o = self.pick_or_add("115-1", lambda c: gone in c.teachers, "2026-10-05")
            self.retime(o, merge)
            self.case("clean.departed-account", "a departed teacher merges before account_until", o.path, o)
        for merge in ("2026-11-03 10:15", "2026-11-05 13:30"):
            o = self.pick_or_add("115-1", lambda c: gone in c.teachers, "2026-10-26")
            self.retime(o, merge)
            o.merger = school.departed
            self.case("cert.wrong-certifier", "a departed teacher merges after account_until", o.path, o)

    def _edited_after_certification(self):
        school, staff = self.school, self.school.staff_by_id()
        limit = NOW_LIMIT - timedelta(days=6)
        o = self.pick("115-1", lambda o: o.merge and o.merge < limit)
        edit = evening(o.merge + timedelta(days=3), self.rng)
        text = o.yaml(summary=o.summary.rstrip("。") + "，並補充反思心得。")
        event = _direct_by(o.student, edit, f"修改課程學習成果：{o.title}\n", {o.path: text})
        self.events.append(event)
        self.case("cert.not-merged", "edited after certification by a direct push", o.path, event)
        o = self.pick("115-1", lambda o: o.merge and o.merge < limit)
        homeroom = staff[school.homeroom_of(o.student)]
        merger = homeroom if homeroom.id not in o.course.teachers else staff["xie-jiarong"]
        edit = evening(o.merge + timedelta(days=2), self.rng)
        text = o.yaml(summary=o.summary.rstrip("。") + "，並附上修改紀錄。")
        c = Commit(ident(o.student), edit, f"更新課程學習成果：{o.title}\n", {o.path: text})
        req = Request(0, "", o.student.login, f"更新課程學習成果：{o.title}", [c], "merge", ident(merger),
                      office_hours(edit + timedelta(days=1), self.rng))
        self.events.append(req)
        self.case("cert.wrong-certifier", "edited after certification, merged by a non-teacher", o.path, req)

    def _permissions(self):
        school, staff = self.school, self.school.staff_by_id()
        owner = self.add("115-1", lambda c: not {school.departed.id, school.sick.id} & set(c.teachers), "2026-10-08")
        owner.merge = office_hours(owner.upload + timedelta(days=2), self.rng)
        mate = next(s for s in school.students if s.class_in("115-1") == owner.student.class_in("115-1")
                    and s is not owner.student and s.id not in self.taken)
        self.taken.add(mate.id)
        owner.author, owner.login = ident(mate), mate.login
        self.case("perm.denied", "a student adds an outcome in a classmate's folder", owner.path, owner)
        s = next(s for s in school.students if s.class_in("115-1") and s.id not in self.taken)
        self.taken.add(s.id)
        path = f"records/students/{s.id}.yaml"
        when = evening(at("2026-10-21"), self.rng)
        text = student_yaml(s, extra='mailing_address: "999 示範市中正區民生路一段12號"   # 離校後書面通知用（§7.3.3）\n')
        c = Commit(ident(s), when, "更新通訊地址\n", {path: text})
        req = Request(0, "", s.login, "更新通訊地址", [c], "merge", ident(staff[school.homeroom_of(s)]),
                      office_hours(when + timedelta(days=1), self.rng))
        self.events.append(req)
        self.case("perm.denied", "a student edits their own student record through a merge", path, req)
        o = self.pick("115-1", lambda o: o.merge is not None)
        o.author = (o.student.name, f"{o.student.login}.home@gmail.com")
        self.case("perm.unknown-identity", "uploaded from a personal address nobody registered", o.path, o)

    def _pending(self):
        for day in ("2026-11-25", "2026-11-26"):
            o = self.add("115-1", lambda c: True, day)
            o.merge = None
        for o in self.outcomes:
            if o.merge is None and o.mode == "merge":
                self.case("pending", "an open merge request, not yet merged", o.path, o)

    # -- performances and selections ---------------------------------------------------

    def plant_performances(self) -> None:
        for upload in ("2026-08-10 20:10", "2026-08-12 19:30"):
            s = next(s for s in self.school.students if s.class_in("114-2") and s.id not in self.taken)
            self.taken.add(s.id)
            have = {p.slug for p in self.performances if p.student is s and p.year == 114}
            item = next(i for i in PERFORMANCES if i[0] not in have)
            p = new_performance(self.rng, s, 114, item, at(upload[:10]), None)
            p.upload = at(upload)
            p.merge = office_hours(p.upload + timedelta(days=1), self.rng)
            self.performances.append(p)
            self.case("window.performance-upload", "a performance uploaded after the window", p.path, p)

    def plant_selections(self, selections: list[Selection]) -> dict[str, tuple]:
        """Late selections, and selections naming an uncertified outcome; returns the extra names."""
        late = [s for s in selections if s.student.id not in self.taken][:2]
        for sel, when in zip(late, ("2026-08-09 21:00", "2026-08-10 20:30")):
            self.taken.add(sel.student.id)
            sel.commit = at(when)
            sel.merge = office_hours(sel.commit + timedelta(days=1), self.rng)
            self.case("window.selection", "a selection committed after the selection window", sel.path, sel)
        extra = {}
        by_student = {s.student.id: s for s in selections}
        for no, o in self.uncertified.items():
            sel = by_student.get(no)
            if sel is None:
                when = evening(at("2026-07-28"), self.rng)
                sel = Selection(o.student, 114, [], [], when, office_hours(when + timedelta(days=1), self.rng))
                selections.append(sel)
            sel.outcomes = sel.outcomes[:5]
            extra[no] = (f"{o.semester}/{o.slug}",)
            self.case("selection.uncertified", "a selection naming an outcome never certified", sel.path, sel)
        return extra


def _direct_by(student, when, message, files):
    return Direct(Commit(ident(student), when, message, files))
