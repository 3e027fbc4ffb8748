"""A merge's own writing: the paths where a merge commit holds what none of its parents holds (a
conflict resolved, a change slipped into the merge, a file's mode changed) — the merger's, not the
branch's. generator.git.history sets `Commit.own` with it as it reads the log.

A path's entry is its mode and object id, as git's trees hold it: the log's raw lines give the
merge's; each other parent's is the one that parent's own change of the path wrote, where the log
lists one (nearly always: a request's branch tip wrote what it brings), else it is read from the
parent's tree (one `git cat-file --batch` per log). That is `git diff-tree -c` at a fraction of
its cost.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from .objects import OBJECT_ID, tree_entries

if TYPE_CHECKING:
    from .history import Commit


def _entries(names: list[str]) -> dict[str, str]:
    """Path -> the entry ("mode id") a commit's raw changes give it ("": deleted)."""
    out = {}
    for i in range(0, len(names) - 1, 2):
        fields = names[i].split(" ")  # ":old-mode new-mode old-id new-id status"
        out[names[i + 1]] = "" if fields[1] == "000000" else f"{fields[1]} {fields[3]}"
    return out


def own_writing(root: Path, merges: list[Commit], raw: dict[str, list[str]]) -> None:
    """Set each merge's `own`: its changed paths whose entry no parent but the first holds either
    (the first parent's differs, or the path would not be a change)."""
    asked: list[str] = []
    sides = []  # (merge, its entries, [(parent, the parent's entries where its own change gives them)])
    for merge in merges:
        if any(raw.get(p) == raw[merge.sha] for p in merge.parents[1:]):
            continue  # (nearly every merge: its branch's tip wrote exactly what it brings, raw line for raw line)
        parents = [(p, _entries(raw[p]) if p in raw else {}) for p in merge.parents[1:]]
        sides.append((merge, _entries(raw[merge.sha]), parents))
        asked += [f"{p}:{path}" for p, known in parents for _, path in merge.changes if path not in known]
    found = tree_entries(root, asked)
    for merge, mine, parents in sides:
        merge.own = tuple(path for _, path in merge.changes if all(
            mine[path] != (known[path] if path in known else found[f"{p}:{path}"]) for p, known in parents))
    _drop_automatic(root, [(merge, mine) for merge, mine, _ in sides if merge.own])


def _drop_automatic(root: Path, merges: list[tuple[Commit, dict[str, str]]]) -> None:
    """Take out of a merge's own writing what Git's own merge of its parents writes there too:
    both sides changed the file apart (a student's two requests, a note the teacher set
    meanwhile) and Git combined them line by line — every line is one side's commit's, judged
    there. A conflict resolved by hand, or anything slipped in, stays the merger's. (Rare: one
    `git merge-tree` per such merge, per branch of an octopus.)"""
    trees = {merge.sha: tree for merge, _ in merges for tree in [_automatic(root, merge.parents)] if tree}
    found = tree_entries(root, [f"{trees[m.sha]}:{path}" for m, _ in merges if m.sha in trees for path in m.own])
    for merge, mine in merges:
        if merge.sha in trees:
            merge.own = tuple(path for path in merge.own if mine[path] != found[f"{trees[merge.sha]}:{path}"])


_MERGER = {f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER")
           for what, value in (("NAME", "licheng"), ("EMAIL", "licheng@localhost"), ("DATE", "2000-01-01T00:00:00Z"))}


def _automatic(root: Path, parents: tuple[str, ...]) -> str:
    """The tree Git's own merge of `parents` writes ("" where none): two parents' with any
    conflicts held with their markers; an octopus's as Git's octopus strategy makes it, one branch
    at a time onto the merge so far (a conflict stops it: what the merge holds was written by hand).
    Each step but the last is kept as a commit object of fixed identity and date (a loose object
    nothing points at, like the trees merge-tree writes: garbage collection takes them)."""
    head, tree = parents[0], ""
    for i, branch in enumerate(parents[1:], 2):
        proc = subprocess.run(["git", "-C", str(root), "merge-tree", "--write-tree", "--no-messages", head, branch],
                              capture_output=True)
        tree = proc.stdout.decode("ascii", "replace").partition("\n")[0]
        if not OBJECT_ID.fullmatch(tree) or proc.returncode not in ((0, 1) if len(parents) == 2 else (0,)):
            return ""  # (1: conflicts, held with their markers in a two-parent merge; an octopus would stop)
        if i < len(parents):
            step = subprocess.run(["git", "-C", str(root), "commit-tree", "--no-gpg-sign", tree, "-p", head, "-p", branch,
                                   "-m", "octopus"], capture_output=True, env={**os.environ, **_MERGER})
            head = step.stdout.decode("ascii", "replace").strip()
            if step.returncode != 0 or not OBJECT_ID.fullmatch(head):
                return ""
    return tree
