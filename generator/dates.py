"""Dates and times: the one place where record values become datetimes.

Accepted: ISO `2026-09-01`, `2026-09-01 08:00`, `2026-09-01T08:00:00+08:00`, and ROC
`115-09-01`, `115/09/01`, `115.09.01`, each optionally followed by ` HH:MM`. A value
without a zone is in the school's timezone. A date-only end means the end of that day.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TZ = "Asia/Taipei"
# Years a record, a commit or "now" may name: ROC year 1 to well before datetime's limit, so
# that moving a value to any timezone (±14 h) or adding a few years can never overflow.
MIN_YEAR, MAX_YEAR = 1912, 9000
MAX_OFFSET = timedelta(hours=14)
ROC_OFFSET = 1911
_WEEKDAYS = "一二三四五六日"

_PATTERN = re.compile(
    r"""^(?P<year>\d{2,4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})
        (?:[ T](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?
           (?P<zone>Z|[+-]\d{2}:?\d{2})?)?$""",
    re.VERBOSE,
)


def zone(name: str | None) -> ZoneInfo:
    """The timezone `name`, else (none given, or one no timezone database knows: rule
    school.timezone says so) DEFAULT_TZ."""
    return known_zone(name or DEFAULT_TZ) or ZoneInfo(DEFAULT_TZ)


def known_zone(name) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if isinstance(name, str) else None
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder (`Asia`), a name too long
        return None


def _match(value):
    if isinstance(value, (datetime, date)):  # a caller's own value, not from YAML
        value = value.isoformat()
    if not isinstance(value, str):
        return None
    m = _PATTERN.match(value.strip())
    if not m:
        return None
    year = int(m["year"])
    if len(m["year"]) == 4:
        pass
    elif m["sep"] == "-" and len(m["year"]) < 3 and year < 50:
        return None  # `12-10` is more likely a typo than ROC year 12
    else:
        year += ROC_OFFSET
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return m, year


def is_date(value, *, date_only: bool = False) -> bool:
    """True when `value` is a date this module understands (time optional unless date_only)."""
    found = _match(value)
    if not found or (date_only and found[0]["hour"] is not None):
        return False
    try:
        parse(value)
    except ValueError:
        return False
    return True


def parse(value, tz: ZoneInfo | None = None, *, end: bool = False) -> datetime:
    """An aware datetime; ValueError when the value is no date."""
    found = _match(value)
    if not found:
        raise ValueError(f"not a date: {value!r}")
    m, year = found
    day = date(year, int(m["month"]), int(m["day"]))  # ValueError for 2026-02-30
    if m["hour"] is None:
        clock = time.max if end else time.min
    else:
        clock = time(int(m["hour"]), int(m["minute"]), int(m["second"] or 0))
    zone_text = m["zone"]
    if zone_text == "Z":
        tzinfo = timezone.utc
    elif zone_text:
        sign = -1 if zone_text[0] == "-" else 1
        digits = zone_text[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if offset > MAX_OFFSET or int(digits[2:]) >= 60:
            raise ValueError(f"no such UTC offset: {zone_text}")
        tzinfo = timezone(sign * offset)
    else:
        tzinfo = tz or zone(None)
    return datetime.combine(day, clock, tzinfo)


def utc(moment: datetime | None) -> datetime | None:
    """`moment` in UTC, as commit times are. The audit compares thousands of commit times with
    windows and spans: comparing within one zone skips the zone lookup each comparison across
    zones costs (~20× quicker)."""
    return moment.astimezone(timezone.utc) if moment else None


def parse_or_none(value, tz: ZoneInfo | None = None, *, end: bool = False) -> datetime | None:
    try:
        return parse(value, tz, end=end)
    except ValueError:
        return None


def roc(moment: datetime | date, *, with_time: bool = True) -> str:
    """`115年9月1日（二）08:00`, as Taiwanese schools write dates."""
    day = moment.date() if isinstance(moment, datetime) else moment
    text = f"{day.year - ROC_OFFSET}年{day.month}月{day.day}日（{_WEEKDAYS[day.weekday()]}）"
    if with_time and isinstance(moment, datetime):
        text += moment.strftime("%H:%M")
    return text


# Semesters: academic year N runs 1 Aug (N+1911) to 31 Jul (N+1912).


@lru_cache(maxsize=256)  # a run asks for the same few semesters thousands of times
def semester_bounds(semester: str, tz: ZoneInfo | None = None) -> tuple[datetime, datetime]:
    year, half = academic_year(semester), semester.rsplit("-", 1)[1]
    tz = tz or zone(None)
    first = year + ROC_OFFSET
    if half == "1":
        return datetime(first, 8, 1, tzinfo=tz), datetime(first + 1, 1, 31, 23, 59, 59, 999999, tz)
    return datetime(first + 1, 2, 1, tzinfo=tz), datetime(first + 1, 7, 31, 23, 59, 59, 999999, tz)


def academic_year(semester: str) -> int:
    return int(semester.split("-", 1)[0])


def semesters_of_year(year: int) -> tuple[str, str]:
    return f"{year}-1", f"{year}-2"


def semester_of(moment: datetime | date) -> str:
    month, year = moment.month, moment.year - ROC_OFFSET
    if month >= 8:
        return f"{year}-1"
    return f"{year - 1}-1" if month == 1 else f"{year - 1}-2"


def resolve_now(given: str | None, tz: ZoneInfo) -> datetime:
    """--now, else SOURCE_DATE_EPOCH, else the clock (DESIGN.md); ValueError saying which is wrong."""
    if given:
        try:
            return parse(given, tz)
        except ValueError:
            raise ValueError(f"--now {given}") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        moment = from_timestamp(epoch, tz)
        if moment is None:
            raise ValueError(f"SOURCE_DATE_EPOCH={epoch[:40]}")
        return moment
    return datetime.now(tz)


def from_timestamp(seconds, tz=timezone.utc) -> datetime | None:
    """Seconds since 1970 (a commit date, SOURCE_DATE_EPOCH) as a datetime; None outside MIN_YEAR..MAX_YEAR."""
    try:
        value = int(seconds)
        moment = datetime.fromtimestamp(value, timezone.utc)
    except (ValueError, OverflowError, OSError, TypeError):
        return None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        return None
    return moment.astimezone(tz)


def outside(moment, *windows) -> bool:
    """Whether `moment` falls outside every one of the windows (start, end) given; None or empty
    windows are none (then it is not outside)."""
    spans = [w for w in windows if w]
    return bool(spans) and not any(start <= moment <= end for start, end in spans)
