"""Where the audit starts: the earliest committed `audit_since` governs; `history: not-audited`
belongs to the tool's own repository only."""

from __future__ import annotations

from .. import dates
from ..git import audit
from ..rule import hit, rule


def _shown(records, value) -> str:
    moment = records.date(value) if value is not None else None
    return dates.roc(moment) if moment else str(value)


@rule(
    "audit.moved", "§5.3.2",
    {"": "audit_since 已改為 {now}，但稽核自第一次設定它的提交 {start}（{since}）起算，不能移動；"
         "請改回 audit_since: {since}（{sha} 改動了它）",
     "removed": "audit_since 被刪除，但稽核自第一次設定它的提交 {start}（{since}）起算，不能移除；"
                "請改回 audit_since: {since}（{sha} 改動了它）"},
    {"": "audit_since was changed to {now}, but the audit starts at the commit that first set it, {start} ({since}), "
         "and cannot move; restore audit_since: {since} ({sha} changed it)",
     "removed": "audit_since was removed, but the audit starts at the commit that first set it, {start} ({since}), "
                "and cannot move; restore audit_since: {since} ({sha} changed it)"},
)
def moved(records):
    if records.history is None or audit.not_audited(records):
        return
    start = audit.of(records)
    if start.commit is None:
        return
    docs = records.all("school")
    if docs and not isinstance(docs[0].data, dict):
        return  # school.yaml unreadable (its own finding says why): what it says of audit_since is not known
    current = docs[0].data.get("audit_since") if docs else None
    if current is not None and records.date(current) == records.date(start.value):
        return
    doc = records.one("school")
    changed = [c for c, value in start.changes if value is None or records.date(value) != records.date(start.value)]
    sha = changed[-1].short if changed else "—"
    yield hit("records/school.yaml", doc.line("audit_since") if doc else 1, "" if current is not None else "removed",
              now=_shown(records, current), start=start.commit.short, since=_shown(records, start.value), sha=sha)


@rule(
    "audit.not-audited", "§5.3.2",
    "只有 licheng 工具本身的儲存庫可以設定 history: not-audited；學校的 Git 歷史一律稽核，請刪除這一行",
    "only licheng's own repository may say history: not-audited; a school's Git history is always audited: "
    "remove this line",
)
def not_audited_elsewhere(records):
    if audit.says_not_audited(records) and not audit.not_audited(records):
        doc = records.one("school")
        yield hit("records/school.yaml", doc.line("history") if doc else 1)
