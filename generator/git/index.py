"""What Git's index says of the working tree: the blob id of each file that is as Git holds it."""

from __future__ import annotations

import re
from pathlib import Path

from .. import layout
from . import prefetch
from .prefetch import output as _git


def blob_ids(root: Path, tops: tuple[str, ...] = layout.ROOTS) -> dict[str, str]:
    """path -> blob id for files under `tops` whose working copy matches the index (Git checks).
    Only entries Git does check count (tag H): one marked assume-unchanged (h) or skip-worktree (S)
    is one whose working copy Git no longer compares, so it may differ from its blob; nor does a
    conflicted one (a stage other than 0). None at all while an attributes file differs from the
    index: the working copies may have been checked out under other attributes than it says
    (generator.git.attributes)."""
    listed = _git(root, *prefetch.INDEX, *prefetch.indexed(tops))
    if listed is None:
        return {}
    changed = set((_git(root, *prefetch.CHANGED, *prefetch.indexed(tops)) or "").split("\0"))
    if any(path.rpartition("/")[2] == ".gitattributes" for path in changed):
        return {}
    return {path: sha for mode, sha, path in _CHECKED.findall(listed) if mode != "120000" and path not in changed}


# an entry of `git ls-files -s -v -z` whose working copy Git checks (tag H, stage 0): mode, blob id, path
_CHECKED = re.compile(r"(?:^|(?<=\0))H (\d+) ([0-9a-f]+) 0\t([^\0]*)")
