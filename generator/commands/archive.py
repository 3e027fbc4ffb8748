"""licheng archive: a student's own backup of their portfolio (§7.2)."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from .common import say, school_root


def add_arguments(parser) -> None:
    parser.add_argument("--student", required=True, help="學號 / student number")
    parser.add_argument("--out", required=True, help="zip 檔 / the zip file")


def run(args) -> bool:
    from ..papers.archive import archive
    from ..validate import validate

    records, _ = validate(school_root(args.repo), args.now)
    if args.student not in records.students:
        raise UsageError(f"--student {args.student}: 沒有這個學號的學生", en=f"--student {args.student}: no such student")
    report = archive(records, args.student, Path(args.out).resolve())
    say(args, f"{report.path}: {report.outcomes} 件課程學習成果、{report.performances} 件多元表現、{report.files} 個檔案",
        f"{report.path}: {report.outcomes} course learning outcome(s), {report.performances} performance(s), "
        f"{report.files} file(s)")
    return True
