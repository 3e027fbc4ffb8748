"""Pending merge requests, read from the refs CI fetches: what each brings, who may certify it now.

A request is a ref whose head is not on main: `refs/pull/N/head` (GitHub),
`refs/merge-requests/N/head` (GitLab) — or a remote branch, in a clone that holds no request ref —
unless the platform (or its test merges) says it is closed (generator.git.openness). Its outcomes are pending; the person who may
certify one now is its course's teacher, or the delegate on duty (§7).
"""

from __future__ import annotations

import math
import re
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime

from .. import duty, layout
from ..yaml import YamlProblem, load_bytes
from . import openness
from .objects import read_blobs

_NUMBERED = re.compile(r"^refs/(pull|merge-requests)/(\d+)/head$")


@dataclass
class PendingOutcome:
    path: str
    semester: str
    student: str
    course: str
    title: str
    uploaded_at: datetime
    deadline: datetime | None  # end of the semester's certification window
    certifiers: list[str]  # staff ids who may certify it now (course teacher or delegate on duty)
    # its YAML could not be read at the request's head (this clone lacks it: a partial or broken
    # clone): its course is unknown, and those who may certify one of its student's courses see it
    unread: bool = False
    removed: bool = False  # the request deletes it (as main holds it): nothing to certify, shown to its teacher


@dataclass
class Request:
    ref: str
    head: str
    number: str | None  # the platform's request number, when the ref names one
    branch: str  # a remote branch's name ("" for numbered refs)
    outcomes: list[PendingOutcome] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # every file it changes

    @property
    def student(self) -> str:
        return self.outcomes[0].student if self.outcomes else ""

    @property
    def uploaded_at(self) -> datetime | None:
        return min((o.uploaded_at for o in self.outcomes), default=None)

    @property
    def deadline(self) -> datetime | None:
        return min((o.deadline for o in self.outcomes if o.deadline), default=None)

    def may_certify(self, staff_id: str) -> bool:
        """May `staff_id` certify every outcome of this request now, with one merge?"""
        return bool(self.outcomes) and all(staff_id in o.certifiers for o in self.outcomes)


def link(school: dict, request: Request) -> str:
    """The request's page on the platform (school.yaml `platform: {kind, url}`); "" when unknown."""
    platform = school.get("platform") or {}
    url, kind = str(platform.get("url") or "").rstrip("/"), platform.get("kind")
    if not url or kind not in ("github", "gitlab"):
        return ""
    if request.number:
        return f"{url}/pull/{request.number}" if kind == "github" else f"{url}/-/merge_requests/{request.number}"
    branch = urllib.parse.quote(request.branch, safe="/")  # a student names the branch: nothing but a path
    return f"{url}/tree/{branch}" if kind == "github" else f"{url}/-/tree/{branch}"


def days_left(deadline: datetime | None, now: datetime) -> int | None:
    """Whole days from `now` to the deadline (0: today; negative: overdue)."""
    if deadline is None:
        return None
    return math.floor((deadline - now).total_seconds() / 86400)


def _refs(history, left_out: set[str]) -> list[tuple[str, str]]:
    """The requests' refs (those the history pass read, but the closed ones and the drafts
    generator.git.openness left out), one per request: (ref, head)."""
    refs = [(ref, sha) for ref, sha in history.pending_refs.items() if ref not in left_out]
    # the platform's numbered ref over a remote branch of the same commit, and a request's head over
    # its test merge; two requests with one head are both listed (a student who opened a request of
    # her own with a classmate's head hid the classmate's, whichever ref came first by name)
    refs.sort(key=lambda r: (not _NUMBERED.match(r[0]), r[0]))
    seen, numbers, unique = set(), set(), []
    for ref, sha in refs:
        number = _request_of(ref)
        if number in numbers or (sha in seen and not _NUMBERED.match(ref)):
            continue
        seen.add(sha)
        if number:
            numbers.add(number)
        unique.append((ref, sha))
    return unique


def _request_of(ref: str) -> tuple | None:
    """(platform's ref folder, number) of a request's ref, None for a branch."""
    m = openness.REQUEST_REF.match(ref)  # its head, or its test merge, fetched anywhere: one request
    return (m.group(1), m.group(2)) if m else None


def _own_commits(history, head: str) -> list:
    """The request's commits that are not on main, oldest first (walked in memory)."""
    pending = {c.sha: c for c in history.pending}
    found, stack = {}, [head]
    while stack:
        sha = stack.pop()
        if sha in pending and sha not in found:
            found[sha] = pending[sha]
            stack.extend(pending[sha].parents)
    return sorted(found.values(), key=lambda c: (c.committer_time, c.sha))


def pending_requests(records) -> list[Request]:
    """Every open request on the local refs, with its pending outcomes (read once per run)."""
    return records.memo("requests.pending", lambda: _read(records))


