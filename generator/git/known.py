"""The history pass, incremental: commits read by an earlier run come from licheng's cache
(generator.cache), and `git log` reads only the commits since.

The cache holds the commits of one head, and serves only when it holds every parent of every
commit it holds (a commit id names its parents, so that is exactly the old head's history). For
a new head, `git log NEW --not OLD` gives the commits the cache lacks, and where that log stops
says the rest: when the old head is a parent of one of them (or the new head itself), the new head
descends from it and every cached commit serves, with main's shape; otherwise (a rewritten history:
purge --rewrite-history, migrate --lfs, a force push; a reset to an older commit) only the cached
commits the new head reaches serve, found from the parents where the log stopped. No `git
merge-base` is asked: the log that the new commits need tells it. A shallow clone is never cached
(its grafts change).

It also holds the pending commits (on merge-request refs, not on main) with the refs they were
read from. While every such ref still names the same commit, the pending commits of a head that
descends from the cached one are the cached ones minus those the head now holds: a commit id
fixes everything a commit reaches, so nothing else can have joined them. They serve only when
they hold each ref's commit and every parent of theirs is theirs or the head's.

A run that logs a few new commits (or finds other pending refs) does not write all the commits
again: a second file (`history-new.json`, signed alike) holds the new commits, main's shape and the
pending commits, and names the first file's head and commit count; a run reads the two together
when they fit, else the first alone. The first file is written again once the second would hold
more than a twentieth of its commits. Where main still runs through the first file's head by first
parents (a commit or merge on it), the second file holds only the part of main's shape after it
(`extends`: the first file's shape is its start), not the whole of it again; nor the pending
commits, while the refs name the commits they named when the first file was written (`pending_base`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain, islice
from operator import attrgetter
from pathlib import Path
from typing import Annotated

import msgspec

from .. import cache
from .history import Commit
from .objects import OBJECT_ID

NAME = "history.json"
# 2: a merge carries its own writing (Commit.own); 3: MessagePack (quicker to decode than JSON). A
# cache of another format is read anew.
FORMAT = 3
NEWER = "history-new.json"  # the commits since NAME's head (and main's shape, the pending commits)
NEWER_SHARE = 20  # NEWER holds at most 1/NEWER_SHARE of NAME's commits, else NAME is written anew
Index = Annotated[int, msgspec.Meta(ge=0)]


class Stored(msgspec.Struct, omit_defaults=True):
    """The cache file's body: the commits are decoded straight into Commits, one msgspec pass."""

    head: str
    trailers: bool
    commits: list[Commit]  # newest first: the head's own first
    refs: dict[str, str] = {}  # ref -> commit id, for the pending commits
    pending: list[Commit] = []
    # main's shape at `head`, as History holds it, by indexes in `commits`: the first-parent chain
    # (oldest first) and, for each of its commits, the commits its merge brought (none for a non-merge)
    mainline: list[Index] = []
    branches: list[list[Index]] = []
    format: int = 1
    # (NEWER only) the head and commit count of the NAME it extends: its commits are these, then NAME's
    base: str = ""
    base_count: int = 0
    # (NEWER only) when not 0: main's shape is NAME's (this many first-parent commits, NAME's head the
    # last), then `mainline` and `branches` here (indexes in these commits followed by NAME's)
    extends: Index = 0
    # (NEWER only) the refs and pending commits are NAME's (the refs named the same commits when it was
    # written): not written again with every new commit
    pending_base: bool = False


@dataclass
class Known:
    head: str | None = None  # the head the commits were read at; None: nothing usable cached
    commits: list[Commit] = field(default_factory=list)  # newest first: the head's own first
    by_id: dict[str, Commit] = field(default_factory=dict)  # the same commits by id (built once: 18,000 at 1,000 students)
    refs: dict[str, str] = field(default_factory=dict)  # ref -> commit id, for the pending commits
    pending: list[Commit] = field(default_factory=list)
    mainline: list[Commit] | None = None  # History.mainline and History.branch at `head`, when cached
    branch: dict[str, list[Commit]] = field(default_factory=dict)
    base: str | None = None  # the head of NAME these came from (with NEWER's commits before them)
    base_count: int = 0  # NAME's commits, the last of `commits`
    base_shape: int = 0  # the first-parent commits of NAME's shape (checked where it serves)
    base_refs: dict[str, str] = field(default_factory=dict)  # NAME's refs and pending commits
    base_pending: list[Commit] = field(default_factory=list)
    fresh: list[Commit] = field(default_factory=list)  # the commits of the new head the cache lacks, newest first


_PARENTS = attrgetter("parents")


def _is_id(value) -> bool:
    return isinstance(value, str) and OBJECT_ID.fullmatch(value) is not None


