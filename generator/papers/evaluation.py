"""The §11 evaluation as CSV (UTF-8 with BOM, for Excel); the rows come from records.evaluation."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..records.evaluation import HEADER, evaluation
from .export import csv_cell


def evaluation_csv(records, year: int, out: Path | None) -> tuple[list, bytes]:
    rows = evaluation(records, year)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([csv_cell(c) for c in row] for row in rows)
    data = text.getvalue().encode("utf-8-sig")
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_bytes(data)
    return rows, data
