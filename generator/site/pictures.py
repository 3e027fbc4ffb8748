"""Geometry for the pictures drawn at build time: a semester's timeline and progress bars.

Templates turn these numbers into inline SVG and CSS; nothing is drawn in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .schedule import Operation

WIDTH = 1000  # SVG user units
LABEL = 250  # left column for operation names
ROW = 26
TOP = 28  # month labels
# on a phone: labels above their bars, so the bars use the whole width and the text stays readable
COMPACT_WIDTH, COMPACT_ROW = 400, 40
# the "today" label's own row beneath the last bar (its marker included), in the drawing's font:
# (baseline below the last row's top, the drawing's bottom below the baseline)
TODAY_ROW = {False: (42, 6), True: (55, 6)}


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    width: float
    y: float
    check_x: float | None  # self-check marker
    state: str


@dataclass(frozen=True)
class Timeline:
    width: float
    compact: bool
    height: float
    bars: list[Bar]
    months: list[tuple[float, str]]  # x, label
    today_x: float | None
    today_label: str
    today_y: float  # the label's baseline


def timeline(ops: list[Operation], now: datetime, compact: bool = False) -> Timeline | None:
    """The semester's operations as bars on one time axis; `compact`: the phone layout."""
    if not ops:
        return None
    first = min(o.start.at for o in ops)
    last = max(o.end.at for o in ops)
    span = (last - first).total_seconds() or 1.0
    width, left, row = (COMPACT_WIDTH, 4, COMPACT_ROW) if compact else (WIDTH, LABEL, ROW)

    def x(at: datetime) -> float:
        return round(left + (width - left - 10) * (at - first).total_seconds() / span, 1)

    bars = []
    for i, op in enumerate(ops):
        x1, x2 = x(op.start.at), x(op.end.at)
        check = op.self_check.at if op.self_check and first <= op.self_check.at <= last else None
        bars.append(Bar(op.title, x1, max(round(x2 - x1, 1), 2.0), TOP + i * row,
                        x(check) if check else None, op.state(now)))
    months = []
    month = first.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    while month <= last:
        if month >= first:
            months.append((x(month), f"{month.month}月"))
        month = (month + timedelta(days=32)).replace(day=1)
    if len(months) > (6 if compact else 14):  # a long window: label every other month
        months = months[::2]
    today = x(now) if first <= now <= last else None
    below, bottom = TODAY_ROW[compact]
    baseline = TOP + (len(ops) - 1) * row + below
    height = baseline + bottom if today is not None else TOP + len(ops) * row + 8
    return Timeline(width, compact, height, bars, months, today, f"今天 {now.month}/{now.day}", baseline)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.done / self.total, 1) if self.total else 0.0
