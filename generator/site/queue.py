"""Teachers' queues: the pending requests each teacher (or delegate on duty) may certify now.

One list for `licheng inbox` and for the staff site's queue page. Students are masked
(陳○明): the list is read on shared screens.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import dates, duty
from ..git import openness, platform, requests as mr
from .people import mask


@dataclass
class Entry:
    link: str
    ref: str
    number: str | None
    student: str  # masked name
    cls: str  # the student's class in the outcome's semester
    titles: list[str]
    courses: list[str]  # 名稱（代碼）
    uploaded: str  # ROC date
    deadline: str  # ROC date and time, "" when the schedule names none
    days_left: int | None
    also: list[str]  # names of others whose certification the request also needs
    delegate: bool  # certifying as the delegate on duty, not as the course's teacher

    def named(self, lang: str = "zh-TW") -> str:
        """#7; a branch with no request number as the staff site shows it: 分支 origin/diary."""
        if self.number:
            return f"#{self.number}"
        branch = self.ref.removeprefix("refs/remotes/")
        return f"branch {branch}" if lang == "en" else f"分支 {branch}"

    @property
    def left(self) -> str:
        if self.days_left is None:
            return "—"
        return f"已逾期 {-self.days_left} 天" if self.days_left < 0 else f"剩 {self.days_left} 天"


def _course(records, semester: str, code: str) -> str:
    name = ((records.courses.get(semester) or {}).get(code) or {}).get("name")
    return f"{name}（{code}）" if name else code


def _student(records, number: str) -> str:
    """The masked name (陳○明); where the repository holds no names (a portfolio: its roster) the
    seat number, else the student number that the outcome's folder already shows, so that a
    teacher tells her students apart ("○○" for every one of them did not)."""
    student = records.students.get(number) or {}
    if student.get("name"):
        return mask(str(student["name"]))
    seat = student.get("seat_no")
    return f"{seat}號" if isinstance(seat, int) and not isinstance(seat, bool) else number or "○○"


def _linked(records) -> dict:
    """school.yaml with its `platform` as main holds it: a request a teacher checked out to look at
    could otherwise point every link of her queue at a look-alike site."""
    return records.memo("queue.linked-school", lambda: {**records.school, "platform": platform.of_main(records)})


def entries(records, staff_id: str) -> list[Entry]:
    out = []
    tz, now = records.tz, records.now
    for request in mr.inbox(records, staff_id):
        outcomes = request.outcomes
        student = records.students.get(request.student) or {}
        first = outcomes[0]
        others = sorted({p for o in outcomes if staff_id not in o.certifiers for p in o.certifiers[:1]})
        teaching = all(staff_id in duty.responsible(records, "certification", o.course, o.semester)
                       for o in outcomes if staff_id in o.certifiers and not o.unread)  # (unread: no course)
        out.append(Entry(
            link=mr.link(_linked(records), request), ref=request.ref, number=request.number,
            student=_student(records, request.student),
            cls=str((student.get("classes") or {}).get(first.semester, "")),
            titles=[o.title for o in outcomes],
            courses=sorted({_course(records, o.semester, o.course) for o in outcomes if not o.unread}),
            uploaded=dates.roc(request.uploaded_at.astimezone(tz), with_time=False),
            deadline=dates.roc(request.deadline.astimezone(tz)) if request.deadline else "",
            days_left=mr.days_left(request.deadline, now),
            also=[records.staff_name(p) for p in others], delegate=not teaching))
    return out


def queues(records) -> dict[str, list[Entry]]:
    """staff name -> their queue, for everyone who may certify something now."""
    ids = sorted({p for r in mr.pending_requests(records) for o in r.outcomes for p in o.certifiers})
    return {records.staff_name(sid): entries(records, sid) for sid in ids}


def caveat(records) -> str:
    """What the queue's reader must know of it: that the platform could not say which requests are open."""
    found = openness.of(records)
    return openness.note(found) if found.closed or mr.pending_requests(records) else ""
