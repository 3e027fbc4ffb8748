"""What the student and the teacher read first: who may certify each outcome now, and the counts.

`build` gathers it as data (the JSON report's "request" member); `text` and `markdown` show it
(the terminal and CI log; GitHub's job summary). Record text is untrusted: Markdown escapes it.
"""

from __future__ import annotations

import html
from collections import defaultdict

from .. import dates, layout
from ..errors import printable
from ..names import in_lang
from ..reporter import shown_revision
from ..result import Result
from ..rules import request as request_rules

_WORDS = {
    "zh-TW": {
        "title": "合併請求檢查：{head} 併入 {base}",
        "base": "{name}（{sha}）",
        "test_merge": "（平臺的測試合併 {checkout}）",
        "author": "提出者：{who}",
        "outcome": "{path}：{course}，{who}",
        "teacher": "現在可由任課教師 {names} 認證（合併）",
        "delegate": "任課教師目前無法認證，現在由代理人 {names} 認證（合併）",
        "nobody": "目前沒有可認證的教師，請聯絡教務處",
        "no-course": "{semester} 的開課資料中沒有這個課程代碼，沒有人能認證；請確認課程代碼",
        "unread": "檔案讀不出成果的內容（見其錯誤），修正後才能認證",
        "unread_course": "（讀不出課程）",
        "no_outcomes": "此合併請求沒有課程學習成果",
        "removed": "{path}：刪除這件成果（刪除沒有可認證的內容）",
        "outcomes": "學生 {student} 的課程學習成果：{counts}",
        "performances": "學生 {student} 的多元表現：{counts}",
        "count": "{period}：{count}/{limit} 件",
        "year": "{period} 學年度",
        "staff": "{name}",
        "student": "學生 {id}",
        "unknown": "{login}（不在名冊中）",
    },
    "en": {
        "title": "merge request check: {head} into {base}",
        "base": "{name} ({sha})",
        "test_merge": " (the platform's test merge {checkout})",
        "author": "opened by: {who}",
        "outcome": "{path}: {course}; {who}",
        "teacher": "the course teacher {names} may certify it now (by merging)",
        "delegate": "the course teacher is unavailable; the delegate on duty {names} may certify it now (by merging)",
        "nobody": "nobody may certify it now; ask the academic affairs office",
        "no-course": "no course of {semester} has this code, so nobody can certify it; check the course code",
        "unread": "the file holds no readable outcome (see its errors): fix it before it can be certified",
        "unread_course": "(course unreadable)",
        "no_outcomes": "this merge request holds no course learning outcome",
        "removed": "{path}: deletes this outcome (a deletion holds nothing to certify)",
        "outcomes": "student {student}'s course learning outcomes: {counts}",
        "performances": "student {student}'s diverse performances: {counts}",
        "count": "{period}: {count}/{limit}",
        "year": "academic year {period}",
        "staff": "{name}",
        "student": "student {id}",
        "unknown": "{login} (matches nobody in the records)",
    },
}


def _words(lang: str) -> dict:
    return in_lang(_WORDS, lang)


def _staff(records, ids) -> list[dict]:
    return [{"id": s, "name": records.staff_name(s)} for s in ids]


def _counts(records, request, students: set[str]) -> list[dict]:
    """The counts of `students` whose records the request touches, per semester (outcomes) or year."""
    wanted = set()
    for _, path in request.changes:
        kind = layout.classify(path) or (None, {})
        if kind[0] in ("outcome", "performance") or (kind[0] is None and layout.is_attachment(path)):
            parts = path.split("/")
            if len(parts) > 3 and parts[3] in students:
                wanted.add((parts[1], parts[3], parts[2]))  # (outcomes|performances, student, semester|year)
    have = defaultdict(int)
    for kind, section in (("outcome", "outcomes"), ("performance", "performances")):
        for doc in records.all(kind):
            if kind == "outcome" and records.transferred(doc):
                continue  # §9: earned at the school before, not counted
            period = doc.keys.get("semester") or doc.keys.get("year")
            have[(section, doc.keys["student"], period)] += 1
    out = []
    limits = request_rules.judge(records).limits  # the base's: a request's own school.yaml sets no limit
    for section, student, period in sorted(wanted):
        key = "outcomes_per_semester" if section == "outcomes" else "performances_per_year"
        count, limit = have[(section, student, period)], int(limits[key])
        label = period if section == "outcomes" else f"{period} 學年度"
        out.append({"kind": section, "student": student, "period": period, "count": count, "limit": limit,
                    "text": f"{label}：{count}/{limit} 件"})
    return out