def _read(records) -> list[Request]:
    history = records.history
    if history is None or not history.pending:
        return []
    requests, wanted = [], []
    for ref, sha in _refs(history, openness.of(records).left_out):
        commits = _own_commits(history, sha)
        if not commits:
            continue  # already on main
        m = _NUMBERED.match(ref)
        branch = "" if m else ref.split("/", 3)[-1]
        request = Request(ref, sha, m.group(2) if m else None, branch)
        last: dict[str, str] = {}
        added: dict[str, datetime] = {}
        for c in commits:
            for status, path in c.changes:
                last[path] = status
                added.setdefault(path, c.author_time)
        request.paths = sorted(last)
        outcomes = sorted({p for p, s in last.items() if s != "D" and _is_outcome(p)} | _attached(records, last, added))
        deleted = [p for p, s in last.items() if s == "D" and _is_outcome(p)]
        requests.append((request, added, outcomes, deleted))
        wanted += [f"{sha}:{p}" for p in outcomes] + [f"{history.head}:{p}" for p in deleted]
    blobs = read_blobs(records.history_root, wanted)
    for request, added, outcomes, deleted in requests:
        for path in outcomes:
            spec = f"{request.head}:{path}"
            if spec in blobs:
                request.outcomes.append(_outcome(records, path, blobs[spec], added[path]))
            else:  # (the clone lacks it)
                request.outcomes.append(_unread(records, path, added[path]))
        # a rename (main's very file under another name of the same student and semester) is listed by
        # what it adds; any other deletion is listed too, so its course's teacher sees it
        brought = {(_folder(p), blobs.get(f"{request.head}:{p}")) for p in outcomes}
        gone = [p for p in deleted if (_folder(p), blobs.get(f"{history.head}:{p}", b"")) not in brought]
        request.outcomes += _removed(records, gone, added)
    return [request for request, *_ in requests]


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0]  # records/outcomes/<semester>/<student>


def _is_outcome(path: str) -> bool:
    kind = layout.classify(path)
    return bool(kind) and kind[0] == "outcome"


def _removed(records, gone: list[str], added: dict[str, datetime]) -> list[PendingOutcome]:
    """The outcomes on main a request deletes (`gone`), each as main holds it: a merge certifies
    nothing of them, yet their course's teacher sees the request (generator.review.ready says why it
    is not one to certify)."""
    on_main = {doc.path: doc for doc in records.all("outcome")}
    out, now = [], records.now
    for path in gone:
        doc = on_main.get(path)
        if doc is None or not isinstance(doc.data, dict):
            continue  # (added and deleted within the request, or unreadable on main)
        sem, course = doc.keys["semester"], str(doc.data.get("course") or "")
        window = records.window("outcome_certification", sem)
        out.append(PendingOutcome(path, sem, doc.keys["student"], course, str(doc.data.get("title") or doc.keys["slug"]),
                                  min(added[path], now), window[1] if window else None,
                                  duty.on_duty(records, "certification", now, scope=course, semester=sem)
                                  if course else [], removed=True))
    return out


def _attached(records, last: dict[str, str], added: dict[str, datetime]) -> set[str]:
    """Outcomes whose attachments the request changes without changing their YAML: an attachment is its
    outcome (the merge bringing a swapped file certifies the outcome anew, as the request's check judges
    it), so the teacher sees that outcome listed and its course decides who may certify it."""
    changed = {p for p, s in last.items() if s != "D" and p.startswith("records/outcomes/") and not _is_outcome(p)}
    if not changed:
        return set()
    folders = {_folder(p) for p in changed}
    out = set()
    for doc in records.all("outcome"):
        folder = _folder(doc.path)
        if doc.path in last or folder not in folders or not doc.valid or not isinstance(doc.data, dict):
            continue
        swapped = [f"{folder}/{n}" for n in doc.data.get("files") or () if isinstance(n, str) and f"{folder}/{n}" in changed]
        if swapped:
            out.add(doc.path)
            added.setdefault(doc.path, min(added[f] for f in swapped))
    return out


def _outcome(records, path: str, raw: bytes, authored: datetime) -> PendingOutcome:
    keys = layout.classify(path)[1]
    try:
        data = load_bytes(raw)
    except YamlProblem:
        data = None
    data = data if isinstance(data, dict) else {}
    sem, course = keys["semester"], str(data.get("course") or "")
    window = records.window("outcome_certification", sem)
    now = records.now
    return PendingOutcome(path, sem, keys["student"], course, str(data.get("title") or keys["slug"]),
                          min(authored, now), window[1] if window else None,
                          duty.on_duty(records, "certification", now, scope=course, semester=sem) if course else [])


def _unread(records, path: str, authored: datetime) -> PendingOutcome:
    """An outcome whose YAML this clone lacks at the request's head: no course to tell its teacher
    by, so it waits for those who may certify a course of its student's class that semester (else
    for any course of the semester): never for nobody, and never ready (generator.review.ready)."""
    keys = layout.classify(path)[1]
    sem, now = keys["semester"], records.now
    klass = ((records.students.get(keys["student"]) or {}).get("classes") or {}).get(sem)
    courses = records.courses.get(sem) or {}
    codes = [code for code, course in courses.items() if klass is not None and klass in (course.get("classes") or ())]
    certifiers = sorted({p for code in codes or courses
                         for p in duty.on_duty(records, "certification", now, scope=code, semester=sem)})
    window = records.window("outcome_certification", sem)
    return PendingOutcome(path, sem, keys["student"], "", keys["slug"], min(authored, now),
                          window[1] if window else None, certifiers, unread=True)


def urgency(request: Request, now: datetime) -> tuple:
    left = days_left(request.deadline, now)
    return (left is None, left if left is not None else 0, request.uploaded_at or now, request.ref)


def inbox(records, staff_id: str) -> list[Request]:
    """The requests `staff_id` may certify now, most urgent first."""
    mine = [r for r in pending_requests(records) if any(staff_id in o.certifiers for o in r.outcomes)]
    return sorted(mine, key=lambda r: urgency(r, records.now))
