"""Which files Git rewrites between its objects and the working tree: a `filter` (Git LFS's
among them), `ident`, `working-tree-encoding`. Such a file's working copy is not the bytes of the
blob Git names for it, so nothing read from one may be kept or served under the other's blob id;
and a record under one is not what Git holds (generator.records.loader makes it a finding).

Line endings are not among them: Git only turns LF into CRLF on checkout, which changes no parse
(generator.yaml counts a CRLF as one byte against its size limit too).

`git check-attr` runs only where some attributes file has a line that could set one of them on
a record or an attachment (`may_rewrite`): the usual school's files (none, or Git LFS's own
lines for attachments) cost no process.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

NAMES = ("filter", "ident", "working-tree-encoding")
WORDS = tuple(name.encode() for name in NAMES)
LFS = "filter=lfs"  # an attachment's Git LFS: its pointer blob is never cached (records.heads.read)
_GLOB = b"*?[]\\"


def may_rewrite(texts: list[bytes]) -> bool:
    """Could any line of these attributes files set a rewriting attribute on a record (a .yaml
    file: any filter) or an attachment (any but Git LFS's)? A line that only might is counted."""
    return any(_line_may_rewrite(line) for text in texts if any(word in text for word in WORDS)
               for line in text.splitlines())


def _line_may_rewrite(line: bytes) -> bool:
    line = line.strip()
    if not line or line.startswith(b"#") or not any(word in line for word in WORDS):
        return False
    if line.startswith((b"[attr]", b'"')):  # a macro's definition; a quoted pattern
        return True
    pattern, *settings = line.split()
    for setting in settings:
        name, _, value = setting.partition(b"=")
        if any(word in name for word in WORDS) and not name.startswith((b"-", b"!")):
            if name != b"filter" or value != b"lfs" or _may_match_yaml(pattern):
                return True
    return False


def _may_match_yaml(pattern: bytes) -> bool:
    """Could `pattern` match a path ending in .yaml? Whatever follows its last glob character is
    text the path must end with (case aside: core.ignorecase)."""
    tail = pattern[max(pattern.rfind(c) for c in _GLOB) + 1:].lower()
    return tail.endswith(b".yaml") or b".yaml".endswith(tail)


def texts_around(root: Path, own: bool = True, environ=os.environ) -> list[bytes]:
    """The attributes files Git applies to the repository at `root` besides those inside its
    record folders: its own .gitattributes (`own`: a revision's is read from the revision) and
    those of the folders above it up to the repository's top, $GIT_DIR/info/attributes, the
    user's and the system's; and a stand-in line that counts as rewriting where a Git
    configuration names an attributes file of its own (core.attributesFile)."""
    root = Path(root)
    texts = [read(str(root / ".gitattributes"))] if own else []
    top = root
    while not (top / ".git").exists() and top.parent != top:
        top = top.parent
        texts.append(read(str(top / ".gitattributes")))
    common = _common_dir(top, environ)
    home = environ.get("HOME", "")
    xdg = environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    files = [os.path.join(xdg, "git", "attributes")]
    configs = [os.path.join(home, ".gitconfig"), os.path.join(xdg, "git", "config"), environ.get("GIT_CONFIG_GLOBAL")]
    if not environ.get("GIT_ATTR_NOSYSTEM"):
        files.append("/etc/gitattributes")
    if not environ.get("GIT_CONFIG_NOSYSTEM"):
        configs.append(environ.get("GIT_CONFIG_SYSTEM") or "/etc/gitconfig")
    if common:
        files.append(os.path.join(common, "info", "attributes"))
        configs.append(os.path.join(common, "config"))
    texts += [read(path) for path in files]
    settings = b"".join(read(path) for path in configs if path) + "".join(
        value for key, value in environ.items() if key.startswith("GIT_CONFIG_")).encode("utf-8", "surrogateescape")
    if common is None or b"attributesfile" in settings.lower():
        texts.append(b"[attr]unknown ident")  # (a macro's definition: may_rewrite counts it)
    return texts


def _common_dir(top: Path, environ) -> str | None:
    """The repository's common Git folder (where info/attributes lives), from the files Git
    leaves: .git itself, or a worktree's `gitdir:` and its `commondir`; "" where there is no
    repository, None when unsure."""
    if environ.get("GIT_DIR") or environ.get("GIT_COMMON_DIR"):
        return environ.get("GIT_COMMON_DIR") or environ["GIT_DIR"]
    dot = top / ".git"
    if dot.is_dir():
        return str(dot)
    if not dot.exists():
        return ""
    text = read(str(dot)).decode("utf-8", "surrogateescape")
    if not text.startswith("gitdir: "):
        return None
    git_dir = top / text[len("gitdir: "):].strip()
    common = read(str(git_dir / "commondir")).decode("utf-8", "surrogateescape").strip()
    return str(git_dir / common) if common else str(git_dir)


def read(path: str) -> bytes:
    """The file's first megabyte, or nothing (absent, a folder, a symlink Git would not follow)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return b""
    try:
        return os.read(fd, 1 << 20)
    except OSError:
        return b""
    finally:
        os.close(fd)


def rewritten(root: Path, paths: list[str], rev: str | None = None) -> dict[str, str] | None:
    """path -> the rewriting attributes Git gives it (`ident`, `filter=lfs`, `filter=lfs ident`),
    for those of `paths` that have one: in the working tree, or (`rev`) as the revision's
    attributes files say. None when Git could not tell."""
    if not paths:
        return {}
    data = "\0".join(paths).encode("utf-8", "surrogateescape") + b"\0"
    command = ["git", "-C", str(root), "check-attr", "-z", "--stdin", *NAMES]
    if rev is None:
        proc = subprocess.run(command, input=data, capture_output=True)
    elif rev.startswith("-"):
        return None
    else:  # an index of the revision, whose .gitattributes `--cached` reads (Git 2.40's --source would do)
        import tempfile  # (only where an attributes file could rewrite: no usual run imports it)

        with tempfile.TemporaryDirectory(prefix="licheng-attributes-") as folder:
            env = {**os.environ, "GIT_INDEX_FILE": os.path.join(folder, "index")}
            if subprocess.run(["git", "-C", str(root), "read-tree", rev], env=env,
                              capture_output=True).returncode != 0:
                return None
            proc = subprocess.run(command[:4] + ["--cached"] + command[4:], input=data, env=env, capture_output=True)
    if proc.returncode != 0:
        return None
    fields = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    out: dict[str, str] = {}
    for path, name, value in zip(fields[0::3], fields[1::3], fields[2::3]):
        if value in ("unspecified", "unset") or (name == "working-tree-encoding"
                                                 and value.lower() in ("utf-8", "utf8")):  # (no conversion)
            continue
        said = name if value == "set" else f"{name}={value[:40]}"
        out[path] = f"{out[path]} {said}" if path in out else said
    return out
