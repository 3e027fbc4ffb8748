"""Git history in one pass: every commit reachable from the revision, with its changed paths.

`git log --diff-merges=first-parent` lists each merge with the paths it brought to its first
parent and each other commit with its own, so one log of the whole graph (plus one over the
merge-request refs) is all certification and the permission audit need. Iterating commits
one by one (through a Git library) and diffing each would take ~100× longer; git itself runs
as a plain subprocess.

A merge's own writing (`Commit.own`) is found as the log is read (generator.git.merge_writing).

Commit messages and identities are written by students: records are split on a separator
that includes a random nonce, so no message can forge a commit record.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from fnmatch import fnmatchcase
from functools import cached_property
from pathlib import Path

import msgspec

from ..errors import RepositoryError
from . import merge_writing, prefetch
from .identity import fold

_TRAILER = "Certified-by"
# the subject of the commit `licheng purge --apply` makes; the permission audit lets admins' purge commits through
PURGE_SUBJECT = "依§8刪除保存年限屆滿之離校學生資料"
# the subject of the commit `licheng split` makes in the portfolio (personal records moved out, roster in)
SPLIT_SUBJECT = "個人資料移至學籍資料庫（licheng split）"
_EMAIL = re.compile(r"<([^<>\s]+@[^<>\s]+)>")
PARALLEL_FROM = 1000  # first-parent commits; below this one log is quicker than two
_FIELDS = ("%H", "%P", "%an", "%ae", "%at", "%cn", "%ce", "%ct", "%s")
_TRAILERS = f"%(trailers:key={_TRAILER},valueonly=true,separator=%x1d)"


class Commit(msgspec.Struct, array_like=True, gc=False):
    """One commit as `git log` gives it. licheng's cache stores it as an array of these fields
    in this order (generator.git.known). It holds only strings, times and lists of them, so it is
    in no reference cycle and the cyclic collector need not track its tens of thousands."""

    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    author_time: datetime
    committer_name: str
    committer_email: str
    committer_time: datetime
    subject: str
    certified_by: tuple[str, ...]  # emails named in Certified-by: trailers
    changes: list[tuple[str, str]]  # (status A/M/D/T, path)
    source: str = ""  # the ref git reached it from (for merge requests: refs/pull/12/head)
    own: tuple[str, ...] = ()  # a merge's own writing: the changed paths where it matches none of its parents

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    @property
    def short(self) -> str:
        return self.sha[:8]


@dataclass
class History:
    commits: dict[str, Commit] = field(default_factory=dict)
    mainline: list[Commit] = field(default_factory=list)  # first-parent chain, oldest first
    branch: dict[str, list[Commit]] = field(default_factory=dict)  # merge sha -> commits it merged
    pending: list[Commit] = field(default_factory=list)  # on merge-request refs, not on main
    request_heads: dict[str, str] = field(default_factory=dict)  # commit id -> merge-request head ref pointing at it
    pending_refs: dict[str, str] = field(default_factory=dict)  # the refs `pending` was read from: ref -> commit id
    test_merges: set[str] = field(default_factory=set)  # N of each GitHub test merge refs/pull/N/merge fetched here
    shallow: bool = False
    head: str = ""
    use_cache: bool = False  # read with licheng's cache: facts of its commits may come from it too

    @cached_property
    def position(self) -> dict[str, int]:
        """Commit id -> its index in `mainline`."""
        return {c.sha: i for i, c in enumerate(self.mainline)}

    @cached_property
    def changed(self) -> dict[str, list[int]]:
        """Path -> the indexes in `mainline` of the commits that changed it, oldest first: the one
        pass over main's changes that certification and `as_of` read."""
        out: dict[str, list[int]] = {}
        for i, commit in enumerate(self.mainline):
            for _, path in commit.changes:
                seen = out.get(path)
                if seen is None:
                    out[path] = [i]
                elif seen[-1] != i:
                    seen.append(i)
        return out


def _git(root: Path, *args: str, stdin: bytes | None = None) -> str:
    return _git_bytes(root, *args, stdin=stdin).decode("utf-8", "surrogateescape")


