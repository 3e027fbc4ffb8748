"""Reading and parsing record files: in this process, or in worker processes when there are many.

A worker reads, parses and schema-checks the files it is given and sends back plain data: the
parse as `generator.cache.pack` writes it, whether the file matches its schema, or the file's
YAML problem. Nothing but our own processes reads what a worker sends (it is no cache). Results
are applied in the order the files were added, so the documents and findings are the same as
when one process reads every file; a file that fails its schema is checked again here, where
the findings that name its problems are made. If a pool cannot start or a worker dies, the
files not yet parsed are parsed in this process.
"""

from __future__ import annotations

import gc
import os
import time
from typing import TYPE_CHECKING

from .. import cache
from ..git import lfs
from . import forked, schema
from .model import Document
from ..errors import os_reason
from ..result import Finding, Said, finding
from ..yaml import MAX_FILE_BYTES, YamlProblem, load_bytes

if TYPE_CHECKING:  # the pool's modules are imported only when it starts: a run from the cache needs none
    from concurrent.futures import Future, ProcessPoolExecutor

PARALLEL_FROM = 2_000  # files to parse before worker processes are worth their start-up (fork: ~10 ms)
SPAWN_FROM = 20_000  # where fork is unsafe, a fresh interpreter per worker costs ~0.5 s: only for many
CHUNK = 400  # files a worker parses per task
last_run: tuple[int, str | None] = (1, None)  # the last Parser's worker processes and how they started
last_checks = "here"  # where the last Checks ran fastjsonschema: "apart" (a child process) or "here"


