"""Benchmark: warm `licheng validate` runs of several installs, interleaved on one school copy.

    python bench/warm_compare.py SCHOOL N VENV[::NAME=VALUE] [VENV[::NAME=VALUE] ...]

Each VENV is a virtual environment where licheng is installed (e.g. `python -m venv V &&
V/bin/pip install <checkout>`), optionally with one environment variable set for its runs (e.g.
`V::LICHENG_WORKERS=1`: one install compared with itself), each with its own cache folder
(SCHOOL-cache-<venv name>[-NAME-VALUE]). After
two runs each (the cache written), N rounds run every install once in turn, from /tmp (no
checkout on the path). Printed per install, medians: wall seconds, the licheng process's own CPU
seconds (its critical path), and CPU seconds with its children (git, find, the schema child).
On a shared machine the wall clock follows the neighbours; interleaving gives both installs
the same neighbours.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time

NOW = "2026-11-28 12:00"
# licheng run as `python -m generator`, its own CPU time written to stderr as it exits
WRAP = ("import atexit, resource, sys\n"
        "atexit.register(lambda: sys.stderr.write('SELF %f\\n' % (lambda r: r.ru_utime + r.ru_stime)"
        "(resource.getrusage(resource.RUSAGE_SELF))))\n"
        "import runpy; sys.argv = ['licheng'] + sys.argv[1:]; runpy.run_module('generator', run_name='__main__', alter_sys=True)")


def run(entry: str, school: str) -> tuple[float, float, float]:
    venv, _, assignment = entry.partition("::")
    name, _, value = assignment.partition("=")
    tag = os.path.basename(venv.rstrip("/")) + (f"-{name}-{value}" if name else "")
    env = dict(os.environ, LICHENG_CACHE_DIR=f"{school}-cache-{tag}", **({name: value} if name else {}))
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    proc = subprocess.run([f"{venv}/bin/python", "-c", WRAP, "validate", "-C", school, "--now", NOW,
                           "--format", "json"], capture_output=True, env=env, cwd="/tmp")
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr.decode())
    own = float(proc.stderr.decode().rsplit("SELF ", 1)[-1])
    return wall, own, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> int:
    school, rounds, venvs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    rows: dict[str, list] = {venv: [] for venv in venvs}
    for venv in venvs:
        run(venv, school), run(venv, school)
    for _ in range(rounds):
        for venv in venvs:
            rows[venv].append(run(venv, school))
    for venv in venvs:
        wall, own, total = (statistics.median(r[k] for r in rows[venv]) for k in range(3))
        print(f"{venv}: wall {wall:.3f} s, own CPU {own:.3f} s, with children {total:.3f} s "
              f"(median of {rounds}; load {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
