"""Acknowledged findings: records/acknowledgements.yaml lists findings the school has examined.

An acknowledged finding is still reported (marked), fails nothing and changes no verdict.
Applied after every other check, since it reads their findings; an entry that matches none
is `ack.stale`. Only the academic director or the principal may acknowledge, and some
findings never can be.
"""

from __future__ import annotations

from dataclasses import replace

from ..result import Finding, finding, placed
from ..rule import WARNING, declare

PATH = "records/acknowledgements.yaml"
NEVER = {"audit.moved", "privacy.exposed"}  # what the school cannot wave through
MAY_ACKNOWLEDGE = ("academic_director", "principal")

_STALE_ZH = "；問題可能已更正或路徑已變，請刪除或更正這筆確認"
_STALE_EN = "; the problem may be fixed or the path changed: remove or correct the entry"
declare(
    "ack.stale",
    "§5.3.2",
    {"": "這筆確認找不到對應的檢查結果（{rule}，{file}）" + _STALE_ZH,
     "commit": "這筆確認找不到對應的檢查結果（{rule}，{file}，提交 {commit}）" + _STALE_ZH},
    {"": "this acknowledgement matches no finding ({rule}, {file})" + _STALE_EN,
     "commit": "this acknowledgement matches no finding ({rule}, {file}, commit {commit})" + _STALE_EN},
    severity=WARNING,
)
declare(
    "ack.invalid",
    "§5.3.2",
    {
        "by": "確認須由教務主任或校長為之；{name}不具此身分，這筆確認（{rule}，{file}）不生效",
        "rule": "「{rule}」的檢查結果不得確認（稽核起點的變更、學生可讀的儲存庫中有個人資料）：須更正問題本身",
        "self": "確認清單本身的檢查結果（{rule}）不得確認：請更正這筆確認",
    },
    {
        "by": "only the academic director or the principal may acknowledge; {name} is neither, so this "
              "acknowledgement ({rule}, {file}) has no effect",
        "rule": "findings of '{rule}' cannot be acknowledged (a moved audit start, personal data in a repository "
                "students read): fix the problem itself",
        "self": "findings about acknowledgements ({rule}) cannot be acknowledged: correct the entry",
    },
    follows_staff=("by",),
)


def _commit_of(f: Finding) -> str:
    return str(f.params.get("sha") or f.params.get("commit") or "")


def _matches(entry: dict, f: Finding) -> bool:
    if entry["rule"] != f.rule or entry["path"] != f.path:
        return False
    wanted, named = str(entry.get("commit") or "").lower(), _commit_of(f).lower()
    if wanted and not (named and (named.startswith(wanted) or wanted.startswith(named))):
        return False
    repository = getattr(f, "repository", None)
    return not (entry.get("repository") and repository and entry["repository"] != repository)


def apply(records, findings: list[Finding]) -> list[Finding]:
    """`findings` with the acknowledged ones marked, plus the acknowledgements' own findings.
    Each repository has its own file; an entry is about its own repository's findings unless
    it names another `repository`. In a merge-request check the base's files count: a request
    acknowledges nothing it brings (else it could list its own errors as examined)."""
    from .request import judge

    school = judge(records)
    for doc in school.valid("acknowledgements"):
        findings = _apply(school, doc, findings)
    return findings


def _apply(records, doc, findings: list[Finding]) -> list[Finding]:
    own: list[Finding] = []
    entries = []
    for index, entry in doc.items():
        line = doc.line(index)
        entry = {**entry, "repository": entry.get("repository") or doc.repository}
        params = dict(rule=entry["rule"], file=entry["path"], commit=entry.get("commit") or "")
        if entry["rule"].startswith("ack."):
            own.append(finding("ack.invalid", doc.path, line, "self", **params))
        elif entry["rule"] in NEVER:
            own.append(finding("ack.invalid", doc.path, line, "rule", **params))
        elif not records.has_role(entry["by"], *MAY_ACKNOWLEDGE):
            name = records.staff_name(entry["by"])
            own.append(finding("ack.invalid", doc.path, line, "by", name=name, **params))
        else:
            entries.append((line, entry, params))
    used: set[int] = set()
    out = []
    for f in findings:
        hits = [line for line, entry, _ in entries if _matches(entry, f)]
        used.update(hits)
        out.append(replace(f, acknowledged=True) if hits else f)
    own += [finding("ack.stale", doc.path, line, "commit" if params["commit"] else "", **params)
            for line, _, params in entries if line not in used]
    return out + placed(own, doc.repository)
