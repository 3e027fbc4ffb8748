"""The history pass, incremental: commits read by an earlier run come from licheng's cache
(generator.cache), and `git log` reads only the commits since.

The cache holds the commits of one head. It serves a new head only when Git confirms that the
old head is an ancestor of the new one and that the old head reaches exactly as many commits as
the cache holds; a rewritten history (purge --rewrite-history, migrate --lfs, a force push)
fails that test and is read anew. A shallow clone is never cached (its grafts change).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from .. import cache

NAME = "history.json"


def _pack(c) -> list:
    return [c.sha, list(c.parents), c.author_name, c.author_email, int(c.author_time.timestamp()),
            c.committer_name, c.committer_email, int(c.committer_time.timestamp()), c.subject,
            list(c.certified_by), [s + p for s, p in c.changes]]


def _unpack(row: list, commit_type):
    sha, parents, an, ae, at, cn, ce, ct, subject, certified, changes = row
    when = datetime.fromtimestamp
    return commit_type(sha, tuple(parents), an, ae, when(at, timezone.utc), cn, ce, when(ct, timezone.utc),
                       subject, tuple(certified), [(c[:1], c[1:]) for c in changes])


def cached_commits(root: Path, head: str, trailers: bool, commit_type) -> tuple[list, str | None]:
    """(commits read before that are in `head`'s history, the head they were read at), or ([], None)."""
    body = cache.read(root, NAME)
    if not body or body.get("trailers") != trailers or not isinstance(body.get("commits"), list):
        return [], None
    old = body.get("head")
    if not isinstance(old, str) or len(old) not in (40, 64) or not all(ch in "0123456789abcdef" for ch in old):
        return [], None
    if old != head and cache.git(root, "merge-base", "--is-ancestor", old, head) is None:
        return [], None  # rewritten, or another branch: read it all
    count = cache.git(root, "rev-list", "--count", old)
    if count is None or count.strip() != str(len(body["commits"])):
        return [], None
    try:
        commits = [_unpack(row, commit_type) for row in body["commits"]]
    except (TypeError, ValueError, OverflowError, OSError):
        return [], None
    if not commits or commits[0].sha != old:
        return [], None
    return commits, old


def store(root: Path, head: str, trailers: bool, commits: list) -> None:
    """Commits newest first: the head's own first."""
    if commits and commits[0].sha == head:
        cache.write(root, NAME, {"head": head, "trailers": trailers, "commits": [_pack(c) for c in commits]})
