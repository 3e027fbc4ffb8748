"""Running every rule check: in this process, or shared with one forked child at a large school.

Once the history has been read, a child is forked and the two processes share the checks on two
cores. Those that read the certification analysis (which the merge-request check reads again
after validating) run in this process; the others go by module (a module's checks share what
they make, such as the permission audit): the child starts on the costliest, and each process,
once free, takes the next module from a queue both read, so that neither waits long for the
other whatever the school's shape or the machine's load. The child sends back its checks'
findings as MessagePack (msgspec: plain data, no code) and the per-commit parses it read
(generator.git.committed), and the findings are put together in the checks' order: the same
findings, in the same order, as one process makes (words in both languages, result.Said, come
back as such). A check whose findings hold anything MessagePack would not give back as it was (a
tuple, a date, a string that is no UTF-8) is run again here. Where fork is unsafe
(generator.records.forked.may_fork), one core is free to use, the machine has no core to spare,
the school is small, or the child fails or does not answer in time, this process runs every
check itself.
"""

from __future__ import annotations

import os
import time
import traceback
from dataclasses import replace
from typing import Callable, Iterable

import msgspec

from ..git import audit, committed
from ..records import forked
from ..result import Finding, as_row, finding, from_hit, from_row, placed
from ..rule import CHECKS, Hit

APART_FROM = 2_000  # documents before a second process pays for its fork and its copied pages
SPARE = 0.5  # of a core the load average must leave free for the child
CHILD_SECONDS = 30.0  # how long the child's answer is awaited at least, once this process's half is done
HERE = ("certification", "submissions")  # rule modules whose checks read the certification analysis
# in a batch of validations (generator.validate.Shared) also the modules whose values the batch
# shares (Records.lasting): what a child makes for it would be lost
BATCH_HERE = HERE + ("history",)
HEAVY = ("permissions", "portfolio", "students", "history")  # the costliest of the others, first (the child's first)
last_run = "here"  # "apart": the last run's child answered; "here": this process ran every check

Check = tuple[str, Callable[..., Iterable[Hit]]]


def _stays(check: Check, here: tuple[str, ...] = HERE) -> bool:
    return check[1].__module__.rsplit(".", 1)[-1] in here


def _findings(records, code: str, check) -> list[Finding]:
    """One check's findings; a bug in it adds one internal.error finding to those made before it
    (it must not hide the other checks' findings)."""
    out: list[Finding] = []
    try:
        for h in check(records) or ():
            f = from_hit(code, h)
            where = records.repository_of(f.path)
            out.append(f if f.repository == where else replace(f, repository=where))
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        out.extend(placed([finding("internal.error", where.filename.rsplit("/", 1)[-1], where.lineno,
                                   rule=f"{code} ({check.__name__})", detail=f"{type(exc).__name__}: {exc}")],
                          records.target))
    return out


def run(records, checks: list[Check] | None = None) -> list[Finding]:
    """Every check's findings, in the checks' order (default: every registered check)."""
    global last_run
    checks = list(CHECKS if checks is None else checks)
    here = HERE if records.shared is None else BATCH_HERE
    units = _units(checks, here)
    child = queue = None
    if units and len(records.documents) >= APART_FROM and _core_to_spare() and _shared(records):
        queue = _Queue(len(units) - 1)  # (the first unit is the child's: it starts on it at once)
        child = _fork(records, checks, units, queue)
        if child is None:
            queue.close()
    last_run = "here"
    found: dict[int, list[Finding]] = {}
    started = time.monotonic()
    try:
        if child is None:
            for i, (code, check) in enumerate(checks):
                found[i] = _findings(records, code, check)
            return [f for i in range(len(checks)) for f in found[i]]
        for i, (code, check) in enumerate(checks):
            if _stays((code, check), here):
                found[i] = _findings(records, code, check)
        while (unit := queue.take()) is not None:  # then what the child has not taken yet
            for i in units[unit + 1]:
                found[i] = _findings(records, *checks[i])
        queue.close()
        # the child's share takes about as long as this one: one that has not answered long after is ended
        waited = max(CHILD_SECONDS, 3 * (time.monotonic() - started))
        sent = _answer(records, child, waited)
    except BaseException:
        if child is not None:
            queue.close()
            forked.abandon(child)
        raise
    if sent is not None:
        last_run = "apart"
        found.update((i, f) for i, f in sent.items() if f is not None and i not in found)
    for i, check in enumerate(checks):  # no answer from the child, or findings it could not send: run here
        if i not in found:
            found[i] = _findings(records, *check)
    return [f for i in range(len(checks)) for f in found[i]]


