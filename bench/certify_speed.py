"""Time `licheng certify` (the listing: every pending request a teacher may certify is checked).

    python3 bench/certify_speed.py --dir /tmp/NAME-k1/school --as xiao-chengyun [--repeat 2]

Run on a copy of a demo school (never on /work/bench/…), with LICHENG_CACHE_DIR set. "no parses"
removes the cached parses first (a first run, or the first after a new licheng); "cached" runs
again as is. Prints wall and CPU seconds (this process's children: licheng and its workers)."""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator import cache  # noqa: E402


def _timed(argv: list[str]) -> tuple[float, float, bytes]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(argv, capture_output=True).stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--as", dest="staff", required=True)
    parser.add_argument("--now", default="2026-11-28 12:00")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if "LICHENG_CACHE_DIR" not in os.environ:
        sys.exit("set LICHENG_CACHE_DIR (a folder beside the copied school)")
    argv = [sys.executable, "-c", "import sys; from generator.cli import main; sys.exit(main(sys.argv[1:]))", "certify", "-C", str(args.dir), "--as", args.staff, "--now", args.now]
    outputs = set()
    for _ in range(args.repeat):
        for label in ("no parses", "cached"):
            if label == "no parses":
                (cache.directory(args.dir) / "records.json").unlink(missing_ok=True)
            wall, cpu, out = _timed(argv)
            outputs.add(out)
            print(f"certify ({label}): {wall:.2f} s wall, {cpu:.2f} s CPU")
    print("same output every run" if len(outputs) == 1 else "OUTPUT DIFFERS between runs")


if __name__ == "__main__":
    main()
