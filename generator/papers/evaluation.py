"""The §11 evaluation as CSV (UTF-8 with BOM, for Excel); the rows come from records.evaluation."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..records.evaluation import HEADER, evaluation


def _safe(cell: str) -> str:
    """A cell a spreadsheet never runs as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") and not cell.replace(".", "").lstrip("-").isdigit() else cell


def evaluation_csv(records, year: int, out: Path | None) -> tuple[list, bytes]:
    rows = evaluation(records, year)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([_safe(c) for c in row] for row in rows)
    data = text.getvalue().encode("utf-8-sig")
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_bytes(data)
    return rows, data
