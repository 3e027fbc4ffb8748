"""Files that are no records (the regulation, an attachment's first bytes) read safely: a bounded
number of bytes, of a regular file only, never through a link — from the working tree or from a
revision's tree (a merge request's link to /dev/zero, or its huge file, never fills the memory of
the machine that checks it)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..git.objects import blob_start, tree_entries


def read_regular(path, limit: int) -> bytes | None:
    """At most `limit` bytes of a regular file, never through a link (None for anything else)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks, left = [], limit
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def read_regular_at(root: Path, rev: str, path: str, limit: int) -> bytes | None:
    """At most `limit` bytes of the regular file `rev` holds at `path` (None for a link, a folder,
    a submodule or nothing)."""
    mode, _, oid = tree_entries(root, [f"{rev}:{path}"])[f"{rev}:{path}"].partition(" ")
    return blob_start(root, oid, limit) if mode in ("100644", "100755") else None
