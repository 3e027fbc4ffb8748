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

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .. import cache

NAME = "history.json"


@dataclass
class Known:
    head: str | None = None  # the head the commits were read at; None: nothing usable cached
    commits: list = field(default_factory=list)  # newest first: the head's own first
    refs: dict[str, str] = field(default_factory=dict)  # ref -> commit id, for the pending commits
    pending: list = field(default_factory=list)
    rows: list = field(default_factory=list, repr=False)  # the commits as stored: written again as they are


def _pack(c, source: bool = False) -> list:
    changes = [part for change in c.changes for part in change]
    return [c.sha, list(c.parents), c.author_name, c.author_email, int(c.author_time.timestamp()),
            c.committer_name, c.committer_email, int(c.committer_time.timestamp()), c.subject,
            list(c.certified_by), changes] + ([c.source] if source else [])


def _unpack(row: list, commit_type):
    sha, parents, an, ae, at, cn, ce, ct, subject, certified, changes, *source = row
    when = datetime.fromtimestamp
    pairs = iter(changes)
    return commit_type(sha, tuple(parents), an, ae, when(at, timezone.utc), cn, ce, when(ct, timezone.utc),
                       subject, tuple(certified), list(zip(pairs, pairs)), *source[:1])


def _is_id(value) -> bool:
    return isinstance(value, str) and len(value) in (40, 64) and all(ch in "0123456789abcdef" for ch in value)


def load(root: Path, head: str, trailers: bool, commit_type) -> Known:
    """What an earlier run read that holds for `head`, or an empty Known."""
    body = cache.read(root, NAME)
    if not body or body.get("trailers") != trailers or not isinstance(body.get("commits"), list):
        return Known()
    old = body.get("head")
    if not _is_id(old):
        return Known()
    if old != head and cache.git(root, "merge-base", "--is-ancestor", old, head) is None:
        return Known()  # rewritten, or another branch: read it all
    try:
        commits = [_unpack(row, commit_type) for row in body["commits"]]
        refs = body.get("refs")
        refs = {str(k): v for k, v in refs.items() if _is_id(v)} if isinstance(refs, dict) else {}
        pending = [_unpack(row, commit_type) for row in body.get("pending") or ()]
    except (TypeError, ValueError, OverflowError, OSError, AttributeError):
        return Known()
    if not commits or commits[0].sha != old or not _closed(commits):
        return Known()
    return Known(old, commits, refs, pending, body["commits"])


def _closed(commits: list) -> bool:
    """Every parent of every commit is there too: with the head first, the commits are all of the
    head's history (commit ids name their parents, so Git would list exactly these)."""
    shas = {c.sha for c in commits}
    return len(shas) == len(commits) and all(p in shas for c in commits for p in c.parents)


def pending(known: Known, refs: dict[str, str], held) -> list | None:
    """The pending commits for these refs (ref -> commit id) under a head holding `held`, when the
    cache knows them: the same refs naming the same commits."""
    if known.head is None or refs != known.refs:
        return None
    pending = [c for c in known.pending if c.sha not in held]
    shas = {c.sha for c in pending}
    if not set(refs.values()) <= shas or not all(p in shas or p in held for c in pending for p in c.parents):
        return None  # not all of what the refs reach beyond the head: read it anew
    return pending


def store(root: Path, head: str, trailers: bool, fresh: list, known: Known, refs: dict[str, str],
          pending: list) -> None:
    """The commits logged now (`fresh`, newest first: the head's own first) before those `known`
    held, which are written as they were read."""
    if (fresh or known.commits) and (fresh or known.commits)[0].sha == head:
        rows = [_pack(c) for c in fresh] + known.rows
        cache.write(root, NAME, {"head": head, "trailers": trailers, "commits": rows,
                                 "refs": refs, "pending": [_pack(c, source=True) for c in pending]}, plain=True)
