"""Submissions to the central database and their receipt confirmations (§6)."""

from __future__ import annotations

from .. import dates, duty
from ..rule import WARNING, hit, rule

UNIT = {"enrollment": "registration", "grades": "registration", "outcomes": "admissions",
        "performances": "admissions", "cadres": "activities"}
UNIT_NAMES = {"registration": ("註冊組", "the registration section"),
              "admissions": ("招生組", "the admissions section"),
              "activities": ("訓育組", "the activities section")}


def _submissions(records):
    for doc in records.all("submissions"):
        for index, entry in doc.items():
            yield doc, index, entry


@rule(
    "submission.unit",
    "§6.1",
    {"": "「{category}」應由{zh_unit}提交；「{name}」不屬於該單位，也不是代理人名單中的人",
     "receipt": "收訖明細應由註冊組確認；「{name}」不屬於註冊組，也不是代理人名單中的人"},
    {"": "'{category}' is submitted by {en_unit}; '{name}' is neither in it nor on its delegate list",
     "receipt": "receipts are confirmed by the registration section; '{name}' is neither in it nor a delegate"},
)
def submission_unit(records):
    for doc, index, entry in _submissions(records):
        category, who, at = entry.get("category"), entry.get("by"), records.date(entry.get("at"))
        unit = UNIT.get(category)
        if unit and who in records.staff and at and duty.judge(records, unit, who, at) in ("not-allowed", "departed"):
            zh, en = UNIT_NAMES[unit]
            yield hit(doc.path, doc.line(index, "by"), category=category, name=who, zh_unit=zh, en_unit=en)
        receipt = entry.get("receipt") or {}
        rwho, rat = receipt.get("by"), records.date(receipt.get("at"))
        if rwho in records.staff and rat and duty.judge(records, "registration", rwho, rat) in ("not-allowed", "departed"):
            yield hit(doc.path, doc.line(index, "receipt", "by"), "receipt", name=rwho)


@rule(
    "delegate.order",
    "§7.1",
    "{name} 以代理人身分辦理「{duty}」，但當時順位在前的 {earlier} 可以辦理",
    "{name} acted as delegate for '{duty}' while {earlier}, earlier in the order, was available",
    follows_staff=True,
)
def submission_delegates(records):
    for doc, index, entry in _submissions(records):
        for unit, who, at, line in (
            (UNIT.get(entry.get("category")), entry.get("by"), entry.get("at"), doc.line(index, "by")),
            ("registration", (entry.get("receipt") or {}).get("by"), (entry.get("receipt") or {}).get("at"),
             doc.line(index, "receipt", "by")),
        ):
            when = records.date(at)
            if unit and who and when and duty.judge(records, unit, who, when) == "out-of-order":
                earlier = "、".join(duty.on_duty(records, unit, when)) or "其他人"
                yield hit(doc.path, line, name=who, duty=unit, earlier=earlier)


@rule(
    "window.submission",
    "§6.1",
    "「{category}」於 {at} 提交，不在提交期間（{operation}：{start}～{end}）內",
    "'{category}' was submitted {at}, outside its window ({operation}: {start} to {end})",
    severity=WARNING,
)
def submission_window(records):
    for doc, index, entry in _submissions(records):
        category, at = entry.get("category"), records.date(entry.get("at"))
        window = records.window(f"submit_{category}", doc.keys["semester"], yearly=True)
        if at and window and not window[0] <= at <= window[1]:
            yield hit(doc.path, doc.line(index, "at"), category=category, at=dates.roc(at),
                      operation=f"submit_{category}", start=dates.roc(window[0]), end=dates.roc(window[1]))


@rule(
    "submission.receipt",
    "§6.2",
    {"": "「{category}」的提交還沒有收訖明細確認（receipt）",
     "overdue": "「{category}」的收訖明細確認期間已過，仍沒有確認紀錄（receipt）",
     "before": "收訖明細確認時間早於提交時間"},
    {"": "the '{category}' submission has no receipt confirmation yet (receipt)",
     "overdue": "the receipt window is over and the '{category}' submission has no receipt confirmation",
     "before": "the receipt is confirmed before the submission was made"},
)
def receipts(records):
    for doc, index, entry in _submissions(records):
        receipt = entry.get("receipt")
        if not receipt:
            window = records.window("receipt_confirmation", doc.keys["semester"], yearly=True)
            overdue = window is not None and records.passed(window[1])
            yield hit(doc.path, doc.line(index), "overdue" if overdue else "",
                      severity=None if overdue else WARNING, category=entry.get("category"))
            continue
        at, rat = records.date(entry.get("at")), records.date(receipt.get("at"))
        if at and rat and rat < at:
            yield hit(doc.path, doc.line(index, "receipt", "at"), "before")


@rule(
    "receipt.open-discrepancy",
    "§6.2",
    {"": "收訖明細疑義尚未解決：{note}",
     "resolver": "疑義應由提交單位協助確認；「{name}」不屬於{zh_unit}"},
    {"": "an open receipt discrepancy: {note}",
     "resolver": "a discrepancy is resolved by the submitting unit; '{name}' is not in {en_unit}"},
    severity=WARNING,
)
def discrepancies(records):
    for doc, index, entry in _submissions(records):
        unit = UNIT.get(entry.get("category"))
        for i, item in enumerate((entry.get("receipt") or {}).get("discrepancies") or ()):
            line = doc.line(index, "receipt", "discrepancies", i)
            who, when = item.get("resolved_by"), records.date(item.get("resolved_at"))
            if not (who and when):
                yield hit(doc.path, line, note=item.get("note", ""))
            elif unit and who in records.staff and duty.judge(records, unit, who, when) in ("not-allowed", "departed"):
                zh, en = UNIT_NAMES[unit]
                yield hit(doc.path, line, "resolver", severity="error", name=who, zh_unit=zh, en_unit=en)


@rule(
    "submission.count",
    "§6.2",
    # (the outcomes' count: which outcomes are certified follows from the staff list)
    {variant: "提交紀錄寫「{category}」{count} 筆，但依紀錄本學期應有 {expected} 筆（licheng export 的筆數）；請核對收訖明細"
     for variant in ("", "outcomes")},
    {variant: "the submission record says {count} rows of '{category}', the records give {expected} (as licheng "
              "export writes them); check the receipt details" for variant in ("", "outcomes")},
    severity=WARNING,
    follows_staff=("outcomes",),
)
def submission_counts(records):
    from ..records.books import export_counts

    counts: dict[str, dict[str, int]] = {}
    for doc, index, entry in _submissions(records):
        category, count = entry.get("category"), entry.get("count")
        if count is None or (category == "outcomes" and records.history is None):
            continue  # which outcomes count as certified is known only from Git history
        semester = doc.keys["semester"]
        if semester not in counts:
            counts[semester] = export_counts(records, semester)
        expected = counts[semester].get(category)
        if expected is not None and expected != count:
            yield hit(doc.path, doc.line(index, "count"), "outcomes" if category == "outcomes" else "",
                      category=category, count=count, expected=expected)
