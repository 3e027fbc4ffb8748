"""An attachment's size and first bytes (its file type): read from the working tree, from a
revision's blob, or from the cache, which holds them by blob id only as read from a file that was
that blob byte for byte and no Git LFS pointer (a pointer's size and object are read each time)."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import os

from ..git import lfs
from . import parsing
from .model import Records


HEAD = 64  # the bytes of an attachment kept for its file type (no LFS pointer is this short)


def noted(records: Records, path: str, store: lfs.Store, found: tuple[int, bytes | None] | None) -> None:
    """An attachment's size and first bytes; for a Git LFS pointer, the pointer's size and the object's bytes."""
    if found is None:
        return  # gone since the walk
    records.files[path], head = found
    if head is not None:
        pointed(records, path, head, store)


def pointed(records: Records, path: str, head: bytes, store: lfs.Store) -> None:
    """`head` (a file's first bytes, or all of a small one) as the attachment's; a Git LFS
    pointer's size and its object's first bytes (lfs_missing: the object is not here)."""
    found = lfs.pointer(head)
    if found is None:
        records.heads[path] = head[:HEAD]
        return
    oid, records.files[path] = found
    content = store.head(oid)
    if content is None:
        records.lfs_missing[path] = oid
    else:  # (the pointer's size is its writer's word: a student's says 1 KB of a 50 MB object)
        records.heads[path] = content
        size = store.size(oid)
        records.files[path] = records.files[path] if size is None else size


def read(disk_path: str, size: int | None, blob: str | None, heads: dict | None) -> tuple[int, bytes | None] | None:
    """parsing.head of an attachment (None: gone), or what `heads` (the cache's) holds for its blob
    at its size (`size`: as the listing saw it, else lstat's now). The cache holds a small file's first bytes
    only when the file was that blob byte for byte (its Git hash checked), so an entry is a fact
    about the blob; the size tells a working copy that Git changes on checkout (line endings, an
    LFS object in place of its pointer) from the blob, and one it rewrites to the same size
    (generator.git.attributes) is read with no `blob`."""
    if size is None:
        try:
            size = os.lstat(disk_path).st_size
        except OSError:
            return None  # gone since the walk
    if blob is None or heads is None:
        return parsing.head(disk_path, size)
    cached = known(heads, blob, size)
    if cached is not None:
        return size, cached
    found = parsing.head(disk_path, size)
    if found[1] is not None and _is_blob(found[1], blob) and lfs.pointer(found[1]) is None:
        heads[blob] = [found[0], base64.b64encode(found[1][:HEAD]).decode("ascii")]
    return found


def known(heads: dict, blob: str, size: int) -> bytes | None:
    """The first bytes `heads` (the cache's) holds for `blob` at `size`, or None (a damaged entry is
    dropped: the file is read)."""
    cached = heads.get(blob)
    if cached is not None:
        try:
            if cached[0] == size:
                return _decoded(cached[1])
        except (IndexError, KeyError, TypeError, ValueError, binascii.Error):
            heads.pop(blob, None)
    return None


@functools.lru_cache(maxsize=4096)
def _decoded(text: str) -> bytes:
    """A cached head's bytes (many attachments begin alike: a file type's first bytes)."""
    return base64.b64decode(text, validate=True)


def _is_blob(data: bytes, blob: str) -> bool:
    """Is `data` the content of Git object `blob` (SHA-1, or SHA-256 in a repository that uses it)?"""
    digest = hashlib.sha1 if len(blob) == 40 else hashlib.sha256
    return digest(b"blob %d\0%s" % (len(data), data)).hexdigest() == blob


def known_at(files: dict[str, int], wanted: dict[str, str], heads: dict) -> dict[str, bytes]:
    """path -> first bytes of each attachment whose blob `heads` holds at its size (`read` keeps
    only a blob that is no Git LFS pointer, byte for byte: what `pointed` would keep of it)."""
    out = {}
    for path, size in files.items():
        cached = known(heads, wanted[path], size)
        if cached is not None:
            out[path] = cached
    return out
