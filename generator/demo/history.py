"""Demo school: the Git history as data, written with ONE `git fast-import` stream.

A history is a list of main-line events: direct commits, and merge requests (a branch of
one or two commits forked from main, then merged, squashed, rebased — or left open).
Events are written in the order they reach main, so a branch can fork from whatever
main held at its first commit's author time.
"""

from __future__ import annotations

import bisect
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

TZ = timezone(timedelta(hours=8))  # Asia/Taipei has had no DST since 1979
GITHUB = ("GitHub", "noreply@github.com")
REPO_PATH = "school/portfolio"
SCRATCH = "refs/demo/branch"


def at(text: str) -> datetime:
    """'2026-03-02 10:15' (or a date) in Taiwan time."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@dataclass(frozen=True)
class Shared:
    """A blob written once and reused by mark (the demo's attachments)."""
    name: str


@dataclass
class Commit:
    author: tuple[str, str]                 # (name, email)
    author_time: datetime
    message: str
    files: dict[str, bytes | str | Shared]  # path -> new content
    committer: tuple[str, str] | None = None
    commit_time: datetime | None = None
    mark: int = 0                           # set when written

    @property
    def time(self) -> datetime:
        return self.commit_time or self.author_time


@dataclass
class Request:
    """A merge (pull) request: `landing` is None while it is open (pending)."""
    number: int
    style: str                              # "github" | "gitlab"
    login: str                              # the student's account, for GitHub's message
    title: str
    commits: list[Commit]
    landing: str | None = None              # "merge" | "squash" | "rebase" | None
    merger: tuple[str, str] | None = None
    landed_at: datetime | None = None
    mark: int = 0                           # the main-line commit it became

    @property
    def branch(self) -> str:
        return f"mr/{self.number}"

    @property
    def ref(self) -> str:
        # the demo school's platform (school.yaml platform.kind: gitlab) keeps every request's head
        # here, whichever style its merge shows
        return f"refs/merge-requests/{self.number}/head"

    def files(self) -> dict:
        out: dict = {}
        for c in self.commits:
            out.update(c.files)
        return out


@dataclass
class Direct:
    commit: Commit

    @property
    def landed_at(self) -> datetime:
        return self.commit.time


def merge_message(req: Request) -> str:
    if req.style == "github":
        return f"Merge pull request #{req.number} from {req.login}/{req.branch}\n\n{req.title}\n"
    return f"Merge branch '{req.branch}' into 'main'\n\n{req.title}\n\nSee merge request {REPO_PATH}!{req.number}\n"


class Stream:
    """Writes fast-import commands to a binary pipe, in large chunks."""

    def __init__(self, pipe, shared: dict[str, bytes], attachments=None):
        self.pipe, self.parts, self.size, self.marks = pipe, [], 0, 0
        self.shared = {}
        self.attachments = attachments if attachments is not None and not attachments.plain else None
        self.by_path: dict[str, int] = {}  # attachment path -> mark of its blob (one per path)
        for name, data in sorted(shared.items()):
            self.shared[name] = self._next()
            self._put(b"blob\nmark :%d\ndata %d\n" % (self.shared[name], len(data)), data, b"\n")

    def _next(self) -> int:
        self.marks += 1
        return self.marks

    def _put(self, *chunks: bytes) -> None:
        self.parts.extend(chunks)
        self.size += sum(map(len, chunks))
        if self.size > 1 << 20:
            self.flush()

    def flush(self) -> None:
        self.pipe.write(b"".join(self.parts))
        self.parts, self.size = [], 0

    def commit(self, ref: str, c: Commit, start: int | None = None, merge: int | None = None) -> int:
        """`start`: the first parent when the ref is new (else the ref's tip); `merge`: a second parent."""
        c.mark = self._next()
        committer = c.committer or c.author
        message = c.message.encode()
        head = [b"commit %s\nmark :%d\n" % (ref.encode(), c.mark),
                _ident(b"author", c.author, c.author_time), _ident(b"committer", committer, c.time),
                b"data %d\n" % len(message), message, b"\n"]
        if start is not None:
            head.append(b"from :%d\n" % start)
        if merge is not None:
            head.append(b"merge :%d\n" % merge)
        for path, content in sorted(c.files.items()):
            if isinstance(content, Shared) and self.attachments is not None:
                if path not in self.by_path:
                    data = self.attachments.content(path, content.name)
                    self.by_path[path] = self._next()
                    self._put(b"blob\nmark :%d\ndata %d\n" % (self.by_path[path], len(data)), data, b"\n")
                head.append(b"M 100644 :%d %s\n" % (self.by_path[path], path.encode()))
            elif isinstance(content, Shared):
                head.append(b"M 100644 :%d %s\n" % (self.shared[content.name], path.encode()))
            else:
                data = content.encode() if isinstance(content, str) else content
                head += [b"M 100644 inline %s\ndata %d\n" % (path.encode(), len(data)), data, b"\n"]
        head.append(b"\n")
        self._put(*head)
        return c.mark


def _ident(kind: bytes, who: tuple[str, str], when: datetime) -> bytes:
    offset = int(when.utcoffset().total_seconds() // 60)
    sign = b"+" if offset >= 0 else b"-"
    return b"%s %s <%s> %d %s%02d%02d\n" % (kind, who[0].encode(), who[1].encode(), int(when.timestamp()),
                                           sign, abs(offset) // 60, abs(offset) % 60)


@dataclass
class Written:
    commits: int = 0
    merges: int = 0
    pending: int = 0
    shas: dict[int, str] = field(default_factory=dict)   # mark -> commit id
    head: str = ""


def write_history(target: Path, events: list, shared: dict[str, bytes], attachments=None,
                  first: dict[str, bytes] | None = None) -> Written:
    """Import every event into the repository at `target` (already `git init`ed). `attachments`
    (generator.demo.attachments) makes each attachment's content; `first`: files added to the
    first commit on main (the LFS .gitattributes)."""
    marks_file = target / ".git" / "demo-marks"
    proc = subprocess.Popen(["git", "fast-import", "--quiet", f"--export-marks={marks_file}"],
                            cwd=target, stdin=subprocess.PIPE)
    stream, done = Stream(proc.stdin, shared, attachments), Written()
    main_times: list[datetime] = []
    main_marks: list[int] = []

    def on_main(c: Commit, merge: int | None = None) -> None:
        if first and not main_marks:
            c.files = {**c.files, **first}
        main_marks.append(stream.commit("refs/heads/main", c, merge=merge))
        main_times.append(c.time)
        done.commits += 1

    def branch(req: Request) -> None:
        # every branch is written to one scratch ref: thousands of live branches would cost
        # fast-import a loose ref file each; the requests' refs are packed afterwards
        fork = main_marks[bisect.bisect_right(main_times, req.commits[0].author_time) - 1]
        for i, c in enumerate(req.commits):
            stream.commit(SCRATCH, c, fork if i == 0 else None)
            done.commits += 1

    landed = sorted((e for e in events if e.landed_at is not None), key=lambda e: e.landed_at)
    for event in landed:
        if isinstance(event, Direct):
            on_main(event.commit)
            continue
        branch(event)
        tip = event.commits[-1]
        if event.landing == "merge":
            github = event.style == "github"
            c = Commit(event.merger, event.landed_at, merge_message(event), event.files(),
                       GITHUB if github else None, event.landed_at)
            on_main(c, merge=tip.mark)
            done.merges += 1
        else:  # GitHub squash or rebase: one ordinary commit on main, committed by GitHub
            first = event.commits[0]
            squash = event.landing == "squash"
            c = Commit(first.author, event.landed_at if squash else first.author_time,
                       f"{event.title} (#{event.number})\n" if squash else first.message,
                       event.files(), GITHUB, event.landed_at)
            on_main(c)
        event.mark = main_marks[-1]
    for event in events:
        if isinstance(event, Request) and event.landed_at is None:
            branch(event)
            done.pending += 1
    stream.flush()
    proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError(f"git fast-import failed with exit code {proc.returncode}")
    for line in marks_file.read_text().splitlines():
        mark, sha = line.split()
        done.shas[int(mark[1:])] = sha
    marks_file.unlink()
    subprocess.run(["git", "update-ref", "-d", SCRATCH], cwd=target, check=True)
    scratch_dir = target / ".git" / "refs" / "demo"
    if scratch_dir.is_dir() and not any(scratch_dir.iterdir()):
        scratch_dir.rmdir()
    refs = sorted((e.ref, done.shas[e.commits[-1].mark]) for e in events if isinstance(e, Request))
    with open(target / ".git" / "packed-refs", "w") as fh:
        fh.write("# pack-refs with: peeled fully-peeled sorted \n")
        fh.writelines(f"{sha} {ref}\n" for ref, sha in refs)
    return done
