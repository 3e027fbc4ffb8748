"""Git objects read in batches: files' contents, folders' entries and tree entries at revisions,
each batch through one `git cat-file` (never a process per file)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Iterator

from ..errors import RepositoryError

OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def batch(root: Path, specs: list[str]) -> Iterator[tuple[str, bytes, bytes, bytes]]:
    """(spec, the object's id, type and content) for each spec (`rev:path`, or an object id) the
    clone holds, in their order: all through one `git cat-file --batch`, the specs NUL-separated
    (a path may hold a newline; a name that is no UTF-8 is passed as Git has it)."""
    if not specs:
        return
    data = "\0".join(specs).encode("utf-8", "surrogateescape") + b"\0"
    proc = subprocess.run(["git", "-C", str(root), "cat-file", "--batch", "-z"], input=data, capture_output=True)
    if proc.returncode != 0:
        raise RepositoryError(f"git cat-file: {proc.stderr.decode('utf-8', 'replace').strip()}")
    text, pos = proc.stdout, 0
    for spec in specs:
        name = spec.encode("utf-8", "surrogateescape")
        if text.startswith((name + b" missing\n", name + b" ambiguous\n"), pos):  # no content follows
            pos += len(name) + text[pos + len(name):].index(b"\n") + 1
            continue
        end = text.index(b"\n", pos)
        oid, kind, size = text[pos:end].split(b" ")
        pos = end + 1
        yield spec, oid, kind, text[pos:pos + int(size)]
        pos += int(size) + 1


def read_blobs(root: Path, specs: list[str]) -> dict[str, bytes]:
    """The contents of the files that `rev:path` specs name, for each the clone has."""
    return {spec: content for spec, _, kind, content in batch(root, specs) if kind == b"blob"}


def blob_start(root: Path, oid: str, limit: int) -> bytes | None:
    """At most the first `limit` bytes of a blob, no more of it ever held in memory (None when the
    clone lacks it)."""
    with subprocess.Popen(["git", "-C", str(root), "cat-file", "blob", oid], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL) as proc:
        data = proc.stdout.read(limit)
        if len(data) == limit:
            proc.kill()  # the rest is never read
            return data
    return data if proc.returncode == 0 else None


def tree_entries(root: Path, specs: list[str]) -> dict[str, str]:
    """`rev:path` spec -> the entry ("mode id", as the raw log writes it) the revision's tree holds
    at that path ("": none). Each folder's tree is read once (`read_folders`)."""
    parents = {spec: (f"{rev}:{path.rpartition('/')[0]}", path.rpartition("/")[2])
               for spec in specs for rev, _, path in [spec.partition(":")]}
    folders = read_folders(root, list(dict.fromkeys(folder for folder, _ in parents.values())))
    return {spec: folders.get(folder, {}).get(name, "") for spec, (folder, name) in parents.items()}


def read_folders(root: Path, folders: list[str]) -> dict[str, dict[str, str]]:
    """`rev:path` specs of folders -> their entries (name -> "mode id"), for each that the revision
    holds as a folder this clone has."""
    return read_objects(root, [], folders)[1]


def read_objects(root: Path, blobs: list[str],
                 folders: list[str]) -> tuple[dict[str, bytes], dict[str, dict[str, str]]]:
    """`read_blobs` of `blobs` and `read_folders` of `folders`, through one `git cat-file`."""
    files, trees = {}, {}
    for spec, oid, kind, content in batch(root, blobs + folders):
        if kind == b"blob":
            files[spec] = content
        elif kind == b"tree":
            trees[spec] = _tree(content, len(oid) // 2)
    return ({spec: files[spec] for spec in blobs if spec in files},
            {spec: trees[spec] for spec in folders if spec in trees})


def _tree(data: bytes, size: int) -> dict[str, str]:
    """A tree object's entries: name -> "mode id" (modes zero-padded to six digits, as in the raw log)."""
    out, pos = {}, 0
    while pos < len(data):
        space = data.index(b" ", pos)
        nul = data.index(b"\0", space)
        end = nul + 1 + size
        out[data[space + 1:nul].decode("utf-8", "surrogateescape")] = \
            f"{data[pos:space].decode('ascii').zfill(6)} {data[nul + 1:end].hex()}"
        pos = end
    return out
