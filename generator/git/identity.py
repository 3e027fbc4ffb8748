"""Who a commit identity is: a staff member or a student, matched by the commit's email, or by a
`github:` / `gitlab:` user name whose no-reply address the commit carries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

PLATFORM_COMMITTERS = {"noreply@github.com"}  # GitHub's web-flow identity (squash, rebase, web edits)
# the platforms' private commit emails: GitHub `12345+name@…` (or `name@…` before 2017), GitLab `12345-name@…`
_NOREPLY = {
    "github": re.compile(r"^(?:\d+\+)?([A-Za-z0-9-]+)@users\.noreply\.github\.com$", re.IGNORECASE),
    "gitlab": re.compile(r"^(?:\d+-)?([A-Za-z0-9_.-]+)@users\.noreply\.gitlab\.com$", re.IGNORECASE),
}


def noreply_user(email: str) -> tuple[str, str] | None:
    """(platform, user name in lower case) of a platform no-reply address, else None."""
    for platform, pattern in _NOREPLY.items():
        m = pattern.match(email.strip())
        if m:
            return platform, m[1].lower()
    return None


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

    @cached_property
    def _by_user(self) -> dict[tuple[str, str], Person]:
        """(platform, user name) → person, from the `github:` / `gitlab:` fields."""
        out: dict[tuple[str, str], Person] = {}
        for kind, people in (("student", self.records.students), ("staff", self.records.staff)):
            for key, person in people.items():
                for platform in ("github", "gitlab"):
                    name = person.get(platform)
                    if isinstance(name, str) and name.strip():
                        out[platform, name.strip().lower()] = Person(kind, key)
        return out

    def of(self, email: str) -> Person | None:
        found = self._by_email.get(email.lower())
        if found is None:
            user = noreply_user(email)
            found = self._by_user.get(user) if user else None
        return found

    def staff_id(self, email: str) -> str | None:
        person = self.of(email)
        return person.id if person and person.kind == "staff" else None

    def emails_of_student(self, no: str) -> set[str]:
        return {str(e).lower() for e in (self.records.students.get(no, {}).get("git") or ())}


def is_platform(email: str) -> bool:
    return email.lower() in PLATFORM_COMMITTERS
