"""Files as they stood at a commit, parsed. `commit:path` names the same content forever, so
what one run parsed is kept in licheng's cache (generator.cache: by repository, signed, ignored
when damaged) and the next run reads it there instead of asking Git and parsing again.

Each reader has its own cache file (`name`), holding the files it asked for in its last run,
written once at the end of the run (`flush`); a history read without the cache (`licheng
validate --no-cache`) neither reads nor writes it.
"""

from __future__ import annotations

from pathlib import Path

from .. import cache
from ..yaml import YamlProblem, load_bytes
from .objects import read_folders, read_objects


class Files:
    """`text`: each file is kept as its lines of text (generator.git.lines) instead of parsed."""

    def __init__(self, root: Path, name: str, use_cache: bool, text: bool = False):
        self.root, self.name, self.use_cache, self.text = root, name, use_cache, text
        body = cache.read(root, name) if use_cache else None
        files, entries = (body.get("files"), body.get("entries")) if body else (None, None)
        self._stored: dict = files if isinstance(files, dict) else {}  # spec -> packed parse
        self._kept: dict = {}  # what this run asked for: the next run's cache
        self._stored_entries: dict = entries if isinstance(entries, dict) else {}  # spec -> tree entry
        self._entries: dict[str, str] = {}  # the entries this run asked for (the next run's cache)
        self._dirty = False  # something was parsed or read anew: the cache file is to be written

    def parsed(self, specs: list[str], entries: bool = False) -> dict[str, object]:
        """The parsed YAML (with `text`: the lines) of each `commit:path` spec (None: no such file,
        or no YAML). With `entries`, the specs' tree entries that `entries` gives are read too (by
        the same `git cat-file`, where some must be read)."""
        out, missing = {}, []
        for spec in specs:
            try:
                packed = self._kept[spec] if spec in self._kept else self._stored[spec]
                out[spec] = _text(packed) if self.text else cache.unpack(packed)
                self._kept[spec] = packed
            except (KeyError, IndexError, TypeError, AttributeError):  # not there, or damaged
                missing.append(spec)
        folders = self._unknown_folders(specs) if entries else []
        if not missing and not folders:
            return out
        blobs, trees = read_objects(self.root, missing, folders)
        self._keep_entries(specs, trees)
        if not missing:
            return out
        absent = _absent(self.root, [spec for spec in missing if spec not in blobs])
        for spec in missing:
            try:
                out[spec] = None if spec not in blobs else text_lines(blobs[spec]) if self.text \
                    else load_bytes(blobs[spec])
            except YamlProblem:
                out[spec] = None
            if spec not in blobs and spec not in absent:
                continue  # the commit has the file but this clone lacks its content: no fact to keep
            try:
                self._kept[spec] = out[spec] if self.text else cache.pack(out[spec])
                self._dirty = True
            except TypeError:
                pass  # (a tree JSON cannot hold: parsed again next time)
        return out

    def entries(self, specs: list[str]) -> dict[str, str]:
        """`commit:path` spec -> the entry ("mode id") the commit's tree holds at the path ("":
        none), as generator.git.objects.tree_entries gives it: a fact of the commit, cached like
        the parses."""
        folders = self._unknown_folders(specs)
        if folders:
            self._keep_entries(specs, read_folders(self.root, folders))
        return {spec: self._entries.get(spec, "") for spec in specs}

    def _unknown_folders(self, specs: list[str]) -> list[str]:
        """The folders to read for the entries of `specs` neither this run nor the cache knows."""
        for spec in specs:
            entry = self._stored_entries.get(spec)
            if spec not in self._entries and type(entry) is str:
                self._entries[spec] = entry
        return list(dict.fromkeys(_folder(spec)[0] for spec in specs if spec not in self._entries))

    def _keep_entries(self, specs: list[str], trees: dict[str, dict[str, str]]) -> None:
        """The entries of `specs` in the folders read (`trees`); a folder this clone lacks tells none."""
        for spec in specs:
            folder, name = _folder(spec)
            if spec not in self._entries and folder in trees:
                self._entries[spec] = trees[folder].get(name, "")
                self._dirty = True

    def flush(self) -> None:
        if self.use_cache and self._dirty:
            body = {"files": self._kept, "entries": self._entries} if self._entries else {"files": self._kept}
            cache.write(self.root, self.name, body)
            self._dirty = False


