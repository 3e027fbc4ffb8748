"""Cell values as administration systems export them: ROC dates in every common form, numbers
that spreadsheets turned into floats, full-width spaces. Each parser returns the clean value or
raises BadCell (a ValueError) with the row's error in Chinese and in English."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from ..dates import ROC_OFFSET
from ..records.national_id import is_valid

class BadCell(ValueError):
    """A cell that does not hold what its column needs: `str()` is the Chinese message, `en` its English."""

    def __init__(self, zh: str, en: str):
        super().__init__(zh)
        self.en = en


_SEPARATED = re.compile(r"^(民國)?\s*(\d{2,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def text(value) -> str:
    """A cell as text: None → "", 1150101.0 → "1150101", NFKC (full-width digits and spaces)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_date(value) -> str:
    """ISO `2010-03-14` for ROC `0990314`, `990314`, `99/03/14`, `99.03.14`, `99-03-14`, `民國99年3月14日`,
    and Gregorian `2010-03-14`, `2010/3/14`, `20100314` (and spreadsheet date cells)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raw = text(value)
    if not raw:
        raise BadCell("日期空白", "no date")
    m = _SEPARATED.match(raw)
    if m:
        year, month, day = int(m[2]), int(m[3]), int(m[4])
        year = year if len(m[2]) == 4 else year + ROC_OFFSET
    elif raw.isdigit() and len(raw) == 8:
        year, month, day = int(raw[:4]), int(raw[4:6]), int(raw[6:])
    elif raw.isdigit() and len(raw) in (6, 7):  # ROC yyMMdd / yyyMMdd (a leading 0 lost in Excel)
        year, month, day = int(raw[:-4]) + ROC_OFFSET, int(raw[-4:-2]), int(raw[-2:])
    else:
        raise BadCell(f"無法辨識的日期「{raw}」（民國 0990314、99/03/14、99.03.14 或西元 2010-03-14）",
                      f"'{raw}' is not a date (ROC 0990314, 99/03/14, 99.03.14 or Gregorian 2010-03-14)")
    if not 1912 <= year <= 2200:  # ROC year 1 onwards; `09901118` is a mistyped ROC date, not the year 990
        raise BadCell(f"日期「{raw}」的年份 {year} 不合理", f"date '{raw}': the year {year} is not plausible")
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise BadCell(f"日期「{raw}」不存在", f"date '{raw}': no such day") from None


def parse_national_id(value) -> str:
    raw = text(value).upper()
    if not is_valid(raw):
        shown = raw[:3] + "*" * max(len(raw) - 5, 0) + raw[-2:] if len(raw) > 5 else raw
        raise BadCell(f"身分證號「{shown}」格式或檢查碼錯誤", f"national ID '{shown}' has a wrong form or check digit")
    return raw


def parse_int(value, what: tuple[str, str], low: int, high: int) -> int:
    """`what`: the column's name in Chinese and in English."""
    raw = text(value)
    try:
        number = int(float(raw))
    except ValueError:
        raise BadCell(f"{what[0]}「{raw}」不是數字", f"{what[1]} '{raw}' is not a number") from None
    if not low <= number <= high or float(raw) != number:
        raise BadCell(f"{what[0]}「{raw}」應為 {low}–{high} 的整數", f"{what[1]} '{raw}' must be a whole number {low}–{high}")
    return number


def parse_score(value):
    """A grade: a number 0–100 (integers stay integers)."""
    raw = text(value)
    try:
        number = float(raw)
    except ValueError:
        raise BadCell(f"成績「{raw}」不是數字", f"the grade '{raw}' is not a number") from None
    if not 0 <= number <= 100:
        raise BadCell(f"成績「{raw}」不在 0–100 之間", f"the grade '{raw}' is not between 0 and 100")
    return int(number) if number.is_integer() else number


def split_list(value) -> list[str]:
    """`101、102`, `101,102`, `101 102` → ["101", "102"]."""
    return [part for part in re.split(r"[、,，;；/\s]+", text(value)) if part]
