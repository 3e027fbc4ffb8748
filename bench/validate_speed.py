"""Benchmark: `licheng validate` (load + validate) against the raw libyaml parse of the same files.

    python bench/validate_speed.py [--files 50000] [--repeat 3]

Generates a synthetic school of about N record files (students, outcomes, performances,
selections) in a temporary directory, then measures in the same run:
  raw:      open + read + yaml.load(CSafeLoader) of every record file
  validate: generator.validate.validate() — walk, load with line numbers and duplicate-key
            detection, schema check, every rule
and prints both rates in files/second and their ratio (goal: ≥ 70 %).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.records.national_id import with_check_digit  # noqa: E402
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


def raw_parse(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        with open(path, "rb") as fh:
            yaml.load(fh.read(), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def full_validate(root: Path) -> tuple[float, int, int]:
    start = time.perf_counter()
    records, result = validate(root, "2026-11-28 12:00")
    return time.perf_counter() - start, result.errors, len(records.documents)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs of each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="licheng-bench-") as tmp:
        root = Path(tmp)
        paths = generate(root, args.files)
        raw_parse(paths)  # warm the page cache so both measure the same thing
        raw = min(raw_parse(paths) for _ in range(args.repeat))
        runs = [full_validate(root) for _ in range(args.repeat)]
        full = min(r[0] for r in runs)
        errors, docs = runs[0][1], runs[0][2]
    n = len(paths)
    raw_rate, full_rate = n / raw, n / full
    print(f"files:                  {n}  (documents validated: {docs}, errors found: {errors})")
    print(f"raw CSafeLoader parse:  {raw_rate:8.0f} files/s  ({raw:.2f} s)")
    print(f"licheng load+validate:  {full_rate:8.0f} files/s  ({full:.2f} s)")
    print(f"ratio:                  {full_rate / raw_rate:8.1%}  (goal ≥ 70 %)")
    return 0 if full_rate / raw_rate >= 0.70 else 1


if __name__ == "__main__":
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    raise SystemExit(main())
