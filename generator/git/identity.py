"""Who a commit identity is: a staff member or a student, matched by email or platform user name.

Identities compare after Unicode NFKC normalisation and ASCII-only case folding, so a
full-width or otherwise look-alike spelling of an address is the same address, and no
locale-dependent lowering (Turkish dotless i, the Kelvin sign) makes two addresses meet
that git itself would keep apart. A platform user name (`github:` / `gitlab:`) also owns
its no-reply addresses. An identity claimed by two people is `identity.shared`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

PLATFORM_COMMITTERS = {"noreply@github.com"}  # GitHub's web-flow identity (squash, rebase, web edits)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# the platforms' private commit emails: GitHub `12345+name@users.noreply.github.com` (or `name@…`
# before 2017), GitLab `12345-name@users.noreply.gitlab.com`; a school's own GitLab or GitHub
# Enterprise writes its own host after `users.noreply.`
_USER = {"github": r"(?:\d+\+)?([a-z0-9-]+)", "gitlab": r"(?:\d+-)?([a-z0-9_.-]+)"}
_HOST = {"github": "github.com", "gitlab": "gitlab.com"}
PLATFORMS = ("github", "gitlab")


@functools.lru_cache(maxsize=8)
def _noreply(hosts: tuple[tuple[str, str], ...] = ()) -> dict[str, re.Pattern]:
    """platform -> the pattern of its no-reply addresses, on its public host and on `hosts`
    ((platform, host) of the school's own platform)."""
    out = {}
    for platform in PLATFORMS:
        names = sorted({_HOST[platform], *(fold(host) for kind, host in hosts if kind == platform and host)})
        out[platform] = re.compile(rf"^{_USER[platform]}@users\.noreply\.(?:{'|'.join(map(re.escape, names))})$")
    return out


def school_hosts(school: dict) -> tuple[tuple[str, str], ...]:
    """((platform, host),) of school.yaml's `platform` when it is a school's own server."""
    platform = school.get("platform") if isinstance(school, dict) else None
    if not isinstance(platform, dict) or platform.get("kind") not in PLATFORMS:
        return ()
    host = urllib.parse.urlsplit(str(platform.get("url") or "")).hostname or ""
    return ((platform["kind"], host),) if host and host != _HOST[platform["kind"]] else ()


def fold(text) -> str:
    """The comparable form of an email or user name."""
    text = str(text)
    if text.isascii():  # (nearly every one: NFKC leaves ASCII as it is, and lower() then folds A-Z alone)
        return text.lower().strip()
    return unicodedata.normalize("NFKC", text).translate(_ASCII_LOWER).strip()


def noreply_user(email: str, hosts: tuple[tuple[str, str], ...] = ()) -> tuple[str, str] | None:
    """(platform, folded user name) of a platform no-reply address, else None."""
    email = fold(email)
    if "@users.noreply." not in email:  # (what every pattern needs: most addresses are none)
        return None
    for platform, pattern in _noreply(hosts).items():
        m = pattern.match(email)
        if m:
            return platform, m[1]
    return None


def keys_of_email(email: str, hosts: tuple[tuple[str, str], ...] = ()) -> list[str]:
    """The keys an email matches: itself, and for a platform no-reply address the user name."""
    user = noreply_user(email, hosts)
    return [fold(email)] + ([f"{user[0]}:{user[1]}"] if user else [])


@dataclass(frozen=True)
class Person:
    kind: str  # "staff" or "student"
    id: str  # staff id or student number


@dataclass(frozen=True)
class Claim:
    person: Person
    path: str
    line: int | None
    shown: str  # the identity as written
    current: bool = True  # in the person's latest roster row (or her record): hers now, not only once


class _Found(dict):
    """email -> person, each found once: a history names few identities, tens of thousands of times
    (`Identities.of` is this dict's own lookup, no Python call once an email is known)."""

    def __init__(self, find):
        super().__init__()
        self.find = find

    def __missing__(self, email: str):
        found = self[email] = self.find(email)
        return found


class Identities:
    def __init__(self, records):
        self.records = records
        self.of: Callable[[str], Person | None] = _Found(self._find).__getitem__

    def _entries(self):
        """(person, entry, its document, index of the entry, whether it is her latest) for every
        student and staff member."""
        if self.records.from_roster:
            # the portfolio alone: every roster row, the latest first. An identity a student had in
            # an earlier semester (her school email before it changed) is still hers: her commits of
            # that time are hers. (A row holds no dates of its identities: they are hers for good.)
            seen: set[str] = set()
            for doc in sorted(self.records.valid("roster"), key=lambda d: d.keys["semester"], reverse=True):
                for index, entry in doc.items():
                    no = str(entry["student"])
                    yield Person("student", no), entry, doc, index, no not in seen
                    seen.add(no)
        for no, doc in self.records.student_docs.items():
            if doc.valid:
                yield Person("student", no), doc.data, doc, None, True
        for doc in self.records.valid("staff"):
            for index, entry in doc.items():
                yield Person("staff", entry["id"]), entry, doc, index, True

    @cached_property
    def _hosts(self) -> tuple[tuple[str, str], ...]:
        return school_hosts(self.records.school)

    @cached_property
    def claims(self) -> dict[str, list[Claim]]:
        """key -> every claim of it (emails folded; user names as 'github:name')."""
        out: dict[str, list[Claim]] = {}
        seen: set[tuple[str, Person]] = set()  # one claim per person (her latest roster row's)
        for person, entry, doc, index, latest in self._entries():
            for field in ("git",) + PLATFORMS:
                values = entry.get(field) or ()
                for value in [values] if isinstance(values, str) else values:
                    key = fold(value) if field == "git" else f"{field}:{fold(value)}"
                    if (key, person) not in seen:
                        seen.add((key, person))
                        line = doc.line(index, field) if index is not None else doc.line(field)
                        out.setdefault(key, []).append(Claim(person, doc.path, line, str(value), latest))
        return out

    @cached_property
    def _by_key(self) -> dict[str, Person]:
        # a shared identity is nobody's: it can neither grant nor be blamed on one person
        return {key: claims[0].person for key, claims in self.claims.items()
                if len({c.person for c in claims}) == 1}

    def shared(self) -> list[tuple[str, list[Claim]]]:
        return [(key, claims) for key, claims in sorted(self.claims.items())
                if len({c.person for c in claims}) > 1]

    def _find(self, email: str) -> Person | None:
        return next(filter(None, map(self._by_key.get, keys_of_email(email, self._hosts))), None)

    def of_login(self, platform: str, login: str) -> Person | None:
        """The person whose account `login` is now. A user name in an earlier roster row only
        opens nothing: the platform frees a renamed account's old name for anyone to take."""
        key = f"{platform}:{fold(login)}"
        return self._by_key.get(key) if any(c.current for c in self.claims.get(key, ())) else None

    def staff_id(self, email: str) -> str | None:
        person = self.of(email)
        return person.id if person and person.kind == "staff" else None

    def emails_of_student(self, no: str) -> set[str]:
        return {fold(e) for e in (self.records.students.get(no, {}).get("git") or ())}


def is_platform(email: str) -> bool:
    return fold(email) in PLATFORM_COMMITTERS


def same(a: str, b: str) -> bool:
    return fold(a) == fold(b)
