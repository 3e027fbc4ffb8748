"""licheng export: the central database's files for a semester (§5.5, §6)."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import out_folder, say, school_root, semester


def add_arguments(parser) -> None:
    parser.add_argument("--semester", required=True, type=semester, help="學期，如 115-1 / semester, e.g. 115-1")
    parser.add_argument("--out", required=True, help="輸出資料夾 / output folder")
    parser.add_argument("--force", action="store_true", help="有錯誤時仍匯出 / export despite errors")


def run(args) -> bool:
    from ..errors import UsageError
    from ..papers.export import ExportRefused, blocking, export
    from ..validate import validate

    root = school_root(args.repo)
    records, result = validate(root, args.now, portfolio=args.portfolio, everything=True)
    try:
        report = export(records, args.semester, out_folder(args.out, root=root), force=args.force,
                        findings=result.findings)
    except ExportRefused as exc:
        raise UsageError(str(exc), en=exc.en) from None
    if report.blocking and not report.written:
        say(args, "licheng export: 下列錯誤與匯出資料有關，未匯出（--force 可強制）：",
            "licheng export: these errors concern the exported data; nothing written (--force overrides):",
            file=sys.stderr)
        for b in blocking(records, args.semester, result.findings, args.lang):  # report.blocking: in Chinese
            print(f"  {b['path']}:{b['line'] or ''} [{b['rule']}] {b['message']}", file=sys.stderr)
        return False
    for name, rows in sorted(report.rows.items()):
        say(args, f"{report.out / name}: {rows} 筆", f"{report.out / name}: {rows} rows")
    print(f"{report.out / 'manifest.json'}")
    return True
