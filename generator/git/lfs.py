"""Attachments in Git LFS: pointer files, the local object store, and which attachments must be
present to be checked.

A clone made with GIT_LFS_SKIP_SMUDGE=1 (what the CI templates do) holds only pointers: the
pointer gives the attachment's size (file.size), and the object's first bytes, where the object
has been fetched into .git/lfs/objects, give its type (file.type). Attachments not yet on main —
changed in the working tree, or by the commits of HEAD that main does not have (a merge
request) — must be present (`git lfs pull --include=…`); elsewhere a missing object is normal.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from .objects import batch

MAX_POINTER = 1024
_POINTER = re.compile(rb"\Aversion https://git-lfs\.github\.com/spec/v1\n(?:[a-z0-9.-]+ [^\n]*\n)*\Z")
_OID = re.compile(rb"^oid sha256:([0-9a-f]{64})$", re.M)
_SIZE = re.compile(rb"^size (\d{1,15})$", re.M)
PATTERNS = ("*.pdf", "*.jpg", "*.jpeg", "*.png", "*.mp3", "*.mp4")
ATTRIBUTES = "".join(f"{p} filter=lfs diff=lfs merge=lfs -text\n" for p in PATTERNS)


def pointer(data: bytes) -> tuple[str, int] | None:
    """(oid, size) when `data` is a Git LFS pointer file."""
    if len(data) > MAX_POINTER or not data.startswith(b"version https://git-lfs"):
        return None
    oid, size = _OID.search(data), _SIZE.search(data)
    if not (_POINTER.match(data) and oid and size):
        return None
    return oid.group(1).decode(), int(size.group(1))


def pointer_bytes(oid: str, size: int) -> bytes:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n".encode()


class Store:
    """The repository's local LFS objects (.git/lfs/objects/ab/cd/abcd…)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._dir: Path | None = None

    @property
    def directory(self) -> Path:
        if self._dir is None:
            proc = subprocess.run(["git", "-C", str(self.root), "rev-parse", "--git-common-dir"],
                                  capture_output=True, text=True)
            git_dir = Path(proc.stdout.strip()) if proc.returncode == 0 else Path(".git")
            self._dir = (git_dir if git_dir.is_absolute() else self.root / git_dir) / "lfs" / "objects"
        return self._dir

    def path(self, oid: str) -> Path:
        return self.directory / oid[:2] / oid[2:4] / oid

    def head(self, oid: str, size: int = 64) -> bytes | None:
        """The object's first bytes, or None when it is not here."""
        try:
            with open(self.path(oid), "rb") as fh:
                return fh.read(size)
        except OSError:
            return None

    def size(self, oid: str) -> int | None:
        """The object's size in bytes, or None when it is not here."""
        try:
            return os.stat(self.path(oid)).st_size
        except OSError:
            return None


def _git(root: Path, *args: str) -> list[str] | None:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True)
    if proc.returncode != 0:
        return None
    return [p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p]


def unmerged(root: Path) -> set[str] | None:
    """Paths changed in the working tree, or by HEAD's commits that main (origin/main, else main)
    does not have: the attachments a check must see whole. None (all of them) outside Git."""
    if _git(root, "rev-parse", "--verify", "-q", "HEAD") is None:
        return None
    out = set(_git(root, "diff", "--name-only", "-z", "HEAD") or ())
    out |= set(_git(root, "ls-files", "--others", "--exclude-standard", "-z") or ())
    for base in ("refs/remotes/origin/main", "refs/heads/main"):
        if _git(root, "rev-parse", "--verify", "-q", base) is not None:
            out |= set(_git(root, "diff", "--name-only", "-z", "--diff-filter=AMT", f"{base}...HEAD") or ())
            break
    return out


def objects_at(root: Path, globs: list[str]) -> set[str]:
    """The LFS objects that any commit of any ref held at paths matching `globs` (fnmatch
    patterns, as git-filter-repo's --path-glob): what a purge must also delete."""
    if not globs:
        return set()
    listed = _git(root, "log", "--all", "--format=", "--raw", "--no-abbrev", "--no-renames", "-z", "--",
                  *(f":(glob){g}" for g in globs)) or []
    blobs = {meta.split()[3] for meta in listed if meta.startswith(":") and len(meta.split()) >= 4}
    blobs.discard("0" * 40)
    return _pointed_objects(root, blobs)


def _pointed_objects(root: Path, blobs: set[str]) -> set[str]:
    pointers = (pointer(content) for _, _, kind, content in batch(root, sorted(blobs)) if kind == b"blob")
    return {found[0] for found in pointers if found}


def referenced(root: Path) -> set[str] | None:
    """Every LFS object some commit of some ref still points to (None without git-lfs)."""
    proc = subprocess.run(["git", "-C", str(root), "lfs", "ls-files", "--all", "--long"], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        return None
    return {line.split()[0] for line in proc.stdout.splitlines() if line.strip()}


def drop_unreferenced(root: Path, oids: set[str]) -> list[str]:
    """Delete from the local store the objects of `oids` that no ref reaches any more; return them
    all (sorted): the LFS server still holds each one until the platform deletes it."""
    still = referenced(root)
    if still is None:
        return sorted(oids)
    store = Store(root)
    gone = sorted(oids - still)
    for oid in gone:
        try:
            store.path(oid).unlink()
        except OSError:
            pass
    return gone
