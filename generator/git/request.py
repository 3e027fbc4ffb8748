"""A merge request as CI sees it: its base, its own head, and the tree a merge would make.

CI checks out either the request's head (GitLab's merge-request pipeline, a branch) or the
platform's test merge (GitHub's `refs/pull/N/merge`, made by GitHub or in the student's
name). Either way the request is judged as a merge of its head into the base's current tip,
computed with `git merge-tree --write-tree`, so outcomes merged since the branch began count.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from typing import Any
from pathlib import Path

from ..errors import RepositoryError, UsageError, printable
from . import history, prefetch
from .history import Commit
from .objects import OBJECT_ID

MAIN = ("main", "origin/main")
GITHUB_EVENTS = ("pull_request", "pull_request_target")


@dataclass
class Request:
    base_name: str  # as the user or the platform named it: main, origin/main, a sha
    base: str  # the base's current tip
    head: str  # the request's own head (the test merge's second parent)
    checkout: str  # what CI checked out: the head, or the platform's test merge
    tree: str = ""  # the tree the merge would make
    changes: list[tuple[str, str]] = field(default_factory=list)  # (A/M/D, path) from the base to the tree
    commits: list[Commit] = field(default_factory=list)  # the request's own commits, newest first
    platform: str = ""  # github | gitlab | "" (found from the branch or --base)
    author: str = ""  # the platform's user name of the request's author, where the job can read it
    outside: bool = False  # a CI job outside a merge request (a branch's pipeline, a manual run): no author to read
    judge: Any = None  # the base's records: who the writers are and what they may do (set by the check)

    @property
    def test_merge(self) -> bool:
        return self.checkout != self.head

    @property
    def paths(self) -> set[str]:
        return {p for _, p in self.changes}


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise RepositoryError(f"git {' '.join(args[:2])}: {proc.stderr.strip()}")
    return proc


def commit_id(root: Path, rev: str) -> str | None:
    """The commit `rev` names (None: none in this clone)."""
    proc = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
    return proc.stdout.strip() or None if proc.returncode == 0 else None


def branch_ref(name: str) -> str:
    """A branch's full ref name (origin/NAME: the remote's). Never a bare name: git reads a name as a
    tag before a branch (refs/tags/main before refs/heads/main and refs/remotes/origin/main), and a
    student can push a tag `main` that every CI clone fetches: it was taken for main, the base."""
    return f"refs/remotes/{name}" if name.startswith("origin/") else f"refs/heads/{name}"


def _branch(root: Path, name: str) -> str | None:
    return commit_id(root, branch_ref(name))


def _resolve(root: Path, name: str) -> str | None:
    """The commit `name` names: the branch, else origin's, else any revision (a commit id, a tag)."""
    return _branch(root, name) or (_branch(root, f"origin/{name}") if not name.startswith("origin/") else None) \
        or commit_id(root, name)


def _is_ancestor(root: Path, older: str, newer: str) -> bool:
    return _git(root, "merge-base", "--is-ancestor", older, newer, check=False).returncode == 0


def resolve_base(root: Path, name: str) -> str:
    """The base as given, else through origin/ (CI clones have remote branches only)."""
    found = _resolve(root, name)
    if not found:
        raise UsageError(f"--base {name}: 找不到這個版本，也沒有 origin/{name}；請先 git fetch origin {name}",
                         en=f"--base {name}: no such revision, nor origin/{name}: git fetch origin {name} first")
    return found


def platform_branch(root: Path, name: str) -> str:
    """A branch as the platform has it, for a base nobody named on the command line: origin/NAME
    where a clone's own NAME is behind it or has diverged from it (a stale local main), else NAME
    (a CI clone without the local branch resolves NAME through origin/ as before)."""
    if name.startswith("origin/"):
        return name
    local, remote = _branch(root, name), _branch(root, f"origin/{name}")
    if local and remote and local != remote and not _is_ancestor(root, remote, local):
        return f"origin/{name}"
    return name


