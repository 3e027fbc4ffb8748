"""Benchmark: `licheng validate` on a `licheng demo` school with a long Git history.

    python bench/history_speed.py [--students 3000] [--seed 1] [--dir DIR]

Prints, measured in the same run:
  demo        seconds to create the school (students, commits, merges)
  validate 1  a full `licheng validate` (a real process, no cache)
  history     generator.git.history.read() alone, next to a bare
              `git log --first-parent -m --name-status` of the same repository (goal ≤ 3×)
  validate 2  `licheng validate` again with nothing changed (goal ≤ 10 % of validate 1)
  validate 3  after one outcome file changed in the working tree (re-reads that file only)
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator import cache  # noqa
from generator.git import history  # noqa: E402
from generator.demo import create_demo  # noqa: E402

NOW = "2026-11-28 12:00"


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def validate(root: Path) -> float:
    seconds, proc = timed(lambda: subprocess.run(
        [sys.executable, "-m", "generator", "validate", "-C", str(root), "--now", NOW, "--format", "json"],
        capture_output=True, text=True))
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", help="reuse (or create) the demo school here")
    args = parser.parse_args()
    tmp = None
    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="licheng-history-"))
    if not args.dir:
        tmp = root
        root = root / "school"
    if not (root / ".git").exists():
        seconds, summary = timed(lambda: create_demo(root, students=args.students, seed=args.seed))
        print(f"demo:        {seconds:7.2f} s  ({summary.get('students')} students, "
              f"{summary.get('commits')} commits, {summary.get('merges')} merges)")
    shutil.rmtree(cache.directory(root), ignore_errors=True)
    first = validate(root)
    print(f"validate 1:  {first:7.2f} s  (no cache)")
    bare = min(timed(lambda: subprocess.run(
        ["git", "-C", str(root), "log", "--first-parent", "-m", "--name-status"],
        capture_output=True))[0] for _ in range(3))
    runs = [timed(lambda: history.read(root)) for _ in range(3)]
    ours, hist = min(runs, key=lambda r: r[0])
    print(f"history:     {ours:7.2f} s  ({len(hist.commits)} commits, {len(hist.branch)} merges, "
          f"{len(hist.pending)} pending commits)")
    print(f"git log -m:  {bare:7.2f} s  (bare git log --first-parent -m --name-status)")
    print(f"ratio:       {ours / bare:7.2f} ×  (goal ≤ 3×)")
    second = validate(root)
    print(f"validate 2:  {second:7.2f} s  = {second / first:.1%} of the first (goal ≤ 10 %)")
    outcome = next((root / "records/outcomes").rglob("*.yaml"))
    outcome.write_text(outcome.read_text("utf-8") + "# 修改\n", "utf-8")
    third = validate(root)
    print(f"validate 3:  {third:7.2f} s  (one outcome file changed: re-read from the blob cache)")
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
