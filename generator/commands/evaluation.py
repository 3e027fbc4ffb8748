"""licheng evaluation: the §11 evaluation of an academic year (terminal, or CSV with --out)."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import UsageError
from ..names import EVENT_TYPES
from .common import say, school_root

# the terminal's table in English (the CSV, for the working group, stays in Chinese)
ENGLISH = {"教師": "teachers", "單位": "units", "研習與會議": "trainings and meetings",
           "認證件數": "outcomes certified", "期限內認證": "certified on time",
           "上傳至認證天數中位數": "median days from upload to certification", "提交次數": "submissions",
           "期限內提交": "submitted on time", "收訖已確認": "receipts confirmed", "未解決疑義": "open discrepancies",
           "註冊組": "registration office", "招生組": "admissions office", "訓育組": "activities office",
           **{name: kind.replace("_", " ") for kind, name in EVENT_TYPES.items()}}


def add_arguments(parser) -> None:
    parser.add_argument("--year", required=True, help="學年度，如 115 / academic year")
    parser.add_argument("--out", help="CSV 檔 / write CSV here")


def run(args) -> bool:
    from ..papers.evaluation import evaluation_csv
    from ..validate import validate

    if not re.fullmatch(r"\d{2,3}", args.year):
        raise UsageError(f"--year {args.year}: 學年度應為數字，如 115", en=f"--year {args.year}: an academic year reads like 115")
    records, _ = validate(school_root(args.repo), args.now)
    rows, _ = evaluation_csv(records, int(args.year), Path(args.out).resolve() if args.out else None)
    if args.out:
        say(args, f"{args.out}: {len(rows)} 列", f"{args.out}: {len(rows)} rows")
        return True
    section = None
    for kind, who, item, value in rows:
        if kind != section:
            print(f"\n{_in(args, kind)}")
            section = kind
        if kind == "研習與會議":  # the event's type, its title (the school's words) and its date
            say(args, f"  {who}　{item}：{value}", f"  {_in(args, who)}  {item}: {value}")
        else:
            say(args, f"  {who}　{item}：{value}", f"  {_in(args, who)}  {_in(args, item)}: {value}")
    return True


def _in(args, label: str) -> str:
    """A label of the evaluation's table in the run's language (a teacher's name stays as it is)."""
    return ENGLISH.get(label, label) if args.lang == "en" else label
