"""`licheng migrate --lfs`: move the attachments already in a school's history into Git LFS.

It wraps `git lfs migrate import --everything` (every branch, tag and merge-request ref is
rewritten: each attachment becomes a pointer, .gitattributes is added from the first commit on)
and keeps the map of old to new commit ids, like every history rewrite, in
.git/licheng/commit-map (git-filter-repo's format: "old new" per line): acknowledgements name
commits, and GitLab's repository cleanup takes the map to drop the old objects.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from ..errors import LichengError, UsageError
from ..git.lfs import PATTERNS


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)


def to_lfs(root: Path) -> tuple[Path, int]:
    """Rewrite the history of `root`; return the commit map's path and the number of commits mapped."""
    if not shutil.which("git-lfs"):
        raise LichengError("需要 git-lfs（例如 apt-get install git-lfs）", en="git-lfs is needed (e.g. apt-get install git-lfs)")
    if _git(root, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        raise UsageError(f"{root}: 不是有提交的 Git 儲存庫", en=f"{root}: not a Git repository with commits")
    if _git(root, "status", "--porcelain", "--untracked-files=no").stdout.strip():
        raise UsageError("工作目錄有未提交的變更：請先提交或還原",
                         en="the working tree has uncommitted changes: commit or restore them first")
    git_dir = Path(_git(root, "rev-parse", "--absolute-git-dir").stdout.strip())
    target = git_dir / "licheng" / "commit-map"
    target.parent.mkdir(parents=True, exist_ok=True)
    install = _git(root, "lfs", "install", "--local")
    if install.returncode != 0:
        raise LichengError(f"git lfs install: {install.stderr.strip()}")
    with tempfile.TemporaryDirectory(prefix="licheng-migrate-") as tmp:
        csv = Path(tmp) / "object-map"
        proc = _git(root, "lfs", "migrate", "import", "--everything", "--yes", f"--object-map={csv}",
                    "--include=" + ",".join(PATTERNS))
        if proc.returncode != 0:
            raise LichengError(f"git lfs migrate import: {proc.stderr.strip()[-2000:]}")
        pairs = [line.split(",", 1) for line in csv.read_text().splitlines() if "," in line]
    _git(root, "lfs", "checkout")  # pointers in the working tree become the files again
    if target.exists():  # an earlier rewrite's map is kept beside it
        target.rename(target.with_name(f"commit-map.{time.strftime('%Y%m%d%H%M%S')}"))
    target.write_text("old new\n" + "".join(f"{old} {new}\n" for old, new in pairs), "utf-8")
    return target, len(pairs)
