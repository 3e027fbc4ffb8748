"""What the site is made from: the validated records, their findings and certification states."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

from .. import layout
from ..errors import LichengError
from ..records.model import Records
from ..result import Finding

STATES = ("uploaded", "pending", "certified", "early", "late", "uncertified")


@dataclass
class SiteData:
    records: Records
    findings: list[Finding]
    # outcome YAML path -> "certified" | "early" | "late" | "pending" | "uncertified"; no entry: "uploaded"
    outcome_states: dict[str, str] = field(default_factory=dict)
    generated_at: datetime | None = None  # "now": what is open, what is overdue
    updated_at: datetime | None = None  # time of the last commit of the records, when in Git

    @property
    def now(self) -> datetime:
        return self.generated_at or self.records.now

    def strict_failure(self) -> LichengError:
        """Why a --strict build stops: the records have errors."""
        return LichengError(f"{self.errors} 項資料錯誤（strict）；請執行 licheng validate",
                            en=f"{self.errors} error{'' if self.errors == 1 else 's'} in the records (--strict): "
                               "run licheng validate")

    @cached_property
    def outcomes(self) -> dict[str, dict[str, dict]]:
        """semester -> outcome path -> its record ({} when only on a merge request, or invalid)."""
        out: dict[str, dict[str, dict]] = {}
        for doc in self.records.all("outcome"):
            out.setdefault(doc.keys["semester"], {})[doc.path] = doc.data if doc.valid else {}
        for path in self.outcome_states:
            kind = layout.classify(path)
            if kind and kind[0] == "outcome":
                out.setdefault(kind[1]["semester"], {}).setdefault(path, {})
        return out

    def state(self, outcome_path: str) -> str:
        state = self.outcome_states.get(outcome_path, "uploaded")
        return state if state in STATES else "uploaded"

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity != "error")


def outcome_states(root: Path, records: Records) -> dict[str, str]:
    """Certification states from Git history, once generator.certification provides them."""
    try:
        from ..git.certification import outcome_states as from_history
    except ImportError:
        return {}
    return dict(from_history(root, records))


def last_commit(root: Path, tz) -> datetime | None:
    """Committer time of the last commit touching records/ or schedules/; None outside Git."""
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%cI", "--", "records", "schedules"],
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    text = out.stdout.strip()
    if out.returncode or not text:
        return None
    return datetime.fromisoformat(text).astimezone(tz)


def _key(f: Finding) -> tuple:
    return (f.rule, f.repository, f.path, f.line, f.message("en"))


def load(root: Path, now: str | None = None, portfolio=None, audience: str = "public") -> SiteData:
    from ..validate import validate

    # `serve` rebuilds re-read changed files only; the staff site's queue asks the platform which
    # requests are open
    records, result = validate(root, now, use_cache=True, portfolio=portfolio, ask_platform=audience == "staff")
    findings = list(result.findings)  # its own, and what it alone sees of the others (roster.drift, names)
    seen = {_key(f) for f in findings}
    for other in records.holders.repositories[1:]:
        # each repository's findings are its own validation's: its permissions are audited
        # over its own history, which a run on another repository does not read
        _, theirs = validate(other.root, now, use_cache=True)
        added = [f for f in theirs.findings if f.repository == other.name and _key(f) not in seen]
        seen.update(map(_key, added))
        findings += added
    result.findings = findings
    return SiteData(records, result.sorted(), outcome_states(root, records), records.now,
                    last_commit(root, records.tz))
