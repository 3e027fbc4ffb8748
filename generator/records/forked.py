"""One forked child doing part of a run on the second core, and its answer read back as bytes.

The schema checks (generator.records.parsing.Checks) and half the rule checks
(generator.rules.running) are each made by a child forked from this process: it shares what is
already loaded, does its part and writes plain bytes to a pipe. Nothing the child does but those
bytes is kept. A child that fails, hangs or answers nothing is ended, and its caller does the
work itself.
"""

from __future__ import annotations

import atexit
import os
import select
import signal
import sys
import threading
import time
from typing import Callable

Child = tuple[int, int]  # its pid, the reading end of its pipe
_unreaped: list[int] = []  # children whose answer was read, not yet reaped


def workers_wanted() -> int:
    """LICHENG_WORKERS (1: never start worker processes), at most the cores this process may use."""
    try:
        wanted = int(os.environ.get("LICHENG_WORKERS", "2"))
    except ValueError:
        wanted = 2
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(wanted, cores))


def may_fork() -> bool:
    # fork starts a child in milliseconds and shares what this process has already imported,
    # but forking a process that runs other threads can leave a lock held in the child forever
    return sys.platform.startswith("linux") and threading.active_count() == 1


def start(work: Callable[[], bytes]) -> Child | None:
    """A child forked to write what `work()` returns, or None where none may start (one core,
    LICHENG_WORKERS=1, threads, not Linux, no pipe or process to be had)."""
    if workers_wanted() < 2 or not may_fork():
        return None
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: its answer, then out without running this process's exit handlers
        status = 1
        try:
            os.close(read)
            out = memoryview(work())
            while out:
                out = out[os.write(write, out):]
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def answer(child: Child, seconds: float) -> bytes | None:
    """All that the child writes until it closes its pipe, or None when it has not within
    `seconds` (it is then ended; what it wrote in time is read even when `seconds` are already
    past). A child that answered is reaped later (unmapping its pages as it exits takes
    milliseconds): its caller must tell a whole answer from a cut one by the answer itself."""
    pid, read = child
    chunks = []
    deadline = time.monotonic() + seconds
    ready = select.poll()  # (select.select refuses descriptors from 1024 on, which a long-lived process reaches)
    ready.register(read, select.POLLIN)
    try:
        while True:
            if not ready.poll(max(0.0, deadline - time.monotonic()) * 1000):
                _end(pid)
                return None
            chunk = os.read(read, 1 << 20)
            if not chunk:
                _unreaped.append(pid)
                _reap()
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(read)


def abandon(child: Child) -> None:
    """End a child whose answer is no longer awaited."""
    pid, read = child
    os.close(read)
    _end(pid)


def _end(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _reap(wait: bool = False) -> None:
    """Collect the children that have ended (of this run, or of earlier ones in a long-lived
    process); with `wait`, all of them (as the process exits: they ended long before)."""
    for pid in list(_unreaped):
        try:
            done = os.waitpid(pid, 0 if wait else os.WNOHANG)[0] != 0
        except ChildProcessError:
            done = True
        if done:
            _unreaped.remove(pid)


atexit.register(_reap, True)  # (a child reaped is counted in this process's children's CPU time)
