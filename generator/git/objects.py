"""Git objects read in batches: files' contents, folders' entries and tree entries at revisions,
each batch through one `git cat-file` (never a process per file)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from ..errors import RepositoryError

OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def read_blobs(root: Path, specs: list[str]) -> dict[str, bytes]:
    """The contents of `rev:path` specs, through one `git cat-file --batch`. A path holding a line
    break (a file name can) would be read as two specs and shift every answer after it: it is
    read as absent."""
    specs = [spec for spec in specs if "\n" not in spec]
    if not specs:
        return {}
    listed = "\n".join(specs).encode("utf-8", "surrogateescape") + b"\n"  # (a name that is no UTF-8, as Git has it)
    proc = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], input=listed, capture_output=True, check=True)
    out, data, pos = {}, proc.stdout, 0
    for spec in specs:
        end = data.index(b"\n", pos)
        header = data[pos:end]
        pos = end + 1
        if header.endswith((b" missing", b" ambiguous")):  # no content follows
            continue
        _, found, size = header.split()  # the object's id, type and size; its content follows
        if found == b"blob":
            out[spec] = data[pos:pos + int(size)]
        pos += int(size) + 1
    return out


def tree_entries(root: Path, specs: list[str]) -> dict[str, str]:
    """`rev:path` spec -> the entry ("mode id", as the raw log writes it) the revision's tree holds
    at that path ("": none). Each folder's tree is read once (`read_folders`)."""
    parents = {spec: (f"{rev}:{path.rpartition('/')[0]}", path.rpartition("/")[2])
               for spec in specs for rev, _, path in [spec.partition(":")]}
    folders = read_folders(root, list(dict.fromkeys(folder for folder, _ in parents.values())))
    return {spec: folders.get(folder, {}).get(name, "") for spec, (folder, name) in parents.items()}


def read_folders(root: Path, folders: list[str]) -> dict[str, dict[str, str]]:
    """`rev:path` specs of folders -> their entries (name -> "mode id"), for each that the revision
    holds as a folder this clone has; all through one `git cat-file --batch`, the specs
    NUL-separated (a path may hold a newline)."""
    out: dict[str, dict[str, str]] = {}
    if not folders:
        return out
    data = "\0".join(folders).encode("utf-8", "surrogateescape") + b"\0"
    proc = subprocess.run(["git", "-C", str(root), "cat-file", "--batch", "-z"], input=data, capture_output=True)
    if proc.returncode != 0:
        raise RepositoryError(f"git cat-file: {proc.stderr.decode('utf-8', 'replace').strip()}")
    text, pos = proc.stdout, 0
    for folder in folders:
        name = folder.encode("utf-8", "surrogateescape")
        if text.startswith(name + b" ", pos):  # "<spec> missing": the revision has no such folder
            pos = text.index(b"\n", pos + len(name)) + 1
            continue
        end = text.index(b"\n", pos)
        oid, kind, size = text[pos:end].split(b" ")
        pos = end + 1
        if kind == b"tree":
            out[folder] = _tree(text[pos:pos + int(size)], len(oid) // 2)
        pos += int(size) + 1
    return out


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
