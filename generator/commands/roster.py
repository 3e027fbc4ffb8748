"""licheng roster: write the portfolio's roster from the registry's students (working tree only)."""

from __future__ import annotations

from ..errors import UsageError
from pathlib import Path

from .common import refuse_links, say, school_root, shown


def add_arguments(parser) -> None:
    pass  # --portfolio DIR is common to every command


def run(args) -> bool:
    from ..records import roster
    from ..records.repositories import discover

    root = school_root(args.repo)
    repos = discover(root, args.portfolio)
    if repos[0].role != "registry":
        raise UsageError(f"{root}: 這不是學籍資料庫（沒有 records/registry.yaml）；請在學籍資料庫執行，或用 -C 指定",
                         en=f"{root}: not a registry (no records/registry.yaml): run it in the registry, or name it with -C")
    from ..validate import validate

    records, _ = validate(root, args.now, history=False, repositories=repos)
    portfolio = repos[1].root
    folder = Path(portfolio).resolve() / "records" / "roster"  # (never written through a link a request committed)
    for path in [folder, *(folder.glob("*.yaml") if folder.is_dir() and not folder.is_symlink() else ())]:
        refuse_links(Path(portfolio).resolve(), path, "roster")
    written = roster.write(portfolio, {no: d.data for no, d in records.student_docs.items() if d.valid}, records.tz)
    bad = sorted(no for no, d in records.student_docs.items() if not d.valid)
    for path in written:
        print(shown(portfolio / path))
    say(args, f"已更新 {len(written)} 個名冊檔（未提交）；請在 {shown(portfolio)} 檢查後提交並送出合併請求",
        f"{len(written)} roster file(s) written, not committed: review and commit them in {shown(portfolio)}, "
        "then open a merge request")
    if bad:
        say(args, f"{len(bad)} 位學生的基本資料有錯誤，未列入名冊（licheng validate 會指出）",
            f"{len(bad)} student record(s) with errors left out (licheng validate names them)")
    return not bad
