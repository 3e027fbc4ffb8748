"""licheng evaluation: the §11 evaluation of an academic year (terminal, or CSV with --out)."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import UsageError
from .common import school_root


def add_arguments(parser) -> None:
    parser.add_argument("--year", required=True, help="學年度，如 115 / academic year")
    parser.add_argument("--out", help="CSV 檔 / write CSV here")


def run(args) -> bool:
    from ..papers.evaluation import evaluation_csv
    from ..validate import validate

    if not re.fullmatch(r"\d{2,3}", args.year):
        raise UsageError(f"--year {args.year}: 學年度應為數字，如 115 / an academic year reads 115")
    records, _ = validate(school_root(args.repo), args.now)
    rows, _ = evaluation_csv(records, int(args.year), Path(args.out).resolve() if args.out else None)
    if args.out:
        print(f"{args.out}: {len(rows)} 列 / rows")
        return True
    section = None
    for kind, who, item, value in rows:
        if kind != section:
            print(f"\n{kind}")
            section = kind
        print(f"  {who}　{item}：{value}")
    return True
