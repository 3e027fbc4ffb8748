"""The demo's attachments as the history stores them: small shared files by default; with
`sizes`, a distinct file of a realistic size per path (0.5–2 MB, incompressible, the same
bytes for the same path and seed); with `lfs`, a Git LFS pointer in history and the object in
.git/lfs/objects (as `git lfs` itself would store it)."""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

from ..errors import LichengError
from ..git import lfs as lfs_files


class Attachments:
    def __init__(self, target: Path, shared: dict[str, bytes], *, lfs: bool = False,
                 sizes: tuple[float, float] | None = None, seed: int = 1):
        self.shared, self.lfs, self.sizes, self.seed = shared, lfs, sizes, seed
        self.store = Path(target) / ".git" / "lfs" / "objects"
        if lfs and not shutil.which("git-lfs"):
            raise LichengError("--lfs 需要 git-lfs（例如 apt-get install git-lfs）",
                               en="--lfs needs git-lfs (e.g. apt-get install git-lfs)")

    @property
    def plain(self) -> bool:
        """Shared blobs as they are: nothing to make per path."""
        return not self.lfs and self.sizes is None

    def content(self, path: str, name: str) -> bytes:
        data = self.shared[name]
        if self.sizes is not None:
            rng = random.Random(f"{self.seed}:{path}")
            size = int(rng.uniform(*self.sizes) * 1024 * 1024)
            data = data + rng.randbytes(max(0, size - len(data)))
        if not self.lfs:
            return data
        oid = hashlib.sha256(data).hexdigest()
        target = self.store / oid[:2] / oid[2:4] / oid
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return lfs_files.pointer_bytes(oid, len(data))
