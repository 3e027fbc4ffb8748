"""`licheng import receipts FILE`: the central database's receipt details (收訖明細) into the
semester's submission records (§6.2): who confirmed them and when, and a discrepancy for every
book whose received count differs from what the school submitted or that reports errors.

The central database's receipt format is not public. This reads one row per book with the
columns 名冊 (the book's name, as in the export: 學生資料名冊, 學生成績名冊, 校內幹部經歷名冊,
課程學習成果名冊, 多元表現－…), 上傳筆數 (optional), 收訖筆數, 錯誤筆數 (optional) and 說明 (optional);
a mapping file names other headers. Rows of the books of one category add up (the performance
books are one `performances` submission). Check it against the receipt file of the day.
"""

from __future__ import annotations

from pathlib import Path

from .. import dates
from ..errors import UsageError
from ..records.books import BOOKS
from .importer import Change, Plan, Problem, School, _render
from .tables import read_table, require
from .values import BadCell, parse_int, text

ALIASES = {"學籍資料": "enrollment", "學生資料": "enrollment", "成績": "grades", "幹部": "cadres",
           "課程學習成果": "outcomes", "多元表現": "performances"}


def _category(book: str) -> str | None:
    for known in BOOKS:
        if book == known.title or book == known.file:
            return known.category
    return next((category for word, category in ALIASES.items() if word in book), None)


def plan(path: Path, root: Path, semester: str | None, now, as_staff: str | None, mapping=None) -> Plan:
    school = School(root)
    staff = {p.get("id"): p for p in school.shared("records/staff.yaml") or [] if isinstance(p, dict)}
    if not as_staff or as_staff not in staff:
        raise UsageError("--as：請指定確認收訖的註冊組人員代號（staff.yaml）",
                         en="--as: give the staff id (staff.yaml) of who confirms the receipt")
    table = read_table(path, mapping)
    require(table, ("book", "received"))
    semester = semester or dates.semester_of(now)
    result = Plan("receipts", semester, table)
    totals: dict[str, list] = {}  # category -> [received, rejected, notes, first row]
    for row in table.rows:
        category = _category(text(row.get("book")))
        try:
            cell = "received"
            received = parse_int(row.get(cell), ("收訖筆數", "received"), 0, 10**7)
            cell = "rejected"
            rejected = parse_int(row.get(cell), ("錯誤筆數", "rejected"), 0, 10**7) if text(row.get(cell)) else 0
        except BadCell as exc:
            result.problems.append(Problem(row.number, "", str(exc), exc.en, row.column(cell)))
            continue
        if category is None:
            result.problems.append(Problem(row.number, "", f"不認得的名冊「{text(row.get('book'))}」",
                                           f"unknown book '{text(row.get('book'))}'"))
            continue
        tally = totals.setdefault(category, [0, 0, [], row.number])
        tally[0] += received
        tally[1] += rejected
        if text(row.get("note")):
            tally[2].append(text(row.get("note")))
    rel = f"records/submissions/{semester}.yaml"
    entries = [dict(e) for e in school.load(rel) or [] if isinstance(e, dict)]
    at = now.astimezone(dates.zone(None)).strftime("%Y-%m-%d %H:%M")
    for category, (received, rejected, notes, first) in totals.items():
        submitted = [e for e in entries if e.get("category") == category]
        if not submitted:
            result.problems.append(Problem(first, "", f"{semester} 沒有提交「{category}」的紀錄",
                                           f"{semester} has no submission of {category}"))
            continue
        entry = submitted[-1]
        discrepancies = []
        count = entry.get("count")
        if isinstance(count, int) and count != received or rejected:
            note = f"上傳 {count} 筆、收訖 {received} 筆" + (f"、錯誤 {rejected} 筆" if rejected else "")
            discrepancies.append({"note": "；".join([note] + notes)})
        old = entry.get("receipt") or {}
        kept = [d for d in old.get("discrepancies") or () if d not in discrepancies]
        receipt = {"by": old.get("by") or as_staff, "at": old.get("at") or at}
        if kept or discrepancies:
            receipt["discrepancies"] = kept + discrepancies
        entry["receipt"] = receipt
    if result.problems or not totals:
        return result
    if school.load(rel) == entries:
        result.unchanged = 1
    else:
        head = school.header(rel, "submissions")
        result.changes.append(Change(rel, "change", head + _render("entries", entries),
                                     [(f"{c}: 收訖 {t[0]} 筆", f"{c}: {t[0]} received") for c, t in totals.items()]))
    return result
