"""Time a teacher's commands: `licheng certify` (the listing: every pending request she may certify
is checked), `licheng inbox` and `licheng status`, with licheng's cache and without it.

    python3 bench/certify_speed.py --dir /tmp/NAME-k1/school --as xiao-chengyun [--repeat 3]

Run on a copy of a demo school (never on /work/bench/…), with LICHENG_CACHE_DIR set. "no parses"
removes the cached parses first (a first run, or the first after a new licheng); "cached" runs
again as is; "--no-cache" reads everything anew. Prints each figure's min and median over the
repeats, wall and CPU seconds (this process's children: licheng, its workers and git), and checks
that every run of a command printed the same, with the cache and without it.

Measured on a copy of the 1,000-student demo (`--as xiao-chengyun`: 6 requests), 2 cores shared
with other work (load average ~7), whole process, warm cache, median of pairs run in turn with main
before this change (3 pairs for certify, 5 for inbox and status; CPU s, wall s):

    certify   9.62 -> 3.11 CPU, 13.5 -> 4.3 wall (CPU ratio 0.32)
    inbox     3.29 -> 1.08 CPU,  5.3 -> 1.7 wall (0.33)
    status    3.26 -> 1.02 CPU,  5.9 -> 2.6 wall (0.31)

and by this script after it (`--repeat 2`, min / median, CPU s; the same output every run):

    certify   no parses 3.70 / 3.94, cached 2.92 / 3.00, --no-cache 20.69 / 21.24 (7 validations, nothing shared)
    inbox     no parses 1.39 / 1.47, cached 0.88 / 0.89, --no-cache 2.52 / 2.64
    status    no parses 1.21 / 1.26, cached 0.74 / 0.76, --no-cache 2.45 / 2.49

`inbox --check` runs each listed request's merge-request check, as certify does (generator.review.ready:
the queue then says what certify --all will do); its figures are certify's (`--repeat 2`, same copy):

    inbox --check  no parses 3.44 / 3.46, cached 2.74 / 2.80, --no-cache 21.05 / 21.81
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator import cache  # noqa: E402

COMMANDS = {"certify": ["certify", "--as", "{staff}"], "inbox": ["inbox", "--as", "{staff}"],
            "inbox --check": ["inbox", "--as", "{staff}", "--check"], "status": ["status"]}


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
    parser.add_argument("--only", choices=sorted(COMMANDS), action="append", help="these commands only")
    args = parser.parse_args()
    if "LICHENG_CACHE_DIR" not in os.environ:
        sys.exit("set LICHENG_CACHE_DIR (a folder beside the copied school)")
    same = True
    for name, words in COMMANDS.items():
        if args.only and name not in args.only:
            continue
        argv = [sys.executable, "-c", "import sys; from generator.cli import main; sys.exit(main(sys.argv[1:]))",
                *(w.format(staff=args.staff) for w in words), "-C", str(args.dir), "--now", args.now]
        figures: dict[str, list[tuple[float, float]]] = {}
        outputs = set()
        for _ in range(args.repeat):
            for label in ("no parses", "cached", "--no-cache"):
                if label == "no parses":
                    (cache.directory(args.dir) / "records.json").unlink(missing_ok=True)
                wall, cpu, out = _timed(argv + (["--no-cache"] if label == "--no-cache" else []))
                outputs.add(out)
                figures.setdefault(label, []).append((wall, cpu))
        for label, runs in figures.items():
            walls, cpus = [w for w, _ in runs], [c for _, c in runs]
            print(f"{name} ({label}): wall {min(walls):.2f} / {statistics.median(walls):.2f} s, "
                  f"CPU {min(cpus):.2f} / {statistics.median(cpus):.2f} s (min / median of {len(runs)})")
        same = same and len(outputs) == 1
        print(f"{name}: " + ("the same output every run, with the cache and without" if len(outputs) == 1
                             else "OUTPUT DIFFERS between runs"))
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
