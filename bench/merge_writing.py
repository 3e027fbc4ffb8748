"""Benchmark: what finding every merge's own writing (generator.git.history `Commit.own`) costs the history pass.

    python bench/merge_writing.py --dir SCHOOL [--repeat 3]

On a copy of a demo school (bench/incremental.py says how to make one), prints the least of
`--repeat` runs, wall seconds and (CPU seconds: the run's and its git processes'):
  cold        generator.git.history.read() with an empty cache (logs everything, writes the cache)
  warm        the same with that cache (nothing logged: the merges' own writing comes from it)
  own         the part of cold spent on the merges' own writing (blob ids compared, git asked)
  diff-tree   `git diff-tree -c --stdin` over every merge: what the same answer costs asked of git directly
and how many merges hold writing of their own. Copied into a checkout from before `Commit.own`,
it measures that checkout (own: 0) for a before/after comparison on the same copy.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.git import history  # noqa: E402


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(fn) -> tuple[float, float]:
    start, before = time.perf_counter(), cpu()
    fn()
    return time.perf_counter() - start, cpu() - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, required=True, help="a demo school's repository (a copy: it is read only)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = args.dir.resolve()
    spent = []
    try:
        from generator.git import merge_writing as holder  # noqa: PLC0415
    except ImportError:  # (a checkout from before the history's split, or before `Commit.own`: copy this script there)
        holder = history
    name = "own_writing" if holder is not history else "_own_writing"
    measured = getattr(holder, name, None)

    def own_writing(*a):
        spent.append(timed(lambda: measured(*a)))

    if measured is not None:
        setattr(holder, name, own_writing)
    rows: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": [], "own": [], "diff-tree": []}
    merges = subprocess.run(["git", "-C", str(root), "rev-list", "--merges", "HEAD"], capture_output=True,
                            check=True).stdout
    for _ in range(args.repeat):
        folder = tempfile.mkdtemp(prefix="licheng-bench-cache-")
        os.environ["LICHENG_CACHE_DIR"] = folder
        spent.clear()
        rows["cold"].append(timed(lambda: history.read(root, use_cache=True)))
        rows["own"].append((sum(w for w, _ in spent), sum(c for _, c in spent)))
        rows["warm"].append(timed(lambda: history.read(root, use_cache=True)))
        shutil.rmtree(folder)
        rows["diff-tree"].append(timed(lambda: subprocess.run(
            ["git", "-C", str(root), "diff-tree", "-c", "-r", "--no-commit-id", "--name-only", "--stdin"],
            input=merges, capture_output=True, check=True)))
    read = history.read(root)
    owning = sum(1 for c in read.commits.values() if getattr(c, "own", ()))
    print(f"{len(read.commits)} commits, {len(merges.split())} merges, {owning} with writing of their own; "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    for name, runs in rows.items():
        wall, used = min(w for w, _ in runs), min(c for _, c in runs)
        print(f"{name:>10}  {wall:5.2f} s ({used:.2f} CPU s)")


if __name__ == "__main__":
    main()
