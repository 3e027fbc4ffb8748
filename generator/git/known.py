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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import msgspec

from .. import cache
from .history import Commit

NAME = "history.json"


class Stored(msgspec.Struct):
    """The cache file's body: the commits are decoded straight into Commits, one msgspec pass."""

    head: str
    trailers: bool
    commits: list[Commit]  # newest first: the head's own first
    refs: dict[str, str] = {}  # ref -> commit id, for the pending commits
    pending: list[Commit] = []


@dataclass
class Known:
    head: str | None = None  # the head the commits were read at; None: nothing usable cached
    commits: list[Commit] = field(default_factory=list)  # newest first: the head's own first
    refs: dict[str, str] = field(default_factory=dict)  # ref -> commit id, for the pending commits
    pending: list[Commit] = field(default_factory=list)


_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def _is_id(value) -> bool:
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def load(root: Path, head: str, trailers: bool) -> Known:
    """What an earlier run read that holds for `head`, or an empty Known."""
    body = cache.read(root, NAME, Stored)
    if body is None or body.trailers != trailers or not _is_id(body.head):
        return Known()
    old, commits = body.head, body.commits
    if old != head and cache.git(root, "merge-base", "--is-ancestor", old, head) is None:
        return Known()  # rewritten, or another branch: read it all
    if not commits or commits[0].sha != old or not _closed(commits):
        return Known()
    refs = {ref: sha for ref, sha in body.refs.items() if _is_id(sha)}
    return Known(old, commits, refs, body.pending)


def _closed(commits: list[Commit]) -> bool:
    """Every parent of every commit is there too: with the head first, the commits are all of the
    head's history (commit ids name their parents, so Git would list exactly these)."""
    shas = {c.sha for c in commits}
    return len(shas) == len(commits) and shas.issuperset(chain.from_iterable(c.parents for c in commits))


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


def store(root: Path, head: str, trailers: bool, fresh: list[Commit], known: Known, refs: dict[str, str],
          pending: list[Commit]) -> None:
    """The commits logged now (`fresh`, newest first: the head's own first) before those `known`
    held."""
    commits = fresh + known.commits
    if commits and commits[0].sha == head:
        cache.write(root, NAME, Stored(head, trailers, commits, refs, pending), plain=True)
