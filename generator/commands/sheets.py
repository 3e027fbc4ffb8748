"""licheng sheets: 歷程確認單, one page per student, one PDF per class."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from .common import say, school_root, semester


def add_arguments(parser) -> None:
    parser.add_argument("--semester", required=True, type=semester, help="學期，如 115-1 / semester, e.g. 115-1")
    parser.add_argument("--out", required=True, help="輸出資料夾（PDF）/ output folder (PDF)")
    parser.add_argument("--class", dest="klass", help="只印這一班 / one class only")


def run(args) -> bool:
    from ..papers.sheets import sheets
    from ..validate import validate

    records, _ = validate(school_root(args.repo), args.now)
    report = sheets(records, args.semester, Path(args.out).resolve(), args.klass)  # FontMissing: a LichengError
    if not report.files:
        which = f"{args.semester}{' ' + args.klass if args.klass else ''}"
        raise UsageError(f"{which}: 沒有這學期（班級）的學生", en=f"{which}: no students in that semester or class")
    for klass, path in report.files.items():
        print(f"{klass}: {path}")
    say(args, f"共 {len(report.files)} 班、{report.pages} 頁", f"{len(report.files)} classes, {report.pages} pages")
    return True
