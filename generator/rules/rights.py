"""Who may write which path (§5.1): each record folder's roles, the duty whose delegates may write
it and the student who owns it (the table of the design's permissions); a person's right to
write a path at a time. The permission audit (rules/permissions.py) and the merge-request check
(rules/request.py) judge every change by it."""

from __future__ import annotations

import re
from functools import lru_cache

from .. import duty

ADMIN = ("academic_director", "principal")
# (path pattern, roles that may write, duty whose delegates may write, the owning student's group)
TABLE = [
    (re.compile(r"^records/(students|grades|roster)/"), duty.SECTIONS["registration"], "registration", None),
    (re.compile(r"^records/cadres/"), duty.SECTIONS["activities"], "activities", None),
    (re.compile(r"^records/counseling/"), ("course_counselor",), "counseling", None),
    (re.compile(r"^records/outcomes/[^/]+/([^/]+)/"), (), None, 1),
    (re.compile(r"^records/performances/[^/]+/([^/]+)/"), (), None, 1),
    (re.compile(r"^records/selections/[^/]+/([^/]+)\.yaml$"), (), None, 1),
    (re.compile(r"^records/submissions/"), duty.SECTIONS["registration"] + duty.SECTIONS["admissions"]
     + duty.SECTIONS["activities"], None, None),
    (re.compile(r"^schedules/|^records/holidays\.yaml$"), ("academic_director",), "schedule", None),
    (re.compile(r"^records/courses/"), ("teaching_chief", "academic_director"), None, None),
    (re.compile(r"^records/(school|staff|delegates|acknowledgements)\.yaml$|^records/working-group/|^records/regulation\.md$"),
     ADMIN, None, None),
]
TOOLING = (ADMIN, None, None)  # anything else: mkdocs.yml, CI files, site overrides, CODEOWNERS
FOLDERS = ("records/outcomes/", "records/performances/")


def rule_path(path: str) -> str:
    """The path whose rule `path` has: a record and its attachments have their folder's."""
    return path[: path.rfind("/") + 1] if path.startswith(FOLDERS) else path


def rule_for(path: str):
    """(roles that may write, duty whose delegates may write, owning student) of `path`."""
    return rule_of(rule_path(path))


@lru_cache(maxsize=None)
def rule_of(path: str):
    for pattern, roles, duty_name, group in TABLE:
        m = pattern.match(path)
        if m:
            return roles, duty_name, (m.group(group) if group else None)
    return TOOLING


def owner(path: str) -> str | None:
    """The student whose own folder or file `path` is in."""
    return rule_for(path)[2]


def writes(records, person, path: str, at) -> str:
    """'ok', 'out-of-order' (a delegate before their turn) or 'denied'."""
    roles, duty_name, student = rule_for(path)
    if student is not None:
        if person.kind == "student":
            return "ok" if person.id == student else "denied"
        # §9: registration records a transferred-in student's outcomes of semesters before the transfer
        if path.startswith("records/outcomes/") and records.transferred_before(student, path.split("/")[2]):
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


def one_per_folder(paths) -> list[str]:
    """A record and its attachments are one change: keep the YAML file of each folder."""
    paths = list(paths)
    if len(paths) < 2:
        return paths
    chosen: dict[str, str] = {}
    for path in sorted(paths, key=yaml_first):
        folder = path.rsplit("/", 1)[0] if path.startswith(FOLDERS) else path
        chosen.setdefault(folder, path)
    return list(chosen.values())


def yaml_first(path: str) -> tuple[bool, str]:
    return not path.endswith(".yaml"), path
