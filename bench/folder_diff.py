"""Benchmark: why the cold history pass grows faster than the school.

    python bench/folder_diff.py [--entries 1000 3000 10000] [--commits 3000] [--demos DIR ...]

The history pass is one `git log --raw --diff-merges=first-parent` (generator.git.history). Git
finds a commit's changed paths by comparing its trees with its parent's, descending only into
subtrees whose ids differ. The school's layout (records/outcomes/<semester>/<student>/…) keeps
one folder entry per student, and nearly every commit changes one student's folder: each such
commit makes a new version of a folder with one entry per student, and git reads both versions
(all their entries) to find the one that changed. The cost of a commit grows with the students,
and so does the number of commits: the whole pass grows with their product.

Part 1 isolates that: synthetic repositories (`git fast-import`) with the same number of commits,
each changing one file of one student folder, where only the number of student folders
differs — flat (the school's layout), and split into folders of at most 50 (a layout the design
does not use, for comparison). Each line: CPU seconds of `git log` without diffs, with the
history pass's diffs, and those diffs' microseconds per commit.

Part 2 (`--demos`: `licheng demo` schools, e.g. bench/linear.py's DIR/d1000 …) gives the same
figures for real demo histories, next to their widest folder.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

LOG = ("log", "--no-renames", "--diff-merges=first-parent", "--raw", "--no-abbrev", "-z", "--format=%H")


def cpu(command: list[str]) -> float:
    """CPU seconds of one process (its output thrown away)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def least(command: list[str], repeat: int) -> float:
    return min(cpu(command) for _ in range(repeat))


def synthetic(root: Path, entries: int, commits: int, shard: int | None, seed: int) -> None:
    """A repository whose first commit holds `entries` student folders of one file each, then
    `commits` commits that each change one student's file (students drawn at random)."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    names = [f"{1130000 + i}" for i in range(entries)]

    def folder(i: int) -> str:
        return f"records/outcomes/115-1/{i // shard:03d}/{names[i]}" if shard else f"records/outcomes/115-1/{names[i]}"

    rng = random.Random(seed)
    lines = []
    for n in range(commits + 1):
        stamp = 1700000000 + n * 60
        lines += [b"commit refs/heads/main", f"committer 黃淑芬 <huang@example.edu.tw> {stamp} +0800".encode(),
                  b"data 6", b"commit"]
        changed = range(entries) if n == 0 else [rng.randrange(entries)]
        for i in changed:
            text = f"title: 成果 {i} 版本 {n}\n".encode()
            lines += [f"M 100644 inline {folder(i)}/outcome.yaml".encode(), f"data {len(text)}".encode(), text]
        lines.append(b"")
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=b"\n".join(lines) + b"\n", check=True)


def row(label: str, root: Path, repeat: int, widest: str = "") -> None:
    commits = int(subprocess.run(["git", "-C", str(root), "rev-list", "--count", "--all"],
                                 capture_output=True, text=True, check=True).stdout)
    walk = least(["git", "-C", str(root), "log", "--format=%H", "--all"], repeat)
    diffs = least(["git", "-C", str(root), *LOG, "--all"], repeat)
    print(f"{label:>34} {commits:>8} {walk:8.2f} {diffs:8.2f} {diffs / commits * 1e6:9.1f} {widest}", flush=True)


def widest_folder(root: Path) -> str:
    """The folder of HEAD's tree with the most entries, and that count."""
    listing = subprocess.run(["git", "-C", str(root), "ls-tree", "-r", "-t", "--name-only", "HEAD", "records"],
                             capture_output=True, text=True, check=True).stdout.split("\n")
    counts: dict[str, int] = {}
    for path in filter(None, listing):
        parent = path.rpartition("/")[0]
        counts[parent] = counts.get(parent, 0) + 1
    folder = max(counts, key=counts.get)
    return f"{folder} ({counts[folder]} entries)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, nargs="*", default=[1000, 3000, 10000])
    parser.add_argument("--commits", type=int, default=3000)
    parser.add_argument("--demos", nargs="*", default=[], help="demo schools to measure as well")
    parser.add_argument("--repeat", type=int, default=3, help="least CPU time of this many runs")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores; CPU seconds "
          f"(least of {args.repeat})")
    print(f"{'repository':>34} {'commits':>8} {'walk s':>8} {'diffs s':>8} {'µs/commit':>9}", flush=True)
    with tempfile.TemporaryDirectory(prefix="licheng-folders-") as tmp:
        for entries in args.entries:
            for shard in (None, 50):
                root = Path(tmp) / f"{entries}-{shard or 'flat'}"
                synthetic(root, entries, args.commits, shard, args.seed)
                row(f"{entries} folders, {'flat' if not shard else f'in groups of {shard}'}", root, args.repeat)
    for demo in args.demos:
        row(f"demo {Path(demo).name}", Path(demo), 1, widest_folder(Path(demo)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
