"""Benchmark: the floor of a warm run, the same run with no rule at all, against a cold run.

    python bench/floor.py --students 1000 --dir DIR [--repeat 3] [--python PY]

Could the incremental goals (bench/incremental.py: one edited file ≤ 15 % of a cold run at 1,000
students, ≤ 10 % at 3,000) be met by making the rules faster? This times, on the same school and
cache, a cold run and a warm run after one edited outcome file twice: as licheng runs, and with
every rule's work taken out (generator.rules.running.run answering no finding, set by this script in
the benchmark's process only). What the second one still takes (start, the load of every record
from the cache, the history pass, the report) is what no speed of the rules can remove.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import incremental  # noqa: E402  (its timing, school and cache set-up)

NO_RULES = ("import sys, generator.rules.running as r; r.run = lambda records, checks=None: []; "
            "from generator.cli import main; sys.exit(main(sys.argv[1:]))")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--dir", required=True, help="a demo school (a copy: the run edits and restores a file)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--python", default=sys.executable, help="the interpreter that runs licheng")
    args = parser.parse_args()
    incremental.PYTHON = args.python
    root = Path(args.dir)
    os.environ.setdefault("LICHENG_CACHE_DIR", str(root.parent / f"{root.name}-cache"))
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.setdefault("PYTHONPYCACHEPREFIX", str(root.parent / f"{root.name}-pycache"))
    outcome = sorted((root / "records/outcomes").rglob("*.yaml"))[0]
    original = outcome.read_bytes()
    goal = 0.10 if args.students >= 3000 else 0.15
    rows = []
    print(f"{args.students} students; {incremental.load()}; seconds (CPU seconds)")
    print(f"{'round':>5} {'cold':>12} {'edited':>12} {'no rules':>12}   edited/cold  no-rules/cold (CPU)")
    try:
        for i in range(args.repeat):
            shutil.rmtree(incremental.cache.directory(root), ignore_errors=True)
            cold = incremental.validate(root)
            incremental.validate(root)
            outcome.write_bytes(original + f"# 修改 {i}\n".encode())
            edited = incremental.validate(root)
            outcome.write_bytes(original + f"# 再修改 {i}\n".encode())
            floor = incremental.validate(root, start=("-c", NO_RULES))
            outcome.write_bytes(original)
            rows.append((cold, edited, floor))
            print(f"{i + 1:>5} " + " ".join(f"{r[0]:5.2f} ({r[1]:4.2f})" for r in rows[-1])
                  + f"   {edited[0] / cold[0]:10.1%} {floor[0] / cold[0]:10.1%} ({floor[1] / cold[1]:.1%})"
                  + f"   {incremental.load()}", flush=True)
    finally:
        outcome.write_bytes(original)
    wall = [statistics.median(r[k][0] for r in rows) for k in range(3)]
    cpu = [statistics.median(r[k][1] for r in rows) for k in range(3)]
    print(f"edited, as licheng runs: {wall[1] / wall[0]:.1%} of cold (CPU {cpu[1] / cpu[0]:.1%}); "
          f"with no rule at all: {wall[2] / wall[0]:.1%} (CPU {cpu[2] / cpu[0]:.1%}); goal ≤ {goal:.0%} "
          f"(medians of {len(rows)} rounds; cold {wall[0]:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
