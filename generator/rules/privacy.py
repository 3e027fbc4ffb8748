"""Privacy by construction: personal records only where no student reads them, and no
personal value in the text the public site shows."""

from __future__ import annotations

import re
import unicodedata

from .. import layout
from ..records.repositories import REGISTRY_KINDS
from ..result import NATIONAL_ID, mask_id
from ..rule import hit, rule

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
TOKEN = re.compile(r"[0-9A-Za-z]+")
REGULATION = "records/regulation.md"
# the records whose free text the public site shows (schedules, events, courses, the working group, holidays)
PUBLIC_KINDS = ("schedule", "courses", "working-group", "holidays", "school")
NOT_TEXT = {"student", "staff", "by", "owner", "planned_by", "convener", "secretary", "code", "teachers", "classes",
            "start", "end", "self_check", "authority_deadline", "date", "from", "until", "semester", "type",
            "status", "site_url", "timezone", "audit_since", "url", "kind", "evidence", "trailer", "licheng"}


_KINDS = {"student": "學生基本資料", "submissions": "報送紀錄"}


@rule(
    "privacy.exposed",
    "§5",
    "學生能讀取這個資料庫（學號 {who} 曾在 main 上提交），卻存放學生個人資料（{kind}）。請執行 licheng split DIR 把學籍、成績、幹部、"
    "輔導與報送紀錄移到只有行政人員能讀的學籍資料庫（registry），並依 licheng split 的說明以 licheng purge --rewrite-history"
    " 從舊歷史中清除；這項錯誤不能列入已確認清單",
    "students can read this repository (student {who} committed on main) yet it holds personal records ({kind}). Run "
    "licheng split DIR to move students, grades, cadres, counseling and submissions into a registry only staff "
    "read, then purge them from the old history as licheng split explains (licheng purge --rewrite-history); "
    "this cannot be acknowledged",
)
def exposed(records):
    history = records.own_history
    if history is None:
        return
    personal = [d for d in records.documents if d.kind in REGISTRY_KINDS and d.repository == records.target]
    if not personal:
        return
    who = None
    commits = list(history.mainline) + [c for merged in history.branch.values() for c in merged]
    for commit in commits:
        person = records.identities.of(commit.author_email)
        if person is not None and person.kind == "student":
            who = f"{person.id}（{commit.short}）"
            break
    if who is None:
        return
    for doc in personal:  # (grades, cadres and counseling are named by the words every message shares)
        yield hit(doc.path, 1, who=who, kind=_KINDS.get(doc.kind, doc.kind))


def texts(value, where=()):
    """(path of keys, text) of every string in a record, except those that are not free text."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in NOT_TEXT:
                yield from texts(item, where + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts(item, where + (index,))


def public_texts(records):
    """(document path, line, text) of every free text that reaches the public site."""
    for kind in PUBLIC_KINDS:
        for doc in records.valid(kind):
            for where, text in texts(doc.data):
                yield doc.path, doc.line(*where), text
    raw = records.text_file(REGULATION, layout.TEXT_MAX_BYTES)
    if raw is None:
        return
    for number, text in enumerate(raw.decode("utf-8-sig", "replace").splitlines(), 1):
        yield REGULATION, number, text


def _name_index(names) -> dict[str, list[str]]:
    """Names (two characters at least) by their first two characters: a text is then searched
    once per character, not once per student."""
    index: dict[str, list[str]] = {}
    for name in sorted(names):
        index.setdefault(name[:2], []).append(name)
    return index


def _first_name(text: str, index: dict[str, list[str]]) -> str | None:
    """The first name (in sorted order) that `text` holds."""
    found = [name for at in range(len(text) - 1) for name in index.get(text[at:at + 2], ())
             if text.startswith(name, at)]
    return min(found) if found else None


def _plain(text: str) -> str:
    """The text as it reads: full-width digits and letters (a Chinese keyboard's １１５０１０１) and
    compatibility ideographs as their usual forms, invisible characters (zero-width spaces) gone."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf")


def personal_in(text: str, numbers: set[str], names: dict[str, list[str]]) -> tuple[str, str] | None:
    """(what, masked value) of the first personal value in `text` (`names` from _name_index), or None."""
    text = _plain(text)
    found = NATIONAL_ID.search(text)
    if found:
        return "national-id", mask_id(found.group(1))
    found = EMAIL.search(text)
    if found:
        local, _, domain = found.group(0).partition("@")
        return "email", f"{local[:2]}***@{domain}"
    for token in TOKEN.findall(text):
        if token in numbers:
            return "number", token
    name = _first_name(text, names)
    if name:
        return "name", name[0] + "○" * (len(name) - 1)
    return None


@rule(
    "privacy.public-text",
    "§5",
    {"national-id": "公開網站會顯示這段文字，其中有身分證明號碼（{value}）；請刪除",
     "email": "公開網站會顯示這段文字，其中有電子郵件地址（{value}）；請刪除",
     "number": "公開網站會顯示這段文字，其中有學生的學號（{value}）；請刪除",
     "name": "公開網站會顯示這段文字，其中有學生的姓名（{value}）；請刪除"},
    {"national-id": "the public site shows this text, and it holds a national ID ({value}); remove it",
     "email": "the public site shows this text, and it holds an email address ({value}); remove it",
     "number": "the public site shows this text, and it holds a student number ({value}); remove it",
     "name": "the public site shows this text, and it holds a student's name ({value}); remove it"},
)
def public_text(records):
    numbers = set(records.students)
    # names only where the registry is read; two characters at least (a one-character "name" is noise)
    names = _name_index([] if records.from_roster else
                       {str(s.get("name")) for s in records.students.values() if len(str(s.get("name") or "")) >= 2})
    for path, line, text in public_texts(records):
        found = personal_in(text, numbers, names)
        if found:
            yield hit(path, line, found[0], value=found[1])
