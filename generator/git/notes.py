"""A re-certification (§5.3.2): a change of nothing in an outcome but its teacher_note, by the
course's teacher or the delegate on duty. The permission audit lets it through (nobody else
writes in a student's folder) and certification counts a merge whose own writing is only that."""

from __future__ import annotations

from .. import duty, layout
from ..yaml import YamlProblem, load_bytes
from . import as_of
from .history import read_blobs


def teacher_note_only(records, person, root, before: str, after: str, path: str, at, landing=None) -> bool:
    """Does the change from `before` to `after` (revisions in the repository at `root`) touch nothing
    of the outcome at `path` but its teacher_note, by the course's teacher (as `records`' courses
    have it, or as the courses file stood before `landing`, the main-line commit that brought it)
    or the delegate on duty at `at`? That is a re-certification (§5.3.2)."""
    if person.kind != "staff":
        return False
    noted = note_only(root, before, after, path)
    return noted is not None and may_note(records, person, *noted, at, landing)


def note_only(root, before: str, after: str, path: str) -> tuple[str, str] | None:
    """(course, semester) of the outcome at `path` if the change from `before` to `after` touches
    nothing of it but its teacher_note, else None (the two revisions read at once)."""
    kind = layout.classify(path)
    if not kind or kind[0] != "outcome":
        return None
    blobs = read_blobs(root, [f"{before}:{path}", f"{after}:{path}"])
    try:
        old, new = (load_bytes(blobs.get(f"{rev}:{path}", b"")) for rev in (before, after))
    except YamlProblem:
        return None
    if not isinstance(old, dict) or not isinstance(new, dict):
        return None
    rest = lambda data: {k: v for k, v in data.items() if k != "teacher_note"}  # noqa: E731
    if rest(old) != rest(new):
        return None
    return str(new.get("course")), kind[1]["semester"]


def may_note(records, person, course: str, semester: str, at, landing=None) -> bool:
    """Is staff member `person` the course's teacher (see teacher_note_only) or the delegate on duty at `at`?"""
    teachers = as_of.of(records).teachers(semester, course, landing) if landing is not None else None
    return duty.judge(records, "certification", person.id, at, scope=course, semester=semester,
                      teachers=teachers) in ("responsible", "delegate")
