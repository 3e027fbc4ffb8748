"""The user's words for what checks report in the records' codes: people and courses by name
(with the code), operations, roles, duties and books by their Chinese names.

Checks put ids and keys in their findings' values (`grade_entry`, `chen-yijun`, a course code);
`humanized` rewrites those values once the run is over, so no message shows an internal key.
Values a person wrote and must find again (a key, a path, a field) are left as written.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

from .. import layout
from ..rule import RULES

FORMATS_PAGE = "formats/"  # the record formats on the public site (generated from the JSON Schemas)

ROLES = {
    "principal": "校長", "academic_director": "教務主任", "student_affairs_director": "學務主任",
    "counseling_director": "輔導主任", "practicum_director": "實習主任", "teaching_chief": "教學組長",
    "registration_chief": "註冊組長", "activities_chief": "訓育組長", "admissions_chief": "招生組長",
    "registration_staff": "註冊組組員", "activities_staff": "訓育組組員", "admissions_staff": "招生組組員",
    "course_counselor": "課程諮詢教師", "counselor": "輔導教師", "homeroom_teacher": "導師", "teacher": "任課教師",
    "homeroom_rep": "導師代表", "teacher_rep": "教師代表", "parent_rep": "家長代表", "student_rep": "學生代表",
}
DUTIES = {"registration": "註冊組", "activities": "訓育組", "admissions": "招生組", "counseling": "課程諮詢",
          "schedule": "期程規劃", "certification": "認證", "records": "紀錄登錄"}
BOOKS = {"enrollment": "學籍資料", "grades": "學業成績", "outcomes": "課程學習成果", "performances": "多元表現",
         "cadres": "幹部經歷"}
EVENTS = {"working_group_meeting": "工作小組會議", "student_training": "學生訓練", "teacher_workshop": "教師研習",
          "parent_session": "親師說明"}
# values a person wrote and must find again in the file, or that are no code at all
_AS_WRITTEN = {"key", "field", "path", "file", "value", "detail", "where", "target", "sha", "commit", "email",
               "tag", "url", "body", "slug", "rule", "repo", "root", "rev", "nonce", "note", "reason", "text", "type",
               "formats"}
_TOKEN = re.compile(r"(?<![\w/.-])(?:[a-z][a-z0-9]*(?:[_-][a-z0-9]+)+|[0-9]{6}[0-9A-Z]{17})(?![\w/.-])")


@cache
def _operations() -> dict[str, str]:
    path = Path(__file__).resolve().parents[1] / "schemas" / "schedule.schema.json"
    props = json.loads(path.read_text("utf-8"))["properties"]["operations"]["properties"]
    return {name: spec.get("title", name) for name, spec in props.items()}


def _vocabulary(records) -> dict[str, str]:
    words = {**BOOKS, **DUTIES, **EVENTS, **ROLES, **_operations()}
    words.update({sid: str(p.get("name") or sid) for sid, p in records.staff.items()})
    for courses in records.courses.values():
        for code, course in courses.items():
            if course.get("name"):
                words[code] = f"{course['name']}（{code}）"
    for no, student in records.students.items():
        if student.get("name"):
            words[no] = f"{student['name']}（{no}）"
    return words


def _words_of(value: str, words: dict[str, str]) -> str:
    # a code standing alone (or in a list) is a word; inside a sentence only unmistakable codes are
    if value in words:
        return words[value]
    parts = re.split(r"(、|, )", value)
    if len(parts) > 1 and all(p in words or p in ("、", ", ") for p in parts):
        return "".join(words.get(p, p) for p in parts)
    return _TOKEN.sub(lambda m: words.get(m.group(), m.group()), value)


def formats_link(records, path: str) -> str:
    """The record formats page, at the kind of record `path` is (or would be): `…/formats/#outcome`."""
    base = str(records.school.get("site_url") or "").strip()
    base = base if base.startswith(("https://", "http://")) else ""
    kind = layout.classify(path) or (layout.misnamed(path),)
    anchor = f"#{kind[0]}" if kind[0] else ""
    return (base.rstrip("/") + "/" if base else "") + FORMATS_PAGE + anchor


def humanized(records, findings: list) -> list:
    """The findings with the codes in their values replaced by names (see the module's docstring),
    and the link to the record formats where the message names it."""
    try:
        words = _vocabulary(records)
    except Exception:  # records too broken to name anyone: the codes stay
        return findings
    out = []
    for f in findings:
        params = {k: _words_of(v, words) if isinstance(v, str) and k not in _AS_WRITTEN else v
                  for k, v in f.params.items()}
        if "{formats}" in "".join(RULES[f.rule].zh.values()):
            params["formats"] = formats_link(records, f.path)
        out.append(replace(f, params=params) if params != f.params else f)
    return out
