"""licheng demo: a fictional school with a realistic history, validated and with its site built."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from .common import out_folder, positive, say


def add_arguments(parser) -> None:
    parser.add_argument("dir", help="新資料夾，其中建立示範學校 / a new folder for the demo school")
    parser.add_argument("--students", type=positive, default=300, help="學生人數（預設 300）/ how many students (default 300)")
    parser.add_argument("--seed", type=int, default=1,
                        help="亂數種子：同一種子建出同樣的學校（預設 1）/ the same seed makes the same school (default 1)")
    parser.add_argument("--single", action="store_true",
                        help="只建一個儲存庫（沒有學生帳號的學校）/ one repository instead of portfolio + registry")
    parser.add_argument("--lfs", action="store_true", help="附件存於 Git LFS（需要 git-lfs）/ attachments in Git LFS")
    parser.add_argument("--no-site", action="store_true", help="不建置網站 / do not build the site")


def run(args) -> bool:
    from ..demo import create_demo
    from ..reporter import REPORTERS
    from ..validate import validate

    target = out_folder(args.dir, "DIR")
    if target.exists() and any(target.iterdir()):
        raise UsageError(f"{target}: 資料夾不是空的", en=f"{target}: the folder is not empty")
    summary = create_demo(target, students=args.students, seed=args.seed, lfs=args.lfs,
                          layout="single" if args.single else "split")
    say(args, f"demo: {target} — {summary['students']} 位學生、{summary['commits']} 個提交、"
              f"{summary['merges']} 個合併（{summary['seconds']} 秒）",
        f"demo: {target} — {summary['students']} students, {summary['commits']} commits, "
        f"{summary['merges']} merges ({summary['seconds']} s)")
    for name, repo in summary["repositories"].items():
        root = Path(repo["path"])
        _, result = validate(root, args.now, use_cache=True)
        label = {"portfolio": ("學習歷程儲存庫（學生可讀）", "portfolio (students read it)"),
                 "registry": ("學籍儲存庫（僅限行政人員）", "registry (staff only)")}.get(name, (name, name))
        verdict = REPORTERS['text'](result, args.lang).splitlines()[-1]
        say(args, f"{root}  {label[0]}：{repo['commits']} 個提交\n  {verdict}",
            f"{root}  {label[1]}: {repo['commits']} commits\n  {verdict}")
    if not args.no_site:
        from ..publish import build

        site_from = Path(summary["repositories"].get("portfolio", {}).get("path") or target)
        report = build(site_from, "public", now=args.now, lang=args.lang)
        say(args, f"網站：{report.site_dir}（{report.pages} 頁，{report.seconds} 秒）",
            f"site: {report.site_dir} ({report.pages} pages, {report.seconds} s)")
    return True
