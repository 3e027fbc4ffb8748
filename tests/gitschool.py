"""A real school repository with a real Git history, made the way GitHub and GitLab make it.

Fixed identities and dates (GIT_AUTHOR_*, GIT_COMMITTER_*), merge commits, squash and rebase
merges, direct pushes and merge-request refs, all with the git command line.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from conftest import REPO, School

GITHUB = ("GitHub", "noreply@github.com")
STAFF = {  # id -> (name, email), as in the sample's staff.yaml
    "huang-shufen": ("黃淑芬", "huang.shufen@example.edu.tw"),
    "chen-yijun": ("陳怡君", "chen.yijun@example.edu.tw"),
    "jiang-shuhui": ("江淑惠", "jiang.shuhui@example.edu.tw"),
    "lai-zhiwei": ("賴志偉", "lai.zhiwei@example.edu.tw"),
    "wang-yating": ("王雅婷", "wang.yating@example.edu.tw"),
    "fang-guodong": ("方國棟", "fang.guodong@example.edu.tw"),
    "ye-jianting": ("葉建廷", "ye.jianting@example.edu.tw"),
    "liu-guanting": ("劉冠廷", "liu.guanting@example.edu.tw"),
}


def student(no: str) -> tuple[str, str]:
    return (f"學生{no}", f"s{no}@stu.example.edu.tw")


def who(name: str) -> tuple[str, str]:
    if name in STAFF:
        return STAFF[name]
    if name.isdigit():
        return student(name)
    return (name, f"{name}@elsewhere.example.com")


class GitSchool(School):
    """The sample school under Git (without the tool's `history: not-audited`): its first commit,
    on 2026-07-01, sets audit_since, so it is the audit start and everything after it is audited."""

    def __init__(self, root: Path):
        super().__init__(root)
        text = self.read("records/school.yaml")
        self.write("records/school.yaml", "".join(line for line in text.splitlines(True)
                                                  if not line.startswith("history: not-audited")))
        self.git("init", "-q", "-b", "main")
        self.git("config", "commit.gpgsign", "false")
        self.commit_all("匯入學校資料", "huang-shufen", "2026-07-01 09:00")
        self.mr_number = 0

    @classmethod
    def existing(cls, root: Path) -> "GitSchool":
        """The GitSchool of a copied repository (sample_repo), as it is: no commit of its own."""
        school = cls.__new__(cls)
        School.__init__(school, root)
        school.mr_number = len(school.git("for-each-ref", "refs/pull", "refs/merge-requests").splitlines())
        return school

    def git(self, *args: str, author=None, committer=None, at: str | None = None) -> str:
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.root)}
        for prefix, ident in (("AUTHOR", author), ("COMMITTER", committer or author)):
            name, email = ident or who("huang-shufen")
            env[f"GIT_{prefix}_NAME"], env[f"GIT_{prefix}_EMAIL"] = name, email
            if at:
                env[f"GIT_{prefix}_DATE"] = f"{at} +0800"
        proc = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.strip()

    def commit_all(self, message: str, author: str, at: str, committer=None) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, author=who(author),
                 committer=committer or who(author), at=at)
        return self.git("rev-parse", "HEAD")

    def direct(self, files: dict, author: str, at: str, committer=None, message="更新") -> str:
        for path, text in files.items():
            self.write(path, text)
        return self.commit_all(message, author, at, committer)

    def branch(self, files: dict, author: str, at: str, name: str | None = None) -> str:
        self.mr_number += 1
        name = name or f"mr-{self.mr_number}"
        self.git("checkout", "-q", "-b", name, "main")
        self.direct(files, author, at, message=f"新增 {next(iter(files))}")
        self.git("checkout", "-q", "main")
        return name

    def merge(self, branch: str, merger: str, at: str, style: str = "github") -> str:
        n = self.mr_number
        if style == "github":
            message, committer = f"Merge pull request #{n} from student/{branch}\n\n新增成果", GITHUB
            self.git("update-ref", f"refs/pull/{n}/head", branch)
        else:
            message = f"Merge branch '{branch}' into 'main'\n\n新增成果\n\nSee merge request school/portfolio!{n}"
            committer = who(merger)
            self.git("update-ref", f"refs/merge-requests/{n}/head", branch)
        self.git("merge", "-q", "--no-ff", "-m", message, branch, author=who(merger), committer=committer, at=at)
        self.git("branch", "-q", "-D", branch)
        return self.git("rev-parse", "HEAD")

    def mr(self, files: dict, author: str, at: str, merger: str, merged_at: str, style="github") -> str:
        return self.merge(self.branch(files, author, at), merger, merged_at, style)

    def open_mr(self, files: dict, author: str, at: str, style="gitlab") -> str:
        branch = self.branch(files, author, at)
        ref = f"refs/pull/{self.mr_number}/head" if style == "github" else f"refs/merge-requests/{self.mr_number}/head"
        self.git("update-ref", ref, branch)
        self.git("branch", "-q", "-D", branch)
        return ref

    def squash(self, files: dict, author: str, at: str, merged_at: str, message="新增成果 (#9)") -> str:
        """GitHub's squash (or rebase) merge: one commit on main by the author, committed by GitHub."""
        for path, text in files.items():
            self.write(path, text)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, author=who(author), committer=GITHUB, at=merged_at)
        return self.git("rev-parse", "HEAD")


