"""Benchmark: incremental validation against a cold run, measured in one run on a demo school.

    python bench/incremental.py [--students 1000] [--dir DIR] [--repeat 3]

Each round times `licheng validate` as a real process:
  cold       the cache emptied (the run parses every file, reads the whole history, writes the cache)
  unchanged  nothing changed
  edited     one outcome file changed in the working tree (re-parsed; everything else from the cache)
  commit     that change committed (the history pass logs the one new commit)
and the round is undone (the commit reset, the file restored). Goals: edited ≤ 15 % and commit ≤ 20 %
of cold at 1,000 students; ≤ 10 % at 3,000.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator import cache  # noqa: E402
from generator.demo import create_demo  # noqa: E402

NOW = "2026-11-28 12:00"


def validate(root: Path, *extra: str) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "generator", "validate", "-C", str(root),
                           "--now", NOW, "--format", "json", *extra], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr)
    return seconds, int(proc.stderr.strip().splitlines()[-1])


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=黃淑芬", "-c", "user.email=huang.shufen@example.edu.tw",
                    *args], check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", help="reuse (or create) the demo school here")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="licheng-incr-")) / "school"
    if not (root / ".git").exists():
        s = create_demo(root, args.students, args.seed)
        print(f"demo: {s['students']} students, {s['commits']} commits in {s['seconds']:.0f} s")
    os.environ.setdefault("LICHENG_CACHE_DIR", str(root.parent / f"{root.name}-cache"))
    outcome = sorted((root / "records/outcomes").rglob("*.yaml"))[0]
    original = outcome.read_bytes()
    rows = []
    print(f"{'round':>5} {'no cache':>9} {'cold':>7} {'unchanged':>10} {'edited':>7} {'commit':>7}   edited/cold commit/cold")
    for i in range(args.repeat):
        nocache, _ = validate(root, "--no-cache")
        shutil.rmtree(cache.directory(root), ignore_errors=True)
        cold, cold_mem = validate(root)
        unchanged, _ = validate(root)
        outcome.write_bytes(original + f"# 修改 {i}\n".encode())
        edited, _ = validate(root)
        git(root, "commit", "-qam", "修改一件成果")
        commit, _ = validate(root)
        git(root, "reset", "-q", "--hard", "HEAD~1")
        outcome.write_bytes(original)
        rows.append((nocache, cold, unchanged, edited, commit))
        print(f"{i + 1:>5} {nocache:9.2f} {cold:7.2f} {unchanged:10.2f} {edited:7.2f} {commit:7.2f}   "
              f"{edited / cold:10.1%} {commit / cold:11.1%}   (cold: {cold_mem / 1024:.0f} MB)", flush=True)
    med = [statistics.median(r[k] for r in rows) for k in range(5)]
    print(f"median: edited {med[3] / med[1]:.1%} of cold, commit {med[4] / med[1]:.1%} of cold, "
          f"unchanged {med[2] / med[1]:.1%}; cold with cache writing {med[1] / med[0]:.0%} of --no-cache")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
