"""Where a permission finding (perm.denied, perm.unknown-identity, delegate.order) points: at the
change it names, in the file as it stands, so that a student or a teacher sees which line is meant (a note's: its teacher_note line), never at line 1
of a whole file. Only the lines are worked out here; what is allowed is the rules' own."""

from __future__ import annotations

from ..git import committed, lines

NOTE_VARIANTS = ("note", "request-note")  # findings about the outcome's teacher_note


PLACED = ("perm.denied", "perm.unknown-identity", "delegate.order")  # findings about a commit's change


def placed(records, found: list, history=None) -> list:
    """The (code, hit)s, each hit about a commit's change given the line of that change; the commits
    are `history`'s (by default the validated repository's own)."""
    about = [h for c, h in found if c in PLACED and h.line is None and h.params.get("sha")]
    if about:
        wanted = [(h.params["sha"], h.path, "teacher_note" if h.variant in NOTE_VARIANTS else None) for h in about]
        history = records.own_history if history is None else history
        # (the cache's reader of the repository whose history it is)
        repository = None if history is records.history else records.holders.repositories[0]
        reader = committed.files(records, "lines.json", repository, text=True)
        for h, line in zip(about, lines.in_history(history, wanted, reader.parsed)):
            h.line = line
    return found
