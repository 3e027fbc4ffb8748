"""Certification from Git history (§5.3.2, §7): a course teacher's merge certifies an outcome.

An outcome file F of semester S is certified when the commit that last changed F on main's
first-parent history is a merge whose certifier (its author, or its Certified-by: trailer in
trailer mode) is a teacher of F's course or the delegate on duty, inside S's certification
window (else: certified early or late). Outcomes whose last change on main is at or before the audit
start (generator.git.audit) were imported and count as certified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .. import dates, duty, layout
from . import as_of, committed
from .audit import audited, audited_commits
from .certifier import by_registration, certifier_email, evidence_of, fast_forwards, signed
from .notes import renoted
from .history import Commit
from ..names import merge_method
from ..result import Said
from ..rule import WARNING, Hit, hit

CERTIFIED, EARLY, LATE, PENDING, UNCERTIFIED, IMPORTED, UPLOADED = (
    "certified", "early", "late", "pending", "uncertified", "imported", "uploaded")
COUNTS_AS_CERTIFIED = {CERTIFIED, EARLY, LATE, IMPORTED}  # (early, late: by the right person, outside the window)


@dataclass(slots=True)
class Outcome:  # (never changed once judged: the analyses of a batch share it)
    path: str
    semester: str
    student: str
    course: str
    state: str = UPLOADED
    commit: Commit | None = None  # the commit that last changed it on main
    certifier: str | None = None  # staff id
    uploaded_at: datetime | None = None
    certified_at: datetime | None = None
    ref: str = ""  # for pending outcomes: the merge-request ref


@dataclass
class Analysis:
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    hits: dict[str, list[Hit]] = field(default_factory=dict)
    trail: list | None = field(default=None, repr=False)  # (code, hit) of the outcome being judged

    def add(self, code: str, h: Hit) -> None:
        self.hits.setdefault(code, []).append(h)
        if self.trail is not None:
            self.trail.append((code, h))


def authored_at(records, commit: Commit, path: str, *, first: bool) -> datetime:
    """When the student wrote `path`: the branch commit that added it (first) or last changed it."""
    return _authored_at(records.history.branch, commit, path, first)


def _authored_at(branch: dict[str, list[Commit]], commit: Commit, path: str, first: bool) -> datetime:
    touched = None
    for c in branch.get(commit.sha, ()):  # oldest first
        for status, changed in c.changes:
            if changed == path:
                if first and status == "A":
                    return c.author_time
                if touched is None or not first:
                    touched = c
                break
    return (touched or commit).author_time


class _Run:
    """What judging every outcome of one run shares, looked up once."""

    def __init__(self, records, analysis: Analysis):
        history = records.history
        self.records, self.analysis, self.evidence = records, analysis, evidence_of(records)
        self.mainline, self.branch = history.mainline, history.branch
        self.of = records.identities.of
        self.fast_forwards = fast_forwards(records)
        self.as_of = as_of.of(records)
        self.audited, self.changed = audited_commits(records), history.changed
        self.merge_method = Said(merge_method(records.school))  # (the fix names the platform's own setting)
        self.windows: dict[str, tuple] = {}  # semester -> its certification and upload windows

    def windows_of(self, semester: str) -> tuple:
        found = self.windows.get(semester)
        if found is None:
            found = self.windows[semester] = _windows(self.records, semester)
        return found


def _judge_outcome(run: _Run, out: Outcome, positions: list[int], rewritten: list[str], doc) -> None:
    """The state of the outcome `doc` whose last change on main (`out.commit`, at the last of
    `positions` on main) is audited, and the findings about it; `rewritten`: its files that
    merge holds unlike every parent (the merger's own writing)."""
    records, analysis, evidence, commit = run.records, run.analysis, run.evidence, out.commit
    where, line = out.path, 1
    merge = len(commit.parents) > 1
    email = certifier_email(records, commit, evidence)
    if email is None:
        out.state = UNCERTIFIED
        params = dict(sha=commit.short, student=out.student, course=out.course, merge_method=run.merge_method)
        if evidence in ("merge-author", "signed") and not merge \
                and commit.committer_email != commit.author_email:
            analysis.add("cert.squashed", hit(where, line, **params))
        else:
            mainline = run.mainline
            edited = any(mainline[i].is_merge for i in positions[:-1])
            analysis.add("cert.not-merged", hit(where, line, "edited" if edited else
                                                ("trailer" if evidence == "trailer" else ""), **params))
        return
    if merge and commit.sha in run.fast_forwards:
        out.state = UNCERTIFIED
        analysis.add("cert.fast-forward", hit(where, line, sha=commit.short))
        return
    at = commit.committer_time
    # the author time is the student's claim; it cannot be later than the merge
    out.uploaded_at = min(_authored_at(run.branch, commit, out.path, True), at)
    person = run.of(email)
    who = person.id if person else email

    def full() -> dict:  # the message's values, worked out only for an outcome with a finding
        return {"sha": commit.short, "student": out.student, "course": out.course, "who": who,
                "at": dates.roc(at.astimezone(records.tz))}

    if person and person.kind == "student" and person.id == out.student:
        out.state = UNCERTIFIED
        analysis.add("cert.self-merge", hit(where, line, **full()))
        return
    if person is None or person.kind != "staff":
        out.state = UNCERTIFIED
        analysis.add("cert.wrong-certifier", hit(where, line, "unknown" if person is None else "", **full()))
        return
    if rewritten and not all(renoted(records, (person,), commit.parents, commit.sha, path, at, commit)
                             for path in rewritten):
        # what the merge holds is the merger's own writing, not the student's (but for a
        # re-certification: the note alone, by the course's teacher or the delegate): nothing to certify
        out.state = UNCERTIFIED
        name = records.staff_name(person.id)
        analysis.add("cert.not-merged", hit(where, line, "in-merge", **{**full(), "who": name}))
        return
    others = _others_writing(run, out, commit, person, doc)
    if others is not None:
        # the merge brings writing in the outcome that is not its student's (a classmate's commit,
        # a classmate's or teacher's own writing in an inner merge): what it holds is not the student's own work
        out.state = UNCERTIFIED
        wrote, writer = others
        analysis.add("cert.not-merged", hit(where, line, "others", **full(), commit=wrote.short, writer=writer.id))
        return
    # the course's teachers as the courses file stood when the teacher pressed merge
    teachers = run.as_of.teachers(out.semester, out.course, commit)
    if evidence == "signed" and not signed(records, commit, person.id):
        out.state = UNCERTIFIED
        analysis.add("cert.unsigned", hit(where, line, **full()))
        return
    verdict = duty.judge(records, "certification", person.id, at, scope=out.course, semester=out.semester,
                         teachers=teachers)
    if verdict == "out-of-order":
        out.state = UNCERTIFIED
        earlier = "、".join(duty.on_duty(records, "certification", at, scope=out.course, semester=out.semester,
                                         teachers=teachers)) or "其他人"
        # its line: the change the merge certified (rules.places finds it)
        analysis.add("delegate.order", hit(where, None, sha=commit.short, name=person.id, duty="certification",
                                           earlier=earlier))
        return
    if verdict in ("not-allowed", "departed"):
        out.state = UNCERTIFIED
        analysis.add("cert.wrong-certifier", hit(where, line, "departed" if verdict == "departed" else "", **full()))
        return
    out.certifier, out.certified_at, out.state = person.id, at, CERTIFIED
    certification, upload = _windows(records, out.semester)
    if certification and not certification[0] <= at <= certification[1]:
        out.state = EARLY if at < certification[0] else LATE
        analysis.add("window.certification", hit(where, line, "early" if at < certification[0] else "",
                                                 severity=WARNING, **full(), start=dates.roc(certification[2][0]),
                                                 end=dates.roc(certification[2][1])))
    if upload and not upload[0] <= out.uploaded_at <= upload[1]:
        analysis.add("window.outcome-upload", hit(where, line, "early" if out.uploaded_at < upload[0] else "",
                                                  at=dates.roc(out.uploaded_at.astimezone(records.tz)),
                                                  start=dates.roc(upload[2][0]), end=dates.roc(upload[2][1]),
                                                  student=out.student))


def _certified(run: _Run, out: Outcome, commit: Commit) -> bool:
    """The common case, judged at a fraction of the full judgement's cost (_judge_outcome): a merge
    (evidence: merge-author) by a teacher of the course, employed then, inside both windows, whose
    branch holds the student's commits alone. True when so (the outcome is certified, with no
    finding); False (nothing set) leaves it to the full judgement."""
    if run.evidence != "merge-author" or len(commit.parents) < 2 or commit.sha in run.fast_forwards:
        return False
    of, student = run.of, out.student
    person = of(commit.author_email)
    if person is None or person.kind != "staff":
        return False
    for c in run.branch.get(commit.sha, ()):
        writer = of(c.author_email)
        if writer is None or writer.kind != "student" or writer.id != student:
            return False
    at = commit.committer_time
    if person.id not in run.as_of.teachers(out.semester, out.course, commit) \
            or not duty.employed(run.records, person.id, at):
        return False
    authored = _authored_at(run.branch, commit, out.path, True)
    uploaded = at if at < authored else authored  # (min: the first of equals)
    certification, upload = run.windows_of(out.semester)
    if (certification and not certification[0] <= at <= certification[1]) or \
            (upload and not upload[0] <= uploaded <= upload[1]):
        return False
    out.uploaded_at, out.certifier, out.certified_at, out.state = uploaded, person.id, at, CERTIFIED
    return True


def _others_writing(run: _Run, out: Outcome, commit: Commit, certifier, doc):
    """(the commit, its author) of the first commit the merge `commit` brings that wrote in the
    outcome's files as someone other than its student (a merge: in its own writing), but for a
    re-certification by staff who may write the note; None when all is the student's. A commit
    naming someone unknown is left to the permission audit (perm.unknown-identity): it may well be
    the student's own from an address not yet registered."""
    files = None
    for c in run.branch.get(commit.sha, ()):
        writer = run.of(c.author_email)
        if writer is None or (writer.kind == "student" and writer.id == out.student):
            continue  # (nearly every commit: the student's own)
        if files is None:
            files = _files_of(doc)
        wrote = [p for p in c.own if p in files] if c.is_merge else [p for _, p in c.changes if p in files]
        if wrote and not (writer.kind == "staff" and all(
                renoted(run.records, (writer, certifier), c.parents if c.is_merge else c.parents[:1], c.sha, path,
                        commit.committer_time, commit) for path in wrote)):
            return c, writer
    return None


def _windows(records, semester: str) -> tuple:
    """The semester's certification and upload windows, each None or (start, end, (start, end)
    as written), start and end in UTC like commit times: comparing within one zone is ~20× quicker."""
    known = records.memo("certification-windows", dict)
    if semester not in known:
        windows = []
        for name in ("outcome_certification", "outcome_upload"):
            written = records.window(name, semester)
            windows.append(written and (*records.window(name, semester, utc=True), written))
        known[semester] = tuple(windows)
    return known[semester]


def _outcome_positions(doc, changed: dict[str, list[int]]) -> list[int]:
    """Where on main the outcome changed (indexes in mainline, oldest first): its YAML file or
    any file it names (a PDF swapped after the teacher's merge is a change the teacher did not
    certify)."""
    positions = changed.get(doc.path, [])
    names = doc.data.get("files")
    if names:
        folder = doc.path.rsplit("/", 1)[0]
        for name in names:
            more = changed.get(f"{folder}/{name}")
            if more and more != positions:  # (most outcomes: one merge brought the file and its attachments)
                positions = sorted({*positions, *more})
    return positions


def _files_of(doc) -> set[str]:
    """The outcome's YAML file and the files it names."""
    folder = doc.path.rsplit("/", 1)[0]
    return {doc.path, *(f"{folder}/{name}" for name in doc.data.get("files") or () if isinstance(name, str))}


def analyse(records) -> Analysis:
    analysis = Analysis()
    history = records.history
    if history is None:
        return analysis
    run = _Run(records, analysis)
    outcomes = analysis.outcomes
    judged = _judged(records)
    for doc in records.valid("outcome"):
        earlier = judged.get((doc.path, doc.blob)) if judged is not None and doc.blob else None
        if earlier is not None:  # judged alike by an earlier analysis of this run
            outcomes[doc.path] = earlier[0]
            for code, h in earlier[1]:
                analysis.add(code, h)
            continue
        analysis.trail = []
        _judge(run, doc)
        if judged is not None and doc.blob:
            judged[(doc.path, doc.blob)] = (outcomes[doc.path], analysis.trail)
        analysis.trail = None
    _other_fast_forwards(run)
    for path, (ref, course) in _pending(records).items():
        if path not in outcomes:
            parts = path.split("/")
            outcomes[path] = Outcome(path, parts[2], parts[3], course, PENDING, ref=ref)
    return analysis


def _judge(run: _Run, doc) -> None:
    """The outcome `doc`'s state and the findings about it."""
    records, keys, path = run.records, doc.keys, doc.path
    out = run.analysis.outcomes[path] = Outcome(path, keys["semester"], keys["student"], str(doc.data.get("course")))
    positions = _outcome_positions(doc, run.changed)
    if not positions:
        return  # in the working tree, not yet committed: uploaded
    last = run.mainline[positions[-1]]
    if records.transferred(doc) and by_registration(records, last):
        out.state = IMPORTED  # §9: certified at the school the student came from; registration recorded it
        return
    out.commit = last
    if not run.audited.get(last.sha, False):
        out.state = IMPORTED
    elif last.own:
        _judge_outcome(run, out, positions, [p for p in last.own if p in _files_of(doc)], doc)
    elif not _certified(run, out, last):
        _judge_outcome(run, out, positions, [], doc)


def _judged(records) -> dict | None:
    """The outcomes an earlier analysis of this run judged with the same inputs (path, blob id) ->
    (outcome, its hits), filled as this one judges; None where none may serve. An outcome's
    judgment reads its own file, the histories and the records that are no outcomes (staff,
    students, courses, delegates, schedules, the school's settings), never another outcome."""
    return records.lasting("certification-judgments", dict)


def _other_fast_forwards(run: _Run) -> None:
    """cert.fast-forward for the audited first-parent "merges" that brought no outcome."""
    if not run.fast_forwards:
        return
    records, analysis = run.records, run.analysis
    flagged = {h.params.get("sha") for h in analysis.hits.get("cert.fast-forward", ())}
    for commit in run.mainline:
        if commit.sha in run.fast_forwards and commit.changes \
                and commit.short not in flagged and audited(records, commit):
            analysis.add("cert.fast-forward", hit(commit.changes[0][1], 1, sha=commit.short))


def _pending(records) -> dict[str, tuple[str, str]]:
    """Outcome files on merge-request refs and not on main: path -> (ref, course code)."""
    newest: dict[str, Commit] = {}
    for commit in records.history.pending:  # newest first, as git log lists them
        for status, path in commit.changes:
            if status != "D" and layout.classify(path) and layout.classify(path)[0] == "outcome":
                newest.setdefault(path, commit)
    parsed = committed.files(records, "pending-outcomes.json").parsed([f"{c.sha}:{p}" for p, c in newest.items()])
    out = {}
    for path, commit in newest.items():
        data = parsed[f"{commit.sha}:{path}"]
        course = str(data.get("course")) if isinstance(data, dict) else "（未填課程）"
        out[path] = (commit.source, course)
    return out


def outcome_states(root, records) -> dict[str, str]:
    """Outcome path -> certified | early | late | pending | uncertified | uploaded (for the site)."""
    states = {}
    for path, out in records.certification.outcomes.items():
        states[path] = CERTIFIED if out.state == IMPORTED else out.state
    return states
