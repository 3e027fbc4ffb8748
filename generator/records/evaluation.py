"""The §11 evaluation of an academic year: what each person and unit did, for the executive
secretary's proposal of commendations to the working group.

Per teacher: outcomes certified (by them as the merger), on time (inside the certification
window), median days from upload to certification. Per unit (§6.1): submissions made on time
(inside their submit_* window) and receipts confirmed (§6.2). The year's trainings and meetings
(§3.2, §10) that were held. Rows are (section, who, item, value), one table for CSV and the site.
"""

from __future__ import annotations

from statistics import median

from .. import dates
from ..names import EVENT_TYPES
from ..git.certification import CERTIFIED, EARLY, LATE

UNITS = {"enrollment": "註冊組", "grades": "註冊組", "outcomes": "招生組", "performances": "招生組", "cadres": "訓育組"}
EVENTS = {kind: name for kind, name in EVENT_TYPES.items() if kind != "other"}  # the trainings and meetings
HEADER = ("類別", "對象", "項目", "數值")


def evaluation(records, year: int) -> list[tuple[str, str, str, str]]:
    semesters = dates.semesters_of_year(year)
    rows: list[tuple[str, str, str, str]] = []
    teachers = {t for s in semesters for c in records.courses.get(s, {}).values() for t in c.get("teachers") or ()}
    done: dict[str, list] = {t: [] for t in teachers}
    for outcome in records.certification.outcomes.values():
        if outcome.semester in semesters and outcome.state in (CERTIFIED, EARLY, LATE) and outcome.certifier:
            done.setdefault(outcome.certifier, []).append(outcome)
    for sid in sorted(done, key=records.staff_name):
        items = done[sid]
        name = records.staff_name(sid)
        spans = [(o.certified_at - o.uploaded_at).total_seconds() / 86400 for o in items
                 if o.certified_at and o.uploaded_at]
        rows += [("教師", name, "認證件數", str(len(items))),
                 ("教師", name, "期限內認證", str(sum(1 for o in items if o.state == CERTIFIED))),
                 ("教師", name, "上傳至認證天數中位數", f"{median(spans):.1f}" if spans else "")]
    units: dict[str, list[int]] = {}
    for semester in semesters:
        doc = next((d for d in records.valid("submissions") if d.keys["semester"] == semester), None)
        for _, entry in doc.items() if doc else ():
            category = entry.get("category")
            unit = UNITS.get(category)
            if not unit:
                continue
            tally = units.setdefault(unit, [0, 0, 0, 0])  # submissions, on time, receipts, open discrepancies
            tally[0] += 1
            window = records.window(f"submit_{category}", semester, yearly=True)
            at = records.date(entry.get("at"))
            tally[1] += bool(window and at and window[0] <= at <= window[1])
            receipt = entry.get("receipt") or {}
            tally[2] += bool(receipt.get("by") and receipt.get("at"))
            tally[3] += sum(1 for d in receipt.get("discrepancies") or () if not d.get("resolved_at"))
    for unit, (count, on_time, receipts, open_) in sorted(units.items()):
        rows += [("單位", unit, "提交次數", str(count)), ("單位", unit, "期限內提交", str(on_time)),
                 ("單位", unit, "收訖已確認", str(receipts)), ("單位", unit, "未解決疑義", str(open_))]
    for semester in semesters:
        doc = records.schedules.get(semester)
        for event in (doc.data.get("events") or ()) if doc else ():
            kind = event.get("type")
            when = records.date(event.get("date"))
            if kind in EVENTS and when and (event.get("held") or records.passed(when)):
                timed = ":" in str(event.get("date"))
                rows.append(("研習與會議", EVENTS[kind], str(event.get("title", "")), dates.roc(when, with_time=timed)))
    return rows
