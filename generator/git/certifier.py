"""Who a merge on main names as its certifier (§5.3.2): the school's evidence setting, the
certifier's address a commit gives under it, a signature's verdict, and the first-parent
"merges" no platform made (fast-forwards), which certify nothing."""

from __future__ import annotations

from .. import duty
from . import signatures
from .audit import audited
from .history import Commit
from .identity import is_platform


def by_registration(records, commit: Commit) -> bool:
    """Was the commit written (direct) or merged by registration or admin staff?"""
    staff_id = records.identities.staff_id(commit.author_email)
    return bool(staff_id) and records.has_role(staff_id, *duty.SECTIONS["registration"],
                                               "academic_director", "principal")


def evidence_of(records) -> str:
    """The school's certification evidence: merge-author (default), trailer or signed."""
    return (records.school.get("certification") or {}).get("evidence", "merge-author")


def certifier_email(records, commit: Commit, evidence: str) -> str | None:
    """The address of the one `commit` names as certifier under `evidence` (a merge's author; its
    Certified-by: trailer in trailer mode), None when it names nobody who may count."""
    if evidence == "trailer":
        # the trailer is text anyone can write: it counts only in a commit made by the platform
        # (a squash merge) or by the certifier, never in one a student committed
        named = commit.certified_by[0] if commit.certified_by else None
        committer = records.identities.of(commit.committer_email)
        if named and (is_platform(commit.committer_email) or commit.committer_email == named) \
                and not (committer and committer.kind == "student"):
            return named
        return None
    return commit.author_email if commit.is_merge else None


def signed(records, commit: Commit, staff_id: str) -> bool:
    """evidence: signed — a good signature by the certifier's own key or the platform's; the
    verdicts of every audited merge on main come from one batched git pass (and the cache)."""
    found = records.memo("signatures", lambda: signatures.verdicts(
        records, [c.sha for c in records.history.mainline if c.is_merge and audited(records, c)]))
    return signatures.signed_by(records, commit, staff_id, found.get(commit.sha)) is not None


def fast_forwards(records) -> set[str]:
    """The ids of the merges on main that are first-parent "merges" the platform did not make: the
    head of a merge request itself (main was fast-forwarded to a merge someone wrote on their
    branch), or a merge a student committed in a staff member's name (a platform never writes
    that; its merges' committer is the platform, or the teacher who pressed merge). One pass, each
    committer's identity looked up once: nearly every merge is the platform's or a teacher's."""
    def table() -> set[str]:
        of, heads = records.identities.of, records.history.request_heads
        students: dict[str, bool] = {}  # committer email -> is a student's
        out = set()
        for c in records.history.mainline:
            if len(c.parents) < 2:
                continue
            if c.sha in heads:
                out.add(c.sha)
                continue
            student = students.get(c.committer_email)
            if student is None:
                committer = of(c.committer_email)
                student = students[c.committer_email] = committer is not None and committer.kind == "student"
            if student:
                author = of(c.author_email)
                if author is not None and author.kind == "staff":
                    out.add(c.sha)
        return out
    found = records.lasting("fast-forwards", table)  # (of the histories and identities alone)
    return found if found is not None else records.memo("fast-forwards", table)
