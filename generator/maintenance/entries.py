"""What a purge removes (`PurgeItem`): a student's files, and her entries in the shared files —
where those entries are, and how they are cut out of a file line by line. The purge's commit and
every version the history rewrite (generator.maintenance.rewrite) edits make the same cut.

Only the lines of the removed entries go, every comment and the modeline stay; the edit is
re-read and compared with the expected data, and only when a line edit cannot express it (an
entry sharing its line with others, a list left empty) is the file re-dumped from the data,
keeping its leading comment block (modeline included).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import yaml as pyyaml

from ..yaml import YamlProblem, load_bytes

SHARED_KINDS = ("grades", "cadres", "counseling", "working-group", "roster")  # roster: its rows in the portfolio


@dataclass
class PurgeItem:
    path: str  # repository-relative
    student: str
    what: str  # "file", or "entry" (a part of a shared file)
    kind: str  # student, outcome, performance, selection, attachment, grades, cadres, counseling, working-group
    where: tuple = ()  # an entry: its place in the document ("scores", no) or (index,) or ("members", index)
    line: int | None = None


def shared_entries(doc, gone: set[str]) -> list[PurgeItem]:
    """The entries of students `gone` in one shared file (grades, cadres, counseling, working group)."""
    data, items = doc.data, []
    if doc.kind == "grades" and isinstance(data, dict):
        for no in data.get("scores") or {}:
            if no in gone:
                items.append(PurgeItem(doc.path, no, "entry", "grades", ("scores", no), doc.line("scores", no)))
    elif doc.kind in ("cadres", "counseling", "roster"):  # the roster: its rows in the portfolio
        for index, entry in doc.items():
            if isinstance(entry, dict) and entry.get("student") in gone:
                items.append(PurgeItem(doc.path, entry["student"], "entry", doc.kind, (index,), doc.line(index)))
    elif doc.kind == "working-group" and isinstance(data, dict):
        for index, member in enumerate(data.get("members") or ()):
            if isinstance(member, dict) and member.get("student") in gone:
                items.append(PurgeItem(doc.path, member["student"], "entry", "working-group", ("members", index),
                                       doc.line("members", index)))
    return items


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _entry_lines(lines: list[str], start: int) -> range:
    """0-based line numbers of the entry starting at 0-based `start`: its line and its deeper continuation."""
    column, end = _indent(lines[start]), start + 1
    while end < len(lines):
        text = lines[end]
        if text.strip() and _indent(text) <= column:
            break
        if not text.strip():  # a blank line belongs to the entry only inside it
            ahead = next((t for t in lines[end:] if t.strip()), "")
            if not ahead or _indent(ahead) <= column:
                break
        end += 1
    return range(start, end)


def _expected(data, removals: list[tuple]):
    data = json.loads(json.dumps(data))  # plain dicts and lists
    if removals and removals[0][0] == "scores":
        for _, no in removals:
            data["scores"].pop(no, None)
        return data
    if removals and removals[0][0] == "members":
        drop = {index for _, index in removals}
        data["members"] = [m for i, m in enumerate(data["members"]) if i not in drop]
        return data
    drop = {index for (index,) in removals}
    return [e for i, e in enumerate(data) if i not in drop]


def edit_shared(text: str, data, entries: list[PurgeItem]) -> tuple[str, str, list[str]]:
    """(new text, "lines" or "redump", the removed lines) without the entries."""
    lines = text.splitlines(keepends=True)
    drop: set[int] = set()
    for item in entries:
        drop.update(_entry_lines(lines, item.line - 1))
    removed = [lines[i].rstrip("\r\n") for i in sorted(drop)]
    edited = "".join(line for i, line in enumerate(lines) if i not in drop)
    want = _expected(data, [item.where for item in entries])
    try:
        if load_bytes(edited.encode("utf-8")) == want:
            return edited, "lines", removed
    except YamlProblem:
        pass
    header = "".join(line for line in _leading_comments(lines))
    dumped = pyyaml.safe_dump(want, allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000)
    return header + dumped, "redump", removed


def _leading_comments(lines: list[str]):
    for line in lines:
        if not line.startswith("#"):
            return
        yield line
