"""`licheng identities`: who cannot be recognised in Git yet, and who in Git is nobody we know.

Staff and students with no commit identity (no `git:` email and no `github:` / `gitlab:` user
name) are listed before CI has to reject their first commit; identities that authored or merged
commits and match nobody are listed with their count and last date, so the office can add them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import dates
from ..git.identity import is_platform
from ..records import enrollment
from .init import INIT_IDENTITY


@dataclass
class Unknown:
    email: str
    name: str
    commits: int
    last: str  # ROC date


@dataclass
class IdentityReport:
    staff_without: list[str] = field(default_factory=list)  # "陳怡伶 (chen-yiling)"
    students_without: dict[str, list[str]] = field(default_factory=dict)  # class -> student numbers
    students_listed: int = 0  # students with a class this semester (none before a portfolio's first roster)
    unknown: list[Unknown] = field(default_factory=list)
    history_read: bool = False
    platform: str = ""  # school.yaml platform.kind: github | gitlab | ""
    # people of the semester with no user name on that platform: their merge requests cannot be
    # told from anyone else's (a commit's email is only a claim), so the check fails them
    without_account: list[str] = field(default_factory=list)


def _has_identity(person: dict) -> bool:
    return bool(person.get("git") or person.get("github") or person.get("gitlab"))


def identities(records, semester: str, lang: str = "zh-TW") -> IdentityReport:
    report = IdentityReport()
    kind = str((records.school.get("platform") or {}).get("kind") or "")
    report.platform = kind if kind in ("github", "gitlab") else ""
    for sid, person in sorted(records.staff.items()):
        if person.get("until") is None and not _has_identity(person):
            report.staff_without.append(f"{person.get('name', sid)} ({sid})")
        elif person.get("until") is None and report.platform and not person.get(report.platform):
            report.without_account.append(f"{person.get('name', sid)} ({sid})")
    for no, student in sorted(records.students.items()):
        klass = (student.get("classes") or {}).get(semester)
        report.students_listed += bool(klass)
        spans = enrollment.periods(student, records.tz)
        if spans and spans[-1][1] is not None and spans[-1][1] <= records.now:  # left: no commit of hers to come
            continue
        if klass and not _has_identity(student):
            report.students_without.setdefault(str(klass), []).append(no)
        elif klass and report.platform and not student.get(report.platform):
            report.without_account.append(f"class {klass} {no}" if lang == "en" else f"{klass} 班 {no}")
    history = records.history
    if history is None:
        return report
    report.history_read = True
    seen: dict[str, list] = {}
    for commit in list(history.commits.values()) + list(history.pending):
        for name, email, when in ((commit.author_name, commit.author_email, commit.author_time),
                                  (commit.committer_name, commit.committer_email, commit.committer_time)):
            if not email or is_platform(email) or email == INIT_IDENTITY[1] or records.identities.of(email):
                continue
            entry = seen.setdefault(email.lower(), [email, name, set(), when])
            entry[2].add(commit.sha)
            entry[3] = max(entry[3], when)
    for email, name, shas, last in sorted(seen.values(), key=lambda e: (-len(e[2]), e[0])):
        report.unknown.append(Unknown(email, name, len(shas), dates.roc(last, with_time=False)))
    return report
