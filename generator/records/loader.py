"""Read records/ and schedules/ from the working tree into Documents.

Never follows a symlink (a record could otherwise point outside the repository).
Every problem becomes a finding; a bad file never stops the others being read.
"""

from __future__ import annotations

import functools
import gc
import os
import subprocess
from pathlib import Path

from ..git import attributes, lfs, objects, prefetch
from .. import cache, layout
from ..errors import RepositoryError
from . import heads as heads_mod, parsing, schema
from .listing import FILE, LINK, from_listing, walked
from .model import Document, Records
from .repositories import Repository
from ..result import Finding, finding, placed
from ..yaml import MAX_FILE_BYTES, YamlProblem, load_bytes


def _collector_paused(function):
    """Tens of thousands of new, acyclic documents make the cyclic garbage collector rescan
    them again and again: it waits until the load is done."""
    @functools.wraps(function)
    def paused(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return paused


_NAMED_BY = {"courses": "semester", "cadres": "semester", "submissions": "semester", "schedule": "semester",
             "selection": "student"}


def _misnamed(path: str, kind: str) -> Finding:
    """layout.misnamed, with the naming rule of the folder's kind of record."""
    return finding("layout.misnamed", path, None, _NAMED_BY.get(kind, kind), name=path.rsplit("/", 1)[-1])


def _unknown(path: str) -> Finding:
    """layout.unknown-file; for a file just above the students' own folders, where it belongs."""
    above = layout.above_own_folder(path)
    if above:
        return finding("layout.unknown-file", path, None, above[0], where=above[1], file=above[2])
    return finding("layout.unknown-file", path, None)


def _checked(records: Records, findings: list[Finding]) -> tuple[Records, list[Finding]]:
    """Every parsed document checked against its schema, before anything reads the records
    (one a worker process found valid is so)."""
    for doc in records.documents:
        if doc.loaded and not doc.valid:
            findings.extend(schema.check(doc))
    return records, findings


def checking(records: Records) -> parsing.Checks:
    """The schema checks of load_school(check=False)'s records, under way: their `findings()`
    must be taken before anything but the school's settings is read."""
    return parsing.Checks(records.documents)


def _from_cache(doc: Document, parsed: dict, blob: str, clean: dict | None = None) -> bool:
    """`doc` given the cache's parse of `blob`, and (`clean`: blob id -> the kinds whose schema it
    matched without a finding) that verdict when the cache holds it for the document's kind."""
    try:
        doc.data, doc.loaded, doc.blob = cache.unpack(parsed[blob]), True, blob
    except (IndexError, TypeError, ValueError, AttributeError, KeyError, RecursionError):
        parsed.pop(blob, None)  # a damaged entry: parse the file again
        return False
    if clean:
        kinds = clean.get(blob)
        if type(kinds) is list and doc.kind in kinds:
            doc.valid = doc.clean = True
    return True


@_collector_paused
def load_school(repositories: list[Repository], caches: list[tuple[dict, dict, dict, dict]] | None = None,
                *, check: bool = True, documents: dict | None = None) -> tuple[Records, list[Finding]]:
    """One model of a school's repositories (the first is the one being validated), each
    document remembering its origin; every finding carries its repository. `caches` gives each
    repository's (parses, attachment heads, blob ids, clean verdicts) from the cache, as `load` takes them.
    Without `check`, the documents are not yet checked against their schemas (`checking`).
    `documents`: documents an earlier load of this run read and found clean, for a revision's
    files (as load_revision takes them)."""
    records = Records(root=repositories[0].root, repositories=list(repositories))
    findings: list[Finding] = []
    for repo, (parsed, heads, blobs, clean) in zip(repositories, caches or [(None,) * 4] * len(repositories)):
        if repo.rev:
            part, found = load_revision(repo.root, repo.rev, parsed, heads, _checked_now=False, repository=repo,
                                        documents=documents, clean=clean)
        else:
            part, found = load(repo.root, parsed, blobs, heads, _checked_now=False, repository=repo, clean=clean)
        for doc in part.documents:
            records.origins.setdefault(doc.path, repo.name)
        for path in part.files:
            records.origins.setdefault(path, repo.name)
        records.documents.extend(part.documents)
        records.files.update(part.files)
        records.heads.update(part.heads)
        records.lfs_missing.update(part.lfs_missing)
        findings.extend(placed(found, repo.name))
    return _checked(records, findings) if check else (records, findings)


def _misplaced(repository: Repository | None, kind: str) -> bool:
    return repository is not None and not repository.holds(kind)


_ATTACHMENT = object()  # what _entry says of an attachment


def _entry(path: str, how: str, root: str, repository: Repository | None,
           name: str) -> Finding | Document | object | None:
    """What one file of the working tree is (`how`: FILE, LINK or OTHER): a record document to
    parse, a finding, an attachment (_ATTACHMENT: its size and head are read), or nothing to
    read (a text record)."""
    if how == LINK:
        return finding("file.symlink", path, None, target=os.readlink(os.path.join(root, path)))
    if how != FILE:
        return None
    kind = layout.classify(path) if path.endswith(".yaml") else None
    if kind is None and path in layout.TEXT_RECORDS:
        return None
    if kind is None and layout.is_attachment(path):
        return _ATTACHMENT
    if kind is None:
        misnamed = layout.misnamed(path)
        return _misnamed(path, misnamed) if misnamed else _unknown(path)
    if _misplaced(repository, kind[0]):
        return finding("layout.misplaced", path, None, repository=name)
    return Document(path=path, kind=kind[0], keys=kind[1], repository=name)


@_collector_paused
def load(root: Path, parsed: dict | None = None, blobs: dict[str, str] | None = None,
         heads: dict | None = None, *, _checked_now: bool = True,
         repository: Repository | None = None, clean: dict | None = None) -> tuple[Records, list[Finding]]:
    """Records of the working tree, schema-checked. `parsed` maps a blob id to its packed parse
    (generator.cache.pack) from an earlier run, `heads` a blob id to an attachment's [size, first
    bytes in base64]; `blobs` gives the blob id Git reports for each unchanged file. New parses
    and heads are added to `parsed` and `heads`. With `repository`, only the kinds its role holds
    are read (another kind is a `layout.misplaced` finding). `clean` maps a blob id to the kinds
    whose schema it matched without a finding (as Document.clean says): a document read from that
    blob's cached parse is not checked again. Many files are parsed by worker processes
    (records/parsing.py), with the same result."""
    records = Records(root=root)
    blobs = blobs or {}
    store = lfs.Store(root)
    name = repository.name if repository else "single"
    # a whole folder elsewhere (a symlink): nothing under it is read
    folders = prefetch.folders_of(root, layout.ROOTS)
    output = prefetch.listing(root, folders)
    listed = from_listing(output, folders) if output is not None else None
    tops = [(top, None if (root / top).is_symlink() else listed[top] if listed and top in listed else walked(root, top))
            for top in layout.ROOTS]
    rewritten = _rewritten(root, tops, output)
    if rewritten is None:  # Git could not say which files it rewrites: no working copy is vouched for
        blobs, rewritten = {}, {}
    cached = parsed or {}
    expected = sum(1 for _, entries in tops for path, _, _ in entries or ()
                   if path.endswith(".yaml") and blobs.get(path) not in cached)
    base = str(root)
    found: list = []  # a Finding, or the index of a parse whose YAML problem (if any) goes there
    with parsing.Parser(expected, parsed) as parser:
        for top, entries in tops:
            if entries is None:
                found.append(finding("file.symlink", top, None, target=os.readlink(root / top)))
            for path, how, size in entries or ():
                item = _entry(path, how, base, repository, name)
                if item is _ATTACHMENT:  # read here: sending it from a worker costs more than reading it
                    # (a copy Git rewrites is no blob's; Git LFS's is its object, the blob a pointer heads keeps not)
                    blob = blobs.get(path) if rewritten.get(path, attributes.LFS) == attributes.LFS else None
                    known = heads_mod.known(heads, blob, size) if heads and size is not None else None
                    if known is not None:  # (a cached head is never an LFS pointer's: heads.read keeps none)
                        records.files[path], records.heads[path] = size, known
                    else:
                        read = heads_mod.read(os.path.join(base, path), size, blob, heads)
                        heads_mod.noted(records, path, store, read)
                elif isinstance(item, Document):
                    records.documents.append(item)
                    if path in rewritten:
                        found.append(finding("file.filtered", path, None, attribute=rewritten[path]))
                        continue
                    blob = blobs.get(path)
                    if not (parsed is not None and blob in parsed and _from_cache(item, parsed, blob, clean)):
                        found.append(parser.add(item, os.path.join(base, path), blob))
                elif item is not None:
                    found.append(item)
        problems = parser.finish()
    findings = [problems[item] if isinstance(item, int) else item for item in found
                if not isinstance(item, int) or item in problems]
    return _checked(records, findings) if _checked_now else (records, findings)


def _rewritten(root: Path, tops: list, listing: bytes | None) -> dict[str, str] | None:
    """generator.git.attributes.rewritten of the working tree's files, asked of Git only where an
    attributes file could set a rewriting attribute on one."""
    texts = attributes.texts_around(root)
    if listing is None or b"/.gitattributes\0" in listing:  # (one search of the listing: the usual case)
        texts += [attributes.read(os.path.join(root, path)) for _, entries in tops for path, how, _ in entries or ()
                  if how == FILE and path.endswith("/.gitattributes")]
    if not attributes.may_rewrite(texts):
        return {}
    # records, and the attachments small enough for the cache to hold their first bytes
    return attributes.rewritten(root, [path for _, entries in tops for path, how, size in entries or ()
                                       if how == FILE and (size is None or size <= lfs.MAX_POINTER
                                                           or path.endswith(".yaml"))])


@_collector_paused
def load_revision(root: Path, rev: str, parsed: dict | None = None, heads: dict | None = None, *,
                  _checked_now: bool = True, repository: Repository | None = None,
                  documents: dict | None = None, clean: dict | None = None) -> tuple[Records, list[Finding]]:
    """The records as committed in `rev`, read from Git objects (no checkout). A document whose
    blob `parsed` holds (the cache's parses, by blob id) is not read again, nor an attachment whose
    blob `heads` holds (the working tree's, by blob id: never a Git LFS pointer's): a merge
    request's base and merge differ from main in a few blobs only. `documents` ((root, path, blob
    id) -> Document): those an earlier load of this run read and that matched their schemas
    without a finding (generator.validate.Shared), taken as they are: the same file, the same
    content, the same document (rules only read documents). `clean`: as `load` takes it."""
    records = Records(root=root)
    name = repository.name if repository else "single"
    findings: list[Finding] = []
    reused: set[str] = set()
    documents = documents if documents is not None else {}
    where = str(root)
    listing = subprocess.run(["git", "-C", str(root), "ls-tree", "-r", "-z", "-l", rev, "--", *layout.ROOTS,
                              ".gitattributes"],
                             capture_output=True, check=True).stdout.decode("utf-8", "surrogateescape")
    wanted: dict[str, str] = {}
    links: dict[str, str] = {}
    attribute_files: list[str] = []  # the blob ids of the revision's .gitattributes
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, sha, size = meta.split()
        if kind == "blob" and mode != "120000" and path.rpartition("/")[2] == ".gitattributes":
            attribute_files.append(sha)
        if path.partition("/")[0] not in layout.ROOTS:  # (the top's .gitattributes, asked for that only)
            continue
        if mode == "120000":
            links[path] = sha
        elif kind == "commit":  # a submodule: a pointer to another repository, never a record
            findings.append(finding("layout.unknown-file", path, None))
        elif kind == "blob":
            cls = layout.classify(path) if path.endswith(".yaml") else None
            if cls and _misplaced(repository, cls[0]):
                findings.append(finding("layout.misplaced", path, None, repository=name))
            elif cls:
                known = documents.get((where, path, sha))
                if known is not None and known.repository == name:
                    reused.add(path)
                    records.documents.append(known)
                else:
                    records.documents.append(Document(path=path, kind=cls[0], keys=cls[1], repository=name))
                wanted[path] = sha
            elif path in layout.TEXT_RECORDS:
                continue
            elif layout.is_attachment(path):
                if not size.isdigit():  # Git's "BAD": this clone lacks the object (a broken or partial clone)
                    raise RepositoryError(f"{path}：Git 讀不到這個檔案（物件 {sha[:8]} 不在這個 clone 中；"
                                          "請重新 git fetch）",
                                          en=f"{path}: Git cannot read this file (its object {sha[:8]} is not in this "
                                             "clone; git fetch again)")
                records.files[path] = int(size)
                wanted[path] = sha
            elif layout.misnamed(path):
                findings.append(_misnamed(path, layout.misnamed(path)))
            else:
                findings.append(_unknown(path))
    parsed = parsed if parsed is not None else {}
    cached = reused | {doc.path for doc in records.documents if doc.path not in reused
                       and wanted[doc.path] in parsed and _from_cache(doc, parsed, wanted[doc.path], clean)}
    known = heads_mod.known_at(records.files, wanted, heads) if heads else {}
    cached |= known.keys()
    blobs = objects.read_blobs(root, [sha for path, sha in wanted.items() if path not in cached]
                               + list(links.values()) + attribute_files)
    rewritten = _rewritten_at(root, rev, records, [blobs.get(sha, b"") for sha in attribute_files], findings)
    for path, sha in links.items():
        target = blobs.get(sha, b"")[:200].decode("utf-8", "replace")
        findings.append(finding("file.symlink", path, None, target=target))
    store = lfs.Store(root)
    for path in records.files:
        if path in known:
            records.heads[path] = known[path]
        else:
            heads_mod.pointed(records, path, blobs.get(wanted[path], b"")[:lfs.MAX_POINTER + 1], store)
    for doc in records.documents:
        if doc.path in cached or doc.path in rewritten:
            continue
        raw = blobs.get(wanted[doc.path], b"")
        try:
            doc.data = load_bytes(raw[: 2 * MAX_FILE_BYTES + 1])
            doc.loaded = True
        except YamlProblem as problem:
            findings.append(finding(problem.code, doc.path, problem.line, **problem.params))
            continue
        try:  # kept by blob id: the next revision (a batch's next request) reads it from there
            parsed[wanted[doc.path]], doc.blob = cache.pack(doc.data), wanted[doc.path]
        except (TypeError, RecursionError):
            pass  # a tree JSON cannot hold (binary, sets) is parsed again next time
    records.documents.sort(key=lambda d: d.path)
    return _checked(records, findings) if _checked_now else (records, findings)


def _rewritten_at(root: Path, rev: str, records: Records, texts: list[bytes], findings: list) -> set[str]:
    """The records Git would rewrite on checking `rev` out (generator.git.attributes): each a
    finding and a document left unread, as in the working tree (the blob's own parse, kept by
    its id, is still what that blob says)."""
    texts += attributes.texts_around(root, own=False)
    found = attributes.rewritten(root, [doc.path for doc in records.documents], rev) \
        if attributes.may_rewrite(texts) else None
    if not found:
        return set()
    for i, doc in enumerate(records.documents):
        if doc.path in found:
            findings.append(finding("file.filtered", doc.path, None, attribute=found[doc.path]))
            records.documents[i] = Document(path=doc.path, kind=doc.kind, keys=doc.keys, repository=doc.repository)
    return set(found)
