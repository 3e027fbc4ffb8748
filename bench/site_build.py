"""Site build benchmark: public and staff build times and page counts for a school directory.

    python bench/site_build.py DIR [--now "2026-11-28 12:00"]
    python bench/site_build.py --demo 3000        # a `licheng demo` school made in a tmp dir first

Goals at 3,000 students: public < 15 s, staff < 60 s. Not a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.publish import build  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("school", nargs="?", help="the school repository (records/, schedules/, mkdocs.yml)")
    parser.add_argument("--demo", type=int, metavar="STUDENTS", help="make a demo school of this size first")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", default="2026-11-28 12:00")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="licheng-bench-") as tmp:
        if args.demo:
            from generator.demo import create_demo

            started = time.perf_counter()
            root = Path(tmp) / "school"
            create_demo(root, args.demo, args.seed)
            print(f"demo school of {args.demo} students made in {time.perf_counter() - started:.1f} s")
        elif args.school:
            root = Path(args.school)
        else:
            parser.error("give a school directory or --demo N")
        students = sum(1 for _ in (root / "records" / "students").glob("*.yaml"))
        print(f"school: {root} ({students} students)")
        for audience in ("public", "staff"):
            report = build(root, audience, Path(tmp) / f"site-{audience}", now=args.now)
            print(f"{audience:6} {report.seconds:7.2f} s  {report.pages:6} pages  {report.files:6} files  "
                  f"({report.errors} errors, {report.warnings} warnings shown)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