def load(root: Path, head: str, trailers: bool, log=lambda old: None) -> Known:
    """What an earlier run read that holds for `head`, with `fresh` the commits it lacks, or an
    empty Known. `log(old)`: the commits `head` reaches and `old` does not, newest first (None
    when Git cannot tell: `old` is no longer in the repository)."""
    body = cache.read(root, NAME, Stored)
    if body is None or body.format != FORMAT or body.base or body.trailers != trailers:
        return Known()
    newer = cache.read(root, NEWER, Stored) if head != body.head else None
    if newer is not None and (newer.format != FORMAT or newer.base != body.head
                              or newer.base_count != len(body.commits) or newer.trailers != body.trailers):
        newer = None
    top = body if newer is None else newer
    if not _is_id(top.head):
        return Known()
    fresh = log(top.head) if top.head != head else []
    if fresh is None and newer is not None:  # (NEWER's head is gone: a rewritten history)
        newer, top = None, body
        fresh = log(body.head) if _is_id(body.head) else None
    if fresh is None:
        return Known()
    shas = {c.sha for c in fresh}
    # where the log stopped: the parents of its commits it did not list (or the head, where it listed none)
    stops = {p for c in fresh for p in c.parents if p not in shas} if fresh else {head}
    if fresh and fresh[0].sha != head:
        return Known()
    if top.head in stops or top.head == head:  # the head descends from the cached head: every cached commit is its
        known = _known(_joined(newer, body) if newer else body, trailers, fresh, stops, body)
    elif newer is not None:
        known = _newer_part(newer, body, trailers, fresh, stops, head)
    else:
        known = _reached(_known(body, trailers), fresh, stops, head)
    if known.head:
        known.base, known.base_count = body.head, len(body.commits)
        known.base_shape = len(body.mainline)  # (checked where it serves: `_shape` of the two files joined)
        known.base_refs, known.base_pending = body.refs, body.pending
    return known


def _joined(newer: Stored, body: Stored) -> Stored:
    """The two files as one (main's shape: NAME's part, when NEWER's extends it, is added by `_shape`)."""
    return Stored(newer.head, newer.trailers, newer.commits + body.commits, *_pending_of(newer, body),
                  newer.mainline, newer.branches, extends=newer.extends)


def _pending_of(newer: Stored, body: Stored) -> tuple[dict[str, str], list[Commit]]:
    """NEWER's refs and pending commits (NAME's, where it says so)."""
    return (body.refs, body.pending) if newer.pending_base else (newer.refs, newer.pending)


def _newer_part(newer: Stored, body: Stored, trailers: bool, fresh: list[Commit], stops: set[str], head: str) -> Known:
    """A head off NEWER's head: when it reaches NAME's head (it went back to a commit before
    NEWER's, or NEWER's commits are another branch's), NAME serves as it is and the commits of
    NEWER's that the head reaches are taken as logged ones. (Every commit of NAME is an ancestor
    of its head: a walk through NEWER's commits that meets NAME meets its head, or reaches only some
    of its commits.)"""
    by_id = {c.sha: c for c in newer.commits}
    reached = _reach(by_id, stops, by_id)
    if body.head in reached:
        known = _known(body, trailers, [], reached - by_id.keys())
        if known.head is not None:
            known.fresh = fresh + sorted((c for c in newer.commits if c.sha in reached), key=lambda c: c.sha != head)
            known.refs, known.pending = _pending_of(newer, body)
        return known
    return _reached(_known(_joined(newer, body), trailers), fresh, stops, head)


def _reached(known: Known, fresh: list[Commit], stops: set[str], head: str) -> Known:
    """Of `known`, the commits `stops` reach: all that serves a head that does not descend from the
    cached one (main's shape is worked out anew)."""
    if known.head is None or not stops <= known.by_id.keys():
        return Known()
    reached = _reach(known.by_id, stops)
    commits = [c for c in known.commits if c.sha in reached]
    if not fresh:  # the head is one of the cached commits: it comes first
        commits.sort(key=lambda c: c.sha != head)
    part = Known("", commits, {c.sha: c for c in commits}, known.refs, known.pending)
    part.fresh = fresh
    return part


def _reach(by_id: dict[str, Commit], stops: set[str], within=None) -> set[str]:
    """The commits `stops` reach (with `within`: walking on only from those, the others reached but left)."""
    reached, stack = set(), list(stops)
    while stack:
        sha = stack.pop()
        if sha not in reached:
            reached.add(sha)
            if within is None or sha in within:
                stack.extend(by_id[sha].parents)
    return reached


