"""`licheng certify --via local`: one branch that merges many requests, for the teacher to merge once.

Built with Git's plumbing (merge-tree, commit-tree), so the teacher's checkout is never touched.
Under §5.3.2 the teacher's one merge of this branch into main certifies every outcome it
brings; the merges inside it are claims. A teacher_note change ("renote") re-certifies an
outcome someone else merged once the teacher's merge brings it.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime

_NOTE = re.compile(r"^teacher_note:.*$", re.M)


@dataclass
class Batch:
    branch: str
    head: str = ""
    merged: list[str] = field(default_factory=list)  # refs merged into the branch
    renoted: list[str] = field(default_factory=list)  # outcome paths whose teacher_note changed
    conflicts: list[str] = field(default_factory=list)  # refs that do not merge cleanly
    empty: list[str] = field(default_factory=list)  # refs whose merge brings nothing (already on the base)


def _git(root, *args: str, env: dict | None = None, stdin: bytes | None = None, check: bool = True):
    done = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True,
                          env={**os.environ, **(env or {})})
    if check and done.returncode:
        raise RuntimeError(done.stderr.decode("utf-8", "replace").strip())
    return done


def identity_env(name: str, email: str, at: datetime) -> dict:
    stamp = f"{int(at.timestamp())} {at.strftime('%z')}"
    return {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": stamp}


def renoted(text: str, note: str) -> str:
    """The outcome's YAML with its teacher_note set to `note` (the rest untouched)."""
    line = f'teacher_note: "{note}"'
    if _NOTE.search(text):
        return _NOTE.sub(lambda _: line, text, count=1)
    return text + ("" if text.endswith("\n") or not text else "\n") + line + "\n"


def build(root, base: str, branch: str, heads: list[tuple[str, str]], notes: dict[str, str], env: dict) -> Batch:
    """Branch `branch` at `base` + one merge per (ref, head) + one commit setting the notes
    (path -> new file text). Refs that conflict are left out and named."""
    batch = Batch(branch)
    current = _git(root, "rev-parse", "--verify", f"{base}^{{commit}}").stdout.decode().strip()
    for ref, head in heads:
        done = _git(root, "merge-tree", "--write-tree", current, head, check=False)
        if done.returncode:
            batch.conflicts.append(ref)
            continue
        tree = done.stdout.decode().split()[0]
        if tree == _git(root, "rev-parse", f"{current}^{{tree}}").stdout.decode().strip():
            batch.empty.append(ref)  # its content is on the base already (a squash or rebase merge): certifies nothing
            continue
        current = _git(root, "commit-tree", tree, "-p", current, "-p", head, "-m", f"Merge {ref}",
                       env=env).stdout.decode().strip()
        batch.merged.append(ref)
    if notes:
        with tempfile.TemporaryDirectory() as tmp:
            index = {"GIT_INDEX_FILE": os.path.join(tmp, "index")}
            _git(root, "read-tree", current, env=index)
            for path, text in sorted(notes.items()):
                blob = _git(root, "hash-object", "-w", "--stdin", stdin=text.encode()).stdout.decode().strip()
                _git(root, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=index)
                batch.renoted.append(path)
            tree = _git(root, "write-tree", env=index).stdout.decode().strip()
        current = _git(root, "commit-tree", tree, "-p", current, "-m", "重新認證：更新教師附註 teacher_note",
                       env=env).stdout.decode().strip()
    if batch.merged or batch.renoted:
        # (the empty old value: made only where no branch of that name is, never over one)
        if _git(root, "update-ref", f"refs/heads/{branch}", current, "", check=False).returncode:
            raise BranchExists(branch)
        batch.head = current
    return batch


class BranchExists(Exception):
    """A branch of the batch's name is there already: never overwritten."""


def valid_name(root, branch: str) -> bool:
    return _git(root, "check-ref-format", "--branch", branch, check=False).returncode == 0 and not branch.startswith("-")


def exists(root, branch: str) -> bool:
    return _git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False).returncode == 0


def free_name(root, name: str) -> str:
    """`name`, or name-2, name-3 …: the first no branch has (a second batch in the same minute
    is a branch of its own, never written over the first)."""
    n, free = 1, name
    while exists(root, free):
        n += 1
        free = f"{name}-{n}"
    return free
