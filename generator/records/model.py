"""The loaded school: every record document, and the lookups the rules share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .. import dates
from . import enrollment, roster
from .files import read_regular, read_regular_at

DEFAULT_LIMITS = {
    "outcomes_per_semester": 6,  # §5.3.1
    "outcome_selections_per_year": 6,  # §5.3.3
    "performances_per_year": 10,  # §5.4.1
    "performance_selections_per_year": 10,  # §5.4.2
    "retention_years": 5,  # §8
    "summary_max_chars": 100,
    "document_max_mb": 4,
    "media_max_mb": 10,
}


def line_of(data: Any, *where) -> int | None:
    """The line of the deepest of `where` (keys and indexes) that exists in `data`."""
    line = getattr(data, "line", None)
    for key in where:
        if isinstance(data, dict) and key in data:
            line = data.key_lines.get(key, line) if hasattr(data, "key_lines") else line
            data = data[key]
        elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
            lines = getattr(data, "item_lines", None)
            line = lines[key] if lines else line
            data = data[key]
        else:
            break
    return line


@dataclass(slots=True)
class Document:
    path: str  # relative to its repository, POSIX
    kind: str
    keys: dict[str, str]  # what the path names: semester, student, slug, ...
    data: Any = None
    loaded: bool = False  # read and parsed as YAML
    blob: str | None = None  # Git blob id, when the file is unchanged from the index
    valid: bool = False  # parsed and matching its schema (unknown keys aside)
    bad_items: frozenset[int] | set[int] = frozenset()  # list entries that failed the schema
    repository: str = "single"  # the name of the repository it was read from (its origin)
    # matched its schema as it was read, without a finding: a fact about its blob (and kind) that
    # the cache may keep (a verdict with findings is made afresh every run)
    clean: bool = False

    def line(self, *where) -> int | None:
        return line_of(self.data, *where) or 1

    def items(self):
        """(index, entry) of a list document's entries that passed the schema."""
        if not isinstance(self.data, list):
            return
        for index, entry in enumerate(self.data):
            if index not in self.bad_items:
                yield index, entry


