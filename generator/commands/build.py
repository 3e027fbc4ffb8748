"""licheng build and licheng serve: the schedule and status website."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import out_folder, say, school_root


def add_arguments(parser) -> None:
    parser.add_argument("--audience", choices=["public", "staff"], default="public",
                        help="public：公開的期程網站（預設）；staff：教職員網站 / public: the public schedule site (default); staff: the staff site")
    parser.add_argument("--site-dir", help="輸出資料夾（預設 site/）/ output folder")
    parser.add_argument("--strict", action="store_true", help="有錯誤時不建置 / refuse to build with errors")
    parser.add_argument("--offline", action="store_true",
                        help="供直接從磁碟開啟的網站（不經網頁伺服器，如下載的 staff-site）：頁面連結指向 index.html，不含搜尋"
                             " / a site to open from disk (no web server): pages linked as index.html files, no search")


def run(args) -> bool:
    from ..publish import BuildFailed, build

    root = school_root(args.repo)
    try:
        # (MkDocs empties its output folder: a committed link `site` would empty the folder it names)
        site_dir = out_folder(args.site_dir or str(root / "site"), "--site-dir", root)
        report = build(root, args.audience, site_dir,
                       now=args.now, strict=args.strict, portfolio=args.portfolio,
                       offline=args.offline, lang=args.lang)
    except RuntimeError as exc:  # BuildFailed: --strict and errors, personal data in public text, a failing template
        print(f"licheng: {exc.text(args.lang) if isinstance(exc, BuildFailed) else exc}", file=sys.stderr)
        return False
    say(args, f"{report.site_dir}: {report.pages} 頁、{report.files} 個檔案、{report.errors} 個錯誤、"
              f"{report.warnings} 個警告，{report.seconds} 秒",
        f"{report.site_dir}: {_counted(report.pages, 'page')}, {_counted(report.files, 'file')}, "
        f"{_counted(report.errors, 'error')}, {_counted(report.warnings, 'warning')}, {report.seconds} s")
    return True


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
