"""Benchmark: the CPU seconds of each rule's check in a warm `licheng validate` run.

    python bench/rule_times.py --dir SCHOOL [--repeat 3] [--top 25]

SCHOOL is a demo school (`licheng demo`, or a copy of one: the run fills its cache first). The
school is validated `--repeat` times in this process with the cache, as a warm run reads it, and
each check's CPU time is the least over the runs (a check's first use of a shared per-run table
pays for building it). The total of all checks is the rules' share of a warm run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator import rule, validate  # noqa: E402
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, required=True, help="a demo school (its cache is filled first)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=25, help="how many checks to list")
    args = parser.parse_args()
    validate.validate(args.dir, NOW, use_cache=True)  # fills the cache: the runs below are warm
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
