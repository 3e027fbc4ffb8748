"""Paper-mail notices for students who left (§7.3.3).

A student who was on the roll in the semester (§9, export.on_roll) and has left the school for good by now
(graduated, transferred out, withdrawn) cannot confirm the receipt details of the
semester's submission on the school platform any more: they get a letter. One PDF with one
A4 page per student (Traditional Chinese: school, address block, what to check, how to
reply, the deadline — the end of the year's receipt_confirmation window) and a CSV for a
mail merge. What they are asked to check is what the semester's export carries of theirs
(generator.export), so the letter and the submission agree.

The PDF embeds a CJK font from Debian's packages (see FONTS); LICHENG_CJK_FONT names
another TrueType/OpenType file.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import dates
from ..errors import LichengError
from ..records import enrollment
from ..records.books import BOOKS, CATEGORIES, on_roll
from .export import csv_cell

# (path, Debian package): the first that exists is used
FONTS = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "fonts-noto-cjk"),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "fonts-noto-cjk"),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", "fonts-arphic-uming"),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "fonts-wqy-zenhei"),
]
LABELS = {"enrollment": "學籍資料", "grades": "學期成績", "cadres": "校內幹部經歷", "outcomes": "課程學習成果",
          "performances": "多元表現"}
LEFT = {"graduate": "畢業", "transfer_out": "轉出", "withdraw": "退學"}
REGISTRATION = ("registration_chief", "registration_staff")
_POSTAL = re.compile(r"^\s*(\d{3}(?:\d{2,3})?)\s*(.+)$")


class FontMissing(LichengError, RuntimeError):
    """No font that shows Chinese: papers cannot be made."""


@dataclass
class Letter:
    student_no: str
    name: str
    address: str  # without the postal code
    postal_code: str
    left_on: str  # ROC date
    reason: str  # 畢業 / 轉出 / 退學
    counts: dict[str, int]  # category -> rows of theirs in the semester's export
    items: list[str]  # titles of their outcomes and performances


@dataclass
class LettersReport:
    semester: str
    out: Path
    pdf: Path | None = None
    csv: Path | None = None
    students: list[str] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)
    pages: int = 0
    deadline: str = ""  # ROC, or "" when the schedule has no receipt_confirmation window
    font: str = ""


def find_font() -> tuple[str, int]:
    """(font file, face index in a collection): a Traditional Chinese face where there is one."""
    given = os.environ.get("LICHENG_CJK_FONT")
    candidates = [given] if given else [path for path, _ in FONTS]
    for path in candidates:
        if path and Path(path).is_file():
            return path, _usable_face(path, given)
    if given:
        raise FontMissing(f"LICHENG_CJK_FONT={given}: 找不到這個字型檔", en=f"LICHENG_CJK_FONT={given}: no such font file")
    packages = " or ".join(sorted({pkg for _, pkg in FONTS}))
    looked = ", ".join(p for p, _ in FONTS)
    raise FontMissing(f"找不到能顯示中文的字型（找過 {looked}）；請安裝 Debian 套件 {packages}"
                      "（apt-get install fonts-noto-cjk），或以 LICHENG_CJK_FONT 指定 TrueType/OpenType 字型檔",
                      en=f"no font that shows Chinese was found (looked for {looked}); install the Debian package "
                         f"{packages} (apt-get install fonts-noto-cjk), or set LICHENG_CJK_FONT to a TrueType/OpenType file")


def _usable_face(path: str, given: str | None) -> int:
    """The face to use; FontMissing when the file is no TrueType/OpenType font that has Chinese."""
    from fontTools.ttLib import TTFont

    try:
        index = _tc_face(path)
        font = TTFont(path, lazy=True, fontNumber=index)
        shows_chinese = ord("學") in (font.getBestCmap() or {})
    except Exception:  # fontTools raises many kinds on a damaged or foreign file
        shows_chinese = False
    if not shows_chinese:
        where = f"{'LICHENG_CJK_FONT=' if given else ''}{path}"
        raise FontMissing(f"{where}: 不是含中文字的 TrueType/OpenType 字型檔",
                          en=f"{where}: not a TrueType/OpenType font with Chinese characters")
    return index


def _tc_face(path: str) -> int:
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    from fontTools.ttLib import TTCollection

    names = [str(f["name"].getDebugName(4) or "") for f in TTCollection(path, lazy=True).fonts]
    for suffix in (" TC", " TW", " HK"):
        for index, name in enumerate(names):
            if name.endswith(suffix) and "Mono" not in name:
                return index
    return 0


def _registration_contacts(records) -> list[str]:
    out = []
    for staff_id, person in records.staff.items():
        until = records.date(person.get("until"), end=True)
        if any(r in person.get("roles", ()) for r in REGISTRATION) and (until is None or until >= records.now):
            title = "組長" if "registration_chief" in person["roles"] else ""
            out.append((0 if title else 1, f"{person['name']}{title}"))
    return [name for _, name in sorted(out)]


def recipients(records, semester: str) -> list[Letter]:
    """Students enrolled in `semester` who have left the school by now, with what is theirs."""
    rows_by_book = {book.file: book.rows(records, semester) for book in BOOKS}
    out = []
    for no, student in sorted(records.students.items()):
        left = enrollment.left_on(student, records.tz)
        if left is None or left > records.now or not on_roll(records, student, semester):
            continue
        counts, items = dict.fromkeys(CATEGORIES, 0), []
        for book in BOOKS:
            mine = [it for it in rows_by_book[book.file] if it.student is student]
            counts[book.category] += len(mine)
            if book.category in ("outcomes", "performances"):
                items += [f"{LABELS[book.category]}：{it.data.get('title', '')}" for it in mine]
        raw = str(student.get("mailing_address") or "").strip()
        m = _POSTAL.match(raw)
        postal, address = (m.group(1), m.group(2).strip()) if m else ("", raw)
        out.append(Letter(no, student.get("name", ""), address, postal, dates.roc(left, with_time=False),
                          LEFT.get(student["events"][-1].get("type"), "離校"), counts, items))
    return out


def _semester_label(semester: str) -> str:
    year, half = semester.rsplit("-", 1)
    return f"{year}學年度第{'一' if half == '1' else '二'}學期"


def _page(pdf, records, semester: str, letter: Letter, deadline: str, contacts: list[str]) -> None:
    school = records.school
    pdf.add_page()
    pdf.set_font("cjk", size=11)
    # the address block, where a window envelope shows it
    pdf.set_xy(25, 40)
    if letter.address:
        pdf.multi_cell(120, 7, f"{letter.postal_code}\n{letter.address}\n{letter.name} 同學 收", align="L")
    else:
        pdf.multi_cell(120, 7, f"{letter.name} 同學 收\n（無通訊地址：請註冊組補登地址後寄送）", align="L")
    pdf.set_xy(20, 80)
    pdf.set_font("cjk", size=16)
    pdf.cell(0, 10, str(school.get("name", "")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=14)
    pdf.cell(0, 9, "學生學習歷程資料收訖明細確認通知", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    pdf.cell(0, 7, f"發文日期：{dates.roc(records.now, with_time=False)}　學號：{letter.student_no}", align="R",
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.multi_cell(0, 7, (
        f"{letter.name} 同學您好：\n"
        f"本校已將您{_semester_label(semester)}的學習歷程資料提交至國教署學生學習歷程資料庫。"
        f"您已於{letter.left_on}{letter.reason}離校，無法再使用校內平臺確認收訖明細，"
        "依本校學生學習歷程檔案補充規定（§7.3.3）以書面通知，請核對下列資料："), new_x="LMARGIN", new_y="NEXT",
        align="L")
    pdf.ln(2)
    from fpdf.fonts import FontFace

    with pdf.table(col_widths=(60, 30), width=90, text_align=("LEFT", "RIGHT"), line_height=7,
                   headings_style=FontFace(emphasis=None, fill_color=(230, 230, 230)), align="LEFT") as table:
        table.row(["資料類別", "筆數"])
        for category in CATEGORIES:
            table.row([LABELS[category], str(letter.counts[category])])
    if letter.items:
        pdf.ln(2)
        pdf.set_font("cjk", size=10)
        pdf.multi_cell(0, 6, "\n".join(f"・{item}" for item in letter.items), new_x="LMARGIN", new_y="NEXT",
                       align="L")
        pdf.set_font("cjk", size=11)
    pdf.ln(3)
    reply = [f"請於{deadline}前回覆" if deadline else "請儘速回覆",
             "本校教務處註冊組：資料無誤者請簽名寄回或來電告知；有疑義者請說明需更正之處。"]
    contact = "聯絡人：註冊組 " + ("、".join(contacts) if contacts else "（未登錄）")
    lines = ["".join(reply), contact]
    if school.get("phone"):
        lines.append(f"電話：{school['phone']}")
    if school.get("address"):
        lines.append(f"地址：{school['address']}")
    pdf.multi_cell(0, 7, "\n".join(lines), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(8)
    pdf.multi_cell(0, 7, "□ 資料無誤　□ 有疑義（說明：＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿）\n"
                         "學生簽名：＿＿＿＿＿＿＿＿　日期：＿＿＿＿＿＿", new_x="LMARGIN", new_y="NEXT", align="L")


def _mail_merge(letters: list[Letter], deadline: str) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(["學號", "姓名", "郵遞區號", "地址", "離校日期", "離校原因", "應確認項目", "確認期限"])
    for letter in letters:
        check = "、".join(f"{LABELS[c]}{letter.counts[c]}筆" for c in CATEGORIES)
        writer.writerow([csv_cell(cell) for cell in (
            letter.student_no, letter.name, letter.postal_code, letter.address or "（無通訊地址）",
            letter.left_on, letter.reason, check, deadline or "請儘速")])
    return text.getvalue().encode("utf-8-sig")  # Excel and Word's mail merge read the BOM


def letters(records, semester: str, out: Path) -> LettersReport:
    """Write letters-<semester>.pdf and letters-<semester>.csv into `out` (nothing when nobody left)."""
    out = Path(out)
    report = LettersReport(semester=semester, out=out)
    window = records.window("receipt_confirmation", semester, yearly=True)
    report.deadline = dates.roc(window[1].astimezone(records.tz)) if window else ""
    chosen = recipients(records, semester)
    report.students = [letter.student_no for letter in chosen]
    report.no_address = [letter.student_no for letter in chosen if not letter.address]
    if not chosen:
        return report
    from fpdf import FPDF

    font, index = find_font()
    report.font = f"{font}#{index}"
    pdf = FPDF(format="A4")
    pdf.set_creation_date(records.now)  # the same records and "now" give the same file
    pdf.set_title(f"{records.school.get('name', '')} {semester} 收訖明細確認通知")
    pdf.set_auto_page_break(True, margin=20)  # a long list of titles goes on to a second page
    pdf.set_margins(20, 20, 20)
    pdf.add_font("cjk", fname=font, collection_font_number=index)
    contacts = _registration_contacts(records)
    for letter in chosen:
        _page(pdf, records, semester, letter, report.deadline, contacts)
    out.mkdir(parents=True, exist_ok=True)
    report.pdf, report.csv = out / f"letters-{semester}.pdf", out / f"letters-{semester}.csv"
    pdf.output(str(report.pdf))
    report.csv.write_bytes(_mail_merge(chosen, report.deadline))
    report.pages = pdf.pages_count
    return report