@dataclass
class Records:
    root: Path
    now: datetime | None = None  # set by the caller once the school's timezone is known
    documents: list[Document] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)  # attachment path -> size in bytes
    heads: dict[str, bytes] = field(default_factory=dict)  # attachment path -> first bytes, for --rev
    lfs_missing: dict[str, str] = field(default_factory=dict)  # LFS pointer whose object is absent -> oid
    _enrolled: dict = field(default_factory=dict, repr=False)
    _memo: dict = field(default_factory=dict, repr=False)
    _dates: dict = field(default_factory=dict, repr=False)  # (text, end, utc) -> datetime: rules ask the same dates often
    _windows: dict = field(default_factory=dict, repr=False)
    moments: set = field(default_factory=set, repr=False)  # what `passed` was asked
    # the repositories read, the one being validated first (one "single" repository by default)
    repositories: list = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict, repr=False)  # path -> repository name
    histories: dict[str, Any] = field(default_factory=dict, repr=False)  # repository name -> History
    shared: Any = field(default=None, repr=False)  # generator.validate.Shared: what the run's validations share

    # -- repositories ----------------------------------------------------------
    @cached_property
    def holders(self):
        from .repositories import Holders, Repository

        return Holders(self.repositories or [Repository("single", "single", self.root)])

    @property
    def target(self) -> str:
        """The name of the repository being validated."""
        return self.holders.repositories[0].name

    def repository_of(self, path: str) -> str:
        return self.origins.get(path) or self.holders.of_path(path).name

    def root_of(self, path: str) -> Path:
        name = self.repository_of(path)
        return next((r.root for r in self.holders.repositories if r.name == name), self.root)

    @property
    def history(self):
        """The Git history certification reads: that of the repository holding the outcomes
        (the portfolio's when validating a registry); None when it was not read."""
        return self.histories.get(self._outcomes_repository)

    @cached_property
    def _outcomes_repository(self) -> str:
        holder = self.holders.by_kind.get("outcome")
        return holder.name if holder is not None else self.target

    @history.setter
    def history(self, value) -> None:
        self.histories[self.target] = value

    @property
    def history_root(self) -> Path:
        """The root of the repository whose history `history` is (the one holding the outcomes)."""
        holder = self.holders.by_kind.get("outcome")
        return holder.root if holder is not None else self.root

    @property
    def own_history(self):
        """The history of the repository being validated: who changed what in it."""
        return self.histories.get(self.target)
    request: Any = None  # generator.git.request.Request in a merge-request check

    # -- documents by kind -------------------------------------------------
    @cached_property
    def _by_kind(self) -> dict[str, list[Document]]:
        out: dict[str, list[Document]] = {}
        for doc in self.documents:
            out.setdefault(doc.kind, []).append(doc)
        return out

    def all(self, kind: str) -> list[Document]:
        """Every document of `kind`, readable or not."""
        return self._by_kind.get(kind, [])

    def valid(self, kind: str) -> list[Document]:
        return [d for d in self.all(kind) if d.valid]

    def one(self, kind: str) -> Document | None:
        docs = self.valid(kind)
        return docs[0] if docs else None

    # -- the school ----------------------------------------------------------
    @cached_property
    def school(self) -> dict:
        doc = self.one("school")
        return doc.data if doc else {}

    @cached_property
    def site_url(self) -> str:
        """The site's address as MkDocs takes it: the school's mkdocs.yml's site_url, else
        school.yaml's ("" when neither is an http(s) address). The findings' links, the calendar's
        links and UIDs and the built site all read it."""
        from ..yaml import YamlProblem, load_bytes

        config = self.root_of("records/school.yaml") / "mkdocs.yml"
        try:
            data = load_bytes(config.read_bytes()) if config.is_file() and not config.is_symlink() else None
        except (OSError, YamlProblem):
            data = None
        for url in ((data or {}).get("site_url") if isinstance(data, dict) else None, self.school.get("site_url")):
            url = str(url or "").strip()
            if url.startswith(("https://", "http://")):
                return url
        return ""

    @cached_property
    def tz(self) -> ZoneInfo:
        return dates.zone(self.school.get("timezone"))

    @cached_property
    def limits(self) -> dict[str, int]:
        return {**DEFAULT_LIMITS, **(self.school.get("limits") or {})}

    def date(self, value, *, end: bool = False, utc: bool = False) -> datetime | None:
        """A date or time as written (in the school's zone unless it names one); `utc`: in UTC, for
        comparing with commit times (generator.dates.utc)."""
        if not isinstance(value, str):
            moment = dates.parse_or_none(value, self.tz, end=end)
            return dates.utc(moment) if utc else moment
        key = (value, end, utc)
        if key not in self._dates:
            self._dates[key] = dates.utc(self.date(value, end=end)) if utc else dates.parse_or_none(value, self.tz, end=end)
        return self._dates[key]

    def head(self, path: str, size: int = 16) -> bytes:
        """The first bytes of an attachment (from Git when validating a revision)."""
        if path in self.heads:
            return self.heads[path][:size]
        # a regular file only: a FIFO put there after loading must not hang the run
        return read_regular(self.root_of(path) / path, size) or b""

    def text_file(self, path: str, limit: int) -> bytes | None:
        """At most `limit` bytes of a file that is no record (the regulation) as the validation reads
        it: from Git when validating a revision (a merge request's check: the merge's), else the
        working tree's; a regular file only, never through a link (a request's link to /dev/zero
        ate the memory of the machine that checked it). None when there is no such file."""
        repo = next((r for r in self.holders.repositories if r.name == self.repository_of(path)), None)
        if repo is not None and repo.rev:
            return read_regular_at(repo.root, repo.rev, path, limit)
        return read_regular(self.root_of(path) / path, limit)

    def transferred(self, doc: Document) -> bool:
        """An outcome earned at the school a transferred-in student came from (§9): `transfer_from`
        counts only for semesters before the transfer."""
        return bool(doc.valid and doc.data.get("transfer_from")) and self.transferred_before(
            doc.keys.get("student", ""), doc.keys.get("semester", ""))

    def transferred_before(self, student_no: str, semester: str) -> bool:
        """Did the student transfer in after `semester` began (so its records may come from the
        school before)? A later semester is this school's own."""
        try:
            begins = dates.semester_bounds(semester, self.tz)[0]
        except (ValueError, IndexError):
            return False
        events = (self.students.get(student_no) or {}).get("events") or ()
        for event in events:
            moment = self.date(event.get("date")) if event.get("type") == "transfer_in" else None
            if moment and begins < moment:
                return True
        return False

    def passed(self, moment: datetime) -> bool:
        """Is `moment` in the past? Rules ask this instead of reading `now`, so that a cached
        result is known to hold for another "now" that falls on the same side of every moment."""
        self.moments.add(moment)
        return self.now > moment

    def memo(self, key: str, compute):
        """A value computed once per run and shared by the rules that need it."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute()
            return value

    def lasting(self, key: str, compute):
        """Like `memo`, for a value computed from the histories and the records that are no
        outcomes (nor their attachments) alone: shared by the run's validations that read the same
        of those (generator.validate.Shared). None where there is no such run."""
        store = self._lasting
        if store is None:
            return None
        if key not in store:
            store[key] = compute()
        return store[key]

    @cached_property
    def _lasting(self) -> dict | None:
        """The run's values for what these records hold beyond their outcomes: the same histories (one
        read's commits, main's shape and request heads: what those values read of a history, never its
        pending commits) and the same files (by blob id) that are no outcomes; None without a run to
        share with, or where a file that is no outcome differs from every blob (an edited working copy)."""
        store = getattr(self.shared, "lasting", None)
        if store is None:
            return None
        others = []
        for doc in self.documents:
            if doc.kind == "outcome":
                continue
            if doc.loaded and not doc.blob:
                return None
            others.append((doc.repository, doc.path, doc.blob if doc.loaded else None))
        # one read of a history (its copies share its commits and main's shape: generator.git.history.read);
        # the histories are kept with their values, so that no other can take those ids meanwhile
        histories = tuple((name, h.head, id(h.commits), id(h.mainline), id(h.branch), id(h.request_heads))
                          for name, h in sorted(self.histories.items()) if h is not None)
        repositories = tuple((r.name, str(r.root)) for r in self.holders.repositories)
        return store.setdefault((repositories, histories, tuple(others)), ({}, dict(self.histories)))[0]

    @cached_property
    def certification(self):
        from ..git.certification import analyse

        return analyse(self)

    # -- people ---------------------------------------------------------------
    @cached_property
    def identities(self):
        from ..git.identity import Identities

        return Identities(self)

    @cached_property
    def staff(self) -> dict[str, dict]:
        return {p["id"]: p for doc in self.valid("staff") for _, p in doc.items()}

    def staff_name(self, staff_id: str) -> str:
        """A staff member's name as staff.yaml writes it (the id when it names none)."""
        return str((self.staff.get(staff_id) or {}).get("name") or staff_id)

    @cached_property
    def student_docs(self) -> dict[str, Document]:
        """Student number -> its document, by file name (so a bad file still exists)."""
        return {doc.keys["student"]: doc for doc in self.all("student")}

    @property
    def from_roster(self) -> bool:
        """No repository read holds the students: the portfolio's roster stands in for them."""
        return "student" not in self.holders.by_kind

    @cached_property
    def students(self) -> dict[str, dict]:
        """Student number -> what the rules read of them (classes, events, git identities);
        built from the roster when the students' own records are not readable here."""
        if self.from_roster:
            return roster.students(self.valid("roster"))
        return {no: doc.data for no, doc in self.student_docs.items() if doc.valid}

    def known_student(self, student_no: str) -> bool:
        """The student exists: a file in the registry, or a roster row where only the roster is read."""
        return student_no in (self.students if self.from_roster else self.student_docs)

    def enrolled(self, student_no: str, semester: str) -> bool:
        """Enrolled at some point of `semester` by the student's events (§9); cached per student."""
        key = (student_no, semester)
        if key not in self._enrolled:
            student = self.students.get(student_no)
            self._enrolled[key] = bool(student) and enrollment.enrolled_during(
                self.memo(f"enrollment:{student_no}", lambda: enrollment.periods(student, self.tz)), semester, self.tz)
        return self._enrolled[key]

    def has_role(self, staff_id: str, *roles: str) -> bool:
        person = self.staff.get(staff_id)
        return bool(person) and any(r in person.get("roles", ()) for r in roles)

    # -- courses and schedules -------------------------------------------------
    @cached_property
    def courses(self) -> dict[str, dict[str, dict]]:
        """semester -> course code -> course."""
        out: dict[str, dict[str, dict]] = {}
        for doc in self.all("courses"):
            out.setdefault(doc.keys["semester"], {})
            for _, course in doc.items():
                out[doc.keys["semester"]][course["code"]] = course
        return out

    @cached_property
    def schedules(self) -> dict[str, Document]:
        return {doc.keys["semester"]: doc for doc in self.valid("schedule")}

    def operation(self, semester: str, name: str) -> dict | None:
        doc = self.schedules.get(semester)
        return (doc.data.get("operations") or {}).get(name) if doc else None

    def window(self, name: str, semester: str, *, yearly: bool = False,
               utc: bool = False) -> tuple[datetime, datetime] | None:
        """An operation's window; a yearly one is the union over the year's two files. `utc`: its
        start and end in UTC, for comparing with commit times (generator.dates.utc)."""
        key = (name, semester, yearly, utc)
        if key not in self._windows:
            window = self._window(name, semester, yearly) if not utc else self.window(name, semester, yearly=yearly)
            self._windows[key] = (dates.utc(window[0]), dates.utc(window[1])) if utc and window else window
        return self._windows[key]

    def _window(self, name: str, semester: str, yearly: bool) -> tuple[datetime, datetime] | None:
        sems = dates.semesters_of_year(dates.academic_year(semester)) if yearly else (semester,)
        spans = []
        for sem in sems:
            op = self.operation(sem, name)
            if op:
                start, end = self.date(op.get("start")), self.date(op.get("end"), end=True)
                if start and end:
                    spans.append((start, end))
        if not spans:
            return None
        return min(s for s, _ in spans), max(e for _, e in spans)
