"""licheng identities: people without a commit identity, and identities in history that match nobody."""

from __future__ import annotations

from ..errors import printable
from .common import now, say, school_root


def add_arguments(parser) -> None:
    parser.add_argument("--semester", help="列出此學期在學學生（預設為目前學期）/ students of this semester")


def run(args) -> bool:
    from .. import dates
    from ..school.identities import identities
    from ..validate import validate

    root = school_root(args.repo)
    semester = args.semester or dates.semester_of(now(root, args.now))
    records, _ = validate(root, args.now, use_cache=True)
    report = identities(records, semester, args.lang)
    say(args, f"沒有提交身分的教職員：{len(report.staff_without)}", f"staff without a commit identity: {len(report.staff_without)}")
    for line in report.staff_without:
        print(f"  {printable(line)}")
    total = sum(len(v) for v in report.students_without.values())
    say(args, f"沒有提交身分的學生（{semester}）：{total}", f"students ({semester}) without a commit identity: {total}")
    if not report.students_listed:
        say(args, f"  （{semester} 學期沒有任何學生：學籍資料庫匯入學生後，以 licheng roster 寫入 portfolio 的名冊）",
            f"  (no students in {semester}: import them into the registry, then licheng roster writes the portfolio's roster)")
    for klass, numbers in sorted(report.students_without.items()):
        more = len(numbers) > 12
        say(args, f"  {klass} 班：{'、'.join(numbers[:12])}" + (f" …（共 {len(numbers)} 位）" if more else ""),
            f"  class {klass}: {', '.join(numbers[:12])}" + (f" … ({len(numbers)} in all)" if more else ""))
    if report.platform:
        shown = report.without_account
        say(args, f"有提交 email、但沒有 {report.platform}: 帳號的人：{len(shown)}"
                  + ("（合併請求依開啟它的平臺帳號判斷，未登記的帳號會被檢查拒絕）" if shown else ""),
            f"people with a commit email but no {report.platform}: user name: {len(shown)}"
            + (" (merge requests are judged by the account that opens them: an unknown account is refused)"
               if shown else ""))
        for line in shown[:60]:
            print(f"  {printable(line)}")
        if len(shown) > 60:
            say(args, f"  …（共 {len(shown)} 位）", f"  … ({len(shown)} in all)")
    if not report.history_read:
        say(args, "（不是 Git 儲存庫，未檢查提交歷史）", "(not a Git repository: its history was not read)")
        return True
    say(args, f"歷史中對不上任何人的提交身分：{len(report.unknown)}", f"identities in history that match nobody: {len(report.unknown)}")
    for u in report.unknown:  # (a commit's name and email are anyone's words: escape sequences shown as text)
        name, email = printable(u.name), printable(u.email)
        say(args, f"  {name} <{email}>：{u.commits} 個提交，最後 {u.last}",
            f"  {name} <{email}>: {u.commits} commit(s), the last on {u.last}")
    if report.staff_without or total or report.unknown or report.without_account:
        say(args, "請在 staff.yaml 或學生紀錄加上 git:（提交 email）或 github:/gitlab:（平臺帳號，其 no-reply 信箱也算本人）",
            "add git: (commit email) or github:/gitlab: (platform user name; its no-reply address counts as the "
            "person's) in staff.yaml or the student's record")
    return True