def _folder(spec: str) -> tuple[str, str]:
    """`commit:a/b.yaml` -> (`commit:a`, b.yaml)."""
    rev, _, path = spec.partition(":")
    folder, _, name = path.rpartition("/")
    return f"{rev}:{folder}", name


def text_lines(data: bytes | None) -> list[str]:
    """A file's lines; none for a file that is no text (a NUL in its start, as git judges it):
    a PDF's or a picture's "line" is nowhere a reader could look."""
    if not data or b"\0" in data[:8000]:
        return []
    return data.decode("utf-8", "replace").splitlines()


def _text(kept) -> list[str] | None:
    """A file's lines as the cache holds them (TypeError: damaged)."""
    if kept is None or (type(kept) is list and all(type(line) is str for line in kept)):
        return kept
    raise TypeError(kept)


def _absent(root: Path, specs: list[str]) -> set[str]:
    """The `commit:path` specs whose commit holds no such path. Git says "missing" alike for a path
    the commit does not have (a fact about it) and for content this clone lacks (a partial or
    damaged clone: not one), so the folders on the way to each path are read (one `git cat-file`
    for all): a path is absent when a folder this clone has lacks its next name."""
    steps = {spec: _steps(spec) for spec in specs}
    folders = read_folders(root, list(dict.fromkeys(folder for walk in steps.values() for folder, _ in walk)))
    absent = set()
    for spec, walk in steps.items():
        for folder, name in walk:
            if folder not in folders:
                break  # a folder this clone lacks (or a file where a folder was named): nothing known
            if name not in folders[folder]:
                absent.add(spec)
                break
    return absent


def _steps(spec: str) -> list[tuple[str, str]]:
    """`commit:a/b.yaml` -> (`commit:`, a), (`commit:a`, b.yaml): each folder and the name looked up in it."""
    commit, _, path = spec.partition(":")
    parts = path.split("/")
    return [(f"{commit}:{'/'.join(parts[:i])}", name) for i, name in enumerate(parts)]


def files(records, name: str, repository=None, text: bool = False) -> Files:
    """The reader `name`'s files of the repository whose history certification reads, or of
    `repository` (one of the school's, its history read): one per run."""
    readers = records.memo("committed", dict)
    root, history = (records.history_root, records.history) if repository is None else \
        (repository.root, records.histories[repository.name])
    key = name if repository is None else (str(root), name)
    if key not in readers:
        readers[key] = Files(root, name, history.use_cache, text)
    return readers[key]


def flush(records) -> None:
    """Write what this run's readers parsed anew into the cache, each file once."""
    for reader in records.memo("committed", dict).values():
        reader.flush()


def taken(records) -> list[list]:
    """What this run's readers hold for the next run's cache (the parses they were asked for),
    as plain data (lists, no tuples) another process of the same run can `adopt`."""
    return [[list(key) if isinstance(key, tuple) else key, str(r.root), r.name, r.use_cache, r.text, r._kept, r._dirty,
             r._entries] for key, r in records.memo("committed", dict).items() if r._kept or r._entries]


def adopt(records, taken_elsewhere: list[tuple]) -> None:
    """Add what another process's readers hold (`taken`) to this process's, as if this process
    had asked for those files itself."""
    readers = records.memo("committed", dict)
    for key, root, name, use_cache, text, kept, dirty, entries in taken_elsewhere:
        key = tuple(key) if isinstance(key, list) else key
        reader = readers.get(key)
        if reader is None:
            reader = readers[key] = Files(Path(root), name, False, text)
            reader.use_cache = use_cache
        for spec, packed in kept.items():
            reader._kept.setdefault(spec, packed)
        for spec, entry in entries.items():
            reader._entries.setdefault(spec, entry)
        reader._dirty = reader._dirty or dirty
