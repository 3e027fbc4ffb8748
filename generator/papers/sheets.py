"""歷程確認單: one A4 page per student, one PDF per class, for the student and a parent to sign.

What the page lists is what the school holds for the student in the semester: the course
learning outcomes uploaded and their certification, the diverse performances of the academic
year, and which of them the student selected (勾選) for the year. No national ID, birth date or
grade is printed: the sheet goes home in a school bag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import dates
from .letters import find_font

STATES = {"certified": "已認證", "early": "已認證（提前）", "late": "已認證（逾期）", "imported": "已認證（匯入）", "pending": "待老師認證",
          "uncertified": "未認證", "uploaded": "已上傳"}
CATEGORIES = {"cadre": "幹部經歷", "competition": "競賽參與", "certificate": "檢定證照", "service": "服務學習",
              "work": "作品成果", "flexible_learning": "彈性學習", "group_activity": "團體活動", "workplace": "職場學習",
              "advanced_course": "先修課程", "other": "其他"}


@dataclass
class Sheet:
    student_no: str
    name: str
    klass: str
    seat: str
    outcomes: list[tuple[str, str, str, bool]]  # course name, title, state label, selected
    performances: list[tuple[str, str, bool]]  # category label, title, selected


@dataclass
class SheetsReport:
    semester: str
    files: dict[str, Path] = field(default_factory=dict)  # class -> PDF
    pages: int = 0


def collect(records, semester: str, klass: str | None = None) -> dict[str, list[Sheet]]:
    """class -> the sheets of its students (by seat, then student number)."""
    year = dates.academic_year(semester)
    states = records.certification.outcomes
    courses = records.courses.get(semester, {})
    selections = {d.keys["student"]: d.data for d in records.valid("selection") if int(d.keys["year"]) == year}
    outcomes, performances = {}, {}
    for doc in records.valid("outcome"):
        if doc.keys["semester"] == semester:
            outcomes.setdefault(doc.keys["student"], []).append(doc)
    for doc in records.valid("performance"):
        if int(doc.keys["year"]) == year:
            performances.setdefault(doc.keys["student"], []).append(doc)
    out: dict[str, list[Sheet]] = {}
    for no, student in records.students.items():
        own = str((student.get("classes") or {}).get(semester) or "")
        if not own or (klass and own != klass):
            continue
        chosen = selections.get(no) or {}
        picked_outcomes = {str(x) for x in chosen.get("outcomes") or ()}
        picked_performances = {str(x) for x in chosen.get("performances") or ()}
        rows = []
        for doc in sorted(outcomes.get(no, ()), key=lambda d: d.path):
            state = states[doc.path].state if doc.path in states else "uploaded"
            course = courses.get(str(doc.data.get("course")), {}).get("name", str(doc.data.get("course")))
            rows.append((course, str(doc.data.get("title", "")), STATES.get(state, state),
                         f"{semester}/{doc.keys['slug']}" in picked_outcomes))
        perf = [(CATEGORIES.get(str(d.data.get("category")), str(d.data.get("category"))), str(d.data.get("title", "")),
                 d.keys["slug"] in picked_performances) for d in sorted(performances.get(no, ()), key=lambda d: d.path)]
        out.setdefault(own, []).append(Sheet(no, str(student.get("name", "")), own, str(student.get("seat_no") or ""),
                                             rows, perf))
    for sheets in out.values():
        sheets.sort(key=lambda s: (int(s.seat) if s.seat.isdigit() else 999, s.student_no))
    return dict(sorted(out.items()))


def _table(pdf, headings, rows, widths) -> None:
    from fpdf.fonts import FontFace

    with pdf.table(col_widths=widths, width=sum(widths), line_height=6, text_align="LEFT", align="LEFT",
                   headings_style=FontFace(emphasis=None, fill_color=(230, 230, 230))) as table:
        table.row(headings)
        for row in rows or [["（無）"] + [""] * (len(headings) - 1)]:
            table.row([str(cell) for cell in row])


def _page(pdf, school: dict, semester: str, sheet: Sheet, today: str) -> None:
    year, half = semester.rsplit("-", 1)
    pdf.add_page()
    pdf.set_font("cjk", size=15)
    pdf.cell(0, 9, str(school.get("name", "")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=13)
    pdf.cell(0, 8, f"{year}學年度第{'一' if half == '1' else '二'}學期 學生學習歷程檔案確認單", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    pdf.cell(0, 7, f"班級：{sheet.klass}　座號：{sheet.seat}　學號：{sheet.student_no}　姓名：{sheet.name}"
                   f"　列印日期：{today}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.cell(0, 7, "一、課程學習成果（本學期上傳；勾選為本學年提交中央資料庫者）", new_x="LMARGIN", new_y="NEXT")
    _table(pdf, ["課程", "成果名稱", "認證", "勾選"],
           [(c, t, s, "✓" if picked else "") for c, t, s, picked in sheet.outcomes], (40, 85, 30, 15))
    pdf.ln(3)
    pdf.cell(0, 7, "二、多元表現（本學年上傳）", new_x="LMARGIN", new_y="NEXT")
    _table(pdf, ["類別", "名稱", "勾選"], [(c, t, "✓" if picked else "") for c, t, picked in sheet.performances],
           (35, 120, 15))
    pdf.ln(4)
    pdf.multi_cell(0, 6, "以上資料如有遺漏或錯誤，請於一週內告知導師。學生與家長確認後請簽名，交回導師。",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y() + 8, 250))
    pdf.cell(0, 8, "學生簽名：＿＿＿＿＿＿＿＿　　家長簽名：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿", new_x="LMARGIN",
             new_y="NEXT")


def sheets(records, semester: str, out: Path, klass: str | None = None) -> SheetsReport:
    from fpdf import FPDF

    report = SheetsReport(semester)
    classes = collect(records, semester, klass)
    if not classes:
        return report
    font, index = find_font()
    today = dates.roc(records.now, with_time=False)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, group in classes.items():
        pdf = FPDF(format="A4")
        pdf.set_creation_date(records.now)
        pdf.set_title(f"{records.school.get('name', '')} {semester} {name} 學習歷程檔案確認單")
        pdf.set_margins(20, 18, 20)
        pdf.set_auto_page_break(True, 15)
        pdf.add_font("cjk", fname=font, collection_font_number=index)
        for sheet in group:
            _page(pdf, records.school, semester, sheet, today)
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
        target = out / f"sheets-{semester}-{safe}.pdf"
        pdf.output(str(target))
        report.files[name] = target
        report.pages += pdf.pages_count
    return report