def _known(body: Stored, trailers: bool, fresh: list[Commit] = (), stops: set[str] = frozenset(),
           first: Stored | None = None) -> Known:
    """The cached commits of `body`, with `fresh` the commits logged since, when it holds them
    whole and the commits where that log stopped (`stops`). `first`: the NAME whose shape
    `body`'s extends (NEWER's joined to it)."""
    if body.trailers != trailers or not _is_id(body.head):
        return Known()
    old, commits = body.head, body.commits
    by_id = {c.sha: c for c in commits}
    if not commits or commits[0].sha != old or not _closed(commits, by_id) or not by_id.keys() >= stops:
        return Known()
    refs = {ref: sha for ref, sha in body.refs.items() if _is_id(sha)}
    known = Known(old, commits, by_id, refs, body.pending, fresh=list(fresh))
    known.mainline, known.branch = _shape(body, first) or (None, {})
    return known


def _shape(body: Stored, first: Stored | None = None) -> tuple[list[Commit], dict[str, list[Commit]]] | None:
    """The cached first-parent chain and branches, when they fit the commits: a chain of first
    parents from a root commit to the head, one list of merged commits for each. A shape that
    `extends` another starts with `first`'s (which must end at `first`'s head, with as many commits)."""
    parts = [(body.commits, body.mainline, body.branches)]
    if body.extends:
        if first is None or len(first.mainline) != body.extends:
            return None
        parts.insert(0, (first.commits, first.mainline, first.branches))
    mainline, branch = [], {}
    try:
        for commits, indexes, branches in parts:
            part = list(map(commits.__getitem__, indexes))
            if len(branches) != len(part):
                return None
            get = commits.__getitem__
            branch.update((commit.sha, list(map(get, merged)))
                          for commit, merged in zip(part, branches) if len(commit.parents) > 1)
            mainline += part
        chained = [c.parents[0] for c in islice(mainline, 1, None)] == [c.sha for c in mainline[:-1]]
    except IndexError:
        return None
    if not mainline or mainline[0].parents or mainline[-1].sha != body.head or not chained \
            or (body.extends and mainline[body.extends - 1].sha != first.head):
        return None
    return mainline, branch


def _closed(commits: list[Commit], by_id: dict[str, Commit]) -> bool:
    """Every parent of every commit is there too, each commit once (`by_id`: them by id): with the
    head first, the commits are all of the head's history (commit ids name their parents, so Git
    would list exactly these)."""
    return len(by_id) == len(commits) and set(by_id).issuperset(chain.from_iterable(map(_PARENTS, commits)))


def pending(known: Known, refs: dict[str, str], held) -> list[Commit] | None:
    """The pending commits for these refs (ref -> commit id) under a head holding `held`, when the
    cache knows them: the same refs naming the same commits."""
    if known.head is None or refs != known.refs:
        return None
    pending = [c for c in known.pending if c.sha not in held]
    shas = {c.sha for c in pending}
    if not set(refs.values()) <= shas or not all(p in shas or p in held for c in pending for p in c.parents):
        return None  # not all of what the refs reach beyond the head: read it anew
    return pending


def store(root: Path, history, trailers: bool, fresh: list[Commit], known: Known, refs: dict[str, str]) -> None:
    """The commits logged now (`fresh`, newest first: the head's own first) before those `known`
    held, with the pending commits and main's shape as `history` (generator.git.history) holds them:
    beside the first file when they are few (NEWER), else all of them in it (NAME)."""
    commits = fresh + known.commits
    if not commits or commits[0].sha != history.head:
        return
    newer = len(commits) - known.base_count
    if known.base and newer * NEWER_SHARE <= known.base_count:
        # main's shape after NAME's, where main runs through NAME's head (its shape is then NAME's
        # up to there: a first-parent chain and its branches are fixed by the head they end at)
        start = known.base_shape
        extends = start if 0 < start <= len(history.mainline) and history.mainline[start - 1].sha == known.base else 0
        shape = _indexes(history, extends, commits[:newer] if extends else commits)
        if shape is None:
            extends, shape = 0, _indexes(history, 0, commits)
        # the refs as NAME holds them, and so the pending commits (NAME's that the head does not hold)
        same = refs == known.base_refs and [(c.sha, c.source) for c in history.pending] == [
            (c.sha, c.source) for c in known.base_pending if c.sha not in history.commits]
        cache.write(root, NEWER, Stored(history.head, trailers, commits[:newer], *(({}, []) if same else (
            refs, history.pending)), *shape, FORMAT, known.base, known.base_count, extends, same), binary=True)
    else:
        cache.write(root, NAME, Stored(history.head, trailers, commits, refs, history.pending,
                                       *_indexes(history, 0, commits), FORMAT), binary=True)


def _indexes(history, start: int, among: list[Commit]) -> tuple[list[int], list[list[int]]] | None:
    """Main's shape from its `start`-th first-parent commit on, as indexes in `among` (the first of
    the commits written), when `among` holds every commit it names; else None."""
    index = {c.sha: i for i, c in enumerate(among)}
    chain = history.mainline[start:]
    try:
        return ([index[c.sha] for c in chain],
                [[index[c.sha] for c in history.branch.get(m.sha, ())] for m in chain])
    except KeyError:
        return None
