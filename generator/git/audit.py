"""Where the audit of a repository starts: at a commit, never at a date.

The audit start is the first commit on main's first-parent chain that set the repository's
licheng configuration (`audit_since` in a portfolio's records/school.yaml; the existence of
records/registry.yaml in a registry). That commit and everything before it are the import;
every later first-parent commit is audited, whatever date it claims. The earliest committed
value governs; a later change of it is `audit.moved`.

Only the tool's own repository may say `history: not-audited`: its history is the developers'.
The tool's repository is recognised by `generator/` in the tree of main's first commit, which a
school's repository (made by `licheng init` or an import) never has and no later merge can add.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..yaml import YamlProblem, load_bytes
from . import committed
from .history import Commit, History
from .objects import read_blobs

SCHOOL_CONFIG = ("records/school.yaml", "audit_since")
REGISTRY_CONFIG = ("records/registry.yaml", None)  # None: the file's existence sets the configuration
NOT_AUDITED = "not-audited"
_UNSET = object()


@dataclass
class AuditStart:
    index: int = -1  # position of the start commit in history.mainline; -1: none, all is audited
    commit: Commit | None = None
    value: object = None  # the governing (earliest committed) configuration value
    changes: list[tuple[Commit, object]] = field(default_factory=list)  # later commits that changed it, new value
    not_audited: bool = False  # the tool's own repository saying `history: not-audited`

    def audited(self, position: int) -> bool:
        """Is the first-parent commit at `position` after the start (so audited)?"""
        return not self.not_audited and position > self.index


def _value(raw: bytes | None, key: str | None):
    if raw is None:
        return _UNSET
    if key is None:
        return True
    try:
        data = load_bytes(raw)
    except YamlProblem:
        return _UNSET
    return _key_value(data, key)


def _key_value(data, key: str):
    """The configuration value in a parsed file (`data` None: the file is absent, or no YAML)."""
    value = data.get(key) if isinstance(data, dict) else None
    return _UNSET if value is None else str(value)


def find_start(root: Path, history: History, config: tuple[str, str | None] = SCHOOL_CONFIG,
               files=None) -> AuditStart:
    """The audit start of `history` for the configuration file and key `config`. `files`
    (generator.git.committed.Files) reads a keyed configuration's files, parsed, from licheng's
    cache where an earlier run parsed them."""
    path, key = config
    touching = [(i, history.mainline[i]) for i in history.changed.get(path, ())]
    specs = [f"{c.sha}:{path}" for _, c in touching]
    if files is not None and key is not None:
        parsed = files.parsed(specs)
        values = [_key_value(parsed[spec], key) for spec in specs]
    else:
        blobs = read_blobs(root, specs)
        values = [_value(blobs.get(spec), key) for spec in specs]
    start = AuditStart()
    previous = _UNSET
    for (index, commit), value in zip(touching, values):
        if start.commit is None:
            if value is not _UNSET:
                start.index, start.commit, start.value = index, commit, value
        elif value != previous:
            start.changes.append((commit, None if value is _UNSET else value))
        previous = value
    return start


def is_tool_repository(root: Path, history: History | None) -> bool:
    """The tool's own repository: `generator/` in the tree of main's first (visible) commit;
    without a history, in the working tree."""
    if history is None or not history.mainline:
        return (root / "generator").is_dir()
    first = history.mainline[0].sha
    proc = subprocess.run(["git", "-C", str(root), "cat-file", "-t", f"{first}:generator"],
                          capture_output=True, text=True)
    return proc.returncode == 0 and proc.stdout.strip() == "tree"


def says_not_audited(records) -> bool:
    return records.school.get("history") == NOT_AUDITED


def _repository(records, name: str | None):
    """The repository `name`, else the one whose history certification reads (records.history)."""
    repos = records.holders.repositories
    if name is None:
        holder = records.holders.by_kind.get("outcome")
        name = holder.name if holder is not None else records.target
    return next((r for r in repos if r.name == name), repos[0])


def of(records, name: str | None = None) -> AuditStart:
    """The audit start of one of the loaded repositories (memoised per run): by default the one
    whose history certification reads; each repository has its own."""
    repo = _repository(records, name)
    return records.memo(f"audit-start:{repo.name}", lambda: _of(records, repo))


def _of(records, repo) -> AuditStart:
    history = records.histories.get(repo.name)
    if history is None:
        return AuditStart(not_audited=not_audited(records))
    if repo.role == "registry":
        start = find_start(repo.root, history, REGISTRY_CONFIG)
    else:
        start = find_start(repo.root, history, SCHOOL_CONFIG, committed.files(records, "audit-start.json", repo))
    start.not_audited = not_audited(records)
    return start


def not_audited(records) -> bool:
    """History rules are skipped: the tool's own repository saying `history: not-audited`."""
    return records.memo("not-audited", lambda: says_not_audited(records)
                        and is_tool_repository(records.root, records.own_history))


def audited(records, commit: Commit) -> bool:
    """Is `commit` (on the first-parent chain of main of one of the repositories) after that
    repository's audit start?"""
    return audited_commits(records).get(commit.sha, False)


def audited_commits(records) -> dict[str, bool]:
    """`audited` as a table, for a rule that goes through every commit."""
    return records.memo("audited", lambda: _audited(records))


def _audited(records) -> dict[str, bool]:
    """Commit id -> audited, for the first-parent commits of every repository's main (a commit
    on two of them is judged by the last)."""
    out = {}
    for name, history in records.histories.items():
        if history is not None:
            start, shas = of(records, name), [c.sha for c in history.mainline]
            # (start.audited(i) for each position i: none, or those after the start)
            cut = len(shas) if start.not_audited else max(start.index + 1, 0)
            out.update(dict.fromkeys(shas[:cut], False))
            out.update(dict.fromkeys(shas[cut:], True))
    return out
