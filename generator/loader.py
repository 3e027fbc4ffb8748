"""Read records/ and schedules/ from the working tree into Documents.

Never follows a symlink (a record could otherwise point outside the repository).
Every problem becomes a finding; a bad file never stops the others being read.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import layout
from .records import Document, Records
from .result import Finding, finding
from .yaml import MAX_FILE_BYTES, YamlProblem, load_bytes


def _walk(root: Path, top: str) -> list[tuple[str, os.DirEntry]]:
    """Every non-directory entry under `top`, sorted, without following symlinks."""
    out: list[tuple[str, os.DirEntry]] = []
    stack = [top]
    while stack:
        rel = stack.pop()
        try:
            with os.scandir(root / rel) as it:
                entries = list(it)
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            path = f"{rel}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                stack.append(path)
            else:
                out.append((path, entry))
    out.sort(key=lambda item: item[0])
    return out


def _read(path: str) -> bytes:
    """The file's bytes, at most MAX_FILE_BYTES + 1 (enough to refuse it); os-level, no buffering."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        left = min(os.fstat(fd).st_size, MAX_FILE_BYTES) + 1
        chunks = []
        while left > 0:
            chunk = os.read(fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def load(root: Path) -> tuple[Records, list[Finding]]:
    records = Records(root=root)
    findings: list[Finding] = []
    for top in layout.ROOTS:
        for path, entry in _walk(root, top):
            if entry.is_symlink():
                findings.append(finding("file.symlink", path, None, target=os.readlink(entry.path)))
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            kind = layout.classify(path) if path.endswith(".yaml") else None
            if kind is None and path in layout.TEXT_RECORDS:
                continue
            if kind is None and layout.is_attachment(path):
                records.files[path] = entry.stat(follow_symlinks=False).st_size
                continue
            if kind is None:
                findings.append(finding("layout.unknown-file", path, None))
                continue
            doc = Document(path=path, kind=kind[0], keys=kind[1])
            records.documents.append(doc)
            try:
                doc.data = load_bytes(_read(entry.path))
                doc.loaded = True
            except YamlProblem as problem:
                findings.append(finding(problem.code, path, problem.line, **problem.params))
            except OSError as exc:
                findings.append(finding("yaml.unreadable", path, None, detail=exc.strerror or str(exc)))
    return records, findings