def build(records, request) -> dict:
    person = request_rules.person_of_login(records, request.platform, request.author)
    students = request_rules.requesters(records)  # (their counts only: never a classmate's, none in a staff request)
    outcomes = []
    for path in request_rules.own_outcomes(records):
        out = records.certification.outcomes[path]
        ids, role = request_rules.certifiers(records, path)
        course = records.courses.get(out.semester, {}).get(out.course) or {}
        outcomes.append({"path": path, "student": out.student, "semester": out.semester, "course": out.course,
                         "course_name": course.get("name"), "certifiers": _staff(records, ids), "certifier": role})
    author = {"platform": request.platform or None, "login": request.author or None,
              "kind": person.kind if person else None, "id": person.id if person else None}
    if person and person.kind == "staff":
        author["name"] = _staff(records, [person.id])[0]["name"]
    sets = [frozenset(c["id"] for c in o["certifiers"]) for o in outcomes]
    return {
        "base": request.base_name, "base_commit": request.base, "head_commit": request.head,
        "checkout_commit": request.checkout, "test_merge": request.test_merge,
        "now": dates.roc(records.now.astimezone(records.tz)) if records.now else None,
        "author": author, "outcomes": outcomes,
        "removed": sorted(p for status, p in request.changes if status == "D" and layout.classify(p)
                          and layout.classify(p)[0] == "outcome"),
        "mixed_certifiers": len(sets) > 1 and not frozenset.intersection(*sets),
        "counts": _counts(records, request, students),
        "changed_paths": len(request.changes),
    }


def as_dict(summary: dict, result: Result) -> dict:
    """The JSON report's "request" member: the summary and what fails the request."""
    mine, old = result.own(), result.on_base()
    return {**summary,
            "introduced": {"errors": sum(f.severity == "error" for f in mine),
                           "warnings": sum(f.severity == "warning" for f in mine)},
            "on_base": {"errors": sum(f.severity == "error" for f in old),
                        "warnings": sum(f.severity == "warning" for f in old)},
            "passed": not result.failing}


def _lines(summary: dict, lang: str, esc=lambda s: s) -> tuple[str, list[str]]:
    """(title, body lines), each already escaped by `esc`."""
    w = _words(lang)
    base, sha = shown_revision(summary["base"]), summary["base_commit"][:8]
    title = w["title"].format(head=summary["head_commit"][:8],
                              base=sha if base == sha else w["base"].format(name=esc(base), sha=sha))
    if summary["test_merge"]:
        title += w["test_merge"].format(checkout=summary["checkout_commit"][:8])
    body = []
    author = summary["author"]
    if author["login"] or author["id"]:
        who = (w["staff"].format(name=author.get("name")) if author["kind"] == "staff"
               else w["student"].format(id=author["id"]) if author["kind"] == "student"
               else w["unknown"].format(login=author["login"]))
        body.append(w["author"].format(who=esc(who)))
    for o in summary["outcomes"]:
        names = "、".join(c["name"] for c in o["certifiers"])
        course = (f"{o['course_name']} ({o['course']})" if lang == "en" else f"{o['course_name']}（{o['course']}）") \
            if o["course_name"] else o["course"] or w["unread_course"]
        body.append(w["outcome"].format(path=esc(o["path"]), course=esc(course),
                                        who=w[o["certifier"]].format(names=esc(names), semester=o["semester"])))
    body += [w["removed"].format(path=esc(path)) for path in summary["removed"]]
    if not summary["outcomes"] and not summary["removed"]:
        body.append(w["no_outcomes"])
    per_student = defaultdict(list)
    for c in summary["counts"]:
        period = c["period"] if c["kind"] == "outcomes" else w["year"].format(period=c["period"])
        per_student[(c["kind"], c["student"])].append(w["count"].format(period=period, count=c["count"],
                                                                       limit=c["limit"]))
    for (kind, student), counts in per_student.items():
        body.append(w[kind].format(student=esc(student), counts="；".join(counts)))
    return title, body


def text(summary: dict, lang: str) -> str:
    """The terminal's and the CI log's head: the report's findings and verdict follow it. What the
    request wrote (a path, the course an outcome names) is escaped: a line break in it would start a
    line of the log, a workflow command (`::error file=…::`) or a forged verdict."""
    title, body = _lines(summary, lang, lambda value: printable(value, 1000))
    return "\n".join([title, *(f"  {line}" for line in body), ""]) + "\n"


def _md(value: str) -> str:
    return html.escape(printable(value, 1000)).replace("|", "&#124;").replace("*", "&#42;").replace("_", "&#95;") \
        .replace("[", "&#91;").replace("`", "&#96;")


def markdown(summary: dict, result: Result, lang: str, verdict: list[str]) -> str:
    """GitHub's job summary ($GITHUB_STEP_SUMMARY): the summary, the verdict (the report's last
    lines), then the request's own findings."""
    title, body = _lines(summary, lang, _md)
    out = [f"### {title}", "", *(f"- {line}" for line in body), "", *(f"**{_md(line)}**  " for line in verdict), ""]
    mine = result.own()
    if mine:
        out += ["| | file | rule | message |" if lang == "en" else "| | 檔案 | 規則 | 說明 |", "|---|---|---|---|"]
        for f in mine:
            mark = "❌" if f.severity == "error" else "⚠️"
            out.append(f"| {mark} | {_md(f.path)}:{f.line} | {_md(f.rule)} {_md(f.clause)} | {_md(f.message(lang))} |")
        out.append("")
    return "\n".join(out) + "\n"
