"""The school's repositories: what belongs where, the roster against the students, the pinned version,
school.yaml's timezone."""

from __future__ import annotations

from .. import __version__, dates
from ..records import roster
from ..rule import WARNING, declare, hit, rule

declare(
    "layout.misplaced",
    "§5",
    "這類紀錄不屬於 {repository} 資料庫，未讀取；學籍、成績、幹部、輔導與報送紀錄放在只有行政人員能讀的學籍資料庫（registry），"
    "學校設定、教職員、課程、名冊、期程與學生作品放在學習歷程資料庫（portfolio）",
    "this kind of record does not belong in the {repository} repository and was not read; students, grades, cadres, "
    "counseling and submissions belong in the registry only staff read; the school's settings, staff, courses, "
    "roster, schedules and students' work in the portfolio",
)


@rule(
    "roster.drift",
    "§9",
    {
        "": "名冊與學籍資料不符（學號 {student}：{fields} 不同）；請在學籍資料庫執行 licheng roster，並把 portfolio 的名冊變更送出合併請求",
        "missing": "名冊少了學號 {student}（{semester} 有學籍資料）；請在學籍資料庫執行 licheng roster，並把名冊變更送出合併請求",
        "extra": "名冊的學號 {student} 在 {semester} 沒有學籍資料；請在學籍資料庫執行 licheng roster，並把名冊變更送出合併請求",
        "file": "portfolio 缺少 {semester} 學期的名冊；請在學籍資料庫執行 licheng roster，並把名冊送出合併請求",
    },
    {
        "": "the roster differs from the students' records (student {student}: {fields}); run licheng roster in the "
            "registry and send the portfolio's roster change as a merge request",
        "missing": "the roster lacks student {student}, who has a record for {semester}; run licheng roster in the "
                   "registry and send the change as a merge request",
        "extra": "student {student} is on the roster but has no record for {semester}; run licheng roster in the "
                 "registry and send the change as a merge request",
        "file": "the portfolio has no roster for {semester}; run licheng roster in the registry and send it as a merge request",
    },
)
def roster_drift(records):
    """The portfolio's roster must be what the registry's students give (only where both are read)."""
    if records.from_roster or not records.student_docs:
        return
    docs = {doc.keys["semester"]: doc for doc in records.all("roster")}
    if not docs and records.holders.by_kind.get("roster") is records.holders.by_kind.get("student"):
        return  # a single repository without a roster: the students are read directly
    expected = roster.rows(records.students, records.tz)
    for semester in sorted(set(expected) | set(docs)):
        path = f"records/roster/{semester}.yaml"
        doc = docs.get(semester)
        if doc is None:
            yield hit(path, 1, "file", semester=semester)
            continue
        if not doc.valid:
            continue  # its schema findings say what is wrong
        have = {str(r.get("student")): (i, roster.normal(r, records.tz)) for i, r in doc.items()}
        want = {row["student"]: roster.normal(row, records.tz) for row in expected.get(semester, ())}
        for no in sorted(set(have) | set(want)):
            if no not in have:
                yield hit(path, 1, "missing", student=no, semester=semester)
            elif no not in want:
                yield hit(path, doc.line(have[no][0]), "extra", student=no, semester=semester)
            elif have[no][1] != want[no]:
                fields = sorted(k for k in set(have[no][1]) | set(want[no]) if have[no][1].get(k) != want[no].get(k))
                yield hit(path, doc.line(have[no][0]), student=no, fields=", ".join(fields))


def _parts(version: str) -> tuple[str, ...]:
    return tuple(version.strip().split("."))


@rule(
    "version.mismatch",
    "§5",
    "school.yaml 寫明 licheng {expected} 版，但執行的是 {running} 版；請讓 CI 安裝的版本與 school.yaml 一致",
    "school.yaml names licheng {expected} but {running} is running; make CI install the version school.yaml names",
    severity=WARNING,
)
def version_mismatch(records):
    doc = records.one("school")
    expected = records.school.get("licheng")
    if doc is None or not expected:
        return
    want = _parts(str(expected))
    if _parts(__version__)[: len(want)] != want:
        yield hit(doc.path, doc.line("licheng"), expected=expected, running=__version__)


@rule(
    "school.timezone",
    "§5",
    "時區「{value}」不是可辨識的時區名稱（IANA 名稱，例：Asia/Taipei）；改正之前，沒有寫時區的日期與時間都以 Asia/Taipei 計算",
    "'{value}' is no timezone's name (an IANA name, e.g. Asia/Taipei); until it is fixed, dates and times without a zone "
    "are taken as Asia/Taipei",
)
def unknown_timezone(records):
    doc = records.one("school")
    name = records.school.get("timezone")
    if doc is not None and isinstance(name, str) and name and dates.known_zone(name) is None:
        yield hit(doc.path, doc.line("timezone"), value=name)
