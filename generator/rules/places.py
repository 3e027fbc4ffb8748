"""Where a permission finding (perm.denied, perm.unknown-identity, delegate.order) points: at the
change it names, in the file as it stands, so that a student or a teacher sees which line is meant (a note's: its teacher_note line), never at line 1
of a whole file. Only the lines are worked out here; what is allowed is the rules' own."""

from __future__ import annotations

from ..git import lines

NOTE_VARIANTS = ("note", "request-note")  # findings about the outcome's teacher_note


PLACED = ("perm.denied", "perm.unknown-identity", "delegate.order")  # findings about a commit's change


def placed(records, found: list, root=None, history=None) -> list:
    """The (code, hit)s, each hit about a commit's change given the line of that change; the commits
    are `history`'s, of the repository at `root` (by default the one validated, its own history)."""
    about = [h for c, h in found if c in PLACED and h.line is None and h.params.get("sha")]
    if about:
        wanted = [(h.params["sha"], h.path, "teacher_note" if h.variant in NOTE_VARIANTS else None) for h in about]
        root, history = (records.root, records.own_history) if history is None else (root, history)
        for h, line in zip(about, lines.in_history(root, history, wanted)):
            h.line = line
    return found
