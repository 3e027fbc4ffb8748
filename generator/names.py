"""The Chinese names of the records' English codes (roles, working-group seats, event types,
submission categories, schedule operations): one table for the site, messages and papers."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

def in_lang(table: dict, lang: str | None):
    """`table`'s entry for a report's language: "en" with --lang en, else "zh-TW"."""
    return table["en" if lang == "en" else "zh-TW"]


def class_label(name) -> str:
    """A class as people write it: 101班; a name that says 班 already (1年1班) as it is."""
    name = str(name)
    return name if name.endswith("班") else f"{name}班"


def zh_or_en(lang: str | None, zh: str, en: str) -> str:
    """A message in the run's language: `en` with --lang en, else the Chinese `zh` (the default)."""
    return en if lang == "en" else zh


# the working group's seats (§3.1)
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

# a staff member's roles (staff.yaml); a seat's role has the seat's name
ROLES = {
    "principal": "校長", "admissions_chief": "招生組長", "registration_staff": "註冊組組員",
    "activities_staff": "訓育組組員", "admissions_staff": "招生組組員", "homeroom_teacher": "導師", "teacher": "任課教師",
    **SEATS,
}

EVENT_TYPES = {
    "working_group_meeting": "工作小組會議",
    "student_training": "學生訓練",
    "teacher_workshop": "教師研習",
    "parent_session": "親師說明",
    "other": "其他",
}

# what the school submits to the central database (submissions' category)
SUBMISSION_CATEGORIES = {
    "enrollment": "學籍資料",
    "grades": "學業成績",
    "outcomes": "課程學習成果",
    "performances": "多元表現",
    "cadres": "幹部經歷",
}


@cache
def operations() -> dict[str, str]:
    """Each schedule operation's name as its schema titles it."""
    path = Path(__file__).resolve().parent / "schemas" / "schedule.schema.json"
    props = json.loads(path.read_text("utf-8"))["properties"]["operations"]["properties"]
    return {name: spec.get("title", name) for name, spec in props.items()}


# how to merge so that the merge is a certification (a merge commit, never squash or rebase), in
# the words of the school's platform (school.yaml platform.kind; "" when it names none)
MERGE_METHODS = {
    "github": {"zh-TW": "GitHub 選「Create a merge commit」", "en": "GitHub: 'Create a merge commit'"},
    "gitlab": {"zh-TW": "GitLab 的合併方式設為「Merge commit」",
               "en": "GitLab: merge method 'Merge commit'"},
    "": {"zh-TW": "以合併提交（merge commit）合併，不用 squash 或 rebase",
         "en": "with a merge commit, never squash or rebase"},
}


def merge_method(school: dict) -> dict:
    """MERGE_METHODS' words for the school's platform."""
    platform = school.get("platform") if isinstance(school, dict) else None
    kind = platform.get("kind") if isinstance(platform, dict) else None
    return MERGE_METHODS.get(kind if isinstance(kind, str) else "", MERGE_METHODS[""])
