"""Judge a merge request: the school after the merge, against the school on the base.

An error fails the request only if the request introduces it: findings already on the base
are matched by rule, repository, path and commit (never by line, which the request may move)
and marked `introduced: false`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ..result import Finding, Result
from ..validate import Shared, validate
from . import summary as summary_mod


def _key(f: Finding) -> tuple:
    return (f.rule, getattr(f, "repository", None), f.path, f.commit)


def check(root, now, request, *, use_cache: bool = False, portfolio=None, shared: Shared | None = None):
    """(records after the merge, findings marked introduced or not, the request's summary).

    In a registry the request is the registry's; its portfolio (`portfolio`, else the one
    records/registry.yaml names) is read as checked out, for both the base and the merge.
    The request's writers are judged by the base's records (its staff, roster and delegates):
    what a request changes in them vouches for nothing in the same request.
    `shared`: what the checks of one batch share (generator.validate.Shared): a teacher's requests
    mostly share main's tip, validated once, its history read once."""
    bases = {} if shared is None else shared.bases
    if request.base not in bases:
        bases[request.base] = validate(root, now, rev=request.base, use_cache=use_cache, portfolio=portfolio,
                                       shared=shared)
    request.judge, on_base = bases[request.base]
    records, after = validate(root, now, request=request, use_cache=use_cache, portfolio=portfolio, shared=shared)
    own = [c.sha for c in request.commits] + [request.head]
    # main's acknowledgements are of what main holds: never of the request's own change (an entry
    # without a commit, or with a short one the student's commit was made to begin with, covered it)
    after.findings = [replace(f, acknowledged=False) if f.acknowledged and _names(f, own) else f
                      for f in after.findings]
    old = _on_base(on_base.findings, after.findings, own)
    result = after.marked(lambda f: id(f) not in old, request.base_name, on_base.findings)
    return records, result, summary_mod.build(records, request)


def _names(f: Finding, own) -> bool:
    """Does `f` name one of the commits `own` (by its short id)?"""
    return bool(f.commit) and any(sha.startswith(f.commit) for sha in own)


def _on_base(base: list[Finding], after: list[Finding], own=()) -> set[int]:
    """ids of the findings of `after` that were already on the base. Where the base holds several
    alike (same rule, repository, path and commit: one file's several counts), those that still say
    the same are matched first, so the one the request changed is the one marked introduced. A
    finding naming one of the request's `own` commits is never the base's: findings name a commit by
    its first 8 hex digits, which a student can make any base finding's by trying ~4 billion messages.
    Nor is ref.unchecked: what it withholds of the request cannot be told from what it withholds of
    the base, so a request is not passed while the staff list cannot be read."""
    mine = {id(f) for f in after if _names(f, own) or f.rule == "ref.unchecked"}
    after = [f for f in after if id(f) not in mine]
    left = Counter(_key(f) for f in base)
    alike = {key for key, n in Counter(_key(f) for f in after).items() if n > 1 or left[key] > 1}
    said = Counter(_key(f) + (f.message("en"),) for f in base if _key(f) in alike)
    out: set[int] = set()
    for f in after:  # the same finding, saying the same
        if _key(f) in alike and said[_key(f) + (f.message("en"),)]:
            said[_key(f) + (f.message("en"),)] -= 1
            left[_key(f)] -= 1
            out.add(id(f))
    for f in after:  # the rest, by rule, repository, path and commit (never by line, which the request may move)
        if id(f) not in out and left[_key(f)] > 0:
            left[_key(f)] -= 1
            out.add(id(f))
    return out


__all__ = ["check", "Result"]
