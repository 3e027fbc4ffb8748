"""`purge --rewrite-history`: erase the purged students from every commit, and nothing else.

git-filter-repo runs with a file-info callback (this module's `file_info`, in its own process):
a purged student's own files are dropped from every commit; in every version of a shared file
(grades, cadres, counseling, working group, a portfolio's roster) only that student's own entries are
cut out, by the same line edit `purge --apply` makes. No other file is ever touched, whatever text it holds. Their
commit identities become an anonymous one and their number, name and ID leave commit messages.

Before it finishes it checks that every current file other than the acknowledgements is
byte-identical to before; otherwise every ref is restored from a bundle taken at the start.
The commit map (old → new ids) stays in .git/filter-repo/commit-map, and the commit ids named
in records/acknowledgements.yaml are re-keyed through it in the working tree, for the academic
director or principal to commit (only they change that file). The audit start is a commit found
by content (the first to set audit_since), so it follows the rewrite by itself.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

from .. import layout
from ..yaml import YamlProblem, loads
from .entries import SHARED_KINDS, edit_shared, shared_entries
from .purge import PurgeFailed, _git

ACKNOWLEDGEMENTS = "records/acknowledgements.yaml"


def _tree(root: Path) -> dict[str, str]:
    listing = _git(root, "ls-tree", "-r", "-z", "HEAD")
    return {entry.split("\t", 1)[1]: entry.split("\t", 1)[0].split()[2] for entry in filter(None, listing.split("\0"))}


# -- inside git-filter-repo's process ------------------------------------------------------------

_CONFIG: dict = {}


def file_info(filename: bytes, mode: bytes, blob_id, value, config_path: str):
    """git-filter-repo's file-info callback: (filename or None to drop, mode, blob id)."""
    if not _CONFIG:
        _CONFIG.update(json.loads(Path(config_path).read_text("utf-8")))
        _CONFIG["own"] = re.compile(_CONFIG["own_pattern"])
    path = filename.decode("utf-8", "surrogateescape")
    if _CONFIG["own"].match(path):
        return None, mode, blob_id
    kind = layout.classify(path) if path.endswith(".yaml") else None
    if kind is None or kind[0] not in SHARED_KINDS or mode == b"120000":
        return filename, mode, blob_id
    raw = value.get_contents_by_identifier(blob_id)
    if not any(no.encode() in raw for no in _CONFIG["students"]):
        return filename, mode, blob_id
    edited = without_students(path, kind, raw, set(_CONFIG["students"]))
    if edited is None or edited == raw:
        return filename, mode, blob_id
    return filename, mode, value.insert_file_with_contents(edited)


def without_students(path: str, kind: tuple, raw: bytes, gone: set[str]) -> bytes | None:
    """A shared file's bytes without the entries of `gone`; None when the version cannot be read."""
    from ..records.model import Document

    try:
        text = raw.decode("utf-8-sig")
        data = loads(text)
    except (UnicodeDecodeError, YamlProblem):
        return None
    doc = Document(path=path, kind=kind[0], keys=kind[1], data=data, loaded=True, valid=True)
    entries = shared_entries(doc, gone)
    if not entries:
        return raw
    new, _, _ = edit_shared(text, data, entries)
    return new.encode("utf-8")


# -- the run ---------------------------------------------------------------------------------------

def _own_pattern(students: list[str]) -> str:
    numbers = "|".join(re.escape(no) for no in students)
    return (rf"^records/(students/({numbers})\.yaml|(outcomes|performances)/[^/]+/({numbers})/"
            rf"|selections/[^/]+/({numbers})\.yaml)")


def _rekey_acknowledgements(root: Path, commit_map: dict[str, str]) -> bool:
    """Commit ids in the acknowledgements file, old → new (same length); True when any changed."""
    target = root / ACKNOWLEDGEMENTS
    if not target.is_file():
        return False
    text = target.read_text("utf-8")

    def new_id(m: re.Match) -> str:
        old = m.group(2).lower()
        found = [new for sha, new in commit_map.items() if sha.startswith(old)]
        return m.group(1) + (found[0][: len(old)] if len(found) == 1 else m.group(2))

    edited = re.sub(r"(^\s*-?\s*commit:\s*[\"']?)([0-9a-fA-F]{7,40})", new_id, text, flags=re.M)
    if edited == text:
        return False
    target.write_text(edited, "utf-8")
    return True


def rewrite_history(root: Path, students: list[str], message_expressions: bytes, mailmap: str,
                    command: list[str]) -> tuple[Path, bool]:
    """Run git-filter-repo over every ref; (the commit map's path, whether the acknowledgements file was
    re-keyed in the working tree: an academic director or principal commits it, as every change to it).
    RuntimeError, with the history restored, when any current file changed."""
    root = Path(root)
    before = _tree(root)
    package_parent = str(Path(__file__).resolve().parents[2])
    with tempfile.TemporaryDirectory(prefix="licheng-purge-") as tmp:
        tmp = Path(tmp)
        bundle = tmp / "before.bundle"
        _git(root, "bundle", "create", "-q", str(bundle), "--all")
        config = tmp / "config.json"
        config.write_text(json.dumps({"students": students, "own_pattern": _own_pattern(students)}), "utf-8")
        (tmp / "messages.txt").write_bytes(message_expressions)
        (tmp / "mailmap").write_text(mailmap, "utf-8")
        callback = ("from generator.maintenance.rewrite import file_info\n"
                    f"return file_info(filename, mode, blob_id, value, {str(config)!r})\n")
        args = [*command, "--force", "--prune-empty", "never", "--prune-degenerate", "never",
                "--file-info-callback", callback,
                "--replace-message", str(tmp / "messages.txt")]
        if mailmap:
            args += ["--mailmap", str(tmp / "mailmap")]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")]))}
        proc = subprocess.run(args, cwd=root, capture_output=True, env=env)
        if proc.returncode != 0:
            _restore(root, bundle)
            said = proc.stderr.decode("utf-8", "replace").strip()[-2000:]
            raise PurgeFailed("git-filter-repo 執行失敗：" + said, en="git-filter-repo failed: " + said)
        commit_map_path = Path(_git(root, "rev-parse", "--git-path", "filter-repo/commit-map"))
        commit_map_path = commit_map_path if commit_map_path.is_absolute() else root / commit_map_path
        commit_map = dict(line.split()[:2] for line in commit_map_path.read_text().splitlines()[1:] if line.strip())
        after = _tree(root)
        changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p) and p != ACKNOWLEDGEMENTS)
        if changed:
            _restore(root, bundle)
            raise PurgeFailed("改寫後的歷史會改變目前的檔案，已復原：" + "、".join(changed[:10]),
                              en="the rewritten history changed current files, so it was undone: " + ", ".join(changed[:10]))
        rekeyed = _rekey_acknowledgements(root, commit_map)
    return commit_map_path, rekeyed


def _restore(root: Path, bundle: Path) -> None:
    _git(root, "fetch", "-q", "--force", "--update-head-ok", str(bundle), "refs/*:refs/*")
    _git(root, "reset", "-q", "--hard", "HEAD")
