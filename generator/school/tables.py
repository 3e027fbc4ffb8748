"""Reading what administration systems export: xlsx, or CSV in UTF-8 (with or without BOM) or
Big5/CP950, or Excel's "Unicode text" (UTF-16 with its BOM, tab-separated), with Chinese headers.
Rows keep the number the spreadsheet shows (header = row 1).

A mapping file (YAML) names the columns of any other layout: `columns: {Student ID: student_no}`
and, for a workbook, `sheet: 名冊`.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LichengError, os_reason
from ..yaml import YamlProblem, load_bytes

# header as exported → field; one table for every kind (a header means the same thing everywhere)
HEADERS = {
    "student_no": ["學號", "學生學號"],
    "name": ["姓名", "學生姓名", "教師姓名", "人員姓名"],
    "national_id": ["身分證統一編號", "身分證號", "身分證字號", "身分證號碼", "身分證明號碼", "統一編號", "身分證"],
    "birth_date": ["出生日期", "生日", "出生年月日"],
    "class": ["班級", "班級名稱", "班級代號", "班級代碼"],
    "seat_no": ["座號"],
    "sex": ["性別"],
    "admitted": ["入學日期"],
    "email": ["電子郵件", "email", "e-mail", "信箱", "學校信箱", "電子信箱", "git"],
    "github": ["github", "github帳號"],
    "gitlab": ["gitlab", "gitlab帳號"],
    "id": ["代號", "帳號", "人員代號", "教師代號"],
    "roles": ["職務", "角色", "職稱"],
    "from": ["到職日期", "開始日期", "起始日期", "任職開始"],
    "until": ["離職日期", "結束日期", "任職結束"],
    "course": ["課程代碼", "課程代號"],
    "course_name": ["科目名稱", "課程名稱", "科目"],
    "grade": ["年級", "開課年級"],
    "credits": ["學分", "學分數", "修課學分"],
    "teachers": ["授課教師", "任課教師", "教師"],
    "score": ["成績", "學期成績", "學期學業成績", "分數"],
    "level": ["幹部等級", "等級", "層級"],
    "unit": ["單位名稱", "單位", "社團", "組織"],
    "position": ["擔任職務", "幹部職務", "職位"],
    "book": ["名冊", "名冊名稱", "資料類別", "類別"],
    "uploaded": ["上傳筆數", "提交筆數", "應收筆數"],
    "received": ["收訖筆數", "收件筆數", "成功筆數", "實收筆數"],
    "rejected": ["錯誤筆數", "失敗筆數", "退件筆數"],
    "note": ["說明", "錯誤說明", "錯誤原因", "備註"],
}


def require(table: "Table", fields) -> None:
    """Stop when the table lacks a column `fields` needs, naming it as the export's header reads."""
    missing = "、".join(HEADERS[name][0] for name in fields if name not in table.columns)
    if missing:
        raise LichengError(f"{table.path}: 缺少欄位 {missing}（欄名不同時可用 --mapping 指定對應）",
                           en=f"{table.path}: missing columns {missing} (name other headers with --mapping)")


def normal(header) -> str:
    return unicodedata.normalize("NFKC", str(header or "")).replace(" ", "").strip().lower()


_LOOKUP = {normal(alias): name for name, aliases in HEADERS.items() for alias in aliases + [name]}


@dataclass
class Row:
    number: int  # as the spreadsheet shows it
    values: dict  # field -> raw cell value
    read: set = field(default_factory=set, repr=False)  # the fields an import read (its table's, shared)
    places: dict = field(default_factory=dict, repr=False)  # field -> (column letter, header) (its table's, shared)

    def get(self, name: str, default=None):
        self.read.add(name)
        return self.values.get(name, default)

    def column(self, name: str) -> tuple[str, str] | None:
        """Where field `name` is in the sheet: its column's letter (A, B, … AA) and its header."""
        return self.places.get(name)


@dataclass
class Table:
    path: Path
    encoding: str
    columns: dict[str, str]  # field -> the header it came from
    headers: list[tuple[str, str | None]]  # every named column in order: (its header, its field or None)
    rows: list[Row] = field(default_factory=list)
    read: set = field(default_factory=set)  # the fields the import read from some row

    @property
    def unused(self) -> list[str]:
        """The headers of the columns the import did not read (after it ran): unknown ones, a
        repeated one, and known ones its kind has no use for (性別 in a student list) — which a
        file of headers only cannot tell: no row was read."""
        return [header for header, name in self.headers if name is None or self.rows and name not in self.read]


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" (UTF-16 LE, with its BOM)
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise LichengError(f"{path}: 不是完整的 UTF-16 文字（第 {exc.start} 位元組）；請重新匯出",
                               en=f"{path}: broken UTF-16 text (byte {exc.start}): export it again") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError as exc:  # the BOM says UTF-8; what follows is not (Big5 an editor marked)
            raise LichengError(f"{path}: 以 UTF-8 的 BOM 開頭，內容卻不是 UTF-8（第 {exc.start + 3} 位元組）；"
                               "請由校務系統重新匯出，或另存為 UTF-8 CSV 或 xlsx",
                               en=f"{path}: starts with UTF-8's BOM but is not UTF-8 (byte {exc.start + 3}): "
                                  "export it again, or save it as UTF-8 CSV or xlsx") from None
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp950"), "Big5 (CP950)"
    except UnicodeDecodeError as exc:
        raise LichengError(f"{path}: 無法以 UTF-8 或 Big5 讀取（第 {exc.start} 位元組）；請另存為 UTF-8 CSV 或 xlsx",
                           en=f"{path}: neither UTF-8 nor Big5 (byte {exc.start}): save it as UTF-8 CSV or xlsx") from None


