"""One validation run: load, check every document against its schema, run every rule."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, dates, rules  # noqa: F401  (rules registers every check)
from .git import audit, committed, history, index, openness
from .records import loader
from .records.model import Records
from .records.repositories import Repository, discover
from .result import Result
from .rules import acknowledgements, running, unread, words
from .rules import request as pending


# findings about another repository's files that the repository being validated must still
# report: the roster its registry writes, names in the portfolio's public text, the staff list that
# the registry's own findings could not be judged without
CROSS_REPOSITORY = {"roster.drift", "privacy.public-text", "ref.unchecked"}


@dataclass
class Shared:
    """What the validations of one run share (certify: the base and each request's merge, after
    the school itself), so that each is read or made once: inputs keyed by immutable ids, and values
    made from them alone. It lives in the run's memory only: licheng's cache on disk still holds
    parses and facts, never a finding.

    `histories`: the history of a commit (a commit id fixes every commit it reaches; the pending
    refs are read by the run's first read), by repository, commit, trailers and cache use (None:
    each validation reads its own);
    `parses`: a repository's parses by blob id and attachments' heads, as licheng's cache held
    them, with what each validation parsed anew; `documents`: the documents read from a blob that
    matched their schemas without a finding, by repository, path and blob id (a revision's load
    takes them as they are: rules only read documents); `lasting`: values computed from the
    histories and the records that are no outcomes (Records.lasting: outcomes' judgments, by their
    blob ids), by those; `bases`: a base commit's records and findings (generator.review.check)."""

    histories: dict | None = field(default_factory=dict)
    parses: dict = field(default_factory=dict)
    documents: dict | None = field(default_factory=dict)
    lasting: dict | None = field(default_factory=dict)
    bases: dict = field(default_factory=dict)


def validate(root: Path, now: str | None = None, *, rev: str | None = None,
             history: bool = True, use_cache: bool = False, portfolio=None,
             repositories: list[Repository] | None = None, everything: bool = False,
             request=None, ask_platform: bool = False, shared: Shared | None = None) -> tuple[Records, Result]:
    """`now` as on the command line (--now); None: SOURCE_DATE_EPOCH or the clock.

    `root` is one repository of a school; the others it needs are found from it (a
    registry's portfolio: `portfolio`, else the one records/registry.yaml names), or
    given as `repositories` (the one being validated first). The result holds the findings
    about the first repository (with `everything`, about all of them).

    With `history`, each Git repository's history (of `rev`, default HEAD, for the first) is
    read for the certification and permission rules; a directory that is no repository has none.
    With a `request` (generator.git.request), the records are those of the merge it would
    make and the history is its base's: the school as it will be once the request is merged.
    A closed request is not pending: Git's test merges say which are open, or with
    `ask_platform` (the queue's readers) the platform itself (generator.git.openness)."""
    # Records hold no reference cycles, yet keeping tens of thousands of them alive makes
    # the cyclic collector rescan them again and again (a third of the run): pause it.
    enabled = gc.isenabled()
    gc.disable()
    try:
        repos = repositories or (discover(Path(root), portfolio, request.tree, request.base) if request is not None
                                 else discover(Path(root), portfolio, rev))
        if request is not None:
            repos[0].history_rev = request.base
        return _validate(repos, now, history, use_cache, everything, request, ask_platform, shared)
    finally:
        if enabled:
            gc.enable()


def school(root: Path, now: str | None = None, *, portfolio=None, with_history: bool = True,
           ask_platform: bool = False, use_cache: bool = False, shared: Shared | None = None) -> Records:
    """The school's records (every repository a run on `root` reads), schema-checked, and (in
    Git, `with_history`) their histories, read as a validation reads them (with its cache, when
    `use_cache`), without running the rules: for the verbs that read the school rather than judge it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        repos = discover(Path(root), portfolio)
        records, findings, checks, kept = _load(repos, use_cache, shared)
        if unread := [f for f in findings if f.rule.startswith("yaml.") and _setting(f.path)]:
            checks.abandon()
            raise _unread(unread)
        if with_history:
            _read_histories(repos, records, checks, use_cache, shared, ask_platform)
        checked = checks.findings()
        _keep(repos, records, kept, checks)
        _share(shared, records, findings + checked)  # (the findings are a validation's to report)
        records.now = dates.resolve_now(now, records.tz)
        return records
    finally:
        if enabled:
            gc.enable()


# the school-wide records a verb that reads the school cannot do without: one that cannot be read
# (a duplicate key, a syntax error) would be a school without staff, courses or deadlines, whose
# queue, status and CODEOWNERS would be wrong without a word
SETTINGS = {"school", "staff", "delegates", "holidays", "working-group", "courses", "schedule"}


def _setting(path: str) -> bool:
    from .layout import classify

    kind = classify(path)
    return kind is not None and kind[0] in SETTINGS


def _unread(found: list):
    from .errors import LichengError, printable

    def said(lang: str) -> str:
        return "\n".join(f"{printable(f.path, None)}:{f.line}: {printable(f.message(lang), None)}" for f in found)

    return LichengError(said("zh-TW") + "\n以上檔案無法讀取，請先修正（licheng validate 會列出），再執行此命令",
                        en=said("en") + "\nthe files above cannot be read: fix them first (licheng validate lists them)")


def _part(body: dict | None, name: str) -> dict:
    part = (body or {}).get(name)
    return part if isinstance(part, dict) else {}


def _share(shared: Shared | None, records: Records, found: list) -> None:
    """The documents the run's next loads may take as they are: those read from a blob (by the
    blob's id) that match their schemas with no finding at all about their file."""
    if shared is None or shared.documents is None:
        return
    roots = {repo.name: str(repo.root) for repo in records.repositories}
    named = {f.path for f in found}
    for doc in records.documents:
        if doc.blob and doc.loaded and doc.valid and doc.path not in named and doc.repository in roots:
            shared.documents.setdefault((roots[doc.repository], doc.path, doc.blob), doc)


