"""Where in a file a change is: the line a finding about a commit's change points at.

A finding about who changed a file names the change, and the reader looks for it in the file as it
stands: the first line the change wrote (or the line of the field it is about), followed through
the later commits to where that line is now. All files are read through one `git cat-file`, or
(`in_history`: each named by commit ids, so the same forever) from licheng's cache.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path

from .committed import text_lines
from .objects import read_blobs


# line pairs difflib may compare between a change's common start and end: its matching is
# quadratic in repeated lines, and a file of 20,000 identical lines took a minute
_COMPARED = 100_000


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes from `old` to `new`, as git diffs: the lines both start and end with are
    equal, the rest between them compared by difflib where it is small, else one replacement."""
    both = min(len(old), len(new))
    start = 0
    while start < both and old[start] == new[start]:
        start += 1
    end = 0
    while end < both - start and old[-1 - end] == new[-1 - end]:
        end += 1
    old_end, new_end = len(old) - end, len(new) - end
    ops = [("equal", 0, start, 0, start)] if start else []
    if (old_end - start) * (new_end - start) <= _COMPARED:
        matcher = SequenceMatcher(None, old[start:old_end], new[start:new_end], autojunk=False)
        ops += [(op, i1 + start, i2 + start, j1 + start, j2 + start) for op, i1, i2, j1, j2 in matcher.get_opcodes()]
    else:
        ops.append(("replace", start, old_end, start, new_end))
    if end:
        ops.append(("equal", old_end, len(old), new_end, len(new)))
    return ops


def _first_change(old: list[str], new: list[str]) -> int | None:
    """The index in `new` of the first line unlike `old`'s (a removal: the line after it)."""
    if not new:
        return None
    for op, _, _, j1, _ in _opcodes(old, new):
        if op != "equal":
            return min(j1, len(new) - 1)
    return None


def _follow(index: int, old: list[str], new: list[str]) -> int | None:
    """Where line `index` of `old` is in `new` (a rewritten line: where its rewriting begins)."""
    if old == new:
        return index
    for op, i1, i2, j1, j2 in _opcodes(old, new):
        if i1 <= index < i2:
            line = j1 + (index - i1) if op == "equal" else j1
            return min(line, len(new) - 1) if new else None
    return None


def _key_line(lines: list[str], key: str) -> int | None:
    """The index of the mapping's top-level `key:` line."""
    pattern = re.compile(rf"^(['\"]?){re.escape(key)}\1\s*:")
    return next((i for i, line in enumerate(lines) if pattern.match(line)), None)


def changed_lines(changes: list[tuple[str, str | None, str, str, str | None]], read) -> list[int | None]:
    """For each (tip, before, after, path, key): the 1-based line in `tip`'s `path` of the first line
    the change from revision `before` to `after` wrote, or with `key`, of the field `key:` as `tip`
    holds it. None where there is none (the file is gone, the change removed nothing but its end).
    `read`: `rev:path` specs -> each file's lines (None, or left out: no such file)."""
    specs = set()
    for tip, before, after, path, key in changes:
        if not tip:
            continue  # (nothing committed yet)
        specs.add(f"{tip}:{path}")
        if key is None:
            specs.add(f"{after}:{path}")
            if before:
                specs.add(f"{before}:{path}")
    texts = read(sorted(specs))
    out: list[int | None] = []
    for tip, before, after, path, key in changes:
        now = texts.get(f"{tip}:{path}") or []
        if not tip:
            index = None
        elif key is not None:
            index = _key_line(now, key)
        else:
            written = texts.get(f"{after}:{path}") or []
            index = _first_change((texts.get(f"{before}:{path}") or []) if before else [], written)
            index = None if index is None else _follow(index, written, now)
        out.append(None if index is None else index + 1)
    return out


def from_git(root: Path):
    """changed_lines' `read`: the files read from Git."""
    return lambda specs: {spec: text_lines(data) for spec, data in read_blobs(root, specs).items()}


def in_history(history, wanted: list[tuple[str, str, str | None]], read) -> list[int | None]:
    """changed_lines of (a commit of `history` by its short id, path, key): the change the commit made
    (a merge's: against its first parent, main before it), as the history's tip holds the file.
    Each commit is named by its full id (a short id two of the history's commits share is left to
    Git); a root commit has no parent: all its lines are new. The tip's file is named by the last
    commit of main that changed it (the same content: a new commit that does not touch the file
    leaves its spec, and the cache's entry, as they were)."""
    shorts = {sha for sha, _, _ in wanted}
    full: dict[str, str | None] = {}
    for commits in (history.commits, (c.sha for c in history.pending)):
        for sha in commits:
            if sha[:8] in shorts:
                full[sha[:8]] = sha if full.get(sha[:8], sha) == sha else None
    changed, mainline = history.changed, history.mainline
    tips = {path: mainline[changed[path][-1]].sha if path in changed else history.head for _, path, _ in wanted}
    named = [full.get(sha) or sha for sha, _, _ in wanted]
    return changed_lines([(tips[path], f"{sha}^", sha, path, key) for sha, (_, path, key) in zip(named, wanted)],
                         read)
