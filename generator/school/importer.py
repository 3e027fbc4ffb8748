"""`licheng import`: rows from the administration system → record files, all or nothing.

plan() reads the table and the school's current files and returns every file it would add or
change, or the problems of every bad row (named by the row number the spreadsheet shows and the
student number); nothing is written unless the whole table is good. Applying writes only files
whose data changes, so a second import of the same file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import dates, layout
from ..errors import LichengError
from ..yaml import YamlProblem, load_bytes
from . import rows as kinds
from .tables import Table, read_table, require, unreadable_yaml
from .yamlout import block_entry, block_mapping, flow


@dataclass
class Problem:
    row: int
    student: str
    message: str
    en: str = ""  # the message in English
    column: tuple[str, str] | None = None  # the cell's column: its letter and its header as the file reads it

    def __str__(self) -> str:
        return self.text("zh-TW")

    def place(self) -> tuple:
        """Sorts as the sheet reads: by row, then the row's own problems before its cells' from left to right."""
        letter = self.column[0] if self.column else ""
        return self.row, len(letter), letter

    def text(self, lang: str | None) -> str:
        letter, header = self.column or ("", "")
        if lang == "en":
            where = f", column {letter} ({header})" if self.column else ""
            return f"row {self.row}{f' (student {self.student})' if self.student else ''}{where}: {self.en or self.message}"
        where = f"，{letter} 欄「{header}」" if self.column else ""
        return f"第 {self.row} 列{f'（學號 {self.student}）' if self.student else ''}{where}：{self.message}"


@dataclass
class Change:
    path: str
    action: str  # add | change
    text: str
    what: list = field(default_factory=list)  # a record's changed fields, or words: (Chinese, English)


@dataclass
class Plan:
    kind: str
    semester: str
    table: Table
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unchanged: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh-TW, en): what the file leaves unsaid

    def apply(self, root: Path) -> None:
        for change in self.changes:
            target = root / change.path
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".licheng-tmp")
            temporary.write_text(change.text, "utf-8", newline="\n")
            temporary.replace(target)


class School:
    """The files an import reads: the repository's own, and the portfolio's for a registry."""

    def __init__(self, root: Path):
        self.root = root
        self.portfolio = self._portfolio()

    def _portfolio(self) -> Path | None:
        registry = self.load("records/registry.yaml")
        where = registry.get("portfolio") if isinstance(registry, dict) else None
        if isinstance(where, str) and "://" not in where and (self.root / where / "records").is_dir():
            return (self.root / where).resolve()
        return None

    def load(self, rel: str, root: Path | None = None):
        path = (root or self.root) / rel
        if not path.is_file():
            return None
        try:
            return load_bytes(path.read_bytes())
        except YamlProblem as problem:
            zh, en = unreadable_yaml(path, problem)
            raise LichengError(f"{zh}；請先修正再匯入", en=f"{en}; fix it before importing") from None

    def shared(self, rel: str):
        """A file the registry takes from its portfolio (staff, courses, schedules)."""
        own = self.load(rel)
        if own is None and self.portfolio:
            return self.load(rel, self.portfolio)
        return own

    def students(self) -> dict[str, dict]:
        folder = self.root / "records/students"
        out = {}
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
            data = self.load(f"records/students/{path.name}")
            if isinstance(data, dict):
                out[path.stem] = data
        return out

    def modeline(self, rel: str, kind: str) -> str:
        if not (self.root / layout.SCHEMA_DIR / f"{kind}.schema.json").is_file():
            return ""
        return layout.modeline(rel, kind)

    def header(self, rel: str, kind: str) -> str:
        """The comment lines an existing file starts with (kept), else a modeline for a new one."""
        path = self.root / rel
        if path.is_file():
            lines = path.read_text("utf-8").splitlines(True)
            kept = []
            for line in lines:
                if not line.startswith("#"):
                    break
                kept.append(line)
            return "".join(kept)
        return self.modeline(rel, kind)


def _diff(old: dict | None, new: dict) -> list[str]:
    """A record's changed fields as its file names them; of a mapping (classes), the changed keys
    only (`classes.115-1: 102 → 101`, never two Python dicts)."""
    if old is None:
        return []
    out = []
    for k in new:
        before, after = old.get(k), new.get(k)
        if before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict):
            out += [f"{k}.{key}: {before.get(key, '—')} → {after.get(key, '—')}" for key in {**before, **after}
                    if before.get(key) != after.get(key)]
        else:
            out.append(f"{k}: {before!s} → {after!s}")
    return out


def _render(style: str, data) -> str:
    if style == "mapping":
        return block_mapping(data)
    if not data:
        return "[]\n"
    if style == "entries":
        return "".join(block_entry(item) for item in data)
    return "".join(f"- {flow(item)}\n" for item in data)  # "lines": one flow mapping per line


def plan(kind: str, path: Path, root: Path, semester: str | None, now, mapping: dict | None = None) -> Plan:
    if kind not in kinds.KINDS:
        raise LichengError(f"不認得的匯入種類 {kind}；可用：{', '.join(kinds.KINDS)}",
                           en=f"no import of {kind}: {', '.join(kinds.KINDS)}")
    table = read_table(path, mapping)
    spec = kinds.KINDS[kind]
    require(table, spec.required)
    semester = semester or dates.semester_of(now)
    school = School(root)
    result = Plan(kind, semester, table)
    files = spec.convert(table, school, semester, result.problems)
    if result.problems:
        result.problems.sort(key=Problem.place)
        return result
    if kind == "students":
        result.notes = kinds.absent(table, school, semester)
    for rel, (data, style, schema) in files.items():
        old = school.load(rel)
        if old == data:
            result.unchanged += 1
            continue
        head = school.header(rel, schema)
        existing = (root / rel).read_text("utf-8") if old is not None else ""
        if isinstance(old, list) and old and data[:len(old)] == old:  # only additions: append, keep every comment
            text = existing.rstrip("\n") + "\n" + _render(style, data[len(old):])
        elif isinstance(old, list) and not old:  # the empty file `licheng init` writes
            text = "".join(line for line in existing.splitlines(True) if line.strip() != "[]") + _render(style, data)
        else:
            text = head + _render(style, data)
        action = "add" if old is None else "change"
        what = _diff(old, data) if isinstance(old, dict) and isinstance(data, dict) else []
        if isinstance(old, list):
            what = [(f"{len(data) - len(old):+d} 筆", f"{len(data) - len(old):+d} entries") if len(data) != len(old)
                    else ("內容更新", "updated")]
        result.changes.append(Change(rel, action, text, what))
    return result