def _on_main(root: Path, head: str) -> bool | None:
    """Is `head` on main's first-parent chain? None: there is no main here."""
    tips = [sha for sha in (_branch(root, name) for name in MAIN) if sha]
    if not tips:
        return None
    if head in tips:  # validating main itself: no need to walk its chain
        return True
    return any(head in _git(root, "rev-list", "--first-parent", tip).stdout.split() for tip in tips)


def _platform_author(env) -> tuple[str, str]:
    """(platform, user name of the request's author) from the CI job's environment."""
    if env.get("GITHUB_EVENT_NAME") in GITHUB_EVENTS:
        try:
            with open(env.get("GITHUB_EVENT_PATH", ""), encoding="utf-8") as fh:
                login = ((json.load(fh).get("pull_request") or {}).get("user") or {}).get("login") or ""
        except (OSError, ValueError, AttributeError):
            login = ""
        return "github", str(login)
    if env.get("CI_MERGE_REQUEST_IID") or env.get("CI_MERGE_REQUEST_TARGET_BRANCH_NAME") \
            or env.get("CI_MERGE_REQUEST_DIFF_BASE_SHA"):
        # never GITLAB_USER_LOGIN: that is whoever started the pipeline (a teacher pressing "Run
        # pipeline" on a student's request), not the request's author
        return "gitlab", env.get("CI_MERGE_REQUEST_AUTHOR") or ""
    return "", ""


def _base_from(root: Path, given: str | None, env) -> str | None:
    """The base's name: --base, else the platform's variables, else main when HEAD is off its chain."""
    if given:
        return given
    if env.get("GITHUB_EVENT_NAME") in GITHUB_EVENTS and env.get("GITHUB_BASE_REF"):
        return platform_branch(root, env["GITHUB_BASE_REF"])
    target, diff_base = env.get("CI_MERGE_REQUEST_TARGET_BRANCH_NAME"), env.get("CI_MERGE_REQUEST_DIFF_BASE_SHA")
    if target and (_branch(root, target) or _branch(root, f"origin/{target}")):
        return platform_branch(root, target)  # its current tip: what was merged since the branch began counts
    if diff_base or target:
        return diff_base or target
    if _at_main_tip(root):
        return None
    head = commit_id(root, "HEAD")
    if head and _on_main(root, head) is False:
        return platform_branch(root, next(name for name in MAIN if _branch(root, name)))
    return None


def _at_main_tip(root: Path) -> bool:
    """HEAD is main's tip (the clone's own or origin's), as the head and the refs a validation asked
    Git for early say it (generator.git.prefetch; False where they were not asked, or say otherwise:
    then the revisions are looked up one by one)."""
    head, refs = prefetch.peek(root, *prefetch.HEAD), prefetch.peek(root, *prefetch.REFS)
    if head is None or refs is None or head.returncode != 0 or refs.returncode != 0:
        return False
    lines = head.stdout.decode("ascii", "replace").split("\n")  # (its top folder, shallow or not, the commit)
    if len(lines) < 3 or lines[0] or not OBJECT_ID.fullmatch(lines[2]):
        return False
    tips = {branch_ref(name) for name in MAIN}
    return any(ref in tips and sha == lines[2] for sha, _, ref in
               (line.partition(" ") for line in refs.stdout.decode("utf-8", "surrogateescape").splitlines()))


