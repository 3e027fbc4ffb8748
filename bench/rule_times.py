"""Benchmark: the CPU seconds of each rule's check in a warm `licheng validate` run.

    python bench/rule_times.py --dir SCHOOL [--repeat 3] [--top 25]
    python bench/rule_times.py --dir SCHOOL --split [--repeat 7]

SCHOOL is a demo school (`licheng demo`, or a copy of one: the run fills its cache first). The
school is validated `--repeat` times in this process with the cache, as a warm run reads it, and
each check's CPU time is the least over the runs (a check's first use of a shared per-run table
pays for building it). The total of all checks is the rules' share of a warm run.

`--split` times the rules phase as a warm run makes it on two cores (generator.rules.running,
the child asked for as LICHENG_WORKERS=2 does): per run its wall seconds, this process's CPU
seconds in it and the child's (reaped at once, so counted), then the same phase in one process
(LICHENG_WORKERS=1); medians. On a busy machine the wall follows the neighbours, the CPU less so.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator import rule, validate  # noqa: E402
from generator.records import forked  # noqa: E402
from generator.rules import running  # noqa: E402

NOW = "2026-11-28 12:00"


def timed(times: dict[str, list[float]]):
    """Every registered check, wrapped to add its CPU seconds to `times` under 'code (module.function)'."""
    def wrap(code, check):
        name = f"{code} ({check.__module__.rsplit('.', 1)[-1]}.{check.__name__})"

        def run(records):
            start = time.process_time()
            hits = list(check(records) or ())
            times.setdefault(name, []).append(time.process_time() - start)
            return hits

        run.__name__, run.__module__ = check.__name__, check.__module__
        return run

    return [(code, wrap(code, check)) for code, check in rule.CHECKS]


def _cpu(who) -> float:
    used = resource.getrusage(who)
    return used.ru_utime + used.ru_stime


def split(school: Path, repeat: int) -> None:
    """The rules phase of warm runs, with the child and in one process."""
    phases: list[tuple[float, float, float, str]] = []
    run = running.run

    def timed(records, checks=None):
        start, mine, theirs = time.perf_counter(), _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
        found = run(records, checks)
        wall = time.perf_counter() - start
        forked._reap(wait=True)  # (the child, counted once reaped)
        phases.append((wall, _cpu(resource.RUSAGE_SELF) - mine, _cpu(resource.RUSAGE_CHILDREN) - theirs,
                       running.last_run))
        return found

    running.run = timed
    try:
        for workers in ("2", "1"):
            os.environ["LICHENG_WORKERS"] = workers
            phases.clear()
            for _ in range(repeat):
                validate.validate(school, NOW, use_cache=True)
            walls, mine, theirs = (statistics.median(p[i] for p in phases) for i in range(3))
            where = sorted({p[3] for p in phases})
            print(f"LICHENG_WORKERS={workers}: rules phase wall {walls:.3f} s, this process {mine:.3f} CPU s, "
                  f"child {theirs:.3f} CPU s (medians of {repeat}; ran {'/'.join(where)}; load "
                  f"{os.getloadavg()[0]:.1f})")
    finally:
        running.run = run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, required=True, help="a demo school (its cache is filled first)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=25, help="how many checks to list")
    parser.add_argument("--split", action="store_true", help="the rules phase on two cores and on one")
    args = parser.parse_args()
    validate.validate(args.dir, NOW, use_cache=True)  # fills the cache: the runs below are warm
    if args.split:
        split(args.dir, args.repeat)
        return 0
    times: dict[str, list[float]] = {}
    rule.CHECKS[:] = timed(times)  # (the registry's own list: every check runs wrapped)
    running.APART_FROM = float("inf")  # every check in this process, where it is timed
    for _ in range(args.repeat):
        _, result = validate.validate(args.dir, NOW, use_cache=True)
    best = sorted(((min(t), name) for name, t in times.items()), reverse=True)
    for seconds, name in best[: args.top]:
        print(f"{seconds:8.4f}  {name}")
    print(f"{sum(s for s, _ in best):8.4f}  all {len(best)} checks ({len(result.findings)} findings)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
