"""Caches outside the repository: parsed records by Git blob id, and whole results.

They live in the user's cache directory ($LICHENG_CACHE_DIR, else $XDG_CACHE_HOME/licheng or
~/.cache/licheng), one folder per repository path — never in the repository, where a committed
cache file would be a pickle from a stranger (code execution) handed to every clone and CI run.

A file whose working copy differs from Git's index is re-read; a cache written by another
version of licheng (its code or schemas) is ignored. A whole result is reused only when HEAD,
the merge-request refs and the working tree are unchanged and "now" lies on the same side of
every moment the rules compared it with (see Records.passed).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
from datetime import datetime
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def directory(root: Path) -> Path:
    base = os.environ.get("LICHENG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "licheng")
    repo = hashlib.sha256(str(Path(root).resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return Path(base) / repo


def version_key() -> str:
    """Changes whenever licheng's code or schemas change."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _git(root: Path, *args: str) -> str | None:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True)
    return proc.stdout.decode("utf-8", "surrogateescape") if proc.returncode == 0 else None


def blob_ids(root: Path) -> dict[str, str]:
    """path -> blob id for files under records/ and schedules/ whose working copy matches the index."""
    listed = _git(root, "ls-files", "-s", "-z", "--", "records", "schedules")
    if listed is None:
        return {}
    changed = set((_git(root, "diff-files", "--name-only", "-z", "--", "records", "schedules") or "").split("\0"))
    out = {}
    for entry in listed.split("\0"):
        if not entry:
            continue
        meta, path = entry.split("\t", 1)
        mode, sha, _stage = meta.split()
        if mode != "120000" and path not in changed:
            out[path] = sha
    return out


def _file(root: Path, name: str) -> Path:
    return directory(root) / name


def read(root: Path, name: str):
    """The cached object if it was written by this version of licheng, else None."""
    try:
        with open(_file(root, name), "rb") as fh:
            key, value = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return None
    return value if key == version_key() else None


def write(root: Path, name: str, value) -> None:
    target = _file(root, name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = target.with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump((version_key(), value), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only checkout still validates, only without a cache


# -- whole results ---------------------------------------------------------------


def inputs(root: Path, rev: str | None) -> str | None:
    """A digest of everything a validation reads from the repository, or None outside Git."""
    head = _git(root, "rev-parse", "--verify", "-q", f"{rev or 'HEAD'}^{{commit}}")
    if head is None:
        return None
    parts = [head, _git(root, "for-each-ref", "--format=%(refname) %(objectname)",
                        "refs/pull", "refs/merge-requests", "refs/remotes") or "",
             _git(root, "rev-parse", "--is-shallow-repository") or ""]
    if rev is None:  # uncommitted changes: which files, and each one's size and time
        status = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--ignored=matching",
                      "--", "records", "schedules")
        parts.append(status or "")
        for entry in (status or "").split("\0"):
            path = root / entry[3:] if len(entry) > 3 else None
            if path and path.exists():
                st = path.lstat()
                parts.append(f"{entry[3:]} {st.st_size} {st.st_mtime_ns}")
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def stored_result(root: Path, digest: str, now: datetime):
    """(findings, notes) of the stored result, or None."""
    entry = read(root, "result.pickle")
    if not entry or entry["inputs"] != digest:
        return None
    if any((now > moment) != was for moment, was in entry["moments"]):
        return None
    return entry["findings"], entry.get("notes", [])


def store_result(root: Path, digest: str, now: datetime, moments, findings, notes=()) -> None:
    write(root, "result.pickle", {"inputs": digest, "moments": [(m, now > m) for m in moments],
                                  "findings": findings, "notes": list(notes)})
