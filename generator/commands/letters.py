"""licheng letters: paper-mail notices for students who left (§7.3.3)."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import out_folder, say, school_root, semester


def add_arguments(parser) -> None:
    parser.add_argument("--semester", required=True, type=semester, help="學期，如 115-1 / semester, e.g. 115-1")
    parser.add_argument("--out", required=True, help="輸出資料夾（PDF）/ output folder (PDF)")


def run(args) -> bool:
    from ..papers.letters import letters
    from ..validate import validate

    root = school_root(args.repo)
    records, _ = validate(root, args.now, portfolio=args.portfolio, everything=True)
    report = letters(records, args.semester, out_folder(args.out, root=root))  # FontMissing: a LichengError
    if not report.students:
        say(args, f"{args.semester}: 沒有需要寄送紙本通知的離校學生", f"{args.semester}: no student who left needs a letter")
        return True
    say(args, f"{report.pdf}: {report.pages} 頁; {report.csv}; 期限 {report.deadline}",
        f"{report.pdf}: {report.pages} pages; {report.csv}; deadline {report.deadline}")
    if report.no_address:
        n, who = len(report.no_address), "、".join(report.no_address)
        say(args, f"缺少通訊地址：{n} 位（{who}）；請在其學生紀錄加上 mailing_address 後重新產生",
            f"no mailing address: {n} student{'s' * (n != 1)} ({', '.join(report.no_address)}): add mailing_address "
            "to their student records and run letters again", file=sys.stderr)
    return True
