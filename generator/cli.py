"""The `licheng` command. Exit codes are decided here and only here: 0 ok, 1 errors, 2 could not run."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__, dates
from .errors import LichengError, RepositoryError, UsageError
from .reporter import REPORTERS

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN = 0, 1, 2


def _root(given: str | None) -> Path:
    root = Path(given or os.getcwd()).resolve()
    if not (root / "records").is_dir():
        raise RepositoryError(f"{root}: 找不到 records/ 資料夾，這不是學校的歷程資料庫 (not a school repository)")
    return root


def _now(root: Path, given: str | None):
    """The run's "now" in the school's timezone (school.yaml read on its own: this is cheap)."""
    from .yaml import YamlProblem, load_bytes

    try:
        school = load_bytes((root / "records/school.yaml").read_bytes())
    except (OSError, YamlProblem):
        school = None
    zone = school.get("timezone") if isinstance(school, dict) else None
    return dates.resolve_now(given, dates.zone(zone if isinstance(zone, str) else None))


def cmd_validate(args) -> int:
    from . import cache

    root = _root(args.repo)
    now = _now(root, args.now)
    digest = cache.inputs(root, args.rev) if not args.no_cache else None
    findings = cache.stored_result(root, digest, now) if digest else None
    if findings is None:
        from .validate import validate

        records, result = validate(root, args.now, rev=args.rev, use_cache=not args.no_cache)
        if digest:
            cache.store_result(root, digest, now, records.moments, result.findings)
    else:
        from . import rules  # noqa: F401  (the messages of the stored findings)
        from .result import Result

        result = Result()
        result.extend(findings)
    if args.strict:
        result = result.strict()
    sys.stdout.write(REPORTERS[args.format](result, args.lang))
    return EXIT_FINDINGS if result.errors else EXIT_OK


def cmd_status(args) -> int:
    from .commands.status import table
    from .validate import validate

    records, _ = validate(_root(args.repo), args.now)
    sys.stdout.write(table(records, args.semester, args.lang))
    return EXIT_OK


def cmd_codeowners(args) -> int:
    from .commands.codeowners import generate
    from .validate import validate

    root = _root(args.repo)
    records, _ = validate(root, args.now, history=False)
    text = generate(records)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        target = root / args.out
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        print(f"{target.relative_to(root)}: {text.count(chr(10))} 行 / lines")
    return EXIT_OK


def cmd_demo(args) -> int:
    from .demo.create import create_demo
    from .reporter import REPORTERS
    from .validate import validate

    target = Path(args.dir).resolve()
    if target.exists() and any(target.iterdir()):
        raise UsageError(f"{target}: 資料夾不是空的 / not empty")
    summary = create_demo(target, students=args.students, seed=args.seed)
    print(f"demo: {target} — {summary.get('students')} 位學生、{summary.get('commits')} 個提交、"
          f"{summary.get('merges')} 個合併（{summary.get('seconds')} 秒）")
    _, result = validate(target, args.now, use_cache=True)
    print(REPORTERS["text"](result, args.lang).splitlines()[-1])
    if not args.no_site:
        from .site import build

        report = build(target, "public", now=args.now)
        print(f"site: {report.site_dir} ({report.pages} pages, {report.seconds} s)")
    return EXIT_OK


def cmd_build(args) -> int:
    from .site import build

    root = _root(args.repo)
    try:
        report = build(root, args.audience, Path(args.site_dir).resolve() if args.site_dir else None,
                       now=args.now, strict=args.strict)
    except RuntimeError as exc:  # --strict and validation errors
        print(f"licheng: {exc}", file=sys.stderr)
        return EXIT_FINDINGS
    print(f"{report.site_dir}: {report.pages} pages, {report.files} files, {report.errors} errors, "
          f"{report.warnings} warnings, {report.seconds} s")
    return EXIT_OK


def cmd_serve(args) -> int:
    from .site import serve

    serve(_root(args.repo), args.audience, now=args.now, dev_addr=args.dev_addr)
    return EXIT_OK


def cmd_export(args) -> int:
    from .papers.export import export
    from .validate import validate

    root = _root(args.repo)
    records, result = validate(root, args.now)
    report = export(records, args.semester, Path(args.out).resolve(), force=args.force, findings=result.findings)
    if report.blocking and not report.written:
        print("licheng export: 下列錯誤與匯出資料有關，未匯出（--force 可強制）/ errors concern the exported data, "
              "nothing written (--force overrides):", file=sys.stderr)
        for b in report.blocking:
            print(f"  {b['path']}:{b['line'] or ''} [{b['rule']}] {b['message']}", file=sys.stderr)
        return EXIT_FINDINGS
    for name, rows in sorted(report.rows.items()):
        print(f"{report.out / name}: {rows} 筆 / rows")
    print(f"{report.out / 'manifest.json'}")
    return EXIT_OK


def cmd_letters(args) -> int:
    from .papers.letters import FontMissing, letters
    from .validate import validate

    records, _ = validate(_root(args.repo), args.now)
    try:
        report = letters(records, args.semester, Path(args.out).resolve())
    except FontMissing as exc:
        raise LichengError(str(exc)) from exc
    if not report.students:
        print(f"{args.semester}: 沒有需要寄送紙本通知的離校學生 / no student who left needs a letter")
        return EXIT_OK
    print(f"{report.pdf}: {report.pages} 頁 / pages; {report.csv}; 期限 / deadline {report.deadline}")
    if report.no_address:
        print(f"缺少通訊地址 / no mailing address: {len(report.no_address)} 位", file=sys.stderr)
    return EXIT_OK


def cmd_purge(args) -> int:
    from .maintenance import purge
    from .validate import validate

    root = _root(args.repo)
    records, _ = validate(root, args.now, history=False)
    items = purge.plan(records)
    for item in items:
        print(f"{item.path}{':' + str(item.line) if item.line else ''}  {item.kind}  ({item.what})")
    print(f"共 {len(items)} 項，{len({i.student for i in items})} 位學生已逾保存年限（§8）/ "
          f"{len(items)} items of students past retention")
    if not args.apply:
        if items:
            print("未做任何變更；--apply --as STAFF_ID 會以一個提交刪除 / nothing changed; --apply removes them")
        return EXIT_OK
    if not items:
        return EXIT_OK
    if not args.as_staff:
        raise UsageError("--apply 需要 --as STAFF_ID（提交者）/ --apply needs --as STAFF_ID")
    targets = purge.history_targets(records, items)
    try:
        sha = purge.apply(records, args.as_staff)
    except purge.PurgeRefused as exc:
        raise UsageError(str(exc)) from exc
    print(f"已提交 / committed {sha[:8]}")
    if args.rewrite_history:
        try:
            purge.rewrite_history(root, targets)
        except FileNotFoundError as exc:
            raise LichengError(f"{exc}；請先 pip install git-filter-repo / install git-filter-repo first") from exc
        print("已從 Git 歷史移除；請依 README「刪除逾保存年限的資料」處理遠端與每一份複本 / "
              "removed from history: see the README for the remote and every clone")
    return EXIT_OK


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-C", "--repo", help="學校資料庫的根目錄（預設為目前目錄）/ the school repository")
    common.add_argument("--now", help="把「現在」設為此時間（預設 SOURCE_DATE_EPOCH 或時鐘）/ the time taken as now")
    common.add_argument("--lang", choices=["zh-TW", "en"], default="zh-TW", help="訊息語言 / message language")
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="licheng", description="學生學習歷程檔案：紀錄與期程的驗證與發布")
    parser.add_argument("--version", action="version", version=f"licheng {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", parents=[_common()], help="驗證所有紀錄與期程 / validate records and schedules")
    v.add_argument("--format", choices=sorted(REPORTERS), default="text")
    v.add_argument("--strict", action="store_true", help="警告也視為錯誤 / warnings are errors")
    v.add_argument("--rev", help="驗證某個 Git 版本的歷史 / validate the history of a Git revision")
    v.add_argument("--no-cache", action="store_true", help="不使用快取 / ignore the cache")
    v.set_defaults(run=cmd_validate)
    st = sub.add_parser("status", parents=[_common()], help="各課程的認證狀態 / certification status per course")
    st.add_argument("--semester", help="學期，例如 115-1（預設為目前學期）/ e.g. 115-1")
    st.set_defaults(run=cmd_status)
    co = sub.add_parser("codeowners", parents=[_common()], help="產生 CODEOWNERS / write CODEOWNERS")
    co.add_argument("--out", default=".github/CODEOWNERS", help="輸出路徑，- 為標準輸出 / path, or - for stdout")
    co.set_defaults(run=cmd_codeowners)
    d = sub.add_parser("demo", parents=[_common()], help="建立虛構示範學校 / create a fictional demo school")
    d.add_argument("dir")
    d.add_argument("--students", type=int, default=300)
    d.add_argument("--seed", type=int, default=1)
    d.add_argument("--no-site", action="store_true", help="不建置網站 / do not build the site")
    d.set_defaults(run=cmd_demo)
    ex = sub.add_parser("export", parents=[_common()], help="匯出中央資料庫提交檔 / files for the central database")
    ex.add_argument("--semester", required=True)
    ex.add_argument("--out", required=True)
    ex.add_argument("--force", action="store_true", help="有錯誤時仍匯出 / export despite errors")
    ex.set_defaults(run=cmd_export)
    le = sub.add_parser("letters", parents=[_common()], help="離校生紙本通知（§7.3.3）/ paper-mail notices")
    le.add_argument("--semester", required=True)
    le.add_argument("--out", required=True)
    le.set_defaults(run=cmd_letters)
    pu = sub.add_parser("purge", parents=[_common()], help="逾保存年限的資料（§8）/ records past retention")
    pu.add_argument("--apply", action="store_true", help="以一個提交刪除 / remove them in one commit")
    pu.add_argument("--as", dest="as_staff", metavar="STAFF_ID", help="提交者（staff.yaml 的 id）/ the committer")
    pu.add_argument("--rewrite-history", action="store_true",
                    help="也從 Git 歷史中移除（git-filter-repo）/ also remove them from Git history")
    pu.set_defaults(run=cmd_purge)
    for name, run in (("build", cmd_build), ("serve", cmd_serve)):
        b = sub.add_parser(name, parents=[_common()], help="建置網站 / build the site" if name == "build"
                           else "即時預覽網站 / live preview")
        b.add_argument("--audience", choices=["public", "staff"], default="public")
        if name == "build":
            b.add_argument("--site-dir", help="輸出資料夾（預設 site/）/ output folder")
            b.add_argument("--strict", action="store_true", help="有錯誤時不建置 / refuse to build with errors")
        else:
            b.add_argument("--dev-addr", help="例如 127.0.0.1:8000")
        b.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_CANNOT_RUN if exc.code not in (0, None) else EXIT_OK
    try:
        if getattr(args, "now", None) and not dates.is_date(args.now):
            raise UsageError(f"--now {args.now}: 不是可辨識的時間 / not a date or time")
        return args.run(args)
    except LichengError as exc:
        print(f"licheng: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
