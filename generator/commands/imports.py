"""licheng import: students, staff, courses, grades, cadres from the administration system
(xlsx or CSV); receipts from the central database. A dry run unless --apply."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import layout
from ..errors import UsageError
from ..names import zh_or_en
from .common import now, say, school_root

KINDS = ("students", "staff", "courses", "grades", "cadres", "receipts")
SHOWN = 30  # files listed one by one; the rest are counted
# the kinds whose files hold personal data, which only a registry (or a single repository) may hold
PERSONAL = {"students": ("學生名冊（身分證號、出生日期等）", "student records (national IDs, birth dates…)"),
            "grades": ("學業成績", "grades"), "cadres": ("幹部經歷", "cadre records"),
            "receipts": ("提交紀錄", "submission records")}


def add_arguments(parser) -> None:
    parser.add_argument("kind", choices=KINDS, help="students | staff | courses | grades | cadres | receipts")
    parser.add_argument("file", help="xlsx、CSV（UTF-8 或 Big5）或 Excel 的 Unicode 文字 / xlsx, CSV (UTF-8 or Big5) "
                                     "or Excel's Unicode text")
    parser.add_argument("--semester", help="學期，如 115-1（預設為目前學期）/ the semester (default: now's)")
    parser.add_argument("--apply", action="store_true", help="寫入檔案 / write the files")
    parser.add_argument("--mapping", help="欄位對應檔（YAML）/ a mapping file for other layouts")
    parser.add_argument("--as", dest="as_staff", help="receipts：確認收訖的註冊組人員代號 / who confirms receipts")


def run(args) -> bool:
    from ..school.tables import read_mapping

    root = school_root(args.repo)
    path = Path(args.file)
    if path.is_dir():
        raise UsageError(f"{path}: 是資料夾，不是檔案；請指定匯出的 xlsx 或 CSV 檔",
                         en=f"{path}: is a folder: name the exported xlsx or CSV file")
    if not path.is_file():
        raise UsageError(f"{path}: 找不到檔案", en=f"{path}: no such file")
    if args.semester and not _semester(args.semester):
        raise UsageError(f"--semester {args.semester}: 學期應寫成 115-1 或 115-2", en=f"--semester {args.semester}: a semester reads like 115-1")
    if args.kind in PERSONAL:
        _refuse_a_portfolio(root, args.kind)
    mapping = read_mapping(Path(args.mapping)) if args.mapping else None
    if args.kind == "receipts":
        from ..school.receipts import plan as receipts_plan

        result = receipts_plan(path, root, args.semester, now(root, args.now), args.as_staff, mapping)
    else:
        from ..school.importer import plan

        result = plan(args.kind, path, root, args.semester, now(root, args.now), mapping)
    table = result.table
    for problem in result.problems:  # first: the summary below ends the output, on a terminal and in a log alike
        print(f"{path}: {problem.text(args.lang)}", file=sys.stderr)
    sys.stderr.flush()
    rows = len(table.rows)
    say(args, f"{path}（{table.encoding}，{rows} 列資料）→ {args.kind} {result.semester}",
        f"{path} ({table.encoding}, {rows} row{'s' * (rows != 1)}) → {args.kind} {result.semester}")
    if table.unused:
        say(args, f"未使用的欄位：{'、'.join(table.unused)}", f"columns not used: {', '.join(table.unused)}")
    if result.problems:
        sys.stdout.flush()
        bad = len(result.problems)
        say(args, f"有 {bad} 個問題，整份檔案未匯入（沒有寫入任何檔案）",
            f"{bad} problem{'s' * (bad != 1)}: nothing imported (no file written)", file=sys.stderr)
        return False
    for change in result.changes[:SHOWN]:
        mark = zh_or_en(args.lang, "新增" if change.action == "add" else "變更", f"{change.action:<6}")
        what = [zh_or_en(args.lang, *w) if isinstance(w, tuple) else w for w in change.what]
        detail = f"  ({'; '.join(what)[:120]})" if what else ""
        print(f"  {mark} {change.path}{detail}")
    if len(result.changes) > SHOWN:
        say(args, f"  … 另 {len(result.changes) - SHOWN} 個檔案", f"  … {len(result.changes) - SHOWN} more files")
    for zh, en in getattr(result, "notes", ()):
        say(args, f"  注意：{zh}", f"  note: {en}")
    adds = sum(1 for c in result.changes if c.action == "add")
    summary = zh_or_en(args.lang, f"新增 {adds}、變更 {len(result.changes) - adds}、不變 {result.unchanged} 個檔案",
                       f"{adds} added, {len(result.changes) - adds} changed, {result.unchanged} unchanged files")
    if not args.apply:
        say(args, f"{summary}（試算，未寫入；加上 --apply 寫入）", f"{summary} (a dry run, nothing written: add --apply to write)")
        return True
    if not result.changes:
        say(args, f"{summary}：沒有需要寫入的變更", f"{summary}: nothing to write")
        return True
    result.apply(root)
    say(args, f"{summary}：已寫入。請檢查後以 git 提交（由負責的處室人員提交）。第一次提交前，提交者的電子郵件"
              "（git config user.email）須已列在 records/staff.yaml 該人員的 git 之下，否則這個提交會被判定為無權限",
        f"{summary}: written. Review them and commit with git (the responsible office commits them). Before the "
        "first commit, the committer's email (git config user.email) must be listed under that person's git in "
        "records/staff.yaml, or the commit is taken as not permitted")
    return True


def _refuse_a_portfolio(root: Path, kind: str) -> None:
    from ..records.repositories import is_portfolio, registry_of

    if not is_portfolio(root):
        return
    zh, en = PERSONAL[kind]
    registry = registry_of(root)
    target = f"-C {registry}" if registry else "-C <registry>"
    raise UsageError(f"{root}: 這是學習歷程資料庫（portfolio），全校學生都能讀取；{zh}屬於個人資料，只能匯入學籍資料庫"
                     f"（registry）：licheng import {kind} … {target}。沒有寫入任何檔案",
                     en=f"{root}: this is the portfolio, which every student can read; {en} are personal data "
                        f"and go only into the registry: licheng import {kind} … {target}. Nothing was written")


def _semester(value: str) -> bool:
    return layout.is_semester(value)
