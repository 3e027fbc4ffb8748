"""licheng rollover: the next semester's classes, course file and schedule, drafted for review."""

from __future__ import annotations

from .common import school_root

SHOWN = 20


def add_arguments(parser) -> None:
    parser.add_argument("semester", help="新學期，如 115-2 / the new semester")


def run(args) -> bool:
    from ..school.rollover import rollover, write

    root = school_root(args.repo)
    report = rollover(root, args.semester)
    write(root, report)
    if report.carried:
        print(f"{report.carried} 位學生延續 {report.previous} 的班級與座號到 {report.semester} / students carried forward")
    for change in report.changes:
        if not change.path.startswith("records/students/"):
            print(f"  新增 / add {change.path}（{'；'.join(change.what)}）")
    for path in report.skipped:
        print(f"  已存在，未更動 / exists, left alone: {path}")
    if report.not_carried:
        print(f"未延續 {len(report.not_carried)} 位 / not carried:")
        for line in report.not_carried[:SHOWN]:
            print(f"  {line}")
        if len(report.not_carried) > SHOWN:
            print(f"  … 另 {len(report.not_carried) - SHOWN} 位")
    if not report.changes:
        print(f"{report.semester}: 沒有需要新增或變更的檔案 / nothing to do")
    else:
        print("已寫入工作目錄（未提交）；請以 git diff 檢查後提交 / written, not committed: review with git diff")
    return True