def read(path: str) -> bytes:
    """The file's bytes, at most 2 * MAX_FILE_BYTES + 1 (enough to refuse it, its CRLFs counted as
    one byte); os-level, no buffering, never through a symlink."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        left = min(os.fstat(fd).st_size, 2 * MAX_FILE_BYTES) + 1
        chunks = []
        while left > 0:
            chunk = os.read(fd, left)
            chunks.append(chunk)
            if len(chunk) < left:  # a regular file reads short only at its end
                break
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def head(disk_path: str, size: int) -> tuple[int, bytes | None]:
    """An attachment's `size` and, when it is small enough to be a Git LFS pointer, its bytes
    (None also when it cannot be read)."""
    if size > lfs.MAX_POINTER:
        return size, None
    try:
        return size, read(disk_path)
    except OSError:
        return size, None


def _parse(disk_path: str):
    """The file's data, or the finding's (code, line, params) when it cannot be read as YAML."""
    try:
        return load_bytes(read(disk_path)), None
    except YamlProblem as problem:
        return None, (problem.code, problem.line, problem.params)
    except OSError as exc:
        zh, en = os_reason(exc)
        return None, ("yaml.unreadable", None, {"detail": Said({"zh-TW": zh, "en": en})})


def _parse_chunk(jobs: list[tuple[str, str]]) -> list[tuple]:
    """In a worker: per (kind, path on disk) either ("p", packed data, valid), ("d", data, valid)
    for a tree JSON cannot hold, or ("e", code, line, params)."""
    out = []
    for kind, disk_path in jobs:
        data, problem = _parse(disk_path)
        if problem:
            out.append(("e", *problem))
            continue
        try:
            packed, tag = cache.pack(data), "p"  # before the schema check, as the cache holds it
        except (TypeError, RecursionError):
            packed, tag = data, "d"
        out.append((tag, packed, schema.is_valid(kind, data)))
    return out


def _worker_start() -> None:
    gc.disable()  # a short-lived process that builds many acyclic objects


def _pool(expected: int, workers: int) -> tuple[ProcessPoolExecutor | None, str | None]:
    if workers < 2 or expected < PARALLEL_FROM:
        return None, None
    if forked.may_fork():
        method = "fork"
    elif expected >= SPAWN_FROM:
        method = "spawn"
    else:
        return None, None
    try:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context(method)
        return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start), method
    except (OSError, ValueError, ImportError, NotImplementedError, RuntimeError):
        return None, None  # no semaphores (/dev/shm), no processes allowed: one process reads everything


class Parser:
    """Parses record documents in the order they are added; `expected` (how many will be added)
    decides whether worker processes do it. `parsed` (the cache's, by blob id) receives every
    new parse of a document with a blob id."""

    def __init__(self, expected: int, parsed: dict | None = None):
        self.parsed = parsed
        self.jobs: list[tuple[Document, str, str | None]] = []  # document, path on disk, blob id
        self.problems: dict[int, Finding] = {}  # job index -> its YAML problem
        self.workers = forked.workers_wanted()
        self.pool, self.method = _pool(expected, self.workers)
        self.futures: list[Future] = []
        self.sent = 0  # jobs handed to the pool
        self.applied = 0  # jobs whose results are on their documents

    def __enter__(self) -> Parser:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:  # stopped early (an error, Ctrl-C): no worker outlives the run
            self.pool.shutdown(wait=True, cancel_futures=True)

    def add(self, doc: Document, disk_path: str, blob: str | None) -> int:
        """Queue `doc` (its file at `disk_path`); the index names its slot in the findings."""
        self.jobs.append((doc, disk_path, blob))
        if self.pool is not None and len(self.jobs) - self.sent >= CHUNK:
            self._pooled(wait=False)
        return len(self.jobs) - 1

    def finish(self) -> dict[int, Finding]:
        """Parse what is left; the YAML problem of each job that has one, by job index."""
        global last_run
        if self.pool is not None:
            self._pooled(wait=True)
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        last_run = (self.workers, self.method) if self.method and self.applied else (1, None)
        for index in range(self.applied, len(self.jobs)):
            doc, disk_path, blob = self.jobs[index]
            data, problem = _parse(disk_path)
            if problem:
                self._problem(index, problem)
                continue
            doc.data, doc.loaded = data, True
            if self.parsed is not None and blob:
                try:
                    self.parsed[blob], doc.blob = cache.pack(data), blob
                except (TypeError, RecursionError):
                    pass  # a tree JSON cannot hold (binary, sets) is parsed again next time
        self.applied = len(self.jobs)
        return self.problems

    def _pooled(self, wait: bool) -> None:
        """Hand the queued jobs to the pool and apply what has come back (all of it, with `wait`)."""
        try:
            self._send()
            self._apply(wait)
        except (OSError, EOFError, RuntimeError):  # RuntimeError: a BrokenProcessPool too
            # a worker died (killed, out of memory) or could not be started: this process parses
            # the files whose results have not been applied
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _send(self) -> None:
        if self.sent < len(self.jobs):
            chunk = [(doc.kind, disk_path) for doc, disk_path, _ in self.jobs[self.sent:]]
            self.futures.append(self.pool.submit(_parse_chunk, chunk))
            self.sent = len(self.jobs)

    def _apply(self, wait: bool) -> None:
        """Put the results of finished tasks, in order, on their documents."""
        while self.futures and (wait or self.futures[0].done()):
            results = self.futures[0].result()
            self.futures.pop(0)
            for offset, result in enumerate(results):
                self._result(self.applied + offset, result)
            self.applied += len(results)

    def _result(self, index: int, result: tuple) -> None:
        doc, _, blob = self.jobs[index]
        tag = result[0]
        if tag == "e":
            self._problem(index, result[1:])
            return
        if tag == "p":
            doc.data = cache.unpack(result[1])
            if self.parsed is not None and blob:
                self.parsed[blob], doc.blob = result[1], blob
        else:
            doc.data = result[1]
        doc.loaded = True
        doc.valid = doc.clean = result[2]  # a document that fails is checked again, for its findings

    def _problem(self, index: int, problem: tuple) -> None:
        code, line, params = problem
        self.problems[index] = finding(code, self.jobs[index][0].path, line, **params)


CHECK_APART_FROM = 2_000  # documents to check before a child process is worth its fork (~10 ms)
# how long after its fork the child may take (it needs ~0.1 s CPU for 10,000 documents): one
# that has not answered by then is ended, and every check is made here
CHECK_SECONDS = 30.0
CHECKED_FIRST = ("school",)  # kinds read before the checks are done (the school's settings)


class Checks:
    """The schema checks of the documents no worker checked, made while this process goes on
    (the history pass): a forked child runs fastjsonschema's "valid?" over them and sends back
    which fail; here, `findings` marks the others valid and checks the failing ones again for
    their findings. Where fork is unsafe or the child fails, every check is made here, with the
    same findings in the same order (only a clean verdict is kept, by the cache: a document
    with schema errors is checked every run); so too where the child does not answer within
    CHECK_SECONDS."""

    def __init__(self, docs: list[Document]):
        self.docs = [doc for doc in docs if doc.loaded and not doc.valid]
        self.early = {i: schema.check(doc) for i, doc in enumerate(self.docs) if doc.kind in CHECKED_FIRST}
        self.child = None
        if len(self.docs) >= CHECK_APART_FROM:  # the child: which documents fail, as their indexes
            self.child = forked.start(lambda: (",".join(
                str(i) for i, doc in enumerate(self.docs)
                if i not in self.early and not schema.is_valid(doc.kind, doc.data)) + ".").encode())
            self.deadline = time.monotonic() + CHECK_SECONDS

    def _failing(self) -> set[int] | None:
        """The child's answer, or None when it gave none in time (every document is then checked here)."""
        data = forked.answer(self.child, self.deadline - time.monotonic())
        text = (data or b"").decode("ascii", "replace")
        if not text.endswith("."):  # none, or cut short
            return None
        try:
            return {int(i) for i in text[:-1].split(",") if i}
        except ValueError:
            return None

    def abandon(self) -> None:
        """The run stopped (an error): end the child, if any."""
        if self.child is not None:
            forked.abandon(self.child)
            self.child = None

    def findings(self) -> list[Finding]:
        """Every document's schema findings, in the documents' order (doc.valid, doc.bad_items set)."""
        global last_checks
        failing = self._failing() if self.child is not None else None
        last_checks = "here" if failing is None else "apart"
        out: list[Finding] = []
        for i, doc in enumerate(self.docs):
            if i in self.early:
                out.extend(self.early[i])
            elif failing is not None and i not in failing:
                doc.valid = doc.clean = True
            else:
                out.extend(schema.check(doc))
        return out
