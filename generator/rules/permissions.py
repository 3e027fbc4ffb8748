"""Who may change what, audited over main's first-parent history after the audit start (generator.git.audit).

For a merge: the authors of the merged branch's commits that touched each path, and the merger;
for a direct commit: its author. Identities are matched by email; an unknown one is a finding.
"""

from __future__ import annotations

import re

from .. import dates, duty, layout
from ..git.history import read_blobs
from ..yaml import YamlProblem, load_bytes
from ..git.history import PURGE_SUBJECT
from ..git.certification import audited
from ..rule import checks, hit, rule

ADMIN = ("academic_director", "principal")
PURGERS = ADMIN + duty.SECTIONS["registration"]
# (path pattern, roles that may write, duty whose delegates may write, the owning student's group)
TABLE = [
    (re.compile(r"^records/(students|grades)/"), duty.SECTIONS["registration"], "registration", None),
    (re.compile(r"^records/cadres/"), duty.SECTIONS["activities"], "activities", None),
    (re.compile(r"^records/counseling/"), ("course_counselor",), "counseling", None),
    (re.compile(r"^records/outcomes/[^/]+/([^/]+)/"), (), None, 1),
    (re.compile(r"^records/performances/[^/]+/([^/]+)/"), (), None, 1),
    (re.compile(r"^records/selections/[^/]+/([^/]+)\.yaml$"), (), None, 1),
    (re.compile(r"^records/submissions/"), duty.SECTIONS["registration"] + duty.SECTIONS["admissions"]
     + duty.SECTIONS["activities"], None, None),
    (re.compile(r"^schedules/"), ("academic_director",), "schedule", None),
    (re.compile(r"^records/courses/"), ("teaching_chief", "academic_director"), None, None),
    (re.compile(r"^records/(school|staff|delegates|acknowledgements)\.yaml$|^records/working-group/|^records/regulation\.md$"),
     ADMIN, None, None),
]


STUDENT_DATA = re.compile(r"^records/(students|grades|cadres|counseling|outcomes|performances|selections|working-group)/")


def _rule_for(path: str):
    for pattern, roles, duty_name, group in TABLE:
        m = pattern.match(path)
        if m:
            return roles, duty_name, (m.group(group) if group else None)
    return None


def _transferred_in(records, student_no: str) -> bool:
    events = (records.students.get(student_no) or {}).get("events") or ()
    return any(e.get("type") == "transfer_in" for e in events)


def _writes(records, person, path: str, at) -> str:
    """'ok', 'out-of-order' (a delegate before their turn) or 'denied'."""
    found = _rule_for(path)
    if found is None:  # the school's tooling (site templates, CI, mkdocs.yml): staff only
        return "denied" if person.kind == "student" else "ok"
    roles, duty_name, owner = found
    if owner is not None:
        if person.kind == "student":
            return "ok" if person.id == owner else "denied"
        # §9: registration records a transferred-in student's outcomes from the school before
        if path.startswith("records/outcomes/") and _transferred_in(records, owner):
            roles, duty_name = duty.SECTIONS["registration"], "registration"
        else:
            return "denied"
    if person.kind != "staff":
        return "denied"
    if records.has_role(person.id, *roles) and duty.employed(records, person.id, at):
        return "ok"
    if duty_name:
        verdict = duty.judge(records, duty_name, person.id, at)
        if verdict == "delegate":
            return "ok"
        if verdict == "out-of-order":
            return "out-of-order"
    return "denied"


def _one_per_folder(paths) -> list[str]:
    """A record and its attachments are one change: keep the YAML file of each folder."""
    chosen: dict[str, str] = {}
    for path in sorted(paths, key=lambda p: (not p.endswith(".yaml"), p)):
        folder = path.rsplit("/", 1)[0] if re.match(r"^records/(outcomes|performances)/", path) else path
        chosen.setdefault(folder, path)
    return list(chosen.values())


def _is_purge(records, commit) -> bool:
    """§8: a registration or admin staff member's purge commit (generator.purge)."""
    if commit.is_merge or not commit.subject.startswith(PURGE_SUBJECT):
        return False
    staff_id = records.identities.staff_id(commit.author_email)
    return bool(staff_id) and records.has_role(staff_id, *PURGERS)


