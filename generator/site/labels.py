"""Chinese names the site shows for the records' English codes."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from ..rules.schedules import PER_SEMESTER, PER_YEAR

OPERATIONS = PER_SEMESTER + PER_YEAR

EVENT_TYPES = {
    "working_group_meeting": "工作小組會議",
    "student_training": "學生訓練",
    "teacher_workshop": "教師研習",
    "parent_session": "親師說明",
    "other": "其他",
}

# outcome states: "uploaded" is the state of an outcome nobody has reported on yet
STATES = {
    "uploaded": "已上傳待認證",
    "pending": "合併請求待審",
    "certified": "已認證",
    "late": "逾期認證",
    "uncertified": "未有效認證",
}

SEATS = {
    "academic_director": "教務主任",
    "student_affairs_director": "學務主任",
    "counseling_director": "輔導主任",
    "practicum_director": "實習主任",
    "teaching_chief": "教學組長",
    "registration_chief": "註冊組長",
    "activities_chief": "訓育組長",
    "course_counselor": "課程諮詢教師",
    "counselor": "輔導老師",
    "homeroom_rep": "導師代表",
    "teacher_rep": "教師代表",
    "parent_rep": "家長代表",
    "student_rep": "學生代表",
}

SUBMISSION_CATEGORIES = {
    "enrollment": "學籍資料",
    "grades": "學業成績",
    "outcomes": "課程學習成果",
    "performances": "多元表現",
    "cadres": "幹部經歷",
}

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


@cache
def _schema_titles() -> dict[str, str]:
    path = Path(__file__).resolve().parents[1] / "schemas" / "schedule.schema.json"
    props = json.loads(path.read_text("utf-8"))["properties"]["operations"]["properties"]
    return {name: spec.get("title", name) for name, spec in props.items()}


def operation(name: str, given: str | None = None) -> str:
    """The operation's own title where the schedule gives one, else the schema's name for it."""
    return given or _schema_titles().get(name, name)


def unit_of(person: dict | None) -> str:
    roles = (person or {}).get("roles") or ()
    return next((unit for role, unit in UNITS if role in roles), "")


def clause_anchor(clause: str) -> str:
    """`§5.3.1` -> `s5-3-1`, the anchor of the clause on the rules page."""
    return "s" + clause.lstrip("§").replace(".", "-")
