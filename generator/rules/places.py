"""Where a permission finding points: at the change it names, in the file as it stands, so that a
student or a teacher sees which line is meant (a note's: its teacher_note line), never at line 1
of a whole file. Only the lines are worked out here; what is allowed is the rules' own."""

from __future__ import annotations

from ..git import lines

NOTE_VARIANTS = ("note", "request-note")  # findings about the outcome's teacher_note


def placed(records, found: list) -> list:
    """The audit's (code, hit)s, each perm.denied hit given the line of the change it names."""
    denied = [h for c, h in found if c == "perm.denied" and h.line is None and h.params.get("sha")]
    if denied:
        wanted = [(h.params["sha"], h.path, "teacher_note" if h.variant in NOTE_VARIANTS else None) for h in denied]
        for h, line in zip(denied, lines.in_history(records.root, records.own_history, wanted)):
            h.line = line
    return found