def unreadable_yaml(path, problem: YamlProblem) -> tuple[str, str]:
    """(zh-TW, en) for a YAML file that cannot be read: its line and what is wrong, as validate says it."""
    from .. import rules  # noqa: F401  (declares the yaml.* messages)
    from ..result import unreadable

    return unreadable(path, problem)


def read_mapping(path: Path | None) -> dict:
    if path is None:
        return {}
    try:
        data = load_bytes(path.read_bytes())
    except FileNotFoundError:
        raise LichengError(f"{path}: 找不到檔案", en=f"{path}: no such file") from None
    except OSError as exc:
        zh, en = os_reason(exc)
        raise LichengError(f"{path}: 無法讀取欄位對應檔（{zh}）", en=f"{path}: cannot read the mapping file ({en})") from None
    except YamlProblem as problem:
        raise LichengError(*unreadable_yaml(path, problem)) from None
    if not isinstance(data, dict) or not isinstance(data.get("columns", {}), dict):
        raise LichengError(f"{path}: 欄位對應檔應為 {{columns: {{原欄名: 欄位}}, sheet: 工作表}}",
                           en=f"{path}: a mapping file reads {{columns: {{header: field}}, sheet: name}}")
    unknown = sorted(str(v) for v in (data.get("columns") or {}).values() if v not in HEADERS)
    if unknown:
        raise LichengError(f"{path}: 不認得的欄位 {', '.join(unknown)}；可用：{', '.join(HEADERS)}",
                           en=f"{path}: unknown fields {', '.join(unknown)}; the fields are {', '.join(HEADERS)}")
    return data


def _grid(path: Path, sheet: str | None) -> tuple[list[list], str]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a damaged file; their names tell staff nothing
            raise LichengError(f"{path}: 不是完整的 Excel 活頁簿（檔案損毀，或其實是別種檔案）；請在 Excel 開啟後另存為 .xlsx",
                               en=f"{path}: not a whole Excel workbook (damaged, or another kind of file): open it "
                                  "in Excel and save it as .xlsx") from None
        if sheet and sheet not in book.sheetnames:
            raise LichengError(f"{path}: 沒有工作表「{sheet}」（有：{'、'.join(book.sheetnames)}）",
                               en=f"{path}: no sheet '{sheet}' (it has {', '.join(book.sheetnames)})")
        rows = [list(r) for r in book[sheet or book.sheetnames[0]].iter_rows(values_only=True)]
        book.close()
        return rows, "xlsx"
    if suffix == ".xls":
        raise LichengError(f"{path}: 舊版 .xls 無法讀取；請在 Excel 另存為 .xlsx 或 CSV",
                           en=f"{path}: an old .xls cannot be read: save it as .xlsx or CSV in Excel")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        zh, en = os_reason(exc)
        raise LichengError(f"{path}: 無法讀取（{zh}）", en=f"{path}: cannot read ({en})") from None
    text, encoding = decode(raw, path)
    first = text.lstrip().partition("\n")[0]
    tabs = first.count("\t") > first.count(",")  # Excel's "Unicode text" and "text (tab-separated)"
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter="\t" if tabs else ",")], encoding


def _letter(index: int) -> str:
    """A column's letters as a spreadsheet shows them: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_table(path: Path, mapping: dict | None = None) -> Table:
    """The table in `path` with its columns named by field; the header is the first row that names
    at least two known columns (title rows above it are skipped, row numbers stay the sheet's)."""
    mapping = mapping or {}
    own = {normal(k): v for k, v in (mapping.get("columns") or {}).items()}
    grid, encoding = _grid(path, mapping.get("sheet"))
    for index, cells in enumerate(grid):
        named = {i: own.get(normal(c)) or _LOOKUP.get(normal(c)) for i, c in enumerate(cells)}
        if sum(1 for v in named.values() if v) >= 2:
            break
    else:
        raise LichengError(f"{path}: 找不到標題列（如 學號、姓名、身分證統一編號…）；其他格式請以 --mapping 指定欄位",
                           en=f"{path}: no header row found (such as 學號, 姓名, 身分證統一編號…); name the columns of "
                              "other layouts with --mapping")
    columns, headers, positions = {}, [], {}
    for i, c in enumerate(cells):
        if named[i] and named[i] not in columns:
            columns[named[i]], positions[named[i]] = str(c).strip(), i
        if str(c or "").strip():
            headers.append((str(c).strip(), named[i] if positions.get(named[i]) == i else None))
    table = Table(path, encoding, columns, headers)
    places = {name: (_letter(i), columns[name]) for name, i in positions.items()}
    for number, cells in enumerate(grid[index + 1:], start=index + 2):
        if not any(str(c or "").strip() for c in cells):
            continue
        values = {name: (cells[i] if i < len(cells) else None) for name, i in positions.items()}
        table.rows.append(Row(number, values, table.read, places))
    return table
