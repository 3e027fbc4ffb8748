"""The merge-request check's own rules: the school as it will be once the right person merges.

The request's outcomes are pending (whatever the base's history said of them), the windows
judge them as of now, and its changes are judged for who wrote them: the platform's author of
the request where CI can read it, and every branch commit's author (a claim that may deny).
"""

from __future__ import annotations


from .. import dates, duty, layout
from ..git import audit
from ..git.certification import PENDING, Outcome
from ..git.identity import Person
from ..rule import WARNING, checks, hit, rule
from ..git.lines import changed_lines, from_git
from ..git.notes import note_written, renoted
from .rights import FOLDERS, one_per_folder, owner, writes, yaml_first


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0]


def touched_outcomes(records) -> list[str]:
    """Outcome files the request adds or changes (its attachments count as the outcome)."""
    return records.memo("request.touched-outcomes", lambda: _touched_outcomes(records))


def _touched_outcomes(records) -> list[str]:
    request = records.request
    if request is None:
        return []
    changed = {p for s, p in request.changes if s != "D"}
    folders = {_folder(p) for p in changed}
    out = []
    for doc in records.all("outcome"):
        if doc.path in changed or (_folder(doc.path) in folders and doc.valid and any(
                f"{_folder(doc.path)}/{name}" in changed for name in doc.data.get("files") or ())):
            out.append(doc.path)
    return sorted(out)


def requesters(records) -> set[str]:
    """The students whose request this is: the one who opened it (the platform's author), else the
    students its commits name; none in a staff member's request (a teacher's batch may bring many)."""
    request = records.request
    person = person_of_login(records, request.platform, request.author)
    if person is not None:
        return {person.id} if person.kind == "student" else set()
    identities = judge(records).identities
    return {p.id for c in request.commits for p in [identities.of(c.author_email)] if p and p.kind == "student"}


def own_outcomes(records) -> list[str]:
    """The request's outcomes to certify: in a student's request, her own (a file it touches in a
    classmate's folder is no outcome of hers: perm.denied names it); in a staff member's, all."""
    def read() -> list[str]:
        touched = touched_outcomes(records)
        if not touched:  # (no request: the analysis is not needed, nor made here)
            return []
        students = requesters(records) if records.request is not None else set()
        outcomes = records.certification.outcomes
        return [p for p in touched if not students or outcomes[p].student in students]
    return records.memo("request.own-outcomes", read)


def mark(records) -> None:
    """Before any rule reads them: the request's outcomes are pending, never judged by the base's history."""
    analysis = records.certification
    mine = set(touched_outcomes(records))
    documents = {d.path: d for d in records.all("outcome") if d.path in mine}
    for path in mine:
        doc = documents[path]
        semester, student = doc.keys["semester"], doc.keys["student"]
        course = str(doc.data.get("course")) if isinstance(doc.data, dict) else ""  # (unreadable: no course)
        analysis.outcomes[path] = Outcome(path, semester, student, course, PENDING, ref="request")
    for code, hits in analysis.hits.items():
        analysis.hits[code] = [h for h in hits if h.path not in mine]


def certifiers(records, path: str) -> tuple[list[str], str]:
    """Who may certify the outcome now: (staff ids, 'teacher' | 'delegate' | 'nobody' | 'no-course' | 'unread')."""
    out = records.certification.outcomes[path]
    if not out.course:
        return [], "unread"  # (no YAML mapping: its own findings say why)
    if out.course not in records.courses.get(out.semester, {}):
        return [], "no-course"  # (a delegate certifies a course's outcome, never a code no course has)
    teachers = duty.responsible(records, "certification", out.course, out.semester)
    now_on = duty.on_duty(records, "certification", records.now, scope=out.course, semester=out.semester)
    if not now_on:
        return [], "nobody"
    return now_on, "teacher" if set(now_on) <= set(teachers) else "delegate"


def course_label(records, semester: str, code: str) -> str:
    course = records.courses.get(semester, {}).get(code) or {}
    return f"{course.get('name')}（{code}）" if course.get("name") else code


@rule(
    "request.mixed-certifiers", "§5.3.2",
    "此合併請求的課程學習成果需要不同的教師認證（{who}）；一次合併只能由一位教師認證，"
    "請把成果分成每位教師各一個合併請求",
    "the outcomes of this merge request need different certifiers ({who}); one merge is certified by one "
    "teacher, so open one merge request per teacher",
    severity=WARNING,
    follows_staff=True,
)
def mixed_certifiers(records):
    paths = own_outcomes(records) if records.history is not None else []
    groups = {path: certifiers(records, path)[0] for path in paths}
    if len(groups) < 2 or set.intersection(*(set(ids) for ids in groups.values())):
        return
    outcomes = records.certification.outcomes
    who = "；".join(dict.fromkeys(  # (each course once, however many of its outcomes the request brings)
        f"{course_label(records, outcomes[p].semester, outcomes[p].course)}："
        f"{'、'.join(records.staff_name(s) for s in ids) or '—'}" for p, ids in groups.items()))
    yield hit(paths[0], 1, who=who)


