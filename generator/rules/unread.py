"""A staff list that cannot be read: what follows from it is withheld and said once.

A staff.yaml that cannot be read (a duplicate key, a syntax error, a file that is no list) leaves
the school without staff: every teacher a record names is then unknown, and every merge, commit
and delegate's act is judged as a stranger's — over a hundred findings that bury the one saying
why. Those findings (of the rules declared `follows_staff`) are withheld and counted by one
ref.unchecked error on the file, at the line of the finding that says why it cannot be read. In a merge-request check the
findings that name the request's own commits or its own files stay (its writers are judged by the
base's staff), and the ref.unchecked is the request's: it fails it while the staff list cannot be read.
"""

from __future__ import annotations

from ..result import Finding, finding, placed
from ..rule import ERROR, RULES, declare

declare(
    "ref.unchecked",
    "§5",
    "教職員名單 records/staff.yaml 無法讀取，依它判斷的 {count} 項結果未列出（其中 {refs} 處教職員參照未檢查）；"
    "請先修正這個檔案",
    "the staff list records/staff.yaml cannot be read: {count} findings that depend on it are not listed "
    "({refs} references to staff not checked); fix that file first",
)


def _bound(f: Finding) -> bool:
    return RULES[f.rule].follows_staff_in(f.variant)


def withheld(records, findings: list[Finding], counted: str | None = None) -> list[Finding]:
    """`findings`, without those that follow from an unreadable staff list and with one that counts
    them (those about repository `counted`, the run's own, or all)."""
    broken = [doc for doc in records.all("staff") if not doc.valid]
    if not broken:
        return findings
    doc = broken[0]
    request = records.request
    own = [c.sha for c in request.commits] if request is not None else []
    paths = request.paths if request is not None else set()
    kept, dropped = [], []
    for f in findings:
        mine = f.commit and any(sha.startswith(f.commit) for sha in own) or f.path in paths
        (dropped if _bound(f) and not mine else kept).append(f)
    if counted is not None:
        dropped = [f for f in dropped if f.repository == counted]
    if not dropped:
        return kept
    why = [f.line for f in findings if f.path == doc.path and f.repository == doc.repository and f.severity == ERROR]
    refs = sum(1 for f in dropped if f.rule == "ref.unknown")
    said = finding("ref.unchecked", doc.path, why[0] if why else 1, count=len(dropped), refs=refs)
    return kept + placed([said], doc.repository)
