"""The roster: the projection of the registry's students that the portfolio's rules need.

records/roster/<semester>.yaml lists who is enrolled, in which class, with which commit
identities and enrolment intervals — no name, national ID, birth date or address. The
registry writes it (`licheng roster`); the portfolio validates from it alone.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from . import enrollment

PLATFORMS = ("github", "gitlab")  # the platform user names a merge request is judged by
FIELDS = ("student", "class", "seat_no", "git", *PLATFORMS, "enrolled", "transfer_in")


def _day(moment) -> str | None:
    return moment.date().isoformat() if moment is not None else None


def rows(students: dict[str, dict], tz: ZoneInfo) -> dict[str, list[dict]]:
    """semester -> its roster rows, from the students' records (what `licheng roster` writes)."""
    out: dict[str, list[dict]] = {}
    for no, student in sorted(students.items()):
        intervals = [{"from": _day(start), "until": _day(end)} for start, end in enrollment.periods(student, tz)]
        transfers = [e.get("date") for e in student.get("events") or () if e.get("type") == "transfer_in"]
        for semester, klass in sorted((student.get("classes") or {}).items()):
            row: dict = {"student": str(no), "class": str(klass)}
            if student.get("seat_no") is not None:
                row["seat_no"] = student["seat_no"]
            row["git"] = [str(e) for e in student.get("git") or ()]
            for platform in PLATFORMS:
                if student.get(platform):
                    row[platform] = str(student[platform])
            row["enrolled"] = intervals
            row["transfer_in"] = _iso(transfers[-1], tz) if transfers else None
            out.setdefault(semester, []).append(row)
    return out


def _iso(value, tz: ZoneInfo) -> str | None:
    from .. import dates

    moment = dates.parse_or_none(value, tz)
    return _day(moment) if moment else None


def normal(row: dict, tz: ZoneInfo) -> dict:
    """A roster row as written by `rows`, for comparison (dates in any accepted form)."""
    out = {k: row[k] for k in FIELDS if k in row and row[k] is not None}
    out["student"], out["class"] = str(row.get("student")), str(row.get("class"))
    out["git"] = [str(e) for e in row.get("git") or ()]
    out["enrolled"] = [{"from": _iso(i.get("from"), tz), "until": _iso(i.get("until"), tz) if i.get("until") else None}
                       for i in row.get("enrolled") or () if isinstance(i, dict)]
    if row.get("transfer_in"):
        out["transfer_in"] = _iso(row["transfer_in"], tz)
    return out


def students(docs) -> dict[str, dict]:
    """Student number -> a stand-in for the student's record, from the roster documents:
    classes per semester, git identities and enrolment events (an interval's start is an
    admission or the transfer in; its end a suspension: the roster does not say why)."""
    out: dict[str, dict] = {}
    for doc in sorted(docs, key=lambda d: d.keys["semester"]):
        for _, row in doc.items():
            no = str(row["student"])
            student = out.setdefault(no, {"student_no": no, "classes": {}, "git": []})
            student["classes"][doc.keys["semester"]] = str(row.get("class"))
            for email in row.get("git") or ():
                if email not in student["git"]:
                    student["git"].append(email)
            for platform in PLATFORMS:
                if row.get(platform):
                    student[platform] = row[platform]
            if row.get("seat_no") is not None:
                student["seat_no"] = row["seat_no"]
            events = []
            for interval in row.get("enrolled") or ():
                start = interval.get("from")
                kind = "transfer_in" if row.get("transfer_in") and start == row.get("transfer_in") else "admitted"
                events.append({"date": start, "type": kind})
                if interval.get("until"):
                    events.append({"date": interval["until"], "type": "suspend"})
            student["events"] = events  # the latest semester's row speaks for every interval
    return out


def dump(semester: str, entries: list[dict], schema: bool = True) -> str:
    """The text of records/roster/<semester>.yaml (every value quoted: no YAML surprises), its
    first line naming the roster's schema for editors unless not `schema` (a portfolio without
    the schema files)."""
    from ..layout import modeline
    from ..yaml import scalar

    lines = [modeline(f"records/roster/{semester}.yaml", "roster").rstrip("\n")] if schema else []
    lines += [f"# {semester} 學期名冊：由學籍資料庫以 licheng roster 產生，請勿手動修改（roster for {semester},"
             " written by licheng roster)"]
    for row in entries:
        lines.append(f"- student: {scalar(row['student'])}")
        lines.append(f"  class: {scalar(row['class'])}")
        if "seat_no" in row:
            lines.append(f"  seat_no: {scalar(row['seat_no'])}")
        lines.append(f"  git: [{', '.join(scalar(e) for e in row.get('git') or ())}]")
        for platform in PLATFORMS:
            if row.get(platform):
                lines.append(f"  {platform}: {scalar(row[platform])}")
        spans = ", ".join(f"{{from: {scalar(i['from'])}, until: {scalar(i['until'])}}}" for i in row["enrolled"])
        lines.append(f"  enrolled: [{spans}]")
        lines.append(f"  transfer_in: {scalar(row.get('transfer_in'))}")
    return "\n".join(lines) + "\n" if entries else "\n".join(lines) + "\n[]\n"


def write(portfolio, students: dict[str, dict], tz: ZoneInfo) -> list[str]:
    """Write the portfolio's roster files from the students (working tree only); the paths
    written, and stale roster files of semesters no student has any more are removed."""
    from pathlib import Path

    from ..layout import SCHEMA_DIR

    folder = Path(portfolio) / "records" / "roster"
    folder.mkdir(parents=True, exist_ok=True)
    wanted = rows(students, tz)
    schema = (Path(portfolio) / SCHEMA_DIR / "roster.schema.json").is_file()  # a modeline to no file helps no one
    written = []
    for semester, entries in sorted(wanted.items()):
        target = folder / f"{semester}.yaml"
        text = dump(semester, entries, schema)
        if not target.is_file() or target.read_text("utf-8") != text:
            target.write_text(text, "utf-8")
            written.append(f"records/roster/{semester}.yaml")
    for stale in sorted(folder.glob("*.yaml")):
        if stale.stem not in wanted and not stale.is_symlink():
            stale.unlink()
            written.append(f"records/roster/{stale.name}")
    return written