def _audit(records):
    """(code, hit) for every change on main that its writer may not make."""
    ids = records.identities
    for commit in records.history.mainline:
        if not audited(records, commit) or not commit.changes:
            continue
        when = dates.roc(commit.committer_time.astimezone(records.tz))
        # who wrote what: a merge's branch commits (its inner merges only carry others' work),
        # or the direct commit itself
        writers = [c for c in records.history.branch.get(commit.sha, ()) if not c.is_merge] \
            if commit.is_merge else [commit]
        purging = _is_purge(records, commit)
        for c in writers:
            person = ids.of(c.author_email)
            paths = _one_per_folder(p for _, p in c.changes if not (purging and STUDENT_DATA.match(p)))
            if person is None:
                if paths:
                    yield "perm.unknown-identity", hit(paths[0], None, sha=c.short, email=c.author_email, at=when)
                continue
            for path in paths:
                verdict = _writes(records, person, path, c.author_time)
                if verdict == "denied" and _teacher_note_only(records, person, c, path, commit.committer_time):
                    continue
                if verdict == "denied":
                    yield "perm.denied", hit(path, None, sha=c.short, who=person.id, at=when)
                elif verdict == "out-of-order":
                    yield "delegate.order", hit(path, None, name=person.id, duty="records", earlier="?")
                elif person.kind == "student" and not commit.is_merge and not path.startswith("records/outcomes/"):
                    # (an outcome pushed directly is cert.not-merged or cert.squashed already)
                    yield "perm.denied", hit(path, None, "direct", sha=c.short, who=person.id, at=when)
        if commit.is_merge:
            yield from _merge_itself(records, commit, when)
            merger = ids.of(commit.author_email)
            student_paths = _one_per_folder(p for _, p in commit.changes if (_rule_for(p) or (0, 0, None))[2])
            if student_paths and (merger is None or merger.kind != "staff"):
                yield "perm.denied", hit(student_paths[0], None, "merger", sha=commit.short,
                                         who=merger.id if merger else commit.author_email, at=when)


def _teacher_note_only(records, person, c, path: str, at) -> bool:
    """Did `c` change nothing of the outcome at `path` but its teacher_note, by the course's teacher
    or the delegate on duty (re-certification, §5.3.2)?"""
    kind = layout.classify(path)
    if person.kind != "staff" or not kind or kind[0] != "outcome" or not c.parents:
        return False
    blobs = read_blobs(records.root, [f"{c.parents[0]}:{path}", f"{c.sha}:{path}"])
    try:
        before, after = (load_bytes(blobs.get(f"{sha}:{path}", b"")) for sha in (c.parents[0], c.sha))
    except YamlProblem:
        return False
    if not isinstance(before, dict) or not isinstance(after, dict):
        return False
    rest = lambda data: {k: v for k, v in data.items() if k != "teacher_note"}  # noqa: E731
    if rest(before) != rest(after):
        return False
    course, semester = str(after.get("course")), kind[1]["semester"]
    return duty.judge(records, "certification", person.id, at, scope=course, semester=semester) in (
        "responsible", "delegate")


def _merge_itself(records, commit, when):
    """A merge made on someone's machine can change files no branch commit touched (an "evil
    merge"): those changes are the merger's own."""
    branch_paths = {p for c in records.history.branch.get(commit.sha, ()) for _, p in c.changes}
    merger = records.identities.of(commit.author_email)
    for _, path in commit.changes:
        if path in branch_paths:
            continue
        if merger is None:
            yield "perm.unknown-identity", hit(path, None, sha=commit.short, email=commit.author_email, at=when)
        elif _writes(records, merger, path, commit.committer_time) == "denied":
            yield "perm.denied", hit(path, None, "in-merge", sha=commit.short, who=merger.id, at=when)


def _audit_hits(records, code):
    if records.history is None:
        return
    for c, h in records.memo("permission-audit", lambda: list(_audit(records))):
        if c == code:
            yield h


@rule(
    "perm.denied", "§5.1",
    {"": "{who} 在 {sha}（{at}）修改了此檔案，但沒有這個權限（見 DESIGN.md「Who may change what」）",
     "merger": "學生的資料只能經教職員合併進入 main；{sha}（{at}）由 {who} 合併",
     "direct": "學生的資料只能經合併請求、由教職員合併進入 main；{sha}（{at}）是 {who} 直接推送的",
     "in-merge": "{who} 在合併提交 {sha}（{at}）裡修改了此檔案（分支中沒有這項修改），但沒有這個權限",
     "request": "此合併請求修改了此檔案，但 {who} 沒有修改它的權限；請把這項修改從合併請求中移除",
     "request-student": "此合併請求修改了此檔案，但學生 {who} 不能修改它（學生只能修改自己的成果、多元表現與勾選）；請把這項修改從合併請求中移除"},
    {"": "{who} changed this file in {sha} ({at}) without the right to (see DESIGN.md, 'Who may change what')",
     "merger": "a student's records reach main only through a merge by staff; {sha} ({at}) was merged by {who}",
     "direct": "a student's records reach main only through a merge request merged by staff; {who} pushed {sha} ({at}) directly",
     "in-merge": "{who} changed this file inside the merge commit {sha} ({at}) (no branch commit did) without the right to",
     "request": "this merge request changes this file, which {who} may not change; take the change out of the request",
     "request-student": "this merge request changes this file, which student {who} may not change (students change only "
                        "their own outcomes, performances and selections); take the change out of the request"},
)
def denied(records):
    return _audit_hits(records, "perm.denied")


@rule(
    "perm.unknown-identity", "§5.1",
    "{sha}（{at}）的作者 {email} 不在教職員或學生名單中；請在 staff.yaml 或學生紀錄的 git: 加入此信箱",
    "the author {email} of {sha} ({at}) is neither staff nor a student; add the email under git: in staff.yaml or the student record",
)
def unknown_identity(records):
    return _audit_hits(records, "perm.unknown-identity")


@checks("delegate.order")
def delegates_out_of_order(records):
    return _audit_hits(records, "delegate.order")
