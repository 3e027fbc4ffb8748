"""Commands started early, so that their time overlaps Python's (imports, decoding the cache):
Git's, and the listing of the working tree's files (`find`, where it is GNU find's).

`start` runs a command in the background, its output going to a file in memory (no thread: a
worker process forked later inherits no lock); `run` hands that output to the first caller who
asks for the same command in the same folder, and runs the command itself otherwise; `peek` reads
it and leaves it for that caller (None when it was not started). `discard`
ends what nobody took (called when a run of licheng ends, so that a later run inside the same
process never reads another run's output).
"""

from __future__ import annotations

import os
import subprocess

# the first commands of a validation with its cache (generator.git.index.blob_ids: the index and the
# files that differ from it)
INDEX = ("ls-files", "-s", "-v", "-z", "--")
CHANGED = ("diff-files", "--name-only", "-z", "--")
# and then the history pass's (generator.git.history): the head, and the refs of pending requests
# (with main's: generator.git.request looks there first whether HEAD is main's tip)
HEAD = ("rev-parse", "--show-cdup", "--is-shallow-repository", "--verify", "-q", "HEAD^{commit}")
REFS = ("for-each-ref", "--format=%(objectname) %(refname)", "refs/pull", "refs/merge-requests", "refs/remotes",
        "refs/heads/main")

# every file, link and folder under the given folders (never following a link), with its type
# and size as lstat sees them: what generator.records.loader would otherwise walk and stat itself
LISTING = ("-mindepth", "1", "-printf", "%y\\t%s\\t%p\\0")

# (command) -> the process under way (with its output files), or its output once `peek` read it
_started: dict[tuple[str, tuple[str, ...]], tuple[subprocess.Popen, int, int] | subprocess.CompletedProcess] = {}


def validation(root, tops: tuple[str, ...], cached: bool = True) -> None:
    """Start what a validation of the repository at `root` asks first: the listing of `tops`,
    and (`cached`: with the cache) Git's index, changed files, head and pending refs."""
    if cached:
        start(root, *INDEX, *indexed(tops))
        start(root, *CHANGED, *indexed(tops))
        start(root, *HEAD)
        start(root, *REFS)
    folders = folders_of(root, tops)
    find = _program("find")
    if folders and find:
        argv = ("-P", *folders, *LISTING)
        _launch((str(root), ("find", *argv)), (find, *argv), cwd=root)


def indexed(tops: tuple[str, ...]) -> tuple[str, ...]:
    """What the index is asked about: `tops`, and the top folder's .gitattributes (an attributes
    file that differs from the index: generator.git.index.blob_ids)."""
    return (*tops, ".gitattributes")


def _program(name: str) -> str | None:
    """`name` in PATH's absolute folders only: the listing runs inside the repository, where a
    relative folder ("." or an empty entry) would find a program a student committed."""
    for folder in os.get_exec_path():
        path = os.path.join(folder, name)
        if os.path.isabs(folder) and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def folders_of(root, tops) -> tuple[str, ...]:
    """The `tops` that are folders of their own (not links), as the listing takes them."""
    return tuple(top for top in tops if os.path.isdir(os.path.join(root, top))
                 and not os.path.islink(os.path.join(root, top)))


def listing(root, folders: tuple[str, ...]) -> bytes | None:
    """The output of the listing of `folders` started for `root`, when it was and it ran without
    a complaint (a folder it could not read, a find without -printf): None, walk them instead."""
    found = _started.pop((str(root), ("find", "-P", *folders, *LISTING)), None)
    if found is None:
        return None
    done = found if isinstance(found, subprocess.CompletedProcess) else _done(found)
    return done.stdout if done.returncode == 0 and not done.stderr else None


def _memory_file() -> int:
    if hasattr(os, "memfd_create"):
        return os.memfd_create("licheng-git", getattr(os, "MFD_CLOEXEC", 0))
    import tempfile

    with tempfile.TemporaryFile() as fh:
        return os.dup(fh.fileno())


def start(root, *args: str) -> None:
    """Start `git -C root args` now; its output waits for `run(root, *args)`."""
    _launch((str(root), args), ("git", "-C", str(root), *args))


def _launch(key: tuple[str, tuple[str, ...]], argv: tuple[str, ...], cwd=None) -> None:
    if key in _started:
        return
    fds: list[int] = []
    try:
        fds.append(_memory_file())
        fds.append(_memory_file())
        proc = subprocess.Popen(argv, stdout=fds[0], stderr=fds[1], cwd=cwd)
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
    return found if isinstance(found, subprocess.CompletedProcess) else _done(found)


def peek(root, *args: str) -> subprocess.CompletedProcess | None:
    """The output of `git -C root args` started earlier (None: it was not), left for `run`."""
    key = (str(root), args)
    found = _started.get(key)
    if found is not None and not isinstance(found, subprocess.CompletedProcess):
        found = _started[key] = _done(found)
    return found


def output(root, *args: str) -> str | None:
    """What `git -C root args` prints (None when it fails), from the earlier start when there is one."""
    proc = run(root, *args)
    return proc.stdout.decode("utf-8", "surrogateescape") if proc.returncode == 0 else None


def _done(found) -> subprocess.CompletedProcess:
    proc, out, err = found
    proc.wait()
    return subprocess.CompletedProcess(proc.args, proc.returncode, _read(out), _read(err))


def discard() -> None:
    """End the commands nobody asked for."""
    while _started:
        _, found = _started.popitem()
        if isinstance(found, subprocess.CompletedProcess):
            continue
        proc, out, err = found
        try:
            proc.kill()
        except OSError:
            pass
        proc.wait()
        os.close(out)
        os.close(err)
