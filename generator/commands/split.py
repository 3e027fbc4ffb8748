"""licheng split DIR: move a single repository's registry kinds into a new registry repository."""

from __future__ import annotations

from pathlib import Path

from .common import say, school_root


def add_arguments(parser) -> None:
    parser.add_argument("dir", metavar="DIR", help="新的學籍資料庫資料夾 / the new registry's folder")


def run(args) -> bool:
    from ..maintenance.split import split
    from ..records.repositories import Repository
    from ..validate import validate

    root = school_root(args.repo)
    records, _ = validate(root, args.now, history=False, repositories=[Repository("single", "single", root)])
    students = {no: d.data for no, d in records.student_docs.items() if d.valid}
    report = split(root, Path(args.dir), students, records.tz)
    say(args, f"已建立學籍資料庫 {report.registry}（第一個提交 {report.commit[:8]}，搬入 {len(report.moved)} 個檔案）",
        f"registry {report.registry} created (first commit {report.commit[:8]}, {len(report.moved)} files moved in)")
    say(args, f"已寫入名冊：{', '.join(report.roster)}", f"roster written: {', '.join(report.roster)}")
    paths = "".join(f"       {p}\n" for p in report.history_paths)
    if report.portfolio_commit:
        first = (f"  1. portfolio 已以一個提交移除個人資料並加入名冊（{report.portfolio_commit[:8]}）；請推送\n",
                 f"  1. the portfolio's change is one commit ({report.portfolio_commit[:8]}: personal records out, "
                 "roster in): push it\n")
    else:
        first = (f"  1. 在 {root} 檢查並提交變更（個人資料已移除、加入名冊）\n",
                 f"  1. review and commit the portfolio's change in {root} (personal records out, roster in)\n")
    say(args, "接下來：\n" + first[0]
        + f"  2. 把 {report.registry} 推送到只有行政人員能讀的新遠端\n"
        "  3. 舊歷史仍含這些檔案：在所有人取得新版前，以 git filter-repo 移除下列路徑（licheng purge --rewrite-history 用的是"
        "同一工具），改寫後通知每位持有複本者重新複製；licheng split 沒有改寫任何提交，已確認清單與稽核起點不受影響\n" + paths,
        "next:\n" + first[1]
        + f"  2. push {report.registry} to a new remote only the administrative staff can read\n"
        "  3. the old history still holds these files: before everyone fetches anew, erase these paths with git "
        "filter-repo (the tool purge --rewrite-history uses) and have every clone cloned anew; split rewrote no "
        "commit, so the acknowledgements and the audit start stand:\n" + paths, end="")
    return True