@rule(
    "request.certified-by", "§5.3.2",
    "此合併請求的提交 {sha} 在說明裡寫了「Certified-by: {named}」：這是任課教師合併時親自寫下的認證，"
    "合併請求不能預先寫好（壓縮合併會把它帶進 main，不論誰按下合併都會算成這位教師的認證）；"
    "請用 git commit --amend 或 git rebase -i 把這一行從提交說明刪除後再推送",
    "commit {sha} of this merge request says \"Certified-by: {named}\" in its message: the certifying teacher "
    "writes that herself when she merges, a request may not write it beforehand (a squash merge would bring it "
    "to main, certifying as that teacher whoever pressed merge); remove the line with git commit --amend or "
    "git rebase -i and push again",
    follows_staff=True,
)
def certified_beforehand(records):
    """evidence: trailer (a squash-only platform): GitHub's squash commit does not say who pressed
    merge, and its message is made of the branch's commit messages. A Certified-by: trailer a
    branch commit carries counts only where the platform confirms the request is that person's own."""
    request = records.request
    if request is None or not request.paths or \
            (judge(records).school.get("certification") or {}).get("evidence") != "trailer":
        return
    author = person_of_login(records, request.platform, request.author)
    at = (touched_outcomes(records) or [min(request.paths, key=yaml_first)])[0]
    for commit in request.commits:
        for email in dict.fromkeys(commit.certified_by):
            named = judge(records).identities.of(email)
            if named is not None and named == author:
                continue
            label = _who(records, named) if named is not None and named.kind == "staff" else email
            yield hit(at, None, sha=commit.short, named=label)


# -- who wrote the request's changes ------------------------------------------------

def judge(records):
    """The records that say who the request's writers are and what they may do: the base's,
    where the check read them. A request's own staff.yaml, roster or delegates vouch for nothing
    in the same request (else it could name its author the director and grant itself anything)."""
    return getattr(records.request, "judge", None) or records


def person_of_login(records, platform: str, login: str) -> Person | None:
    """The person whose `github:` / `gitlab:` user name is `login` on the base (nobody when shared)."""
    if not (platform and login):
        return None
    return judge(records).identities.of_login(platform, login)


def _writers(records):
    """(person or None, label, commit or None, paths) for everyone the request's changes are judged as."""
    request = records.request
    paths = sorted(request.paths)
    author = person_of_login(records, request.platform, request.author)
    if author is not None:
        # staff may bring students' own changes to their folders (a teacher's batch of her students'
        # requests): those are the branch commits' to answer for, the staff member's own commits too
        yield author, author.id, None, [p for p in paths if author.kind != "staff" or owner(p) is None]
    for commit in request.commits:
        if commit.is_merge:  # a merge of the base into the branch answers only for what it holds unlike both sides
            mine = sorted(set(commit.own) & request.paths)
        else:
            mine = [p for _, p in commit.changes if p in request.paths]
        if mine:
            yield judge(records).identities.of(commit.author_email), commit.author_email, commit, mine


def _each_record(paths) -> list[str]:
    """Every record the writer changed, each judged on its own (a teacher_note can hide in any
    outcome of a folder, not only the first); an attachment stands for its folder only where no
    record of that folder changed."""
    paths = sorted(paths)
    kept = [p for p in paths if p.endswith(".yaml") or not p.startswith(FOLDERS)]
    folders = {_folder(p) for p in kept}
    return kept + one_per_folder(p for p in paths if p not in kept and _folder(p) not in folders)


def _who(records, person: Person) -> str:
    return judge(records).staff_name(person.id) if person.kind == "staff" else person.id