_TEMPLATE: list[Path] = []


def sample_repo(root: Path) -> GitSchool:
    """The sample school imported into Git at `root`, as GitSchool(a copy of the sample) makes it:
    a copy of one such repository, built once per run (its objects packed) — the same first commit,
    without hashing and committing every file again."""
    if not _TEMPLATE:
        base = Path(tempfile.mkdtemp(prefix="licheng-sample-repo-"))
        atexit.register(shutil.rmtree, base, True)
        for top in ("records", "schedules"):
            shutil.copytree(REPO / top, base / "school" / top)
        GitSchool(base / "school").git("gc", "-q")
        _TEMPLATE.append(base / "school")
    shutil.copytree(_TEMPLATE[0], root, symlinks=True)
    return GitSchool.existing(root)


class RequestSchool(GitSchool):
    """A school with open merge requests, checked out the way CI checks them out."""

    def open_branch(self, files: dict, author: str, at: str, name: str | None = None, style: str = "github",
                    start: str = "main") -> str:
        """A student's request left open: its branch, and the platform's ref to its head."""
        self.mr_number += 1
        name = name or f"mr-{self.mr_number}"
        self.git("checkout", "-q", "-b", name, start)
        for path, text in files.items():
            if text is None:
                self.remove(path)
            else:
                self.write(path, text)
        self.commit_all(f"新增 {next(iter(files))}", author, at)
        self.git("checkout", "-q", start)
        ref = f"refs/pull/{self.mr_number}/head" if style == "github" else f"refs/merge-requests/{self.mr_number}/head"
        self.git("update-ref", ref, name)
        return name

    def test_merge(self, branch: str, author=GITHUB, at: str = "2026-11-28 11:00", base: str = "main") -> str:
        """GitHub's refs/pull/N/merge (GitLab's merged results alike): the base's tip merged with the
        request's head, checked out detached."""
        base, head = self.git("rev-parse", base), self.git("rev-parse", branch)
        tree = self.git("merge-tree", "--write-tree", base, head).splitlines()[0]
        sha = self.git("commit-tree", tree, "-p", base, "-p", head, "-m", f"Merge {head} into {base}",
                       author=author, committer=GITHUB, at=at)
        self.git("checkout", "-q", "--detach", sha)
        return sha

    def checkout(self, rev: str) -> None:
        self.git("checkout", "-q", rev)


def portfolio_copy(root: Path) -> Path:
    """The sample school at `root` as a portfolio: its roster written from the students, the
    registry's kinds left out (what `licheng split` leaves), so students may commit to it."""
    import shutil

    from conftest import REPO
    from generator.maintenance.split import FOLDERS
    from generator.records import roster
    from generator.validate import validate

    for top in ("records", "schedules"):
        shutil.copytree(REPO / top, root / top)
    records, _ = validate(root, None, history=False)
    roster.write(root, records.students, records.tz)
    for folder in FOLDERS:
        shutil.rmtree(root / folder)
    return root
