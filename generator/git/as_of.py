"""Records as they stood on main at a moment of its history (the courses at a merge's first parent).

A file on main changes only at the first-parent commits whose changes name it, so its content at
any point of the chain is the blob of the latest such commit before that point: a handful of
blobs per file, read once each, whatever the number of merges asking.
"""

from __future__ import annotations

import bisect

from . import committed
from .history import Commit


class AsOf:
    def __init__(self, records):
        self.records = records
        self.position = records.history.position
        self._changes = records.history.changed  # path -> indexes in mainline of its changes
        # (courses file, index in mainline of one of its changes) -> course code -> teachers, as the change left it
        self._tables: dict[tuple[str, int], dict[str, tuple[str, ...]]] = {}

    def teachers(self, semester: str, course: str, commit: Commit) -> tuple[str, ...]:
        """The teachers of `course` in the courses file of `semester` as it stood at `commit`'s first parent."""
        path = f"records/courses/{semester}.yaml"
        version = self._version(path, commit)
        if version is None:
            return ()
        if (path, version) not in self._tables:
            self._read(path)
        return self._tables[(path, version)].get(course, ())

    def _version(self, path: str, commit: Commit) -> int | None:
        """The index in mainline of the latest change of `path` strictly before `commit` (None: there
        is none, or `commit` is not on main)."""
        at = self.position.get(commit.sha)
        if at is None:
            return None
        changes = self._changes.get(path, [])
        index = bisect.bisect_left(changes, at) - 1
        return changes[index] if index >= 0 else None

    def _read(self, path: str) -> None:
        """Every version of the courses file `path` on main, read at once."""
        mainline = self.records.history.mainline
        specs = {f"{mainline[i].sha}:{path}": i for i in self._changes[path]}
        parsed = committed.files(self.records, "as-of.json").parsed(list(specs))
        for spec, i in specs.items():
            self._tables[(path, i)] = _by_code(parsed[spec])


def _by_code(data) -> dict[str, tuple[str, ...]]:
    """Course code -> its teachers, in a parsed courses file (none in one that is no list)."""
    by_code: dict[str, tuple[str, ...]] = {}
    for entry in data if isinstance(data, list) else ():
        if isinstance(entry, dict):
            teachers = entry.get("teachers") or []
            by_code.setdefault(str(entry.get("code")), tuple(map(str, teachers)) if isinstance(teachers, list) else ())
    return by_code


def of(records) -> AsOf:
    return records.memo("as-of", lambda: AsOf(records))
