"""The working tree's entries under a top folder, each a regular file, a symbolic link or something
else (a pipe, a socket): walked without following links, or read from the listing started early
(generator.git.prefetch), with each regular file's size."""

from __future__ import annotations

import os
import re
from pathlib import Path


# what a listing says of a file: a regular file, a symbolic link, or something else (a pipe, a socket)
FILE, LINK, OTHER = "f", "l", "o"


def walked(root: Path, top: str) -> list[tuple[str, str, int | None]]:
    """(path, FILE/LINK/OTHER, None) of every non-directory entry under `top`, sorted, without
    following symlinks."""
    out: list[tuple[str, str, int | None]] = []
    stack, base = [top], str(root)
    while stack:
        rel = stack.pop()
        try:
            with os.scandir(os.path.join(base, rel)) as it:
                entries = list(it)
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            path = f"{rel}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                stack.append(path)
            else:
                out.append((path, LINK if entry.is_symlink() else FILE if entry.is_file(follow_symlinks=False)
                            else OTHER, None))
    out.sort(key=lambda item: item[0])
    return out


_LISTED = re.compile(r"(?:^|(?<=\0))([^\0\t])\t(\d+)\t([^\0]*)\0")  # a listing's record: type, size, path


def from_listing(output: bytes, folders: tuple[str, ...]) -> dict[str, list[tuple[str, str, int | None]]] | None:
    """The walk of each folder, from the listing started early (generator.git.prefetch: find's
    type, lstat size and path of every entry), with the size of each regular file; None when
    the output is not what the listing writes."""
    out: dict[str, list] = {top: [] for top in folders}
    text = output.decode("utf-8", "surrogateescape")
    records = _LISTED.findall(text)
    if len(records) != text.count("\0"):
        return None
    try:
        for kind, size, path in records:
            if kind != "d":
                out[path.split("/", 1)[0]].append((path, FILE if kind == "f" else LINK if kind == "l" else OTHER,
                                                    int(size) if kind == "f" else None))
    except KeyError:
        return None
    for entries in out.values():
        entries.sort(key=lambda item: item[0])
    return out