def _changes(records, where: list):
    """(code, hit) for every change of the request its writers may not make; `where` gathers each
    perm.denied hit with the change it names, (before, after, path, key), to find its line."""
    at = dates.roc(records.now.astimezone(records.tz))
    request = records.request
    seen = set()
    author = person_of_login(records, request.platform, request.author)
    if author is None and request.paths and (request.author or request.platform):
        # the platform names someone the school does not know, or its job cannot say who opened the
        # request: the commits' claims cannot grant (a student's could open a classmate's folder)
        first = min(request.paths, key=yaml_first)
        variant = "login" if request.author else "outside" if request.outside else \
            "no-author-github" if request.platform == "github" else "no-author"
        found = hit(first, None, variant, platform=request.platform, login=request.author)
        where.append((found, request.base, request.tree, first, None))  # at the request's first change there
        yield "perm.unknown-identity", found
    for person, label, commit, paths in _writers(records):
        for path in _each_record(paths):
            if person is None:
                key = ("unknown", label)
                if key not in seen:
                    seen.add(key)
                    found = hit(path, None, sha=commit.short, email=label,  # the date it says
                                at=dates.roc(commit.author_time.astimezone(records.tz)))
                    before = commit.parents[0] if commit and commit.parents else request.base
                    where.append((found, before, commit.sha if commit else request.tree, path, None))
                    yield "perm.unknown-identity", found
                continue
            key = (person, path, commit.sha if commit is not None and commit.is_merge else None)
            if key in seen:
                continue
            seen.add(key)
            befores, after = (commit.parents, commit.sha) if commit and commit.parents \
                else ((request.base,), request.tree)
            before = befores[0]
            allowed = writes(judge(records), person, path, records.now) == "ok" \
                or renoted(judge(records), (person,), (before,), after, path, records.now, reading=records)
            # a branch commit naming staff is a claim: it grants only what the platform's author confirms
            claimed = commit is not None and person.kind == "staff" and person != author
            sha = commit.short if commit else request.head[:8]
            if claimed and allowed:
                variant, params = "request-claim", {}
            elif allowed and person.kind == "student" and (layout.classify(path) or ("",))[0] == "outcome" \
                    and note_written(records, befores, after, path):
                variant, params = "request-note", {}
            elif not allowed and claimed:  # a claim, never blamed on the staff member it names
                params = {"opener": _who(records, author)} if author is not None else {}
                variant = "request-commit-by" if params else "request-commit"
            elif not allowed and ("denied", person, path) not in seen:  # (said once: it names no commit)
                seen.add(("denied", person, path))
                variant, params = "request-student" if person.kind == "student" else "request", {}
            else:
                continue
            found = hit(path, None, variant, who=_who(records, person), sha=sha, at=at, **params)
            where.append((found, before, after, path, "teacher_note" if variant == "request-note" else None))
            yield "perm.denied", found


def _placed(records, found: list, where: list) -> list:
    """Each perm.denied and perm.unknown-identity of the request points at the change it names, in the
    file as the merge would leave it: the first line its writer changed, or the teacher_note's line."""
    if where:
        at = changed_lines([(records.request.tree, *w[1:]) for w in where], from_git(records.root))
        for (h, *_), line in zip(where, at):
            h.line = line
    return found


def _request_hits(records, code):
    if records.request is None or records.history is None or audit.not_audited(records):
        return
    where: list = []
    for c, h in records.memo("request-changes", lambda: _placed(records, list(_changes(records, where)), where)):
        if c == code:
            yield h


@checks("perm.denied")
def request_denied(records):
    return _request_hits(records, "perm.denied")


@checks("perm.unknown-identity")
def request_unknown(records):
    return _request_hits(records, "perm.unknown-identity")


# -- windows, as of now ----------------------------------------------------------

@checks("window.outcome-upload")
def outcome_upload_now(records):
    if records.request is None:
        return
    when = dates.roc(records.now.astimezone(records.tz))
    for path in touched_outcomes(records):
        kind = layout.classify(path)[1]
        window = records.window("outcome_upload", kind["semester"])
        if dates.outside(records.now, window):
            yield hit(path, 1, "early" if records.now < window[0] else "", student=kind["student"], at=when,
                      start=dates.roc(window[0]), end=dates.roc(window[1]))


def _brought(records, kind: str):
    """(path, school year) of each file of `kind` the request adds or changes, and when it is now (ROC)."""
    if records.request is None:
        return
    when = dates.roc(records.now.astimezone(records.tz))
    for status, path in sorted(records.request.changes):
        found = layout.classify(path)
        if status != "D" and found and found[0] == kind:
            yield path, found[1]["year"], when


@checks("window.performance-upload")
def performance_upload_now(records):
    for path, year, when in _brought(records, "performance"):
        window = records.window("performance_upload", f"{year}-1", yearly=True)
        if dates.outside(records.now, window):
            yield hit(path, 1, at=when, year=year)


@checks("window.selection")
def selection_now(records):
    """A request's selection is made now, whatever date its commit claims (main's audit reads the claim)."""
    for path, year, when in _brought(records, "selection"):
        windows = (records.window(name, f"{year}-1", yearly=True) for name in ("outcome_selection", "performance_selection"))
        if dates.outside(records.now, *windows):
            yield hit(path, 1, at=when, year=year)
