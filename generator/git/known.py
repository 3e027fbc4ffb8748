"""The history pass, incremental: commits read by an earlier run come from licheng's cache
(generator.cache), and `git log` reads only the commits since.

The cache holds the commits of one head. It serves a new head only when Git confirms that the
old head is an ancestor of the new one, and only when it holds every parent of every commit it
holds (a commit id names its parents, so that is exactly the old head's history); a rewritten
history (purge --rewrite-history, migrate --lfs, a force push) fails that test and is read
anew. A shallow clone is never cached (its grafts change).

It also holds the pending commits (on merge-request refs, not on main) with the refs they were
read from. While every such ref still names the same commit, the pending commits of a head that
descends from the cached one are the cached ones minus those the head now holds: a commit id
fixes everything a commit reaches, so nothing else can have joined them. They serve only when
they hold each ref's commit and every parent of theirs is theirs or the head's.

A run that logs a few new commits (or finds other pending refs) does not write all the commits
again: a second file (`history-new.json`, signed alike) holds the new commits, main's shape and the
pending commits, and names the first file's head and commit count; a run reads the two together
when they fit, else the first alone. The first file is written again once the second would hold
more than a twentieth of its commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain, islice
from operator import attrgetter
from pathlib import Path
from typing import Annotated

import msgspec

from .. import cache
from . import prefetch
from .history import Commit
from .objects import OBJECT_ID

NAME = "history.json"
FORMAT = 2  # 2: a merge carries its own writing (Commit.own); a cache of another format is read anew
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


_PARENTS = attrgetter("parents")


def _is_id(value) -> bool:
    return isinstance(value, str) and OBJECT_ID.fullmatch(value) is not None


def load(root: Path, head: str, trailers: bool) -> Known:
    """What an earlier run read that holds for `head`, or an empty Known."""
    body = cache.read(root, NAME, Stored)
    if body is None or body.format != FORMAT or body.base:
        return Known()
    newer = cache.read(root, NEWER, Stored)
    if newer is not None and newer.format == FORMAT and newer.base == body.head \
            and newer.base_count == len(body.commits) and newer.trailers == body.trailers:
        joined = Stored(newer.head, newer.trailers, newer.commits + body.commits, newer.refs, newer.pending,
                        newer.mainline, newer.branches)
        known = _known(root, joined, head, trailers)
        if known.head is not None:  # (else `head` is not one of the newer commits' descendants: the first alone)
            known.base, known.base_count = body.head, len(body.commits)
            return known
    known = _known(root, body, head, trailers)
    known.base, known.base_count = known.head, len(known.commits)
    return known


def _known(root: Path, body: Stored, head: str, trailers: bool) -> Known:
    if body.trailers != trailers or not _is_id(body.head):
        return Known()
    old, commits = body.head, body.commits
    if old != head and prefetch.output(root, "merge-base", "--is-ancestor", old, head) is None:
        return Known()  # rewritten, or another branch: read it all
    by_id = {c.sha: c for c in commits}
    if not commits or commits[0].sha != old or not _closed(commits, by_id):
        return Known()
    refs = {ref: sha for ref, sha in body.refs.items() if _is_id(sha)}
    known = Known(old, commits, by_id, refs, body.pending)
    known.mainline, known.branch = _shape(body) or (None, {})
    return known


def _shape(body: Stored) -> tuple[list[Commit], dict[str, list[Commit]]] | None:
    """The cached first-parent chain and branches, when they fit the commits: a chain of first
    parents from a root commit to the head, one list of merged commits for each."""
    commits = body.commits
    try:
        mainline = list(map(commits.__getitem__, body.mainline))
        branch = {commit.sha: [commits[i] for i in merged]
                  for commit, merged in zip(mainline, body.branches) if len(commit.parents) > 1}
        chained = [c.parents[0] for c in islice(mainline, 1, None)] == [c.sha for c in mainline[:-1]]
    except IndexError:
        return None
    if not mainline or len(body.branches) != len(mainline) or mainline[0].parents or mainline[-1].sha != body.head \
            or not chained:
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
    index = {c.sha: i for i, c in enumerate(commits)}
    mainline = [index[c.sha] for c in history.mainline]
    branches = [[index[c.sha] for c in history.branch.get(m.sha, ())] for m in history.mainline]
    newer = len(commits) - known.base_count
    if known.base and newer * NEWER_SHARE <= known.base_count:
        cache.write(root, NEWER, Stored(history.head, trailers, commits[:newer], refs, history.pending, mainline,
                                        branches, FORMAT, known.base, known.base_count), plain=True)
    else:
        cache.write(root, NAME, Stored(history.head, trailers, commits, refs, history.pending, mainline, branches,
                                       FORMAT), plain=True)
