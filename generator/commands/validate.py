"""licheng validate: check every record and schedule, print the report.

In a merge-request check (--base, the platform's variables, or a HEAD off main's first-parent
chain) the request is judged as the merge it would make, and only what it introduces fails.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..reporter import REPORTERS, verdict
from .common import BadValue, revision, school_root


def _report_file(value: str) -> tuple[str, str]:
    """FORMAT=FILE: one more report of the same run, written to FILE."""
    fmt, sep, path = value.partition("=")
    if not sep or fmt not in REPORTERS or not path:
        formats = ", ".join(sorted(REPORTERS))
        raise BadValue(f"{value!r} 應寫成「格式=檔案」（FORMAT=FILE），格式為 {formats} 之一（例：codequality=gl-code-quality-report.json）",
                       f"{value!r}: expected FORMAT=FILE with FORMAT one of {formats}")
    return fmt, path


def add_arguments(parser) -> None:
    parser.add_argument("--format", choices=sorted(REPORTERS), default="text",
                        help="輸出格式：text 文字、json、github（GitHub Actions 註記）、codequality（GitLab Code Quality 報告）"
                             " / output format")
    parser.add_argument("--report", type=_report_file, action="append", default=[], metavar="FORMAT=FILE",
                        help="同一次驗證另外把報告以 FORMAT 格式寫入 FILE（可重複；如 GitLab CI 的"
                             " codequality=gl-code-quality-report.json，畫面照常印出 --format 的報告）"
                             " / also write this run's report in FORMAT to FILE (repeatable)")
    parser.add_argument("--strict", action="store_true", help="警告也視為錯誤 / warnings are errors")
    parser.add_argument("--rev", help="驗證某個 Git 版本的歷史 / validate the history of a Git revision")
    parser.add_argument("--base", help="合併請求檢查：請求要併入的分支（如 main；在 CI 中由平臺的變數得知）/ merge-request check "
                        "against this base (in CI: from the platform's variables)")
    parser.add_argument("--no-cache", action="store_true", help="不使用快取 / ignore the cache")


def run(args) -> bool:
    from ..validate import validate

    root = school_root(args.repo)
    _report_folders(args)
    if args.rev and args.base:
        from ..errors import UsageError

        raise UsageError("--rev 與 --base 不能同時使用", en="--rev and --base cannot be combined")
    if args.rev:
        args.rev = revision(root, args.rev)
    if not args.rev:
        from ..git import request as request_mod

        found = request_mod.find(root, args.base)
        if found is not None:
            return _request(root, args, found)
    _, result = validate(root, args.now, rev=args.rev, use_cache=not args.no_cache,
                         portfolio=args.portfolio)
    if args.strict:
        result = result.strict()
    _write(args, lambda fmt: REPORTERS[fmt](result, args.lang), root)
    return not result.failing


def _write(args, render, root) -> None:
    """Each --report file, then the --format report on standard output: one validation, every report."""
    from ..errors import LichengError, os_reason

    sys.stdout.write(render(args.format))  # first: a report file that cannot be written loses no finding
    sys.stdout.flush()
    for fmt, path in args.report:
        try:
            fd = _open_report(Path(os.path.abspath(path)), root)
            with open(fd, "w", encoding="utf-8", errors="surrogateescape") as fh:
                fh.write(render(fmt))
        except OSError as exc:
            zh, en = os_reason(exc)
            raise LichengError(f"無法寫入報告 {path}：{zh}", en=f"cannot write the report {path}: {en}") from None


def _report_folders(args) -> None:
    """Each --report file's folder exists: said before the run, not after it."""
    from ..errors import UsageError

    for _, path in args.report:
        folder = Path(os.path.abspath(path)).parent
        if not folder.is_dir():
            raise UsageError(f"--report {path}：資料夾 {folder} 不存在", en=f"--report {path}: no folder {folder}")


def _open_report(target: Path, root: Path) -> int:
    """The report file, opened for writing. In the repository (CI writes gl-code-quality-report.json
    in the checkout) a symbolic link is a request's: one in place of the report is replaced, never
    written through (it could point at any file the job may write); one on a folder on its way is refused."""
    from .common import refuse_links

    refuse_links(root, target.parent, "--report")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    if root in target.parents:
        if target.is_symlink():
            target.unlink()
        flags |= getattr(os, "O_NOFOLLOW", 0)
    return os.open(target, flags, 0o666)


def _request(root, args, found) -> bool:
    from ..review import check, summary

    _, result, facts = check.check(root, args.now, found, use_cache=not args.no_cache,
                                   portfolio=args.portfolio)
    if args.strict:
        result = result.strict()

    def render(fmt: str) -> str:
        if fmt == "json":
            return REPORTERS["json"](result, args.lang, request=summary.as_dict(facts, result))
        if fmt in ("text", "github"):  # a workflow log shows plain lines between the annotations
            return summary.text(facts, args.lang) + REPORTERS[fmt](result, args.lang)
        return REPORTERS[fmt](result, args.lang)

    _write(args, render, root)
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        try:
            with open(target, "a", encoding="utf-8") as fh:
                fh.write(summary.markdown(facts, result, args.lang, verdict(result, args.lang)))
        except OSError as exc:
            from ..errors import os_reason

            print(f"licheng: GITHUB_STEP_SUMMARY {target}: {os_reason(exc)[args.lang == 'en']}", file=sys.stderr)
    return not result.failing
