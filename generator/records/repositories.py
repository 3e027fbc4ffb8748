"""A school is a set of repositories, each holding some kinds of record.

Which kinds a repository holds is its role; a layout is the roles a school's repositories
play. "single" keeps everything in one repository (the sample school, a school without
student accounts); "split" is the portfolio every student reads plus the registry only
staff read; "per-student" (one portfolio repository per student beside a school
repository) is the same mechanism with other roles. Documents remember their origin: the
repository's name and root, and their path relative to it.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import layout
from ..errors import RepositoryError, os_reason

# what only staff may read: personal data and the records made from it
REGISTRY_KINDS = frozenset({"student", "grades", "cadres", "counseling", "submissions"})
# the school's configuration, which every repository's rules read
SCHOOL_KINDS = frozenset({"school", "staff", "delegates", "working-group", "courses", "roster",
                          "schedule", "holidays"})
# what students write through merge requests
STUDENT_WORK = frozenset({"outcome", "performance", "selection"})
OWN = frozenset({"acknowledgements"})  # every repository has its own

ROLES: dict[str, frozenset[str]] = {
    "single": SCHOOL_KINDS | STUDENT_WORK | REGISTRY_KINDS | OWN,
    "portfolio": SCHOOL_KINDS | STUDENT_WORK | OWN,
    "registry": REGISTRY_KINDS | {"registry"} | OWN,
    # the next step: one repository per student beside the school's (not yet discovered on its own)
    "school": SCHOOL_KINDS | OWN,
    "student": STUDENT_WORK | OWN,
}
LAYOUTS: dict[str, tuple[str, ...]] = {
    "single": ("single",),
    "split": ("portfolio", "registry"),
    "per-student": ("school", "student"),
}
# the file whose first commit on main starts a repository's audit
CONFIG_FILE = {"single": "records/school.yaml", "portfolio": "records/school.yaml",
               "school": "records/school.yaml", "registry": "records/registry.yaml",
               "student": "records/school.yaml"}
REGISTRY_FILE = "records/registry.yaml"
INIT_IDENTITY = ("licheng init", "licheng-init@localhost")  # the author of `licheng init`'s first commits


def registry_yaml(portfolio: str) -> str:
    """The text of records/registry.yaml naming `portfolio` (a path relative to the registry)."""
    from ..yaml import scalar

    return ("# 學籍資料庫：只有行政人員能讀；學校設定、教職員、課程與期程由 portfolio 讀取\n"
            f"portfolio: {scalar(portfolio)}\nref: main\n")


@dataclass
class Repository:
    name: str  # what findings name: single, portfolio, registry, student-1150101, ...
    role: str
    root: Path
    rev: str | None = None  # read from this Git revision instead of the working tree
    history_rev: str | None = None  # the revision whose history is read (default: rev, else HEAD)
    history: Any = None  # generator.git.history.History of this repository, when read

    @property
    def kinds(self) -> frozenset[str]:
        return ROLES[self.role]

    def holds(self, kind: str) -> bool:
        return kind in ROLES[self.role]


REGISTRY_FOLDERS = ("records/students", "records/grades", "records/cadres", "records/counseling", "records/submissions")


def role_of(root: Path, rev: str | None = None) -> str:
    """registry when it names a portfolio; single when it holds any registry kind; else portfolio.
    With `rev`, as that commit holds it, never the working tree: a merge request's check reads the
    role from its base (a request committing records/registry.yaml made its checkout a registry,
    whose report leaves out the portfolio's files)."""
    if rev is not None:
        listing = subprocess.run(["git", "-C", str(root), "ls-tree", "-z", rev, "--", "records/"],
                                 capture_output=True, text=True)
        if listing.returncode != 0:  # never the working tree instead: a request's own registry.yaml would decide
            raise RepositoryError(f"{root}: 無法讀取版本 {rev}（這份複本沒有它？請先 git fetch）",
                                  en=f"{root}: cannot read revision {rev} (not in this clone? git fetch it first)")
        entries = {path: meta.split() for meta, _, path in
                   (entry.partition("\t") for entry in filter(None, listing.stdout.split("\0")))}
        if entries.get(REGISTRY_FILE, [""])[0] in ("100644", "100755"):
            return "registry"
        return "single" if any(entries.get(f, ["", ""])[1] == "tree" for f in REGISTRY_FOLDERS) else "portfolio"
    if (root / REGISTRY_FILE).is_file():
        return "registry"
    return "single" if any((root / f).is_dir() and any(os.scandir(root / f)) for f in REGISTRY_FOLDERS) \
        else "portfolio"


def portfolio_of(registry: Path, given: str | os.PathLike | None = None) -> Path:
    """The portfolio a registry reads: `given` (--portfolio), else the one registry.yaml names."""
    if given:
        path = Path(given).resolve()
    else:
        from ..result import unreadable
        from ..yaml import YamlProblem, load_bytes

        try:
            data = load_bytes((registry / REGISTRY_FILE).read_bytes())
        except OSError as exc:
            zh, en = os_reason(exc)
            raise RepositoryError(f"{registry / REGISTRY_FILE}: 無法讀取：{zh}",
                                  en=f"{registry / REGISTRY_FILE}: cannot be read: {en}") from None
        except YamlProblem as problem:
            raise RepositoryError(*unreadable(registry / REGISTRY_FILE, problem)) from None
        named = str((data or {}).get("portfolio") or "") if isinstance(data, dict) else ""
        if not named:
            raise RepositoryError(f"{registry / REGISTRY_FILE}: 未寫明 portfolio（學習歷程資料庫的位置）",
                                  en=f"{registry / REGISTRY_FILE}: names no portfolio (where the portfolio repository is)")
        if re.match(r"^[a-z][a-z0-9+.-]*://|^[^/]+@[^/]+:", named):
            raise RepositoryError(
                f"{registry / REGISTRY_FILE}: portfolio 是網址 {named}；請先複製（git clone）後以 --portfolio DIR 指定",
                en=f"{registry / REGISTRY_FILE}: the portfolio is a URL, {named}: clone it and pass --portfolio DIR")
        path = (registry / named).resolve()
    if not (path / "records").is_dir():
        raise RepositoryError(f"{path}: 找不到學習歷程資料庫（portfolio）的 records/ 資料夾；可用 --portfolio DIR 指定",
                              en=f"{path}: the portfolio's records/ folder is not there; pass --portfolio DIR")
    return path


def registry_of(portfolio: Path) -> Path | None:
    """The registry beside `portfolio` whose registry.yaml names it (the school `licheng init` makes)."""
    try:
        siblings = sorted(p for p in portfolio.parent.iterdir() if (p / REGISTRY_FILE).is_file())
    except OSError:
        return None
    for sibling in siblings:
        try:
            if portfolio_of(sibling) == portfolio.resolve():
                return sibling
        except RepositoryError:
            continue
    return None


def is_portfolio(root: Path) -> bool:
    """Is `root` the portfolio of a two-repository school (which every student reads)? A registry
    beside it names it; or it holds none of the registry's kinds and either keeps a roster (the
    registry's students, as a portfolio reads them) or was made by `licheng init` (which makes a
    school's two repositories). A repository with none of these is a single-repository school,
    even while it is empty."""
    role = role_of(root)
    if role == "registry":
        return False
    if registry_of(root) is not None:
        return True
    return role == "portfolio" and (any((root / "records/roster").glob("*.yaml")) or _made_by_init(root))


def _made_by_init(root: Path) -> bool:
    """Is the first commit of `root`'s history `licheng init`'s?"""
    proc = subprocess.run(["git", "-C", str(root), "log", "--max-parents=0", "--format=%ae", "HEAD"],
                          capture_output=True, text=True)
    return proc.returncode == 0 and INIT_IDENTITY[1] in proc.stdout.split()


def discover(root: Path, portfolio: str | os.PathLike | None = None, rev: str | None = None,
             role_rev: str | None = None) -> list[Repository]:
    """The repositories a run on `root` reads, `root` first (the one being validated), its role as
    `role_rev` (else `rev`, else the working tree) holds it."""
    role = role_of(root, role_rev or rev)
    target = Repository(role, role, root, rev)
    if role != "registry":
        return [target]
    return [target, Repository("portfolio", "portfolio", portfolio_of(root, portfolio))]


@dataclass
class Holders:
    """Which repository holds each kind, for a set of repositories."""

    repositories: list[Repository]
    by_kind: dict[str, Repository] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for repo in reversed(self.repositories):  # the first one wins for kinds every repository has
            for kind in repo.kinds:
                self.by_kind[kind] = repo

    def of_path(self, path: str) -> Repository:
        """The repository a repository-relative path belongs to (the first one for anything else)."""
        kind = layout.classify(path) if path.endswith(".yaml") else None
        if kind is None and layout.is_attachment(path):
            kind = ("outcome",) if path.startswith("records/outcomes/") else ("performance",)
        if kind and kind[0] in self.by_kind:
            return self.by_kind[kind[0]]
        return self.repositories[0]
