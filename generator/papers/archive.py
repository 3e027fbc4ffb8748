"""A student's own archive (§7.2): a zip of their outcomes, performances and selections with their
attachments, and a summary page (summary.html) of what they are and where each stands — the
backup students are told to keep in their own cloud storage.

Only the student's own folders are read; symbolic links are skipped, never followed.
"""

from __future__ import annotations

import html
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .. import dates
from .sheets import CATEGORIES, STATES


@dataclass
class ArchiveReport:
    path: Path
    files: int
    outcomes: int
    performances: int


def _own_files(root: Path, no: str) -> list[str]:
    out = []
    for pattern in (f"records/outcomes/*/{no}/*", f"records/performances/*/{no}/*", f"records/selections/*/{no}.yaml"):
        for path in sorted(root.glob(pattern)):
            if path.is_symlink() or not path.is_file() or root.resolve() not in path.resolve().parents:
                continue
            out.append(path.relative_to(root).as_posix())
    return out


def _summary(records, no: str, student: dict) -> str:
    states = records.certification.outcomes
    e = html.escape
    rows = []
    for doc in sorted(records.valid("outcome"), key=lambda d: d.path):
        if doc.keys["student"] == no:
            state = states[doc.path].state if doc.path in states else "uploaded"
            course = records.courses.get(doc.keys["semester"], {}).get(str(doc.data.get("course")), {})
            rows.append(f"<tr><td>{e(doc.keys['semester'])}</td><td>{e(str(course.get('name', doc.data.get('course'))))}"
                        f"</td><td>{e(str(doc.data.get('title', '')))}</td><td>{e(STATES.get(state, state))}</td></tr>")
    perf = [f"<tr><td>{e(d.keys['year'])}</td><td>{e(CATEGORIES.get(str(d.data.get('category')), ''))}</td>"
            f"<td>{e(str(d.data.get('title', '')))}</td></tr>"
            for d in sorted(records.valid("performance"), key=lambda d: d.path) if d.keys["student"] == no]
    classes = "、".join(f"{s} {c}" for s, c in (student.get("classes") or {}).items())
    return ("<!doctype html><html lang=\"zh-TW\"><meta charset=\"utf-8\"><title>學習歷程檔案備份</title>"
            "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto}td,th{border:1px solid #999;"
            "padding:.2em .5em}table{border-collapse:collapse}</style>"
            f"<h1>{e(str(records.school.get('name', '')))} 學習歷程檔案備份</h1>"
            f"<p>學號 {e(no)}　{e(str(student.get('name', '')))}　班級 {e(classes)}　"
            f"製作日期 {e(dates.roc(records.now, with_time=False))}</p>"
            "<p>請將這個壓縮檔保存在自己的雲端硬碟（§7.2）。資料夾 records/ 內是你上傳的檔案。</p>"
            "<h2>課程學習成果</h2><table><tr><th>學期</th><th>課程</th><th>名稱</th><th>認證</th></tr>"
            + "".join(rows) + "</table><h2>多元表現</h2><table><tr><th>學年度</th><th>類別</th><th>名稱</th></tr>"
            + "".join(perf) + "</table></html>\n")


def archive(records, no: str, out: Path) -> ArchiveReport:
    student = records.students[no]
    files = _own_files(records.history_root, no)
    stamp = records.now.timetuple()[:6]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("summary.html", stamp), _summary(records, no, student))
        for rel in files:
            zf.writestr(zipfile.ZipInfo(rel, stamp), (records.history_root / rel).read_bytes())
    outcomes = sum(1 for f in files if f.startswith("records/outcomes/") and f.endswith(".yaml"))
    performances = sum(1 for f in files if f.startswith("records/performances/") and f.endswith(".yaml"))
    return ArchiveReport(out, len(files) + 1, outcomes, performances)
