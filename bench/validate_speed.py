"""Benchmark: licheng's cold load and validate against the raw libyaml parse of the same files.

    python bench/validate_speed.py [--files 100000] [--repeat 3] [--dir DIR]

Generates a synthetic school of about N record files (students, outcomes, performances,
selections) in a temporary directory (or DIR, reused when it holds one), then measures in the
same run, interleaved, best of --repeat:
  raw:      open + read + yaml.load(CSafeLoader) of every record file, in one process
  load:     generator.records.loader.load() without a cache — walk, read, parse with line
            numbers and duplicate-key detection, schema check — in worker processes (both
            cores) when there are many files, and again in one process (LICHENG_WORKERS=1)
  validate: generator.validate.validate() without a cache or the Git history: the load and
            every rule
With --dir naming an existing school (e.g. a `licheng demo` of 10,000 students, about 100,000
record files), that school is measured instead. The run prints the rates in files/second and
their ratio to raw (goal for the cold validate at 100,000 files: ≥ 100 %), and the machine's
load average: worker processes need idle cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.records.national_id import with_check_digit  # noqa: E402
from generator.records import loader, parsing  # noqa: E402
from generator.validate import validate  # noqa: E402

SCHOOL = """name: 效能測試高級中學
code: "999998"
timezone: Asia/Taipei
audit_since: 2026-08-01
"""
STAFF = """- id: teacher-a
  name: 甲老師
  git: [a@example.edu.tw]
  roles: [teacher]
"""
COURSES = """- code: "115999H11101A1234567890"
  name: 國語文
  grade: 1
  credits: 4
  teachers: [teacher-a]
  classes: ["101"]
"""
STUDENT = """student_no: "{no}"
name: 測試{no}
national_id: {nid}
birth_date: 2010-05-01
classes: {{115-1: "101"}}
events:
  - {{date: 2026-08-01, type: admitted}}
"""
OUTCOME = """course: "115999H11101A1234567890"
title: 課程學習成果 {i}
summary: 觀察校園十種植物的四季變化並整理成圖鑑。
files: []
"""
PERFORMANCE = """category: service
title: 服務學習 {i}
summary: 於社區圖書館協助整理書籍與導覽。
date: 2026-10-12
files: []
"""
SELECTION = """outcomes: [115-1/o1, 115-1/o2]
performances: [p1]
"""
def national_id(n: int) -> str:
    return with_check_digit(f"A1{n % 10_000_000:07d}")


def generate(root: Path, files: int) -> list[Path]:
    (root / "records").mkdir(parents=True)
    (root / "records/school.yaml").write_text(SCHOOL, "utf-8")
    (root / "records/staff.yaml").write_text(STAFF, "utf-8")
    (root / "records/courses").mkdir()
    (root / "records/courses/115-1.yaml").write_text(COURSES, "utf-8")
    per_student = 10  # 1 student file, 4 outcomes, 4 performances, 1 selection
    for s in range(max(1, files // per_student)):
        no = f"115{s:05d}"
        (root / f"records/students").mkdir(exist_ok=True)
        (root / f"records/students/{no}.yaml").write_text(STUDENT.format(no=no, nid=national_id(s)), "utf-8")
        out = root / f"records/outcomes/115-1/{no}"
        out.mkdir(parents=True)
        for i in range(1, 5):
            (out / f"o{i}.yaml").write_text(OUTCOME.format(i=i), "utf-8")
        perf = root / f"records/performances/115/{no}"
        perf.mkdir(parents=True)
        for i in range(1, 5):
            (perf / f"p{i}.yaml").write_text(PERFORMANCE.format(i=i), "utf-8")
        sel = root / "records/selections/115"
        sel.mkdir(parents=True, exist_ok=True)
        (sel / f"{no}.yaml").write_text(SELECTION, "utf-8")
    return sorted(root.rglob("*.yaml"))


def raw_parse(paths: list[Path]) -> tuple[float, float, float]:
    def run():
        for path in paths:
            with open(path, "rb") as fh:
                yaml.load(fh.read(), Loader=yaml.CSafeLoader)
    return timed(run)


def _cpu() -> tuple[float, float]:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time(), children.ru_utime + children.ru_stime


def timed(run) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of this process, CPU seconds of its worker processes)."""
    start, (cpu, workers) = time.perf_counter(), _cpu()
    run()
    wall, (cpu_after, workers_after) = time.perf_counter() - start, _cpu()
    return wall, cpu_after - cpu, workers_after - workers


def with_workers(workers: str, run):
    os.environ["LICHENG_WORKERS"] = workers
    try:
        return run()
    finally:
        os.environ.pop("LICHENG_WORKERS")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs of each")
    parser.add_argument("--dir", help="where the school is generated (kept, and reused when present)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="licheng-bench-") as tmp:
        root = Path(args.dir or tmp)
        if not (root / "records/school.yaml").exists():
            generate(root, args.files)
        paths = sorted(p for top in ("records", "schedules") for p in (root / top).rglob("*.yaml"))
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}  cores: {os.cpu_count()}")
        raw_parse(paths)  # warm the page cache so every measure reads the same cached files
        times: dict[str, list[tuple[float, float, float]]] = {"raw": [], "load": [], "load1": [], "validate": []}
        for _ in range(args.repeat):
            times["raw"].append(raw_parse(paths))
            times["load"].append(timed(lambda: loader.load(root)))
            workers = parsing.last_run
            times["load1"].append(with_workers("1", lambda: timed(lambda: loader.load(root))))
            times["validate"].append(timed(lambda: validate(root, "2026-11-28 12:00", history=False)))
        records, result = validate(root, "2026-11-28 12:00", history=False)
    best = {k: min(v)[0] for k, v in times.items()}
    cpu = {k: min(v) for k, v in times.items()}
    n = len(paths)
    raw_rate = n / best["raw"]
    print(f"files:                   {n}  (documents: {len(records.documents)}, errors found: {result.errors})")
    print(f"load average after:      {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rows = [("raw CSafeLoader parse", "raw", "1 process"),
            ("licheng load", "load", f"{workers[0]} worker processes ({workers[1] or 'none'})"),
            ("licheng load", "load1", "1 process"),
            ("licheng load+validate", "validate", f"{workers[0]} worker processes for the parse")]
    for label, key, how in rows:
        rate = n / best[key]
        print(f"{label:23} {rate:8.0f} files/s  {best[key]:6.2f} s  {rate / raw_rate:7.1%} of raw  ({how}; "
              f"CPU {cpu[key][1]:.2f} s here + {cpu[key][2]:.2f} s in workers)")
    ratio = best["raw"] / best["validate"]
    print(f"cold validate / raw:     {ratio:7.1%}  (goal ≥ 100 % at 100,000 files)")
    return 0 if ratio >= 1.0 else 1


if __name__ == "__main__":
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    raise SystemExit(main())
