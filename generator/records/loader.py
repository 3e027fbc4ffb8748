"""Read records/ and schedules/ from the working tree into Documents.

Never follows a symlink (a record could otherwise point outside the repository).
Every problem becomes a finding; a bad file never stops the others being read.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ..git import history, lfs
from .. import cache, layout
from . import schema
from .model import Document, Records
from .repositories import Repository
from ..result import Finding, finding, placed
from ..yaml import MAX_FILE_BYTES, YamlProblem, load_bytes


def _walk(root: Path, top: str) -> list[tuple[str, os.DirEntry]]:
    """Every non-directory entry under `top`, sorted, without following symlinks."""
    out: list[tuple[str, os.DirEntry]] = []
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


_NAMED_BY = {"courses": "semester", "cadres": "semester", "submissions": "semester", "schedule": "semester",
             "selection": "student"}


def _misnamed(path: str, kind: str) -> Finding:
    """layout.misnamed, with the naming rule of the folder's kind of record."""
    return finding("layout.misnamed", path, None, _NAMED_BY.get(kind, kind), name=path.rsplit("/", 1)[-1])


def _checked(records: Records, findings: list[Finding]) -> tuple[Records, list[Finding]]:
    """Every parsed document checked against its schema, before anything reads the records."""
    for doc in records.documents:
        if doc.loaded:
            findings.extend(schema.check(doc))
    return records, findings


def _attachment(records: Records, path: str, entry: os.DirEntry, store: lfs.Store) -> None:
    """Its size and first bytes; for a Git LFS pointer, the pointer's size and the object's bytes."""
    size = records.files[path] = entry.stat(follow_symlinks=False).st_size
    if size > lfs.MAX_POINTER:
        return
    try:
        head = _read(entry.path)
    except OSError:
        return
    _pointed(records, path, head, store)


def _pointed(records: Records, path: str, head: bytes, store: lfs.Store) -> None:
    found = lfs.pointer(head)
    if found is None:
        records.heads[path] = head[:64]
        return
    oid, records.files[path] = found
    content = store.head(oid)
    if content is None:
        records.lfs_missing[path] = oid
    else:
        records.heads[path] = content


def _from_cache(doc: Document, parsed: dict, blob: str) -> bool:
    try:
        doc.data, doc.loaded, doc.blob = cache.unpack(parsed[blob]), True, blob
        return True
    except (IndexError, TypeError, ValueError, AttributeError, KeyError, RecursionError):
        parsed.pop(blob, None)  # a damaged entry: parse the file again
        return False


def _to_cache(doc: Document, parsed: dict, blob: str) -> None:
    try:
        parsed[blob], doc.blob = cache.pack(doc.data), blob
    except (TypeError, RecursionError):
        pass  # a tree JSON cannot hold (binary, sets) is parsed again next time


def load_school(repositories: list[Repository], parsed: dict | None = None,
                blobs: dict[str, str] | None = None) -> tuple[Records, list[Finding]]:
    """One model of a school's repositories (the first is the one being validated), each
    document remembering its origin; every finding carries its repository. `parsed` and
    `blobs` (the cache's) apply to the first repository."""
    records = Records(root=repositories[0].root, repositories=list(repositories))
    findings: list[Finding] = []
    for index, repo in enumerate(repositories):
        if repo.rev:
            part, found = load_revision(repo.root, repo.rev, parsed if index == 0 else None,
                                        _checked_now=False, repository=repo)
        else:
            part, found = load(repo.root, parsed if index == 0 else None, blobs if index == 0 else None,
                               _checked_now=False, repository=repo)
        for doc in part.documents:
            records.origins.setdefault(doc.path, repo.name)
        for path in part.files:
            records.origins.setdefault(path, repo.name)
        records.documents.extend(part.documents)
        records.files.update(part.files)
        records.heads.update(part.heads)
        records.lfs_missing.update(part.lfs_missing)
        findings.extend(placed(found, repo.name))
    return _checked(records, findings)


def _misplaced(repository: Repository | None, kind: str) -> bool:
    return repository is not None and not repository.holds(kind)


