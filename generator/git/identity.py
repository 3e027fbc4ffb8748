"""Who a commit identity is: a staff member or a student, matched by the commit's email."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

PLATFORM_COMMITTERS = {"noreply@github.com"}  # GitHub's web-flow identity (squash, rebase, web edits)


@dataclass(frozen=True)
class Person:
    kind: str  # "staff" or "student"
    id: str  # staff id or student number


class Identities:
    def __init__(self, records):
        self.records = records

    @cached_property
    def _by_email(self) -> dict[str, Person]:
        out: dict[str, Person] = {}
        for no, student in self.records.students.items():
            for email in student.get("git") or ():
                out[str(email).lower()] = Person("student", no)
        for sid, person in self.records.staff.items():
            for email in person.get("git") or ():
                out[str(email).lower()] = Person("staff", sid)
        return out

    def of(self, email: str) -> Person | None:
        return self._by_email.get(email.lower())

    def staff_id(self, email: str) -> str | None:
        person = self.of(email)
        return person.id if person and person.kind == "staff" else None

    def emails_of_student(self, no: str) -> set[str]:
        return {str(e).lower() for e in (self.records.students.get(no, {}).get("git") or ())}


def is_platform(email: str) -> bool:
    return email.lower() in PLATFORM_COMMITTERS
