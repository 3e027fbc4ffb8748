"""A re-certification (§5.3.2): a change of nothing in an outcome but its teacher_note, by the
course's teacher or the delegate on duty. The permission audit lets it through (nobody else
writes in a student's folder), certification counts a merge whose own writing is only that, and
the merge-request check lets a teacher's request through: all three ask `renoted`."""

from __future__ import annotations

from .. import duty, layout
from . import as_of, committed

READER = "teacher-notes.json"  # the committed-files reader (and cache file) of outcomes read for their notes
REGULAR = ("100644", "100755")


def renoted(records, people, befores, after: str, path: str, at, landing=None, reading=None) -> bool:
    """Is the change to revision `after` from one of `befores` (a commit's parents: a merge's own
    writing keeps one of them) a change of nothing of the outcome at `path` but its teacher_note,
    and is every one of `people` a staff member who may write the note at `at` — the course's
    teacher (as `records`' courses have it, or as the courses file stood before `landing`, the
    main-line commit that brought it) or the delegate on duty? Files are read through `reading`'s
    parse cache (the records whose history holds the revisions; default `records`)."""
    if any(person is None or person.kind != "staff" for person in people):
        return False
    for before in befores:
        noted = note_only(reading or records, before, after, path)
        if noted is not None:  # (the course is the outcome's as `after` holds it: the same against every parent)
            return all(may_note(records, person, *noted, at, landing) for person in dict.fromkeys(people))
    return False


def note_only(records, before: str, after: str, path: str) -> tuple[str, str] | None:
    """(course, semester) of the outcome at `path` if the change from `before` to `after` touches
    nothing of it but its teacher_note — its content but the note, and the file's mode: the same
    regular file — else None. Parses come through the per-commit cache (generator.git.committed)."""
    kind = layout.classify(path)
    if not kind or kind[0] != "outcome":
        return None
    reader = committed.files(records, READER)
    specs = [f"{before}:{path}", f"{after}:{path}"]
    got = reader.parsed(specs, entries=True)  # (their modes too, cached alike: a note-only change reads them)
    old, new = got[specs[0]], got[specs[1]]
    if not isinstance(old, dict) or not isinstance(new, dict):
        return None
    rest = lambda data: {k: v for k, v in data.items() if k != "teacher_note"}  # noqa: E731
    if rest(old) != rest(new):
        return None
    modes = {entry.partition(" ")[0] for entry in reader.entries(specs).values()}
    if len(modes) != 1 or not modes <= set(REGULAR):
        return None  # the mode changed too (an executable bit, a symlink, a submodule link)
    return str(new.get("course")), kind[1]["semester"]


def note_written(records, befores, after: str, path: str) -> bool:
    """Does the change to revision `after` from `befores` (a commit's parents) set, change or drop
    the outcome's teacher_note? A merge that keeps one side's note writes none. A file that is no
    YAML mapping holds no note: a note that appears over a broken file is written."""
    specs = [f"{rev}:{path}" for rev in (*befores, after)]
    parsed = committed.files(records, READER).parsed(specs)
    *old, new = (parsed[spec].get("teacher_note") if isinstance(parsed[spec], dict) else None for spec in specs)
    return all(note != new for note in old)


def may_note(records, person, course: str, semester: str, at, landing=None) -> bool:
    """Is staff member `person` the course's teacher (see `renoted`) or the delegate on duty at `at`?"""
    teachers = as_of.of(records).teachers(semester, course, landing) if landing is not None else None
    return duty.judge(records, "certification", person.id, at, scope=course, semester=semester,
                      teachers=teachers) in ("responsible", "delegate")