def _cached(repo: Repository, shared: Shared | None) -> tuple[dict, dict, dict, dict]:
    """A repository's cached parses, attachment heads (the run's, when shared), the blob ids of
    its unchanged files, and the cached clean verdicts (blob id -> the kinds whose schema it matched
    without a finding)."""
    key = str(repo.root)
    if shared is None or key not in shared.parses:
        body = cache.read(repo.root, "records.json")
        found = _part(body, "blobs"), _part(body, "heads"), _part(body, "clean")
        if shared is not None:
            shared.parses[key] = found
    else:
        found = shared.parses[key]
    parsed, heads, clean = found
    return parsed, heads, (index.blob_ids(repo.root) if not repo.rev else {}), clean


def _verdicts(records: Records, name: str, parsed: dict) -> dict[str, list[str]]:
    """blob id -> the kinds whose schema it matched without a finding, of the documents of
    repository `name` whose parse the cache holds."""
    out: dict[str, set[str]] = {}
    for doc in records.documents:
        if doc.clean and doc.blob and doc.repository == name and doc.blob in parsed:
            out.setdefault(doc.blob, set()).add(doc.kind)
    return {blob: sorted(kinds) for blob, kinds in out.items()}


def _keep(repos: list[Repository], records: Records, kept, checks) -> None:
    """Write each repository's cache where the run read or checked something new: parses, heads
    and clean verdicts, those still used (a revision's: all of them, for the next revision)."""
    for repo, (parsed, heads, blobs, clean), before in kept or ():
        # nothing parsed or read anew: a new verdict can only be one of the documents checked now
        if (len(parsed), len(heads)) == before and not any(
                doc.clean and doc.blob in parsed and doc.repository == repo.name
                and doc.kind not in (clean.get(doc.blob) if type(clean.get(doc.blob)) is list else ())
                for doc in checks.docs):
            continue
        verdicts = _verdicts(records, repo.name, parsed)
        if blobs:
            used = (blobs.get(path) for path, origin in records.origins.items() if origin == repo.name)
            body = {"blobs": {d.blob: parsed[d.blob] for d in records.documents
                              if d.blob and d.repository == repo.name and d.blob in parsed},
                    "heads": {blob: heads[blob] for blob in used if blob in heads}, "clean": verdicts}
        elif repo.rev:
            body = {"blobs": parsed, "heads": heads, "clean": {
                **{blob: kinds for blob, kinds in clean.items() if type(kinds) is list}, **verdicts}}
        else:
            continue
        clean.update(verdicts)  # (the run's next validations, when shared)
        # cache.pack holds no NaN: msgspec writes it (ten times faster than json)
        cache.write(repo.root, "records.json", body, plain=True)


def _histories(repos: list[Repository], records: Records, use_cache: bool, shared: Shared | None = None) -> None:
    trailers = (records.school.get("certification") or {}).get("evidence") == "trailer"
    for repo in repos:
        if repo.rev or (repo.root / ".git").exists():
            repo.history = history.read(repo.root, repo.history_rev or repo.rev or "HEAD", trailers=trailers,
                                        use_cache=use_cache, memo=None if shared is None else shared.histories)
            records.histories[repo.name] = repo.history


def _load(repos: list[Repository], use_cache: bool, shared: Shared | None):
    """(records, the loader's findings, their schema checks under way, what `_keep` writes to
    the cache once they are done)."""
    # each repository's parses by blob id (they serve a revision as well as the working tree: a
    # merge request's check), attachments' heads (the working tree) and clean verdicts
    caches = [_cached(repo, shared) if use_cache else ({}, {}, {}, {}) for repo in repos]
    known = [(len(parsed), len(heads)) for parsed, heads, _, _ in caches]
    records, findings = loader.load_school(repos, caches, check=False,
                                           documents=None if shared is None else shared.documents)
    records.shared = shared
    checks = loader.checking(records)  # under way (in a child process) while the history is read
    return records, findings, checks, list(zip(repos, caches, known)) if use_cache else None


def _read_histories(repos, records, checks, use_cache: bool, shared, ask_platform: bool) -> None:
    """Each repository's history, and which requests are still open; on failure the schema
    checks under way are abandoned."""
    try:
        _histories(repos, records, use_cache, shared)
        openness.settle(records, ask_platform)
    except BaseException:
        checks.abandon()
        raise


def _validate(repos: list[Repository], now: str | None, with_history: bool, use_cache: bool, everything: bool,
              request=None, ask_platform: bool = False, shared: Shared | None = None) -> tuple[Records, Result]:
    records, findings, checks, kept = _load(repos, use_cache, shared)
    if with_history:
        _read_histories(repos, records, checks, use_cache, shared, ask_platform)
    result = Result()
    result.extend(findings + checks.findings())
    _keep(repos, records, kept, checks)
    _share(shared, records, result.findings)
    records.now = dates.resolve_now(now, records.tz)  # the school's timezone is known only now
    if records.history is not None and audit.not_audited(records):
        result.note("history.not-audited")
    if request is not None and records.history is not None:
        records.request = request
        pending.mark(records)
    result.extend(running.run(records))
    committed.flush(records)
    counted = None if everything or len(repos) == 1 else records.target
    result.findings = words.humanized(records, unread.withheld(
        records, acknowledgements.apply(records, result.findings), counted))
    if len(repos) > 1 and not everything:
        own = Result()
        own.notes = list(result.notes)
        own.extend(f for f in result.findings if f.repository == records.target or f.rule in CROSS_REPOSITORY
                   or f.rule == "internal.error")
        result = own
    return records, result
