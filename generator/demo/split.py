"""The demo as a school runs it: a portfolio every student reads, a registry only staff read.

The single layout's events are divided file by file: the registry kinds (students,
grades, cadres, counseling, submissions) go to the registry's history, everything else to
the portfolio's. Whenever registration changes a student record it updates the
portfolio's roster in the same moment (what `licheng roster` writes). Students cannot
read the registry, so none of their requests reaches it.
"""

from __future__ import annotations

import dataclasses
from zoneinfo import ZoneInfo

from .. import layout
from ..records import roster
from ..records.repositories import REGISTRY_FILE, REGISTRY_KINDS, registry_yaml
from ..yaml import load_bytes
from .history import Commit, Direct, Request

STUDENTS = "records/students/"
ROSTER_MESSAGE = "更新學期名冊（licheng roster）\n"


def is_registry(path: str) -> bool:
    kind = layout.classify(path) if path.endswith(".yaml") else None
    return bool(kind) and kind[0] in REGISTRY_KINDS


def divide(events: list, tz: ZoneInfo, numbers: dict[str, str]) -> tuple[list, list, dict[int, dict[str, object]]]:
    """(the portfolio's events, the registry's events, id(event) -> {"portfolio"|"registry": its copy}).
    `numbers`: student name -> student number, the `user.name` the school recommends to its
    students (the portfolio's history then names no student)."""
    portfolio, registry, copies = [], [], {}
    renamed = lambda c: _renamed(c, numbers)  # noqa: E731
    students: dict[str, dict] = {}
    rosters: dict[str, str] = {}
    landed = sorted((e for e in events if e.landed_at is not None), key=lambda e: e.landed_at)
    for event in landed + [e for e in events if e.landed_at is None]:
        copy = copies.setdefault(id(event), {})
        if isinstance(event, Request):
            commits = [renamed(_only(c, lambda p: not is_registry(p))) for c in event.commits]
            commits = [c for c in commits if c.files]
            if commits:
                merger = event.merger and renamed(Commit(event.merger, event.landed_at, "", {})).author
                copy["portfolio"] = dataclasses.replace(event, commits=commits, merger=merger, mark=0)
                portfolio.append(copy["portfolio"])
            continue
        mine = _only(event.commit, is_registry)
        theirs = renamed(_only(event.commit, lambda p: not is_registry(p)))
        if any(p.startswith(STUDENTS) for p in mine.files):
            for path, text in mine.files.items():
                if path.startswith(STUDENTS):
                    data = load_bytes(text.encode() if isinstance(text, str) else text)
                    students[str(data["student_no"])] = data
            for semester, rows in roster.rows(students, tz).items():
                text = roster.dump(semester, rows)
                path = f"records/roster/{semester}.yaml"
                if rosters.get(path) != text:
                    theirs.files[path] = rosters[path] = text
            if set(theirs.files) <= {p for p in theirs.files if p.startswith("records/roster/")}:
                theirs.message = ROSTER_MESSAGE
        for name, part, out in (("registry", mine, registry), ("portfolio", theirs, portfolio)):
            if part.files:
                copy[name] = Direct(part)
                out.append(copy[name])
    return portfolio, registry, copies


def _only(commit: Commit, wanted) -> Commit:
    return dataclasses.replace(commit, files={p: v for p, v in commit.files.items() if wanted(p)}, mark=0)


def _renamed(commit: Commit, numbers: dict[str, str]) -> Commit:
    name, email = commit.author
    if name in numbers and email.split("@")[-1] != "example.edu.tw":  # never a staff member's own name
        return dataclasses.replace(commit, author=(numbers[name], email))
    return commit


def first_files() -> dict[str, bytes]:
    """What the registry's first commit adds: the file that names its portfolio and starts its audit."""
    return {REGISTRY_FILE: registry_yaml("../portfolio").encode()}