def _units(checks: list[Check], here: tuple[str, ...]) -> list[list[int]]:
    """The checks either process may run, by module (a module's checks share what they make, e.g.
    the permission audit), the heaviest first (the child's first unit; the others are taken from
    a _Queue by whichever process is free): indexes in `checks`. None of those that stay here."""
    by_module: dict[str, list[int]] = {}
    for i, check in enumerate(checks):
        if not _stays(check, here):
            by_module.setdefault(check[1].__module__.rsplit(".", 1)[-1], []).append(i)
    order = sorted(by_module, key=lambda name: HEAVY.index(name) if name in HEAVY else len(HEAVY))
    units = [by_module[name] for name in order]
    return units[:_Queue.MOST] + ([sum(units[_Queue.MOST:], [])] if len(units) > _Queue.MOST else [])


class _Queue:
    """Units of work that either process takes, each once: their numbers, one byte each, in a pipe
    whose writing end is closed before the fork (a read of one byte takes one number; once all are
    taken the pipe reads as ended)."""

    MOST = 256  # numbers a byte holds

    def __init__(self, count: int):
        read, write = os.pipe()
        try:
            os.write(write, bytes(range(count)))  # (at most 256 bytes: written at once, never blocking)
        finally:
            os.close(write)
        self.fd: int | None = read

    def take(self) -> int | None:
        if self.fd is None:
            return None
        got = os.read(self.fd, 1)
        return got[0] if got else None

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _core_to_spare() -> bool:
    """Is a core free for the child? LICHENG_WORKERS, when set, says so (2: yes, 1: no); else the
    last minute's load average (this run included) must be below the cores this process may use,
    less SPARE: on a busy machine the child's own cost (its copied pages, its start and end: ~0.1
    CPU s at 1,000 students) outweighs what it saves."""
    if os.environ.get("LICHENG_WORKERS"):
        return True  # (forked.workers_wanted reads it)
    try:
        return os.getloadavg()[0] < forked.workers_wanted() - SPARE
    except OSError:  # (no load average to read)
        return True


def _shared(records) -> bool:
    """What both processes read, made once before the fork instead of once in each: the
    identities' table, which commits are audited and where each path changed on main (~0.02 s at
    1,000 students); in a batch of
    validations (generator.validate.Shared), the audit of main they share, which a child would make
    and lose. False when that fails: the checks then run here, where each failure is its check's
    internal.error."""
    from . import permissions

    try:
        records.identities.of("")
        if records.histories:
            audit.audited_commits(records)
            if records.history is not None:
                records.history.changed  # noqa: B018  (the paths' changes on main: certification's and the windows')
            if records.shared is not None and records.own_history is not None:
                permissions.main_audit(records)
    except Exception:
        return False
    return True


def _fork(records, checks: list[Check], units: list[list[int]], queue: _Queue) -> forked.Child | None:
    """A child running the first unit of checks, then those it takes from `queue`: it sends their
    findings by index in `checks`, and the per-commit parses it read."""
    def work() -> bytes:
        sent, unit = [], 0
        while unit is not None:
            sent += [[i, _sent(_findings(records, *checks[i]))] for i in units[unit]]
            taken = queue.take()
            unit = None if taken is None else taken + 1
        queue.close()
        return msgspec.msgpack.encode([sent, _sent(committed.taken(records))])

    return forked.start(work)


_SCALARS = (str, int, float, bool, type(None))


def _plain(value) -> bool:
    """Does MessagePack give `value` back exactly (the same types: no tuple becomes a list)?"""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is list:
        return all(map(_plain, value))
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


def _sent(value) -> bytes | None:
    """`value` (a check's findings, or the reader's parses) as MessagePack, or None where it
    would not come back as it is."""
    if isinstance(value, list) and value and isinstance(value[0], Finding):
        value = [as_row(f) for f in value]
    if not _plain(value):
        return None
    try:
        return msgspec.msgpack.encode(value)
    except (TypeError, ValueError, OverflowError, UnicodeError):
        return None


def _answer(records, child: tuple[int, int], seconds: float) -> dict[int, list[Finding] | None] | None:
    """The child's findings by check (None for a check it could not send; its parses taken into
    this process's), or None when it gave none within `seconds` (it is then ended). The answer
    is whole when it decodes (a cut MessagePack array does not), so the child is not waited for:
    unmapping its pages as it exits takes milliseconds; it is reaped later."""
    data = forked.answer(child, seconds)
    if data is None:
        return None
    try:
        sent, parses = msgspec.msgpack.decode(data)
        found = {int(i): None if f is None else [from_row(row) for row in msgspec.msgpack.decode(f)]
                 for i, f in sent}
        if parses is not None:
            committed.adopt(records, msgspec.msgpack.decode(parses))
    except (msgspec.DecodeError, TypeError, ValueError):  # no answer, or a cut one: the checks run here
        return None
    return found
