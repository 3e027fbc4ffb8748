"""licheng rollover: the next semester's classes, course file and schedule, drafted for review."""

from __future__ import annotations

from ..names import zh_or_en
from .common import say, school_root

SHOWN = 20


def add_arguments(parser) -> None:
    parser.add_argument("semester", help="新學期，如 115-2 / the new semester")


def run(args) -> bool:
    from ..school.rollover import rollover, write

    root = school_root(args.repo)
    report = rollover(root, args.semester)
    write(root, report)
    if report.carried and report.semester.endswith("-1"):  # a new academic year: a grade on
        say(args, f"{report.carried} 位學生由 {report.previous} 升上 {report.semester}（班級升一個年級，座號不變）",
            f"{report.carried} students moved up from {report.previous} into {report.semester} "
            "(classes a grade on, seats kept)")
    elif report.carried:
        say(args, f"{report.carried} 位學生延續 {report.previous} 的班級與座號到 {report.semester}",
            f"{report.carried} students carried forward from {report.previous} to {report.semester} "
            "(classes and seats)")
    for change in report.changes:
        if not change.path.startswith("records/students/"):
            what = [zh_or_en(args.lang, *w) for w in change.what]
            say(args, f"  新增 {change.path}（{'；'.join(what)}）", f"  add {change.path} ({'; '.join(what)})")
    for path in report.skipped:
        say(args, f"  已存在，未更動：{path}", f"  exists, left alone: {path}")
    if report.not_carried:
        say(args, f"未延續 {len(report.not_carried)} 位：", f"{len(report.not_carried)} not carried:")
        for line in report.not_carried[:SHOWN]:
            print(f"  {zh_or_en(args.lang, *line)}")
        if len(report.not_carried) > SHOWN:
            say(args, f"  … 另 {len(report.not_carried) - SHOWN} 位", f"  … {len(report.not_carried) - SHOWN} more")
    if not report.placed and report.unplaced:  # a semester skipped
        say(args, f"{report.unplaced} 位學生在 {report.previous} 沒有班級，無從延續；請先執行 licheng rollover "
            f"{report.previous}（或以 licheng import students … --semester {report.semester} 匯入班級）",
            f"{report.unplaced} students have no class in {report.previous} to carry forward: run licheng rollover "
            f"{report.previous} first (or import their classes: licheng import students … --semester {report.semester})")
    if not report.changes:
        say(args, f"{report.semester}: 沒有需要新增或變更的檔案", f"{report.semester}: nothing to add or change")
    else:
        say(args, "已寫入工作目錄（未提交）；請以 git diff 檢查後提交", "written, not committed: review with git diff, then commit")
    return True