def find(root: Path, base: str | None = None, env=None) -> Request | None:
    """The merge request CI is checking, or None when this is no merge-request check."""
    env = os.environ if env is None else env
    if not (base or (root / ".git").exists()):
        return None
    name = _base_from(root, base, env)
    if name is None:
        return None
    if not base and _is_tool(root, name):
        return None  # the tool's own repository: its history is the developers', not a school's
    base_sha = resolve_base(root, name)
    checkout = commit_id(root, "HEAD")
    if checkout is None:
        raise RepositoryError(f"{root}: 沒有任何提交，無法檢查合併請求",
                              en=f"{root}: nothing committed: no merge request to check")
    platform, author = _platform_author(env)
    # a CI job with no request (GitLab's "Run pipeline" on a branch, its pipeline before a request is
    # opened; GitHub's workflow_dispatch): nothing says who proposes the branch, and its green check
    # would stand on the commit a request shows; the commits' claims cannot stand in
    ci = "github" if env.get("GITHUB_ACTIONS") == "true" else "gitlab" if env.get("GITLAB_CI") == "true" else ""
    request = Request(name, base_sha, _own_head(root, checkout, base_sha), checkout,
                      platform=platform or ci, author=author, outside=bool(ci and not platform))
    _merge(root, request)
    return request


def _is_tool(root: Path, name: str) -> bool:
    """The tool's own repository: its base holds the package. Never asked of the working tree: a
    request's checkout holds whatever it committed (a `generator/__init__.py` once turned the
    request check into a plain validation that took the branch's commits for pushes to main,
    staff identities they claimed included)."""
    tip = _resolve(root, name)
    return bool(tip) and _git(root, "cat-file", "-e", f"{tip}:generator/__init__.py", check=False).returncode == 0


def _own_head(root: Path, checkout: str, base: str) -> str:
    """The request's head: a test merge's second parent (its first is on the base), else HEAD.

    Decided by the graph, not by who made the test merge: GitHub makes it in its own name or in
    the student's. A test merge adds nothing of its own: a merge whose tree is not the clean merge
    of its parents is the request itself (a branch's tip that a student merged into main and
    pushed, which GitLab checks out), judged with all it carries."""
    parents = _git(root, "rev-list", "--parents", "-n", "1", checkout).stdout.split()[1:]
    if len(parents) == 2 and _is_ancestor(root, parents[0], base) and not _is_ancestor(root, parents[1], base):
        merged = _git(root, "merge-tree", "--write-tree", *parents, check=False).stdout.split()[:1]
        if merged == [_git(root, "rev-parse", f"{checkout}^{{tree}}").stdout.strip()]:
            return parents[1]
    return checkout


def _merge(root: Path, request: Request) -> None:
    """The tree of merging the head into the base's tip, what changes, and the request's commits."""
    proc = _git(root, "merge-tree", "--write-tree", "--no-messages", "--name-only", "-z",
                request.base, request.head, check=False)
    out = proc.stdout.split("\0")
    if proc.returncode == 1:  # (the files' names as the request wrote them: escaped, as everything printed)
        names = sorted({printable(p) for p in out[1:] if p})
        raise RepositoryError(f"合併請求與 {request.base_name} 有衝突（{'、'.join(names)}）：請先把 {request.base_name} "
                              f"合併進你的分支、解決衝突後再推送",
                              en=f"the request conflicts with {request.base_name} ({', '.join(names)}): "
                                 f"merge {request.base_name} into your branch, resolve the conflicts and push again")
    if proc.returncode != 0:
        raise RepositoryError(f"git merge-tree: {proc.stderr.strip()}")
    request.tree = out[0].strip()
    diff = _git(root, "diff-tree", "-r", "--no-renames", "--name-status", "-z", request.base, request.tree)
    names = diff.stdout.strip("\0").split("\0")
    request.changes = [(names[i][:1], names[i + 1]) for i in range(0, len(names) - 1, 2)]
    # (with their Certified-by trailers: a request may not write its own certification beforehand)
    request.commits = history._log(root, request.head, "--not", request.base, trailers=True)  # noqa: SLF001


def of_head(root: Path, head: str, base: str = "main") -> Request:
    """A request known by its head (a ref of the queue), judged as its merge into `base`'s tip
    (origin's, where the clone's own is stale): what `licheng certify` checks before it merges a
    request for the teacher."""
    base = platform_branch(root, base)
    base_sha = resolve_base(root, base)
    request = Request(base, base_sha, head, head)
    _merge(root, request)
    return request
