"""licheng init: a new school's portfolio and registry repositories, and what to do next."""

from __future__ import annotations

from pathlib import Path

from .common import say


def add_arguments(parser) -> None:
    parser.add_argument("dir", help="新資料夾，其中建立 portfolio/ 與 registry/ / folder for the two repositories")
    parser.add_argument("--name", required=True, help="學校名稱 / the school's name")
    parser.add_argument("--code", required=True, help="學校代碼（6 位數字）/ the school code")


def run(args) -> bool:
    from .. import dates
    from ..school.init import checklist, init_school

    today = dates.resolve_now(args.now, dates.zone(None)).date()
    report = init_school(Path(args.dir).resolve(), args.name, args.code, today)
    for repo, files in report.files.items():
        say(args, f"{getattr(report, repo)}: git main，{len(files)} 個檔案（第一個提交）",
            f"{getattr(report, repo)}: git main, {len(files)} files (the first commit)")
    say(args, f"\n{report.semester} 學期已建立期程草稿；接下來：", f"\n{report.semester}: a draft schedule is made; next steps:")
    print("\n".join(checklist(report, args.lang)))
    return True
