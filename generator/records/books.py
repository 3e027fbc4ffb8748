"""The central database's books: which records make each book's rows, and its columns.

Every book starts with 學年度, 學期, 學校代碼, 身分證號, then its own fields, modelled on the
field lists publicly known of the central database (shared CENTRAL-DB.md, from analysis code
of the 108–109 exports); a field the records do not hold is left empty.

THE COLUMN MAPPING (`BOOKS`) IS A MODEL, NOT THE OFFICIAL FORMAT. The K-12 Education
Administration sets the formats and does not publish them in full: check every book's
columns, their order, their codes and the date format (here ROC `YYYMMDD`, e.g. 1150211)
against the school's current official upload template of the day before submitting, and
change only this table when they differ.

What goes in (§5.3.3, §5.4.2): enrollment = every student on the school's roll (學籍) in the
semester, suspended and borrowed-out ones included (§9, see on_roll), with the status and the
date of the last change; grades, cadres = the semester's entries; outcomes = the semester's
outcomes that the student selected in the year's selection AND that count as certified;
performances = the academic year's selected performances (they are submitted once a year,
so both semesters' exports of a year carry the same ones). Counseling records (§5.2.2) are
never read here: the central database does not collect them (§5.5).
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Callable

from .. import dates
from . import enrollment
from ..git.certification import COUNTS_AS_CERTIFIED

CATEGORIES = ("enrollment", "grades", "cadres", "outcomes", "performances")  # as in submissions/


@dataclass(slots=True)
class Item:
    """One row to be: the record it comes from and the student it is about."""

    records: object
    student: dict
    data: dict
    semester: str  # the semester the row is filed under (學年度, 學期)
    path: str = ""  # the record file (attachments live beside it)


@dataclass
class Book:
    file: str
    category: str  # the submission category it counts towards
    title: str  # the central database's name of the book
    rows: Callable  # (records, semester) -> list[Item]
    columns: list[tuple[str, Callable[[Item], object]]]


# -- values -----------------------------------------------------------------------------

def roc_date(value, records=None) -> str:
    """`1150211` (ROC year, month, day, 7 digits) from any date the records accept."""
    moment = value if isinstance(value, datetime) else dates.parse_or_none(value, getattr(records, "tz", None))
    if moment is None:
        return ""
    return f"{moment.year - dates.ROC_OFFSET:03d}{moment.month:02d}{moment.day:02d}"


def _span(it: Item) -> str:
    """起訖日期: `1150211-1150630`, or the one date."""
    d = it.data
    if d.get("from") or d.get("until"):
        return f"{roc_date(d.get('from'), it.records)}-{roc_date(d.get('until'), it.records)}"
    return roc_date(d.get("date"), it.records)


def _sex(it: Item) -> str:
    """性別代碼 from the ID number's second character: 1/8 male → 1, 2/9 female → 2."""
    second = str(it.student.get("national_id", " "))[1:2]
    return {"1": "1", "8": "1", "2": "2", "9": "2"}.get(second, "")


def _grade_level(it: Item) -> str:
    """年級: the grade of the semester's courses offered to the student's class."""
    klass = (it.student.get("classes") or {}).get(it.semester)
    for course in it.records.courses.get(it.semester, {}).values():
        if klass is not None and klass in course.get("classes", ()):
            return str(course.get("grade", ""))
    return ""


STATUS = {"admitted": "在學", "transfer_in": "在學", "reinstate": "在學", "repeat": "在學",
          "borrow_in": "借讀", "borrow_out": "借讀他校", "suspend": "休學", "transfer_out": "轉出",
          "withdraw": "退學", "graduate": "畢業"}


def _last_event(it: Item) -> dict:
    """The student's last enrollment event up to the semester's end (or now, if earlier)."""
    _, last = dates.semester_bounds(it.semester, it.records.tz)
    until = min(last, it.records.now) if it.records.now else last
    latest: dict = {}
    for event in it.student.get("events") or ():
        when = it.records.date(event.get("date"))
        if when is not None and when <= until:
            latest = event
    return latest


def _course(it: Item) -> dict:
    return it.records.courses.get(it.semester, {}).get(str(it.data.get("course"))) or {}


def _passed(it: Item) -> str:
    score = it.data.get("score")
    return "" if not isinstance(score, (int, float)) else ("1" if score >= 60 else "0")


