"""Rules read from Git history that need no certification analysis: the windows of uploads and
selections (§5.3.3, §5.4.1), a shallow clone, `git pull` merges on main. (The rules that read the
analysis are generator.rules.certification's; these may run in the other process of a run,
generator.rules.running.)"""

from __future__ import annotations

import re

from .. import dates
from ..git import audit
from ..git.certification import authored_at
from ..rule import WARNING, hit, rule


def _changes(records, prefix: str, suffix: str = "") -> dict[str, list]:
    """path -> the mainline commits that changed it (deletions aside), oldest first, for the
    paths under `prefix` ending in `suffix` (where the upload and selection windows apply)."""
    mainline = records.history.mainline
    out = {}
    for path, indexes in records.history.changed.items():
        if path.startswith(prefix) and path.endswith(suffix):
            commits = [mainline[i] for i in indexes if _kept(mainline[i], path)]
            if commits:
                out[path] = commits
    return out


def _kept(commit, path: str) -> bool:
    """Did `commit` change `path` other than by deleting it? (its last change of the path says)"""
    for status, changed in reversed(commit.changes):
        if changed == path:
            return status != "D"
    raise KeyError(path)


def _lasting(records, key: str, check):
    """The hits of `check`, which reads the histories and the records that are no outcomes alone (the
    schedules' windows, the identities): made once for the validations of a batch (Records.lasting)."""
    try:
        found = records.lasting(key, lambda: list(check(records)))
    except Exception:  # run as it runs alone: its hits up to the failure, then the failure (internal.error)
        found = None
    return found if found is not None else check(records)


def _window(records, name: str, year: str):
    """The academic year's window `name`, in UTC as commit times are (these rules compare every upload)."""
    return records.window(name, f"{year}-1", yearly=True, utc=True)


@rule(
    "window.performance-upload", "§5.4.1",
    "多元表現於 {at} 上傳，不在 {year} 學年度的上傳期間內",
    "the performance was uploaded on {at}, outside academic year {year}'s upload window",
    severity=WARNING,
)
def performance_uploads(records):
    return _lasting(records, "window.performance-upload", _performance_uploads)


def _performance_uploads(records):
    # (a performance's YAML file: its attachments were uploaded with it; its first change counts)
    return _made_outside(records, "records/performances/", ".yaml", True, "performance_upload")


@rule(
    "window.selection", "§5.3.3",
    "勾選於 {at} 提交，不在 {year} 學年度的勾選期間內",
    "the selection was made on {at}, outside academic year {year}'s selection windows",
    severity=WARNING,
)
def selection_times(records):
    return _lasting(records, "window.selection", _selection_times)


def _selection_times(records):
    return _made_outside(records, "records/selections/", "", False, "outcome_selection", "performance_selection")


def _made_outside(records, prefix: str, suffix: str, first: bool, *windows: str):
    """A hit for each audited path under `prefix` whose first (or last) change on main was authored
    outside every one of the academic year's `windows`."""
    if records.history is None:
        return
    in_audit = audit.audited_commits(records)
    for path, commits in sorted(_changes(records, prefix, suffix).items()):
        year, commit = path.split("/")[2], commits[0 if first else -1]
        if not in_audit.get(commit.sha, False):
            continue
        at = authored_at(records, commit, path, first=first)
        if dates.outside(at, *(_window(records, name, year) for name in windows)):
            yield hit(path, 1, at=dates.roc(at.astimezone(records.tz)), year=year)


@rule(
    "history.shallow", "§5.3.2",
    "這是淺層複本（shallow clone），看不到完整的 Git 歷史，無法判斷認證；"
    "請在 actions/checkout 設定 fetch-depth: 0，或執行 git fetch --unshallow",
    "this is a shallow clone: without the full Git history certification cannot be judged; "
    "set fetch-depth: 0 on actions/checkout, or run git fetch --unshallow",
)
def shallow(records):
    if records.history is not None and records.history.shallow and not audit.not_audited(records):
        yield hit("records/school.yaml", None)


_MAINLINE_MERGE = re.compile(r"^Merge (pull request #\d+ |branch '[^']*' into '(main|master)')")


@rule(
    "history.foxtrot", "§5.3.2",
    "{sha}（{at}）是 {who} 以 git pull 產生的合併，把 main 上原有的合併（例如 {inner}）移出了第一父鏈，"
    "其中教師的認證因此無法讀出；請改用 git pull --rebase，並保護 main 分支（只允許合併請求）",
    "{sha} ({at}) is a `git pull` merge by {who} that moved main's own merges (e.g. {inner}) off the first-parent "
    "chain, so the teachers' certifications in them cannot be read; use git pull --rebase and protect main",
)
def foxtrot_merges(records):
    return _lasting(records, "history.foxtrot", _foxtrot_merges)


def _foxtrot_merges(records):
    if records.history is None:
        return
    history, in_audit = records.history, audit.audited_commits(records)
    branch = history.branch
    for commit in history.mainline:
        if len(commit.parents) < 2 or not in_audit.get(commit.sha, False):
            continue
        inner = None  # the last of the merges it brought that were main's own
        for c in branch.get(commit.sha, ()):
            if len(c.parents) > 1 and _MAINLINE_MERGE.match(c.subject):
                inner = c
        if inner is not None:
            path = next((p for _, p in commit.changes), "records/school.yaml")
            who = records.identities.staff_id(commit.author_email) or commit.author_email
            yield hit(path, None, sha=commit.short, who=who, inner=inner.short,
                      at=dates.roc(commit.committer_time.astimezone(records.tz)))
