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
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import dates
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


def blocking(records, semester: str, findings) -> list[dict]:
    """The errors that stand against the semester's export: unacknowledged errors in the rows it
    would export, or in a file that may feed it but could not be read (its rows are unknown)."""
    paths, folders = exported_paths(records, semester)
    unreadable = {d.path for d in records.documents if not d.valid}

    def blocks(f) -> bool:
        if f.severity != "error" or getattr(f, "acknowledged", False):
            return False
        if f.path in paths or f.path.startswith(folders):
            return True
        return f.path in unreadable and feeds_export(records, semester, f.path)

    return [f.as_dict() for f in sorted(findings, key=lambda f: (f.path, f.line or 0, f.rule)) if blocks(f)]


# -- the export ----------------------------------------------------------------------------

def _cell(value) -> str:
    """A record's text as a CSV cell; one that Excel would run as a formula gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.match(text) else text


_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _csv(book: Book, items: list[Item]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([header for header, _ in book.columns])
    for it in items:
        writer.writerow([_cell(fn(it)) for _, fn in book.columns])
    return text.getvalue().encode("utf-8-sig")


def export(records, semester: str, out: Path, force: bool = False, findings=None) -> ExportReport:
    """Write the semester's books and manifest.json into `out`.

    `findings`: the validation findings of these records (validate()'s result.findings);
    None validates anew. Errors on a file feeding the export block it (report.blocking,
    nothing written) unless `force`."""
    import time

    started = time.perf_counter()
    if findings is None:
        from ..validate import validate

        when = records.now.isoformat() if records.now else None
        findings = validate(records.root, when, history=records.history is not None)[1].findings
    report = ExportReport(semester=semester, out=Path(out))
    report.blocking = blocking(records, semester, findings)
    if report.blocking and not force:
        report.seconds = time.perf_counter() - started
        return report
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest_files = []
    report.counts = dict.fromkeys(CATEGORIES, 0)
    for book in BOOKS:
        items = book.rows(records, semester)
        raw = _csv(book, items)
        (out / book.file).write_bytes(raw)
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
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
    report.files.append(out / "manifest.json")
    report.written = True
    report.seconds = time.perf_counter() - started
    return report
