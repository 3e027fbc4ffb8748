"""One validation run: load, check every document against its schema, run every rule."""

from __future__ import annotations

import gc
import traceback
from pathlib import Path

from . import cache, dates, rules  # noqa: F401  (rules registers every check)
from .git import audit, history
from .records import loader
from .records.model import Records
from .result import Result, finding, from_hit
from .rule import CHECKS
from .rules import acknowledgements, words
from .rules import request as pending


def validate(root: Path, now: str | None = None, *, rev: str | None = None,
             history: bool = True, use_cache: bool = False, request=None) -> tuple[Records, Result]:
    """`now` as on the command line (--now); None: SOURCE_DATE_EPOCH or the clock.

    With `history`, a Git repository's history of `rev` (default HEAD) is read for the
    certification and permission rules; a directory that is no repository has none.
    With a `request` (generator.git.request), the records are those of the merge it would
    make and the history is its base's: the school as it will be once the request is merged."""
    # Records hold no reference cycles, yet keeping tens of thousands of them alive makes
    # the cyclic collector rescan them again and again (a third of the run): pause it.
    enabled = gc.isenabled()
    gc.disable()
    try:
        if request is not None:
            return _validate(root, now, request.tree, history, use_cache, request)
        return _validate(root, now, rev, history, use_cache)
    finally:
        if enabled:
            gc.enable()


def _parsed(body: dict | None) -> dict:
    blobs = (body or {}).get("blobs")
    return blobs if isinstance(blobs, dict) else {}


def _validate(root: Path, now: str | None, rev: str | None, with_history: bool,
              use_cache: bool, request=None) -> tuple[Records, Result]:
    parsed = _parsed(cache.read(root, "records.json")) if use_cache and not rev else {}
    blobs = cache.blob_ids(root) if use_cache and not rev else {}
    known = len(parsed)
    if rev:
        records, findings = loader.load_revision(root, rev)
    else:
        records, findings = loader.load(root, parsed, blobs)
    if use_cache and blobs and len(parsed) != known:  # something was parsed anew: keep what is still used
        cache.write(root, "records.json", {"blobs": {d.blob: parsed[d.blob] for d in records.documents if d.blob}})
    result = Result()
    result.extend(findings)
    if with_history and (rev or (root / ".git").exists()):
        trailers = (records.school.get("certification") or {}).get("evidence") == "trailer"
        records.history = history.read(root, request.base if request else rev or "HEAD", trailers=trailers,
                                       use_cache=use_cache)
    records.now = dates.resolve_now(now, records.tz)  # the school's timezone is known only now
    if records.history is not None and audit.not_audited(records):
        result.note("history.not-audited")
    if request is not None and records.history is not None:
        records.request = request
        pending.mark(records)
    for code, check in CHECKS:
        try:
            for h in check(records) or ():
                result.add(from_hit(code, h))
        except Exception as exc:  # a bug in one check must not hide the others' findings
            where = traceback.extract_tb(exc.__traceback__)[-1]
            result.add(finding("internal.error", where.filename.rsplit("/", 1)[-1], where.lineno,
                               rule=f"{code} ({check.__name__})", detail=f"{type(exc).__name__}: {exc}"))
    result.findings = words.humanized(records, acknowledgements.apply(records, result.findings))
    return records, result
