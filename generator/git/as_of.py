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
        self._parsed: dict[tuple[str, int], object] = {}
        # semester -> (its courses file, the indexes of its changes, index -> code -> teachers as of it)
        self._teachers: dict[str, tuple[str, list[int], dict[int, dict[str, list[str]]]]] = {}

    def data_before(self, path: str, commit: Commit):
        """The parsed content of `path` at `commit`'s first parent on main (None: absent or unreadable)."""
        at = self.position.get(commit.sha)
        if at is None:
            return None
        changes = self._changes.get(path, [])
        index = bisect.bisect_left(changes, at) - 1  # the latest change strictly before `commit`
        if index < 0:
            return None
        key = (path, changes[index])
        if key not in self._parsed:
            self._read(path, changes)
        return self._parsed.get(key)

    def _read(self, path: str, changes: list[int]) -> None:
        mainline = self.records.history.mainline
        specs = {f"{mainline[i].sha}:{path}": i for i in changes}
        parsed = committed.files(self.records, "as-of.json").parsed(list(specs))
        for spec, i in specs.items():
            self._parsed[(path, i)] = parsed[spec]

    def teachers(self, semester: str, course: str, commit: Commit) -> list[str]:
        """The teachers of `course` in the courses file of `semester` as it stood at `commit`'s first parent
        (asked once per outcome: each version of the file's table is made once)."""
        known = self._teachers.get(semester)
        if known is None:
            path = f"records/courses/{semester}.yaml"
            known = self._teachers[semester] = (path, self._changes.get(path, []), {})
        path, changes, tables = known
        at = self.position.get(commit.sha)
        if at is None:
            return []
        index = bisect.bisect_left(changes, at) - 1  # the latest change strictly before `commit`
        if index < 0:
            return []
        table = tables.get(index)
        if table is None:
            table = tables[index] = _by_code(self.data_before(path, commit))
        return list(table.get(course, ()))


def _by_code(data) -> dict[str, list[str]]:
    """Course code -> its teachers, in a parsed courses file (none in one that is no list)."""
    by_code: dict[str, list[str]] = {}
    for entry in data if isinstance(data, list) else ():
        if isinstance(entry, dict):
            teachers = entry.get("teachers") or []
            by_code.setdefault(str(entry.get("code")), [str(t) for t in teachers] if isinstance(teachers, list) else [])
    return by_code


def of(records) -> AsOf:
    return records.memo("as-of", lambda: AsOf(records))
