"""Git commands started early, so that Git's time overlaps Python's (imports, decoding the cache).

`start` runs a command in the background, its output going to a file in memory (no thread: a
worker process forked later inherits no lock); `run` hands that output to the first caller who
asks for the same command in the same folder, and runs the command itself otherwise. `discard`
ends what nobody took (called when a run of licheng ends, so that a later run inside the same
process never reads another run's output).
"""

from __future__ import annotations

import os
import subprocess

# the first commands of a validation with its cache (generator.cache.blob_ids: the index and the
# files that differ from it)
INDEX = ("ls-files", "-s", "-v", "-z", "--")
CHANGED = ("diff-files", "--name-only", "-z", "--")
# and then the history pass's (generator.git.history): the head, and the refs of pending requests
HEAD = ("rev-parse", "--show-cdup", "--is-shallow-repository", "--verify", "-q", "HEAD^{commit}")
REFS = ("for-each-ref", "--format=%(objectname) %(refname)", "refs/pull", "refs/merge-requests", "refs/remotes")

_started: dict[tuple[str, tuple[str, ...]], tuple[subprocess.Popen, int, int]] = {}


def validation(root, tops: tuple[str, ...]) -> None:
    """Start what a validation of the repository at `root` with its cache asks Git first."""
    start(root, *INDEX, *tops)
    start(root, *CHANGED, *tops)
    start(root, *HEAD)
    start(root, *REFS)


def _memory_file() -> int:
    if hasattr(os, "memfd_create"):
        return os.memfd_create("licheng-git", getattr(os, "MFD_CLOEXEC", 0))
    import tempfile

    with tempfile.TemporaryFile() as fh:
        return os.dup(fh.fileno())


def start(root, *args: str) -> None:
    """Start `git -C root args` now; its output waits for `run(root, *args)`."""
    key = (str(root), args)
    if key in _started:
        return
    fds: list[int] = []
    try:
        fds = [_memory_file(), _memory_file()]
        proc = subprocess.Popen(["git", "-C", str(root), *args], stdout=fds[0], stderr=fds[1])
    except (OSError, ValueError):
        for fd in fds:
            os.close(fd)
        return  # run() runs it when it is asked for
    _started[key] = (proc, fds[0], fds[1])


def _read(fd: int) -> bytes:
    try:
        size = os.fstat(fd).st_size
        chunks, offset = [], 0
        while offset < size:
            chunk = os.pread(fd, size - offset, offset)
            if not chunk:
                break
            chunks.append(chunk)
            offset += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def run(root, *args: str) -> subprocess.CompletedProcess:
    """`git -C root args` as subprocess.run(capture_output=True) gives it (bytes): the output
    of the same command started earlier, when there is one."""
    found = _started.pop((str(root), args), None)
    if found is None:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True)
    proc, out, err = found
    proc.wait()
    return subprocess.CompletedProcess(proc.args, proc.returncode, _read(out), _read(err))


def discard() -> None:
    """End the commands nobody asked for."""
    while _started:
        _, (proc, out, err) = _started.popitem()
        try:
            proc.kill()
        except OSError:
            pass
        proc.wait()
        os.close(out)
        os.close(err)
