"""Benchmark: incremental validation against a cold run, measured in one run on a demo school.

    python bench/incremental.py [--students 1000] [--dir DIR] [--repeat 3]

Each round times `licheng validate` as a real process:
  cold       the cache emptied (the run parses every file, reads the whole history, writes the cache)
  unchanged  nothing changed
  edited     one outcome file changed in the working tree (re-parsed; everything else from the cache)
  commit     that change committed (the history pass logs the one new commit)
and the round is undone (the commit reset, the file restored). Goals: edited ≤ 15 % and commit ≤ 20 %
of cold at 1,000 students; ≤ 10 % at 3,000 (pass the school's --students with --dir).
Each run is given as wall seconds and (CPU seconds: the run's and its git processes'), with the
load average: on a shared machine the wall clock follows the neighbours, the CPU time far less.

`--python` runs licheng with another interpreter, e.g. a virtual environment where it is installed
from a wheel as CI installs it (`python -m venv V && V/bin/pip install .`): a development machine's
site hooks (editable installs, certificate shims) can cost a tenth of a second at every start,
which CI does not pay. The start of a bare `python -c pass` by that interpreter is printed too.
"""

from __future__ import annotations

import argparse
import os
import resource
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


PYTHON = sys.executable


def validate(root: Path, *extra: str, start: tuple[str, ...] = ("-m", "generator")) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the run and its git processes, peak memory in KB).
    `start`: how the interpreter starts licheng (bench/floor.py starts it with no rules)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", PYTHON, *start, "validate", "-C", str(root),
                           "--now", NOW, "--format", "json", *extra], capture_output=True, text=True)
    seconds = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, int(proc.stderr.strip().splitlines()[-1])


def start_cost() -> float:
    costs = []
    for _ in range(5):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([PYTHON, "-c", "pass"], check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        costs.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return min(costs)


def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=黃淑芬", "-c", "user.email=huang.shufen@example.edu.tw",
                    *args], check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", help="reuse (or create) the demo school here")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--python", default=sys.executable, help="the interpreter that runs licheng")
    args = parser.parse_args()
    global PYTHON
    PYTHON = args.python
    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="licheng-incr-")) / "school"
    if not (root / ".git").exists():
        s = create_demo(root, args.students, args.seed)
        print(f"demo: {s['students']} students, {s['commits']} commits in {s['seconds']:.0f} s")
    os.environ.setdefault("LICHENG_CACHE_DIR", str(root.parent / f"{root.name}-cache"))
    # byte-compiled modules, as an installed licheng has them (pip compiles them on install)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.setdefault("PYTHONPYCACHEPREFIX", str(root.parent / f"{root.name}-pycache"))
    outcome = sorted((root / "records/outcomes").rglob("*.yaml"))[0]
    original = outcome.read_bytes()
    goals = (0.10, 0.10) if args.students >= 3000 else (0.15, 0.20)
    rows = []
    print(f"{args.students} students; {load()} on {os.cpu_count()} cores; seconds (CPU seconds)")
    print(f"python: {PYTHON}; a bare start (python -c pass) takes {start_cost():.3f} CPU s (least of 5)")
    print(f"{'round':>5} {'no cache':>12} {'cold':>12} {'unchanged':>12} {'edited':>12} {'commit':>12}   "
          f"edited/cold  commit/cold  (CPU: edited, commit)")
    for i in range(args.repeat):
        nocache = validate(root, "--no-cache")
        shutil.rmtree(cache.directory(root), ignore_errors=True)
        cold = validate(root)
        unchanged = validate(root)
        outcome.write_bytes(original + f"# 修改 {i}\n".encode())
        edited = validate(root)
        git(root, "commit", "-qam", "修改一件成果")
        commit = validate(root)
        git(root, "reset", "-q", "--hard", "HEAD~1")
        outcome.write_bytes(original)
        rows.append((nocache, cold, unchanged, edited, commit))
        cells = " ".join(f"{r[0]:5.2f} ({r[1]:4.2f})" for r in rows[-1])
        print(f"{i + 1:>5} {cells}   {edited[0] / cold[0]:10.1%} {commit[0] / cold[0]:12.1%}  "
              f"({edited[1] / cold[1]:.1%}, {commit[1] / cold[1]:.1%})   cold: {cold[2] / 1024:.0f} MB; {load()}",
              flush=True)
    med = [statistics.median(r[k][0] for r in rows) for k in range(5)]
    cpu = [statistics.median(r[k][1] for r in rows) for k in range(5)]
    for name, k, goal in (("edited", 3, goals[0]), ("commit", 4, goals[1])):
        print(f"{name:>9}: {med[k] / med[1]:6.1%} of cold (goal ≤ {goal:.0%}: {'met' if med[k] / med[1] <= goal else 'NOT met'}); "
              f"CPU {cpu[k] / cpu[1]:.1%} of cold's")
    print(f"unchanged: {med[2] / med[1]:6.1%} of cold; cold with cache writing {med[1] / med[0]:.0%} of --no-cache "
          f"(medians of {len(rows)} rounds; cold {med[1]:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
