"""Running every rule check: in this process, or shared with one forked child at a large school.

The checks split in two groups of about equal cost: those that read the certification analysis
(which the merge-request check reads again after validating) run in this process, the others in
a child forked once the history has been read, so that the two run on two cores. The child sends
back each of its checks' findings as MessagePack (msgspec: plain data, no code) and the per-commit
parses it read (generator.git.committed), and the findings are put together in the checks' order:
the same findings, in the same order, as one process makes (words in both languages, result.Said,
come back as such). A check whose findings hold anything
MessagePack would not give back as it was (a tuple, a date, a string that is no UTF-8) is run
again here. Where fork is unsafe (generator.records.forked.may_fork), one core is free to use,
the machine has no core to spare, the school is small, or the child fails or does not answer
in time, this process runs every check itself.
"""

from __future__ import annotations

import os
import time
import traceback
from typing import Callable, Iterable

import msgspec

from ..git import audit, committed
from ..records import forked
from ..result import Finding, Said, finding, from_hit, placed
from ..rule import CHECKS, Hit

APART_FROM = 2_000  # documents before a second process pays for its fork and its copied pages
SPARE = 0.5  # of a core the load average must leave free for the child
CHILD_SECONDS = 30.0  # how long the child's answer is awaited at least, once this process's half is done
HERE = ("certification", "submissions")  # rule modules whose checks read the certification analysis
last_run = "here"  # where the last run's second group ran: "apart" (a child process) or "here"

Check = tuple[str, Callable[..., Iterable[Hit]]]


def _stays(check: Check) -> bool:
    return check[1].__module__.rsplit(".", 1)[-1] in HERE


def _findings(records, code: str, check) -> list[Finding]:
    """One check's findings; a bug in it adds one internal.error finding to those made before it
    (it must not hide the other checks' findings)."""
    out: list[Finding] = []
    try:
        for h in check(records) or ():
            f = from_hit(code, h)
            out.append(placed([f], records.repository_of(f.path))[0])
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
    apart = [i for i, check in enumerate(checks) if not _stays(check)]
    child = None
    if apart and len(records.documents) >= APART_FROM and _core_to_spare() and _shared(records):
        child = _fork(records, [checks[i] for i in apart])
    last_run = "here"
    found: dict[int, list[Finding]] = {}
    started = time.monotonic()
    try:
        for i, (code, check) in enumerate(checks):
            if child is None or i not in apart:
                found[i] = _findings(records, code, check)
        # the child's half takes about as long as this one: one that has not answered long after is ended
        waited = max(CHILD_SECONDS, 3 * (time.monotonic() - started))
        sent = _answer(records, child, waited) if child is not None else None
    except BaseException:
        if child is not None:
            forked.abandon(child)
        raise
    if sent is not None and len(sent) == len(apart):
        last_run = "apart"
        found.update((i, f) for i, f in zip(apart, sent) if f is not None)
    for i in apart:  # no child, no answer from it, or findings it could not send: run here
        if i not in found:
            found[i] = _findings(records, *checks[i])
    return [f for i in range(len(checks)) for f in found[i]]


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
    """What both groups read, made once before the fork instead of once in each process: the
    identities' table and which commits are audited (~0.02 s at 1,000 students); in a batch of
    validations (generator.validate.Shared), the audit of main they share, which a child would make
    and lose. False when that fails: the checks then run here, where each failure is its check's
    internal.error."""
    from . import permissions

    try:
        records.identities.of("")
        if records.histories:
            audit.audited_commits(records)
            if records.shared is not None and records.own_history is not None:
                permissions.main_audit(records)
    except Exception:
        return False
    return True


def _fork(records, checks: list[Check]) -> forked.Child | None:
    """A child running `checks`: it sends their findings and the per-commit parses it read."""
    if not checks:
        return None
    return forked.start(lambda: msgspec.msgpack.encode(
        [[_sent(_findings(records, code, check)) for code, check in checks], _sent(committed.taken(records))]))


_FIELDS = tuple(Finding.__dataclass_fields__)
_OTHER_FIELDS = tuple(name for name in _FIELDS if name != "params")
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


def _row(f: Finding) -> list:
    """A finding's fields, its params last but one and then the names of those that are words of
    the report's language (result.Said: a dict that must come back as one)."""
    said = [k for k, v in f.params.items() if type(v) is Said]
    params = {k: dict(v) if type(v) is Said else v for k, v in f.params.items()} if said else f.params
    return [*(getattr(f, name) for name in _FIELDS if name != "params"), params, said]


def _finding(row: list) -> Finding:
    *fields, params, said = row
    for k in said:
        params[k] = Said(params[k])
    return Finding(**dict(zip(_OTHER_FIELDS, fields)), params=params)


def _sent(value) -> bytes | None:
    """`value` (a check's findings, or the reader's parses) as MessagePack, or None where it
    would not come back as it is."""
    if isinstance(value, list) and value and isinstance(value[0], Finding):
        value = [_row(f) for f in value]
    if not _plain(value):
        return None
    try:
        return msgspec.msgpack.encode(value)
    except (TypeError, ValueError, OverflowError, UnicodeError):
        return None


def _answer(records, child: tuple[int, int], seconds: float) -> list[list[Finding] | None] | None:
    """The child's findings per check (None for a check it could not send; its parses taken into
    this process's), or None when it gave none within `seconds` (it is then ended). The answer
    is whole when it decodes (a cut MessagePack array does not), so the child is not waited for:
    unmapping its pages as it exits takes milliseconds; it is reaped later."""
    data = forked.answer(child, seconds)
    if data is None:
        return None
    try:
        sent, parses = msgspec.msgpack.decode(data)
        found = [None if f is None else [_finding(row) for row in msgspec.msgpack.decode(f)] for f in sent]
        if parses is not None:
            committed.adopt(records, msgspec.msgpack.decode(parses))
    except (msgspec.DecodeError, TypeError, ValueError):  # no answer, or a cut one: the checks run here
        return None
    return found
