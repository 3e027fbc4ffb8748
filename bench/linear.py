"""Benchmark: does licheng grow linearly with the school? Time and peak memory per student for
validate, the history pass and both site builds, on demo schools of several sizes.

    python bench/linear.py [--students 1000 3000 10000] [--dir DIR]

Each figure is a whole process (`/usr/bin/time`): `licheng validate --no-cache`, a process that
runs only the history pass, and `licheng build --audience public|staff`. Demo schools are made
in DIR/d<N> (reused when present; 10,000 students take several minutes).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.demo import create_demo  # noqa: E402

NOW = "2026-11-28 12:00"
HISTORY = "import sys; from pathlib import Path; from generator.git import history; history.read(Path(sys.argv[1]))"


def measured(command: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one process."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{command}: {proc.stderr[-2000:]}")
    return seconds, int(proc.stderr.strip().splitlines()[-1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--dir", default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="licheng-linear-"))
    py = [sys.executable, "-m", "generator"]
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}  cores: {os.cpu_count()}")
    print(f"{'students':>8} {'what':>13} {'seconds':>8} {'peak MB':>8} {'ms/student':>11} {'KB/student':>11}")
    for n in args.students:
        root = work / f"d{n}"
        if not (root / ".git").exists():
            s = create_demo(root, n, args.seed)
            print(f"{n:>8} {'demo':>13} {s['seconds']:8.1f} {'':>8} {s['seconds'] / n * 1000:11.2f} {'':>11}"
                  f"  ({s['commits']} commits)", flush=True)
        runs = {
            "validate": py + ["validate", "-C", str(root), "--now", NOW, "--no-cache", "--format", "json"],
            "history pass": [sys.executable, "-c", HISTORY, str(root)],
            "public site": py + ["build", "-C", str(root), "--now", NOW, "--audience", "public",
                                 "--site-dir", str(work / f"site-public-{n}")],
            "staff site": py + ["build", "-C", str(root), "--now", NOW, "--audience", "staff",
                                "--site-dir", str(work / f"site-staff-{n}")],
        }
        for what, command in runs.items():
            seconds, mb = measured(command)
            print(f"{n:>8} {what:>13} {seconds:8.2f} {mb:8.0f} {seconds / n * 1000:11.2f} {mb * 1024 / n:11.1f}"
                  f"  (load {os.getloadavg()[0]:.2f})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
