"""Benchmark: files that commits of main do not hold, asked for through the per-commit parse reader.

    python bench/absent_paths.py DIR [--paths 300]

DIR is a school's repository (a copy of a `licheng demo` school). Asks
generator.git.committed.Files, with no cache, for `--paths` paths that no commit holds, each at
another commit of main's first-parent chain, as a cold run does for a file a commit deleted or a
merge added: each must come back absent and be kept as a fact for the cache. Prints the wall
seconds and the CPU seconds of this process and its git processes.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.git.committed import Files  # noqa: E402


def cpu() -> float:
    return sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for field in ("ru_utime", "ru_stime"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=Path)
    parser.add_argument("--paths", type=int, default=300)
    args = parser.parse_args()
    shas = subprocess.run(["git", "-C", str(args.dir), "rev-list", "--first-parent", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.split()
    specs = [f"{shas[i % len(shas)]}:records/outcomes/115-1/{i:07d}/gone.yaml" for i in range(args.paths)]
    before, start = cpu(), time.perf_counter()
    files = Files(args.dir, "bench-absent.json", False)
    parsed = files.parsed(specs)
    wall, used = time.perf_counter() - start, cpu() - before
    assert all(parsed[spec] is None and spec in files._kept for spec in specs), "each path is absent, a fact kept"
    print(f"{args.paths} absent paths at {min(args.paths, len(shas))} commits: {wall:.2f} s wall, {used:.2f} s CPU")


if __name__ == "__main__":
    main()