def attachments(it: Item) -> list[tuple[str, int, str]]:
    """(name, size, sha256) of each file the record lists, read from beside it: only a plain name,
    only a regular file (never a symlink, FIFO or device), only up to the school's size limit."""
    out = []
    folder = it.records.root_of(it.path) / PurePosixPath(it.path).parent
    limits = it.records.limits
    limit = max(int(limits.get("document_max_mb") or 0), int(limits.get("media_max_mb") or 0), 1) << 20
    for name in it.data.get("files") or ():
        name = str(name)
        read = None if "/" in name or "\\" in name or name in ("", ".", "..") else regular_file_digest(folder / name, limit)
        out.append((name, *read) if read else (name, 0, ""))
    return out


def regular_file_digest(path, limit: int) -> tuple[int, str] | None:
    """(size, sha256) of a regular file of at most `limit` bytes; None for anything else."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        digest, size = hashlib.sha256(), 0
        while size <= limit:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return size, digest.hexdigest()
            digest.update(chunk)
            size += len(chunk)
        return None  # grew past the limit while being read
    except OSError:
        return None
    finally:
        os.close(fd)


def _files(it: Item) -> str:
    return ";".join(name for name, _, _ in attachments(it))


def _hashes(it: Item) -> str:
    return ";".join(digest for _, _, digest in attachments(it))


def _v(key: str):
    return lambda it: it.data.get(key, "")


# -- which records make the rows ----------------------------------------------------------

ROLL_ENTER, ROLL_LEAVE = {"admitted", "transfer_in"}, enrollment.LEFT_SCHOOL


def on_roll(records, student: dict, semester: str, bounds: tuple | None = None) -> bool:
    """On this school's roll (學籍) at some point of the semester: from admission or transfer in
    to graduation, transfer out or withdrawal. Unlike generator.enrollment.enrolled_in, a
    suspended (休學) or borrowed-out student stays on the roll, and a borrowed-in one is not.
    (`bounds`: the semester's, where the caller asks of many students.)"""
    first, last = bounds or dates.semester_bounds(semester, records.tz)
    start = None
    for event in student.get("events") or ():
        when, kind = records.date(event.get("date")), event.get("type")
        if when is None:
            continue
        if kind in ROLL_ENTER and start is None:
            start = when
        elif kind in ROLL_LEAVE and start is not None:
            if start <= last and when > first:
                return True
            start = None
    return start is not None and start <= last


def _students(records, semester):
    bounds = dates.semester_bounds(semester, records.tz)
    return [Item(records, s, s, semester) for no, s in sorted(records.students.items())
            if on_roll(records, s, semester, bounds)]


def _grades(records, semester):
    out = []
    for doc in sorted((d for d in records.valid("grades") if d.keys["semester"] == semester), key=lambda d: d.path):
        for no, score in sorted((doc.data.get("scores") or {}).items()):
            if no in records.students:
                out.append(Item(records, records.students[no], {"course": doc.data.get("course"), "score": score},
                                semester, doc.path))
    return out


def _cadres(records, semester):
    out = []
    for doc in records.valid("cadres"):
        if doc.keys["semester"] == semester:
            out.extend(Item(records, records.students[e["student"]], e, semester, doc.path)
                       for _, e in doc.items() if e.get("student") in records.students)
    return sorted(out, key=lambda it: (it.data["student"], str(it.data.get("from"))))


def _selections(records) -> dict[tuple[str, str], dict]:
    """(year, student number) -> the student's selection of the year."""
    return records.memo("export.selections", lambda: {
        (d.keys["year"], d.keys["student"]): d.data for d in records.valid("selection")})


def _outcomes_of(records) -> dict[str, list]:
    """semester -> its outcomes, sorted by path, once for every book and semester."""
    def grouped():
        out: dict[str, list] = {}
        for doc in sorted(records.valid("outcome"), key=lambda d: d.path):
            out.setdefault(doc.keys["semester"], []).append(doc)
        return out
    return records.memo("export.outcomes", grouped)


def _outcomes(records, semester):
    year, out = str(dates.academic_year(semester)), []
    outcomes, students, chosen = records.certification.outcomes, records.students, _selections(records)
    for doc in _outcomes_of(records).get(semester, ()):
        no, slug = doc.keys["student"], doc.keys["slug"]
        if no not in students:
            continue
        selected = f"{semester}/{slug}" in ((chosen.get((year, no)) or {}).get("outcomes") or ())
        state = outcomes.get(doc.path)
        if selected and state is not None and state.state in COUNTS_AS_CERTIFIED:
            out.append(Item(records, students[no], doc.data, semester, doc.path))
    return out


def _performance_semester(records, year: str, data: dict) -> str:
    when = records.date(data.get("date") or data.get("from"))
    sem = dates.semester_of(when) if when else f"{year}-2"
    return sem if str(dates.academic_year(sem)) == year else f"{year}-2"


def _performances_of(records) -> dict[tuple, list]:
    """(year, category) -> its performances by path, sorted once for every book and semester."""
    def grouped():
        out: dict[tuple, list] = {}
        for doc in sorted(records.valid("performance"), key=lambda d: d.path):
            out.setdefault((doc.keys["year"], doc.data.get("category")), []).append(doc)
        return out
    return records.memo("export.performances", grouped)


def _performances(category: str):
    def rows(records, semester):
        year, out = str(dates.academic_year(semester)), []
        students, chosen = records.students, _selections(records)
        for doc in _performances_of(records).get((year, category), ()):
            no, slug = doc.keys["student"], doc.keys["slug"]
            if no not in students:
                continue
            if slug in ((chosen.get((year, no)) or {}).get("performances") or ()):
                sem = _performance_semester(records, year, doc.data)
                out.append(Item(records, students[no], doc.data, sem, doc.path))
        return out
    return rows


# -- THE MAPPING: one table, book by book (check against the official template!) ---------

COMMON = [
    ("學年度", lambda it: str(dates.academic_year(it.semester))),
    ("學期", lambda it: it.semester.rsplit("-", 1)[1]),
    ("學校代碼", lambda it: str(it.records.school.get("code", ""))),
    ("身分證號", lambda it: it.student.get("national_id", "")),
]
EMPTY = lambda it: ""  # noqa: E731  a field the records do not hold
FILES = [("附件檔名", _files), ("附件SHA256", _hashes)]  # licheng's: the files to upload beside the rows

BOOKS: list[Book] = [
    Book("enrollment.csv", "enrollment", "學生資料名冊", _students, COMMON + [
        ("出生日期", lambda it: roc_date(it.student.get("birth_date"), it.records)),
        ("性別代碼", _sex), ("群別代碼", EMPTY), ("科班學程別代碼", EMPTY), ("部別代碼", EMPTY), ("班別", EMPTY),
        ("年級", _grade_level),
        ("班級名稱", lambda it: (it.student.get("classes") or {}).get(it.semester, "")),
        ("座號", lambda it: it.student.get("seat_no", "")),
        ("特殊身分別", EMPTY), ("入學方式", EMPTY),
        ("學籍狀態", lambda it: STATUS.get(_last_event(it).get("type"), "")),
        ("學籍異動日期", lambda it: roc_date(_last_event(it).get("date"), it.records)),
    ]),
    Book("grades.csv", "grades", "學生成績名冊", _grades, COMMON + [
        ("課程代碼", _v("course")), ("科目名稱", lambda it: _course(it).get("name", "")),
        ("開課年級", lambda it: _course(it).get("grade", "")), ("修課學分", lambda it: _course(it).get("credits", "")),
        ("學期學業成績", _v("score")), ("成績及格", _passed), ("補考成績", EMPTY), ("補考及格", EMPTY),
        ("是否採計學分", EMPTY), ("質性文字描述", EMPTY),
    ]),
    Book("cadres.csv", "cadres", "校內幹部經歷名冊", _cadres, COMMON + [
        ("單位名稱", _v("unit")), ("開始日期", lambda it: roc_date(it.data.get("from"), it.records)),
        ("結束日期", lambda it: roc_date(it.data.get("until"), it.records)), ("擔任職務", _v("position")),
        ("幹部等級", lambda it: {"school": "1", "class": "2", "club": "3"}.get(it.data.get("level"), "")),
    ]),
    Book("outcomes.csv", "outcomes", "課程學習成果名冊", _outcomes, COMMON + [
        ("實際修課學期", lambda it: it.semester), ("課程代碼", _v("course")),
        ("科目名稱", lambda it: _course(it).get("name", "")), ("開課年級", lambda it: _course(it).get("grade", "")),
        ("修課學分", lambda it: _course(it).get("credits", "")), ("成果簡述", _v("summary")),
        ("原修課學校代碼", _v("transfer_from")), ("借讀學校代碼", EMPTY),
    ] + FILES),
    Book("performances-cadre.csv", "performances", "多元表現－幹部經歷暨事蹟", _performances("cadre"), COMMON + [
        ("單位名稱", _v("organizer")), ("起訖日期", _span), ("擔任職務", _v("title")), ("內容簡述", _v("summary")),
        ("幹部等級", EMPTY),
    ] + FILES),
    Book("performances-competition.csv", "performances", "多元表現－競賽參與", _performances("competition"), COMMON + [
        ("競賽名稱", _v("title")), ("項目", EMPTY), ("競賽等級代碼", EMPTY), ("獎項", _v("result")),
        ("結果公布日期", lambda it: roc_date(it.data.get("date"), it.records)), ("內容簡述", _v("summary")),
        ("團體參與代碼", EMPTY),
    ] + FILES),
    Book("performances-certificate.csv", "performances", "多元表現－檢定證照", _performances("certificate"), COMMON + [
        ("證照代碼", EMPTY), ("分數", EMPTY), ("分項結果", _v("result")),
        ("取得證照日期", lambda it: roc_date(it.data.get("date") or it.data.get("until"), it.records)),
        ("證照字號", EMPTY), ("檢定組別", EMPTY), ("內容簡述", _v("summary")),
    ] + FILES),
    Book("performances-service.csv", "performances", "多元表現－服務學習", _performances("service"), COMMON + [
        ("服務名稱", _v("title")), ("服務單位", _v("organizer")), ("起訖日期", _span), ("時數", _v("hours")),
        ("內容簡述", _v("summary")),
    ] + FILES),
    Book("performances-flexible-learning.csv", "performances", "多元表現－彈性學習時間",
         _performances("flexible_learning"), COMMON + [
             ("類別種類代碼", EMPTY), ("內容開設名稱", _v("title")), ("開設單位", _v("organizer")),
             ("開設學年度", lambda it: str(dates.academic_year(it.semester))),
             ("開設學期", lambda it: it.semester.rsplit("-", 1)[1]), ("每週節數", EMPTY), ("開設週數", EMPTY),
             ("內容簡述", _v("summary")),
         ] + FILES),
    Book("performances-group-activity.csv", "performances", "多元表現－團體活動時間",
         _performances("group_activity"), COMMON + [
             ("類別代碼", EMPTY), ("辦理單位", _v("organizer")), ("內容名稱", _v("title")),
             ("活動學年度", lambda it: str(dates.academic_year(it.semester))),
             ("活動學期", lambda it: it.semester.rsplit("-", 1)[1]), ("節數", EMPTY), ("內容簡述", _v("summary")),
         ] + FILES),
    Book("performances-workplace.csv", "performances", "多元表現－職場學習", _performances("workplace"), COMMON + [
        ("類別代碼", EMPTY), ("單位", _v("organizer")), ("職稱", _v("title")), ("起訖日期", _span),
        ("時數", _v("hours")), ("內容簡述", _v("summary")),
    ] + FILES),
    Book("performances-work.csv", "performances", "多元表現－作品成果", _performances("work"), COMMON + [
        ("名稱", _v("title")), ("日期", _span), ("內容簡述", _v("summary")),
    ] + FILES),
    Book("performances-advanced-course.csv", "performances", "多元表現－大學及技專校院先修課程",
         _performances("advanced_course"), COMMON + [
             ("計畫專案", EMPTY), ("開設單位", _v("organizer")), ("課程名稱", _v("title")), ("起訖日期", _span),
             ("學分數", EMPTY), ("總時數", _v("hours")), ("內容簡述", _v("summary")),
         ] + FILES),
    Book("performances-other.csv", "performances", "多元表現－其他", _performances("other"), COMMON + [
        ("名稱", _v("title")), ("主辦單位", _v("organizer")), ("起訖日期", _span), ("時數", _v("hours")),
        ("內容簡述", _v("summary")),
    ] + FILES),
]


def export_counts(records, semester: str) -> dict[str, int]:
    """Rows each submission category would have in the semester's export."""
    counts = dict.fromkeys(CATEGORIES, 0)
    for book in BOOKS:
        counts[book.category] += len(book.rows(records, semester))
    return counts
