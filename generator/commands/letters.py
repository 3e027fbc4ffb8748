"""licheng letters: paper-mail notices for students who left (§7.3.3)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import LichengError
from .common import out_folder, school_root, semester


def add_arguments(parser) -> None:
    parser.add_argument("--semester", required=True, type=semester)
    parser.add_argument("--out", required=True)


def run(args) -> bool:
    from ..papers.letters import FontMissing, letters
    from ..validate import validate

    records, _ = validate(school_root(args.repo), args.now, portfolio=args.portfolio, everything=True)
    try:
        report = letters(records, args.semester, out_folder(args.out))
    except FontMissing as exc:
        raise LichengError(str(exc)) from exc
    if not report.students:
        print(f"{args.semester}: 沒有需要寄送紙本通知的離校學生 / no student who left needs a letter")
        return True
    print(f"{report.pdf}: {report.pages} 頁 / pages; {report.csv}; 期限 / deadline {report.deadline}")
    if report.no_address:
        print(f"缺少通訊地址 / no mailing address: {len(report.no_address)} 位", file=sys.stderr)
    return True
