"""licheng demo: a fictional school with a realistic history, validated and with its site built."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from .common import out_folder, positive

HELP = "建立虛構示範學校 / create a fictional demo school"


def add_arguments(parser) -> None:
    parser.add_argument("dir")
    parser.add_argument("--students", type=positive, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lfs", action="store_true", help="附件存於 Git LFS（需要 git-lfs）/ attachments in Git LFS")
    parser.add_argument("--no-site", action="store_true", help="不建置網站 / do not build the site")


def run(args) -> bool:
    from ..demo import create_demo
    from ..demo.create import MIN_STUDENTS
    from ..reporter import REPORTERS
    from ..validate import validate

    target = out_folder(args.dir, "DIR")
    if args.students < 30:
        raise UsageError(f"--students {args.students}: 示範學校至少要 30 位學生 / the demo needs at least 30 students")
    if target.exists() and any(target.iterdir()):
        raise UsageError(f"{target}: 資料夾不是空的 / not empty")
    if args.students < MIN_STUDENTS:
        raise UsageError(f"--students {args.students}: 示範學校至少需要 {MIN_STUDENTS} 位學生 / the demo needs at least {MIN_STUDENTS} students")
    summary = create_demo(target, students=args.students, seed=args.seed, lfs=args.lfs)
    print(f"demo: {target} — {summary.get('students')} 位學生、{summary.get('commits')} 個提交、"
          f"{summary.get('merges')} 個合併（{summary.get('seconds')} 秒）")
    _, result = validate(target, args.now, use_cache=True)
    print(REPORTERS["text"](result, args.lang).splitlines()[-1])
    if not args.no_site:
        from ..publish import build

        report = build(target, "public", now=args.now)
        print(f"site: {report.site_dir} ({report.pages} pages, {report.seconds} s)")
    return True
