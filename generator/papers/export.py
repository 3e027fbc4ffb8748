"""The files a school submits to the central database for one semester (§5.5, §6).

One CSV per book of generator.export_books (UTF-8 with BOM and CRLF line ends, so that
Excel shows Chinese) and a manifest.json with each file's row count and SHA-256, the school
code, the semester and the moment ("now") it was made. Unacknowledged errors in the rows it
would export block it, unless forced.

THE COLUMN MAPPING (export_books.BOOKS) IS A MODEL: check it against the school's current
official upload template of the day before submitting. Counseling records are never
exported (§5.5).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
import time

from .. import dates
from ..errors import LichengError
from ..records.books import BOOKS, CATEGORIES, Book, Item, export_counts, on_roll  # noqa: F401  (export_counts: old home)

__all__ = ["BOOKS", "CATEGORIES", "ExportReport", "blocking", "exported_paths", "export", "export_counts", "feeds_export", "on_roll"]

@dataclass
class ExportReport:
    semester: str
    out: Path
    written: bool = False
    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # category -> rows
    rows: dict[str, int] = field(default_factory=dict)  # file name -> rows
    blocking: list[dict] = field(default_factory=list)  # {rule, severity, path, line, message}
    seconds: float = 0.0


# -- what blocks an export ---------------------------------------------------------------

def feeds_export(records, semester: str, path: str) -> bool:
    """Is the file at `path` one the semester's export is made from (or may be)?"""
    year = str(dates.academic_year(semester))
    if path == "records/school.yaml" or path in (f"records/courses/{semester}.yaml", f"records/cadres/{semester}.yaml"):
        return True
    prefixes = (f"records/grades/{semester}/", f"records/performances/{year}/", f"records/selections/{year}/",
                *(f"records/outcomes/{sem}/" for sem in dates.semesters_of_year(int(year))))
    if path.startswith(prefixes):
        return True
    if path.startswith("records/students/"):
        no = PurePosixPath(path).stem
        # a student file that cannot be read may be one of the semester's students
        return no not in records.students or on_roll(records, records.students[no], semester)
    return False


def exported_paths(records, semester: str) -> tuple[set[str], tuple[str, ...]]:
    """The files the semester's rows are made from, and the folders of their attachments."""
    year = str(dates.academic_year(semester))
    paths = {"records/school.yaml", f"records/courses/{semester}.yaml"}
    folders = set()
    for book in BOOKS:
        for it in book.rows(records, semester):
            no = str(it.student.get("student_no") or "")
            paths.update((f"records/students/{no}.yaml", f"records/selections/{year}/{no}.yaml"))
            if it.path:
                paths.add(it.path)
                if it.path.startswith(("records/outcomes/", "records/performances/")):
                    folders.add(it.path.rsplit("/", 1)[0] + "/")
    return paths, tuple(sorted(folders))


def blocking(records, semester: str, findings, lang: str = "zh-TW") -> list[dict]:
    """The errors that stand against the semester's export: unacknowledged errors in the rows it
    would export, or in a file that may feed it but could not be read (its rows are unknown), or a
    staff list that cannot be read (ref.unchecked: no outcome's certification can be told without it)."""
    paths, folders = exported_paths(records, semester)
    unreadable = {d.path for d in records.documents if not d.valid}

    def blocks(f) -> bool:
        if f.severity != "error" or getattr(f, "acknowledged", False):
            return False
        if f.path in paths or f.path.startswith(folders) or f.rule == "ref.unchecked":
            return True
        return f.path in unreadable and feeds_export(records, semester, f.path)

    return [f.as_dict(lang) for f in sorted(findings, key=lambda f: (f.path, f.line or 0, f.rule)) if blocks(f)]


# -- the export ----------------------------------------------------------------------------

