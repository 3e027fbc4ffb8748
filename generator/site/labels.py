"""Chinese names the site shows for the records' English codes (those messages use too are in generator.names)."""

from __future__ import annotations

from .. import names
from ..rules.schedules import PER_SEMESTER, PER_YEAR

OPERATIONS = PER_SEMESTER + PER_YEAR
EVENT_TYPES = names.EVENT_TYPES  # the page templates read it as labels.EVENT_TYPES

# outcome states: "uploaded" is the state of an outcome nobody has reported on yet
STATES = {
    "uploaded": "已上傳待認證",
    "pending": "合併請求待審",
    "certified": "已認證",
    "early": "提前認證",
    "late": "逾期認證",
    "uncertified": "未有效認證",
}

# the status tables' columns: early and late together (certified outside the window), which keeps
# the tables as wide as a page
COLUMNS = {"uploaded": STATES["uploaded"], "pending": STATES["pending"], "certified": STATES["certified"],
           "outside": "期外認證", "uncertified": STATES["uncertified"]}

PERFORMANCE_CATEGORIES = {
    "cadre": "幹部經歷",
    "competition": "競賽表現",
    "certificate": "檢定證照",
    "service": "服務學習",
    "work": "作品成果",
    "flexible_learning": "彈性學習",
    "group_activity": "團體活動",
    "workplace": "職場學習",
    "advanced_course": "大學及其他先修課程",
    "other": "其他",
}

# the unit a staff member acts for, by role (first match wins)
UNITS = [
    ("registration_chief", "註冊組"), ("registration_staff", "註冊組"),
    ("admissions_chief", "招生組"), ("admissions_staff", "招生組"),
    ("activities_chief", "訓育組"), ("activities_staff", "訓育組"),
    ("teaching_chief", "教學組"), ("academic_director", "教務處"),
]


def operation(name: str, given: str | None = None) -> str:
    """The operation's own title where the schedule gives one, else the schema's name for it."""
    return given or names.operations().get(name, name)


def unit_of(person: dict | None) -> str:
    roles = (person or {}).get("roles") or ()
    return next((unit for role, unit in UNITS if role in roles), "")


def clause_anchor(clause: str) -> str:
    """`§5.3.1` -> `s5-3-1`, the anchor of the clause on the rules page."""
    return "s" + clause.lstrip("§").replace(".", "-")
