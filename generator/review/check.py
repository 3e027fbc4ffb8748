"""Judge a merge request: the school after the merge, against the school on the base.

An error fails the request only if the request introduces it: findings already on the base
are matched by rule, repository, path and commit (never by line, which the request may move)
and marked `introduced: false`.
"""

from __future__ import annotations

from collections import Counter

from ..result import Finding, Result
from ..validate import validate
from . import summary as summary_mod


def _key(f: Finding) -> tuple:
    return (f.rule, getattr(f, "repository", None), f.path, f.commit)


def check(root, now, request, *, use_cache: bool = False, portfolio=None, bases: dict | None = None):
    """(records after the merge, findings marked introduced or not, the request's summary).

    In a registry the request is the registry's; its portfolio (`portfolio`, else the one
    records/registry.yaml names) is read as checked out, for both the base and the merge.
    The request's writers are judged by the base's records (its staff, roster and delegates):
    what a request changes in them vouches for nothing in the same request.
    `bases`: base commit -> (its records, its findings), shared by the checks of one batch (a teacher's
    requests mostly share main's tip: it is validated once)."""
    bases = {} if bases is None else bases
    if request.base not in bases:
        bases[request.base] = validate(root, now, rev=request.base, use_cache=use_cache, portfolio=portfolio)
    request.judge, on_base = bases[request.base]
    records, after = validate(root, now, request=request, use_cache=use_cache, portfolio=portfolio)
    old = Counter(_key(f) for f in on_base.findings)

    def introduced(f: Finding) -> bool:
        key = _key(f)
        if old[key]:
            old[key] -= 1
            return False
        return True

    result = after.marked(introduced, request.base_name)
    return records, result, summary_mod.build(records, request)


__all__ = ["check", "Result"]