def load(root: Path, parsed: dict | None = None, blobs: dict[str, str] | None = None, *,
         _checked_now: bool = True, repository: Repository | None = None) -> tuple[Records, list[Finding]]:
    """Records of the working tree, schema-checked. `parsed` maps a blob id to its packed parse
    (generator.cache.pack) from an earlier run; `blobs` gives the blob id Git reports for each
    unchanged file. New parses are added to `parsed`. With `repository`, only the kinds its role holds
    are read (another kind is a `layout.misplaced` finding)."""
    records = Records(root=root)
    blobs = blobs or {}
    store = lfs.Store(root)
    findings: list[Finding] = []
    name = repository.name if repository else "single"
    for top in layout.ROOTS:
        if (root / top).is_symlink():  # the whole folder elsewhere: nothing under it is read
            findings.append(finding("file.symlink", top, None, target=os.readlink(root / top)))
            continue
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
                _attachment(records, path, entry, store)
                continue
            if kind is None:
                misnamed = layout.misnamed(path)
                findings.append(_misnamed(path, misnamed)
                                if misnamed else finding("layout.unknown-file", path, None))
                continue
            if _misplaced(repository, kind[0]):
                findings.append(finding("layout.misplaced", path, None, repository=name))
                continue
            doc = Document(path=path, kind=kind[0], keys=kind[1], repository=name)
            records.documents.append(doc)
            blob = blobs.get(path)
            if parsed is not None and blob in parsed and _from_cache(doc, parsed, blob):
                continue
            try:
                doc.data = load_bytes(_read(entry.path))
                doc.loaded = True
                if parsed is not None and blob:
                    _to_cache(doc, parsed, blob)
            except YamlProblem as problem:
                findings.append(finding(problem.code, path, problem.line, **problem.params))
            except OSError as exc:
                findings.append(finding("yaml.unreadable", path, None, detail=exc.strerror or str(exc)))
    return _checked(records, findings) if _checked_now else (records, findings)


def load_revision(root: Path, rev: str, parsed: dict | None = None, *, _checked_now: bool = True,
                  repository: Repository | None = None) -> tuple[Records, list[Finding]]:
    """The records as committed in `rev`, read from Git objects (no checkout). A document whose
    blob `parsed` holds (the cache's parses, by blob id) is not read again: a merge request's
    base and merge differ from main in a few blobs only."""
    records = Records(root=root)
    name = repository.name if repository else "single"
    findings: list[Finding] = []
    listing = subprocess.run(["git", "-C", str(root), "ls-tree", "-r", "-z", "-l", rev, "--", *layout.ROOTS],
                             capture_output=True, check=True).stdout.decode("utf-8", "surrogateescape")
    wanted: dict[str, str] = {}
    links: dict[str, str] = {}
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, sha, size = meta.split()
        if mode == "120000":
            links[path] = sha
        elif kind == "blob":
            cls = layout.classify(path) if path.endswith(".yaml") else None
            if cls and _misplaced(repository, cls[0]):
                findings.append(finding("layout.misplaced", path, None, repository=name))
            elif cls:
                records.documents.append(Document(path=path, kind=cls[0], keys=cls[1], repository=name))
                wanted[path] = sha
            elif path in layout.TEXT_RECORDS:
                continue
            elif layout.is_attachment(path):
                records.files[path] = int(size)
                wanted[path] = sha
            elif layout.misnamed(path):
                findings.append(_misnamed(path, layout.misnamed(path)))
            else:
                findings.append(finding("layout.unknown-file", path, None))
    parsed = parsed if parsed is not None else {}
    cached = {doc.path for doc in records.documents if wanted[doc.path] in parsed
              and _from_cache(doc, parsed, wanted[doc.path])}
    blobs = history.read_blobs(root, [sha for path, sha in wanted.items() if path not in cached]
                               + list(links.values()))
    for path, sha in links.items():
        target = blobs.get(sha, b"")[:200].decode("utf-8", "replace")
        findings.append(finding("file.symlink", path, None, target=target))
    store = lfs.Store(root)
    for path in records.files:
        _pointed(records, path, blobs.get(wanted[path], b"")[:lfs.MAX_POINTER + 1], store)
    for doc in records.documents:
        if doc.path in cached:
            continue
        raw = blobs.get(wanted[doc.path], b"")
        try:
            doc.data = load_bytes(raw[: MAX_FILE_BYTES + 1])
            doc.loaded = True
        except YamlProblem as problem:
            findings.append(finding(problem.code, doc.path, problem.line, **problem.params))
    records.documents.sort(key=lambda d: d.path)
    return _checked(records, findings) if _checked_now else (records, findings)
