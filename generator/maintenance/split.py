"""licheng split: move a single repository's personal records into a new registry repository.

The registry kinds (students, grades, cadres, counseling, submissions) are copied into a
new Git repository with one first commit (its records/registry.yaml names the portfolio,
which starts the registry's audit), the roster is written into the portfolio, and the
moved files are removed from the portfolio in one commit of exactly that change (its
subject tells the permission audit what it is; made by whoever runs split, who must be
registration or admin staff). No history is rewritten, so no commit id changes:
acknowledgements and the audit start keep their commits. The old history still
holds every moved file; `plan.history_paths` are what a rewrite must erase.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import git  # GitPython

from ..errors import LichengError, UsageError
from ..git.history import SPLIT_SUBJECT
from ..records import roster
from ..records.repositories import REGISTRY_FILE, registry_yaml

FOLDERS = ("records/students", "records/grades", "records/cadres", "records/counseling", "records/submissions")
FIRST_COMMIT = "建立學籍資料庫（licheng split）"


@dataclass
class SplitReport:
    registry: Path
    moved: list[str] = field(default_factory=list)  # paths relative to either repository
    roster: list[str] = field(default_factory=list)
    commit: str = ""
    portfolio_commit: str = ""  # the portfolio's commit of the change, when it is a Git repository
    history_paths: list[str] = field(default_factory=lambda: [f"{f}/" for f in FOLDERS])


def _commit(repo: git.Repo, message: str, *paths: str) -> str:
    """Commit `paths` (everything when none) as the caller, else as licheng (a first commit
    works without an identity configured); the new commit's id."""
    repo.git.add("-A", "--", *paths) if paths else repo.git.add("-A")
    env = {}
    if not repo.config_reader().get_value("user", "email", ""):
        env = {f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER")
               for what, value in (("NAME", "licheng"), ("EMAIL", "licheng@localhost"))}
    try:
        with repo.git.custom_environment(**env):
            repo.git.commit("-q", "--no-verify", "-m", message, *(["--", *paths] if paths else []))
    except git.GitCommandError as exc:
        raise LichengError(f"{repo.working_dir}: git commit 失敗：{exc.stderr.strip()}",
                           en=f"{repo.working_dir}: git commit failed: {exc.stderr.strip()}") from None
    return repo.head.commit.hexsha


def _files(root: Path) -> list[str]:
    out = []
    for folder in FOLDERS:
        for dirpath, dirnames, filenames in os.walk(root / folder):  # os.walk does not follow symlinked dirs
            for name in filenames:
                full = Path(dirpath) / name
                if not full.is_symlink():
                    out.append(full.relative_to(root).as_posix())
    return sorted(out)


def split(portfolio: Path, registry: Path, students: dict[str, dict], tz) -> SplitReport:
    portfolio, registry = Path(portfolio).resolve(), Path(registry).resolve()
    if registry.exists() and any(registry.iterdir()):
        raise UsageError(f"{registry}: 資料夾不是空的；請指定新的資料夾", en=f"{registry}: not empty: give a new folder")
    if registry == portfolio or portfolio in registry.parents:
        raise UsageError(f"{registry}: 學籍資料庫不能放在 portfolio 裡面", en=f"{registry}: the registry cannot be inside the portfolio")
    files = _files(portfolio)
    if not files:
        raise UsageError(f"{portfolio}: 沒有學籍、成績、幹部、輔導或報送紀錄可以搬移",
                         en=f"{portfolio}: no student, grade, cadre, counseling or submission records to move")
    report = SplitReport(registry)
    for rel in files:
        target = registry / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(portfolio / rel, target)
    (registry / REGISTRY_FILE).write_text(registry_yaml(os.path.relpath(portfolio, registry)), "utf-8")
    report.commit = _commit(git.Repo.init(registry, initial_branch="main"), FIRST_COMMIT)
    report.roster = roster.write(portfolio, students, tz)
    for rel in files:  # only now that the registry holds them
        (portfolio / rel).unlink()
        report.moved.append(rel)
    for folder in FOLDERS:
        for dirpath, _, _ in sorted(os.walk(portfolio / folder), reverse=True):
            try:
                os.rmdir(dirpath)
            except OSError:
                pass
    if (portfolio / ".git").exists():  # one commit of exactly this change; anything else stays uncommitted
        report.portfolio_commit = _commit(git.Repo(portfolio), SPLIT_SUBJECT, *FOLDERS, "records/roster")
    return report