def csv_cell(value) -> str:
    """A record's text as a CSV cell; one that Excel would run as a formula gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.match(text) else text


_cell = csv_cell  # the old name
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _csv(book: Book, items: list[Item]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([header for header, _ in book.columns])
    for it in items:
        writer.writerow([csv_cell(fn(it)) for _, fn in book.columns])
    return text.getvalue().encode("utf-8-sig")


def export(records, semester: str, out: Path, force: bool = False, findings=None) -> ExportReport:
    """Write the semester's books and manifest.json into `out`.

    `findings`: the validation findings of these records (validate()'s result.findings);
    None validates anew. Errors on a file feeding the export block it (report.blocking,
    nothing written) unless `force`."""
    started = time.perf_counter()
    if findings is None:
        from ..validate import validate

        when = records.now.isoformat() if records.now else None
        findings = validate(records.root, when, history=records.history is not None,
                            repositories=records.repositories or None, everything=True)[1].findings
    report = ExportReport(semester=semester, out=Path(out))
    report.blocking = blocking(records, semester, findings)
    if report.blocking and not force:
        report.seconds = time.perf_counter() - started
        return report
    out = Path(out)
    refuse_target(out, semester)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.licheng-", dir=out.parent))
    try:
        _write(records, semester, tmp, report)
        _move_into_place(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report.files = [out / p.name for p in report.files]
    report.written = True
    report.seconds = time.perf_counter() - started
    return report


class ExportRefused(LichengError, ValueError):
    """The output folder holds something this export must not replace."""


def refuse_target(out: Path, semester: str) -> None:
    """An export goes into a new or empty folder, or replaces an earlier licheng export of the same
    semester (a folder holding only that export's files). Never through a symlink."""
    if out.is_symlink():
        raise ExportRefused(f"{out}: 是符號連結，不會寫入", en=f"{out}: a symbolic link; not written")
    if not out.exists():
        return
    if not out.is_dir():
        raise ExportRefused(f"{out}: 不是資料夾", en=f"{out}: not a folder")
    names = {p.name for p in out.iterdir()}
    if not names:
        return
    try:
        manifest = json.loads((out / "manifest.json").read_bytes()) if not (out / "manifest.json").is_symlink() else None
        ours = {"manifest.json", *(f["file"] for f in manifest["files"])}
        earlier = manifest["semester"]
    except (OSError, ValueError, KeyError, TypeError):
        raise ExportRefused(f"{out}: 資料夾不是空的，也不是 licheng 的匯出；請指定新的資料夾",
                            en=f"{out}: not empty and not a licheng export: choose a new folder") from None
    if earlier != semester:
        raise ExportRefused(f"{out}: 內有 {earlier} 學期的匯出，不會以 {semester} 覆蓋；請指定新的資料夾",
                            en=f"{out}: holds the export of {earlier}, which {semester} does not replace: "
                               "choose a new folder")
    if not names <= ours or any((out / n).is_symlink() or not (out / n).is_file() for n in names):
        raise ExportRefused(f"{out}: 除了先前的匯出還有其他檔案；請指定新的資料夾",
                            en=f"{out}: holds files besides the earlier export: choose a new folder")


def _move_into_place(tmp: Path, out: Path) -> None:
    """The finished folder replaces `out` by rename (an earlier export is moved aside, then removed)."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, old / "export")
    os.chmod(tmp, 0o755)  # mkdtemp made it private
    os.rename(tmp, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _create(path: Path, raw: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)


def _write(records, semester: str, out: Path, report: ExportReport) -> None:
    """The books, then the manifest (last: a folder without one is no finished export)."""
    manifest_files = []
    report.counts = dict.fromkeys(CATEGORIES, 0)
    for book in BOOKS:
        items = book.rows(records, semester)
        raw = _csv(book, items)
        _create(out / book.file, raw)
        report.files.append(out / book.file)
        report.rows[book.file] = len(items)
        report.counts[book.category] += len(items)
        manifest_files.append({"file": book.file, "book": book.title, "category": book.category,
                               "rows": len(items), "bytes": len(raw), "sha256": hashlib.sha256(raw).hexdigest()})
    manifest = {
        "school_code": str(records.school.get("code", "")),
        "school": records.school.get("name", ""),
        "semester": semester,
        "generated_at": records.now.isoformat() if records.now else None,
        "note": "欄位對照為依公開資料建立之模型，提交前請以當期國教署正式範本核對（generator/export.py BOOKS）",
        "forced": bool(report.blocking),
        "blocking": report.blocking,
        "counts": report.counts,
        "files": manifest_files,
    }
    _create(out / "manifest.json", (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    report.files.append(out / "manifest.json")
