"""`licheng status`: per course of a semester, how many outcomes are certified, early, late, pending…"""

from __future__ import annotations

import sys
from collections import Counter

from .. import dates, duty
from .common import CHECK_HELP, queue_text, semester
from ..git.certification import CERTIFIED, EARLY, IMPORTED, LATE, PENDING, UNCERTIFIED, UPLOADED
from ..names import in_lang

COLUMNS = (CERTIFIED, EARLY, LATE, PENDING, UNCERTIFIED, UPLOADED)
HEADINGS = {
    "zh-TW": ("課程代碼", "科目", "任課教師", "已認證", "提前認證", "逾期認證", "待認證", "未認證", "已上傳未提交", "合計"),
    "en": ("course", "subject", "teachers", "certified", "early", "late", "pending", "uncertified", "uncommitted",
           "total"),
}


def course_counts(records, semester: str) -> dict[str, Counter]:
    counts: dict[str, Counter] = {code: Counter() for code in records.courses.get(semester, {})}
    for out in records.certification.outcomes.values():
        if out.semester == semester:
            state = CERTIFIED if out.state == IMPORTED else out.state
            counts.setdefault(out.course, Counter())[state] += 1
    return counts


def _names(records, staff_ids, lang: str | None = None) -> str:
    return (", " if lang == "en" else "、").join(records.staff_name(s) for s in staff_ids)


def teacher_courses(records, semester: str, staff_id: str) -> set[str]:
    """The semester's courses `staff_id` teaches, and those they certify now as the delegate on duty."""
    return {code for code, course in records.courses.get(semester, {}).items()
            if staff_id in course.get("teachers", ())
            or staff_id in duty.on_duty(records, "certification", records.now, scope=code, semester=semester)}


def table(records, semester: str | None, lang: str, teacher: str | None = None) -> str:
    semester = semester or dates.semester_of(records.now.astimezone(records.tz))
    courses = records.courses.get(semester, {})
    rows = []
    totals: Counter = Counter()
    wanted = teacher_courses(records, semester, teacher) if teacher else None
    for code, counter in sorted(course_counts(records, semester).items()):
        if wanted is not None and code not in wanted:
            continue
        course = courses.get(code, {})
        rows.append([code, course.get("name", "—"), _names(records, course.get("teachers", ()), lang),
                     *[str(counter[c]) for c in COLUMNS], str(sum(counter.values()))])
        totals.update(counter)
    heading = in_lang(HEADINGS, lang)
    rows.append(["", "合計" if lang != "en" else "total", "", *[str(totals[c]) for c in COLUMNS],
                 str(sum(totals.values()))])
    title = f"{semester} 課程學習成果認證狀態" if lang != "en" else f"{semester} course learning outcomes"
    if teacher:
        title += f"（{_names(records, [teacher])}）" if lang != "en" else f" ({_names(records, [teacher])})"
    return title + "\n" + _format([list(heading), *rows])


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # CJK characters take two columns


def _format(rows: list[list[str]]) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell + " " * (w - _width(cell)) if i < 3 else " " * (w - _width(cell)) + cell
                 for i, (cell, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


__all__ = ["table", "course_counts", "PENDING", "LATE", "UNCERTIFIED"]


def add_arguments(parser) -> None:
    parser.add_argument("--semester", type=semester, help="學期，例如 115-1（預設為目前學期）/ e.g. 115-1")
    parser.add_argument("--teacher", metavar="STAFF_ID",
                        help="只列這位教師任教或值勤代理的課程，並列出待認證請求 / one teacher's courses and queue")
    parser.add_argument("--no-cache", action="store_true", help="不使用快取 / ignore the cache")
    parser.add_argument("--check", action="store_true", help=CHECK_HELP)


def run(args) -> bool:
    from .common import school_records, school_root, staff_member

    from ..validate import Shared

    root = school_root(args.repo)
    shared = Shared(histories=None, documents=None, lasting=None) if args.no_cache else Shared()
    records = school_records(root, args.now, portfolio=args.portfolio, ask_platform=True,
                             use_cache=not args.no_cache, shared=shared)
    teacher = staff_member(records, args.teacher, root, "--teacher") if args.teacher else None
    sys.stdout.write(table(records, args.semester, args.lang, teacher))
    if teacher:
        from .common import queue as teachers_queue

        queue = teachers_queue(records, teacher, check=args.check, shared=shared, use_cache=not args.no_cache)
        sys.stdout.write("\n" + queue_text(records, teacher, queue, args.lang, checked=args.check))
    return True
