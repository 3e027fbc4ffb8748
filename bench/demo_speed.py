"""Benchmark: `licheng demo` (create_demo) for a small and a large school.

    python bench/demo_speed.py [--students 300 3000] [--seed 1]

Creates each demo school in a temporary directory and prints its commits, merges, open
requests and the seconds taken (goal: 3,000 students with 20,000+ merges in minutes).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.demo import create_demo  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"{'students':>8} {'commits':>8} {'merges':>7} {'pending':>7} {'planted':>7} {'seconds':>8}")
    for students in args.students:
        with tempfile.TemporaryDirectory(prefix="licheng-demo-") as tmp:
            s = create_demo(Path(tmp) / "school", students, args.seed)
        planted = sum(len(paths) for code, paths in s["planted"].items() if code != "pending")
        print(f"{s['students']:>8} {s['commits']:>8} {s['merges']:>7} {s['pending']:>7} {planted:>7} {s['seconds']:>8.1f}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
