"""licheng identities: people without a commit identity, and identities in history that match nobody."""

from __future__ import annotations

from .common import now, school_root


def add_arguments(parser) -> None:
    parser.add_argument("--semester", help="列出此學期在學學生（預設為目前學期）/ students of this semester")


def run(args) -> bool:
    from .. import dates
    from ..school.identities import identities
    from ..validate import validate

    root = school_root(args.repo)
    semester = args.semester or dates.semester_of(now(root, args.now))
    records, _ = validate(root, args.now, use_cache=True)
    report = identities(records, semester)
    print(f"沒有提交身分的教職員 / staff without a commit identity: {len(report.staff_without)}")
    for line in report.staff_without:
        print(f"  {line}")
    total = sum(len(v) for v in report.students_without.values())
    print(f"沒有提交身分的學生（{semester}）/ students without one: {total}")
    for klass, numbers in sorted(report.students_without.items()):
        shown = "、".join(numbers[:12]) + (f" …（共 {len(numbers)} 位）" if len(numbers) > 12 else "")
        print(f"  {klass} 班：{shown}")
    if report.platform:
        shown = report.without_account
        print(f"有提交 email、但沒有 {report.platform}: 帳號的人 / without a {report.platform} user name: {len(shown)}"
              + ("（合併請求依開啟它的平臺帳號判斷，未登記的帳號會被檢查拒絕 / merge requests are judged by"
                 " the account that opens them)" if shown else ""))
        for line in shown[:60]:
            print(f"  {line}")
        if len(shown) > 60:
            print(f"  …（共 {len(shown)} 位）")
    if not report.history_read:
        print("（不是 Git 儲存庫，未檢查提交歷史 / not a Git repository: history not read）")
        return True
    print(f"歷史中對不上任何人的提交身分 / identities in history that match nobody: {len(report.unknown)}")
    for u in report.unknown:
        print(f"  {u.name} <{u.email}>：{u.commits} 個提交，最後 {u.last}")
    if report.staff_without or total or report.unknown or report.without_account:
        print("請在 staff.yaml 或學生紀錄加上 git:（提交 email）或 github:/gitlab:（平臺帳號，其 no-reply 信箱也算本人）")
    return True
