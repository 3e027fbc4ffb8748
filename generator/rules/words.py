"""The user's words for what checks report in the records' codes: people and courses by name
(with the code), operations, roles, duties and books by their Chinese names.

Checks put ids and keys in their findings' values (`grade_entry`, `chen-yijun`, a course code);
`humanized` rewrites those values once the run is over, so no message shows an internal key.
Values a person wrote and must find again (a key, a path, a field) are left as written.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .. import layout
from ..names import EVENT_TYPES, ROLES, SUBMISSION_CATEGORIES, operations
from ..result import Said
from ..rule import RULES

FORMATS_PAGE = "formats/"  # the record formats on the public site (generated from the JSON Schemas)

DUTIES = {"registration": "註冊組", "activities": "訓育組", "admissions": "招生組", "counseling": "課程諮詢",
          "schedule": "期程規劃", "certification": "認證", "records": "紀錄登錄"}
# values a person wrote and must find again in the file, or that are no code at all
_AS_WRITTEN = {"key", "field", "path", "file", "value", "detail", "where", "target", "sha", "commit", "email",
               "tag", "url", "body", "slug", "rule", "repo", "root", "rev", "nonce", "note", "reason", "text", "type",
               "formats"}
# a code in full-width parentheses is already labelled: "name（code）"
_TOKEN = re.compile(r"(?<![\w/.（-])(?:[a-z][a-z0-9]*(?:[_-][a-z0-9]+)+|[0-9]{6}[0-9A-Z]{17})(?![\w/.-])")


def _vocabulary(records) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The words for every code, and each semester's courses by its own names (a school's own
    course id may name another course in another semester: a finding of a semester names its own)."""
    words = {**SUBMISSION_CATEGORIES, **DUTIES, **EVENT_TYPES, **ROLES, **operations()}
    words.update({sid: str(p.get("name") or sid) for sid, p in records.staff.items()})
    semesters: dict[str, dict[str, str]] = {}
    for semester, courses in records.courses.items():
        named = semesters[semester] = {code: f"{course['name']}（{code}）" for code, course in courses.items()
                                       if course.get("name")}
        words.update(named)
    for no, student in records.students.items():
        if student.get("name"):
            words[no] = f"{student['name']}（{no}）"
    return words, semesters


def _words_of(value: str, words: dict[str, str], own: dict[str, str]) -> str:
    # a code standing alone (or in a list) is a word; inside a sentence only unmistakable codes are
    def word(code: str, default=None):
        return own.get(code) or words.get(code, default)

    if value in own or value in words:
        return word(value)
    parts = re.split(r"(、|, )", value)
    if len(parts) > 1 and all(p in own or p in words or p in ("、", ", ") for p in parts):
        return "".join(word(p, p) for p in parts)
    return _TOKEN.sub(lambda m: word(m.group(), m.group()), value)


def formats_link(records, path: str) -> str | Said:
    """The record formats page, at the kind of record `path` is (or would be): `…/formats/#outcome`;
    without the site's address, the page by its name (a link relative to nothing leads nowhere)."""
    base = records.site_url
    if not base:
        return Said({"zh-TW": "網站的「資料格式」頁", "en": "the record formats page (資料格式) of the site"})
    kind = layout.classify(path) or (layout.misnamed(path),)
    anchor = f"#{kind[0]}" if kind[0] else ""
    return base.rstrip("/") + "/" + FORMATS_PAGE + anchor


def humanized(records, findings: list) -> list:
    """The findings with the codes in their values replaced by names (see the module's docstring),
    and the link to the record formats where the message names it."""
    try:
        words, semesters = _vocabulary(records)
    except Exception:  # records too broken to name anyone: the codes stay
        return findings
    out = []
    for f in findings:
        own = semesters.get(f.params.get("semester"), {})
        params = {k: _words_of(v, words, own) if isinstance(v, str) and k not in _AS_WRITTEN else v
                  for k, v in f.params.items()}
        if "{formats}" in "".join(RULES[f.rule].zh.values()):
            params["formats"] = formats_link(records, f.path)
        out.append(replace(f, params=params) if params != f.params else f)
    return out