def _git_bytes(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    proc = (subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True) if stdin is not None
            else prefetch.run(root, *args))
    if proc.returncode != 0:
        raise RepositoryError(f"git {args[0]}: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout


def _log(root: Path, *args: str, trailers: bool = False, source: bool = False, stdin: bytes | None = None) -> list[Commit]:
    """Commits of `git log *args`; the trailer and source fields cost git time, so only on request."""
    nonce = os.urandom(8).hex()  # (as secrets.token_hex makes it, without importing secrets and random)
    record, sep = f"\x1e{nonce}", f"\x1f{nonce}"
    fields = _FIELDS + ((_TRAILERS,) if trailers else ()) + (("%S",) if source else ())
    fmt = record + sep.join(fields) + sep
    # no pathspec: git would then diff every merge against all its parents (4× slower); and
    # the audit needs every path (a student changing a site template is a finding)
    out = _git_bytes(root, "log", *args, "--no-renames", "--diff-merges=first-parent", "--raw", "--no-abbrev", "-z",
                     f"--format={fmt}", stdin=stdin)
    # split as bytes, each record decoded on its own: the log's text (its blob ids make it long) is
    # never held twice over, as text and as its records
    chunks = out.split(record.encode())
    del out
    commits, raw, wanted = [], {}, set()
    for chunk in chunks[1:]:
        parts = chunk.decode("utf-8", "surrogateescape").split(sep)
        if len(parts) != len(fields) + 1:
            raise RepositoryError(f"unexpected git log output near {chunk[:60]!r}")
        sha, parents, an, ae, at, cn, ce, ct, subject = parts[:9]
        # (":old-mode new-mode old-id new-id status", path) pairs
        names = parts[-1].strip("\0\n").split("\0")
        changes = [(names[i][-1:], names[i + 1]) for i in range(0, len(names) - 1, 2)]
        if " " in parents:  # a merge: its blob ids, and those of its other parents (listed after it, nearly always)
            raw[sha] = names
            wanted.update(parents.split()[1:])
        elif sha in wanted:
            raw[sha] = names
        certified = ()
        if trailers:
            certified = tuple(fold(m.group(1)) for t in parts[9].split("\x1d") for m in [_EMAIL.search(t)] if m)
        commits.append(Commit(sha, tuple(parents.split()), an, fold(ae), _when(at), cn, fold(ce),
                              _when(ct), subject, certified, changes, parts[-2] if source else ""))
    merge_writing.own_writing(root, [c for c in commits if c.is_merge and c.changes], raw)
    return commits


def _since(root: Path, head: str, old: str, trailers: bool) -> list[Commit] | None:
    """The commits `head` reaches and `old` does not (None: Git has no commit `old`)."""
    try:
        return _log(root, head, "--not", old, trailers=trailers)
    except RepositoryError:
        return None


def _log_in_parallel(root: Path, head: str, trailers: bool) -> list[Commit]:
    """The whole graph of `head` as two logs that split it exactly — what the middle commit of
    the first-parent chain reaches, and the rest — run at once: git's diffs use both cores."""
    chain = _git(root, "rev-list", "--first-parent", head).split()
    if len(chain) < PARALLEL_FROM:
        return _log(root, head, trailers=trailers)
    middle = chain[len(chain) // 2]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        newer = pool.submit(_log, root, head, "--not", middle, trailers=trailers)
        older = pool.submit(_log, root, middle, trailers=trailers)
        return newer.result() + older.result()


_LATEST = datetime(9999, 12, 31, tzinfo=timezone.utc)


def _when(epoch: str) -> datetime:
    try:
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    except (ValueError, OverflowError, OSError):  # a forged date beyond what Python can hold
        return _LATEST if epoch.strip().isdigit() else datetime(1970, 1, 1, tzinfo=timezone.utc)


# merge requests, and remote branches other than the remote's main (which CI may not have merged yet)
REQUEST_REFS = ("refs/pull/*/head", "refs/merge-requests/*/head")
REMOTE_REFS, REMOTE_EXCLUDED = "refs/remotes/*", ("refs/remotes/*/HEAD", "refs/remotes/*/main", "refs/remotes/*/master")


def _head(root: Path, rev: str) -> tuple[str | None, bool]:
    """(the commit `rev` names, None for a repository with nothing committed yet; is it shallow)."""
    proc = prefetch.run(root, *prefetch.HEAD[:-1], f"{rev}^{{commit}}")
    lines = proc.stdout.decode("utf-8", "surrogateescape").split("\n")
    cdup = lines.pop(0) if lines and lines[0] not in ("true", "false") else ""
    if proc.returncode not in (0, 1) or cdup or not lines or lines[0] not in ("true", "false"):
        raise RepositoryError(f"{root}: 不是 Git 儲存庫", en=f"{root}: not a Git repository")
    if proc.returncode == 1:
        if rev == "HEAD":
            return None, False
        raise RepositoryError(f"{rev}: 找不到這個版本", en=f"{rev}: no such revision")
    return lines[1].strip(), lines[0] == "true"


def read(root: Path, rev: str = "HEAD", *, trailers: bool = False, use_cache: bool = False,
         memo: dict | None = None) -> History:
    """The history of `rev` (default HEAD) and the pending merge requests. With `use_cache`,
    only commits no earlier run has read are logged (generator.git.known). `memo`: the histories
    this run has read (generator.validate.Shared), by what fixes them: one is read once, and each
    caller gets a copy of its own that shares its commits and main's shape (what a caller then
    changes — which pending commits stay, generator.git.openness — stays its own)."""
    head, shallow = _head(root, rev)
    if head is None:
        return History()  # a new repository: nothing committed yet
    if memo is None:
        return _read(root, head, shallow, trailers, use_cache)
    key = (str(Path(root).resolve()), head, shallow, trailers, use_cache)
    if key not in memo:
        read = memo[key] = _read(root, head, shallow, trailers, use_cache)
        read.position, read.changed  # (worked out once: the copies hold them too)
    return copy.copy(memo[key])


def _read(root: Path, head: str, shallow: bool, trailers: bool, use_cache: bool) -> History:
    from . import known as known_mod

    history = History(head=head, shallow=shallow)
    use_cache = history.use_cache = use_cache and not shallow
    known = known_mod.load(root, head, trailers, lambda old: _since(root, head, old, trailers)) if use_cache \
        else known_mod.Known()
    fresh = _log_in_parallel(root, head, trailers) if known.head is None else known.fresh
    # (the cache's commits come by id already: 18,000 of them at 1,000 students)
    history.commits = {**{c.sha: c for c in fresh}, **known.by_id} if fresh else known.by_id
    if known.mainline is not None and known.head == head:
        history.mainline, history.branch = known.mainline, known.branch
    elif known.mainline is None or not _extend_mainline(history, known):
        _split_mainline(history)
    refs = history.pending_refs = _pending_refs(root, history)
    pending = known_mod.pending(known, refs, history.commits)
    if pending is None:
        pending = _pending(root, head, refs, history.commits)
    history.pending = pending
    if use_cache and (known.head != head or known.refs != refs):
        known_mod.store(root, history, trailers, fresh, known, refs)
    return history


def _pending_refs(root: Path, history: History) -> dict[str, str]:
    """The merge-request heads (into history.request_heads), and the refs whose commits main does
    not hold, in the order git would list them: ref -> commit id."""
    heads = history.request_heads
    # (a line "id ref" per merge request ever opened; a ref's name holds no whitespace, so the words
    # alternate: split at once, with a pass in C for which commits main does not hold)
    words = _git(root, *prefetch.REFS).split()
    shas, refs = words[0::2], words[1::2]
    for sha, ref in zip(shas, refs):
        if ref.endswith("/head") and sha not in heads and ref.startswith(("refs/pull/", "refs/merge-requests/")):
            heads[sha] = ref
    history.test_merges.update(ref[len("refs/pull/"):-len("/merge")] for ref in refs
                               if ref.endswith("/merge") and ref.startswith("refs/pull/"))
    unheld = set(shas).difference(history.commits)
    listed = [(sha, ref) for sha, ref in zip(shas, refs) if sha in unheld] if unheld else []
    out = {ref: sha for pattern in REQUEST_REFS for sha, ref in listed if fnmatchcase(ref, pattern)}
    out.update((ref, sha) for sha, ref in listed if fnmatchcase(ref, REMOTE_REFS)
               and not any(fnmatchcase(ref, x) for x in REMOTE_EXCLUDED))
    return out


def _pending(root: Path, head: str, refs: dict[str, str], held) -> list[Commit]:
    """Commits on `refs` that `head` does not hold (a ref whose commit main holds brings none)."""
    if not refs:
        return []
    listed = "\n".join([*refs, f"^{head}"]).encode("utf-8", "surrogateescape") + b"\n"
    return [c for c in _log(root, "--stdin", source=True, stdin=listed) if c.sha not in held]


def _split_mainline(history: History) -> None:
    """The first-parent chain, and for each merge on it the commits its branch brought in."""
    commits = history.commits
    chain, sha = [], history.head
    while sha in commits:
        chain.append(commits[sha])
        parents = commits[sha].parents
        sha = parents[0] if parents else ""
    chain.reverse()
    history.mainline = chain
    _branches(history, chain, set())


def _extend_mainline(history: History, known) -> bool:
    """Main's shape from the one cached at an older head (generator.git.known), when that head is
    on the new head's first-parent chain: its chain, then the new commits' own. False otherwise."""
    commits, chain = history.commits, []
    commit = commits.get(history.head)
    while commit is not None and commit.sha != known.head:
        chain.append(commit)
        commit = commits.get(commit.parents[0]) if commit.parents else None
    if commit is None:
        return False  # main no longer runs through the old head by first parents (a `git pull` merge)
    chain.reverse()
    history.mainline = known.mainline + chain
    history.branch = dict(known.branch)
    _branches(history, chain, set(known.by_id))  # (the old head's whole history)
    return True


def _branches(history: History, chain: list[Commit], seen: set[str]) -> None:
    """For each merge of `chain` (oldest first), the commits its branch brought that neither an
    earlier commit of the chain nor `seen` holds."""
    commits = history.commits
    for commit in chain:
        seen.add(commit.sha)
        if not commit.is_merge:
            continue
        merged, stack = [], list(commit.parents[1:])
        while stack:
            sha = stack.pop()
            if sha in seen or sha not in commits:
                continue
            seen.add(sha)
            merged.append(commits[sha])
            stack.extend(commits[sha].parents)
        if len(merged) > 1:
            merged.sort(key=lambda c: (c.author_time, c.sha))
        history.branch[commit.sha] = merged
