"""Schedules (§4): every operation, its window, self-check and deadlines; meetings and trainings."""

from __future__ import annotations

from datetime import timedelta

from .. import dates
from ..rule import WARNING, checks, hit, rule

PER_SEMESTER = ("outcome_upload", "outcome_certification", "cadre_entry", "grade_entry")
PER_YEAR = ("outcome_selection", "performance_upload", "performance_selection", "submit_enrollment",
            "submit_grades", "submit_outcomes", "submit_performances", "submit_cadres", "receipt_confirmation")
SUBMISSIONS = tuple(op for op in PER_YEAR if op.startswith("submit_"))
UPLOAD_GRACE = timedelta(days=14)  # national rule: uploads stay open 2 weeks after 休業式
RECEIPT_DAYS = timedelta(days=3)  # national rule: receipt confirmation lasts at least 3 days


def _operations(records):
    """(document, semester, name, operation, start, end) for every operation written."""
    for semester, doc in sorted(records.schedules.items()):
        for name, op in (doc.data.get("operations") or {}).items():
            start, end = records.date(op.get("start")), records.date(op.get("end"), end=True)
            yield doc, semester, name, op, start, end


def _year_complete(records, year: int) -> bool:
    """A year's yearly items can be judged once its second file exists or the year is over."""
    second = f"{year}-2"
    return second in records.schedules or records.passed(dates.semester_bounds(second, records.tz)[1])


def _years(records):
    return sorted({dates.academic_year(sem) for sem in records.schedules})


@rule(
    "schedule.missing-operation",
    "§4",
    {"": "{semester} 的期程缺少作業「{operation}」", "year": "{year} 學年度的期程（上、下學期）都沒有作業「{operation}」"},
    {"": "the {semester} schedule lacks operation '{operation}'",
     "year": "neither schedule of academic year {year} has operation '{operation}'"},
)
def missing_operations(records):
    for semester, doc in sorted(records.schedules.items()):
        written = doc.data.get("operations") or {}
        for name in PER_SEMESTER:
            if name not in written:
                yield hit(doc.path, doc.line("operations"), semester=semester, operation=name)
    for year in _years(records):
        if not _year_complete(records, year):
            continue
        docs = [records.schedules[s] for s in dates.semesters_of_year(year) if s in records.schedules]
        for name in PER_YEAR:
            if not any(name in (d.data.get("operations") or {}) for d in docs):
                yield hit(docs[-1].path, docs[-1].line("operations"), "year", year=year, operation=name)


@rule(
    "schedule.order",
    "§4",
    {"": "作業「{operation}」的開始時間不早於結束時間",
     "after": "作業「{operation}」的{zh_edge}不應早於「{other}」的{zh_edge}",
     "term": "學期開始日不早於休業式"},
    {"": "operation '{operation}' does not start before it ends",
     "after": "operation '{operation}' should not {en_edge} before '{other}' does",
     "term": "the term does not start before its 休業式 (closing day)"},
)
def order(records):
    for semester, doc in sorted(records.schedules.items()):
        term = doc.data.get("term") or {}
        start, end = records.date(term.get("start")), records.date(term.get("end"), end=True)
        if start and end and start >= end:
            yield hit(doc.path, doc.line("term"), "term")
    for doc, semester, name, op, start, end in _operations(records):
        if start and end and start >= end:
            yield hit(doc.path, doc.line("operations", name), operation=name)
    # certification follows upload; receipt confirmation follows the submissions it confirms
    for semester, doc in sorted(records.schedules.items()):
        upload, cert = records.window("outcome_upload", semester), records.window("outcome_certification", semester)
        if upload and cert:
            for i, (zh, en) in enumerate((("開始時間", "start"), ("結束時間", "end"))):
                if cert[i] < upload[i]:
                    yield hit(doc.path, doc.line("operations", "outcome_certification"), "after",
                              operation="outcome_certification", other="outcome_upload", zh_edge=zh, en_edge=en)
    for year in _years(records):
        sem = f"{year}-1"
        receipt = records.window("receipt_confirmation", sem, yearly=True)
        submits = [w for w in (records.window(op, sem, yearly=True) for op in SUBMISSIONS) if w]
        if not (receipt and submits):
            continue
        doc = next(records.schedules[s] for s in dates.semesters_of_year(year)
                   if s in records.schedules and "receipt_confirmation" in (records.schedules[s].data.get("operations") or {}))
        line = doc.line("operations", "receipt_confirmation")
        if receipt[0] < min(w[0] for w in submits):
            yield hit(doc.path, line, "after", operation="receipt_confirmation", other="submit_*",
                      zh_edge="開始時間", en_edge="start")
        if receipt[1] < max(w[1] for w in submits):
            yield hit(doc.path, line, "after", operation="receipt_confirmation", other="submit_*",
                      zh_edge="結束時間", en_edge="end")


@rule(
    "schedule.self-check",
    "§4",
    {"": "作業「{operation}」沒有自我檢核時間（self_check）", "outside": "作業「{operation}」的自我檢核時間不在作業期間內"},
    {"": "operation '{operation}' has no self-check time (self_check)",
     "outside": "operation '{operation}' has its self-check outside its window"},
)
def self_check(records):
    for doc, semester, name, op, start, end in _operations(records):
        line = doc.line("operations", name)
        if not op.get("self_check"):
            yield hit(doc.path, line, operation=name)
            continue
        check = records.date(op["self_check"])
        if check and start and end and not start <= check <= end:
            yield hit(doc.path, doc.line("operations", name, "self_check"), "outside", operation=name)


@rule(
    "schedule.authority-deadline",
    "§4",
    "作業「{operation}」的截止時間 {end} 晚於主管機關的期限 {deadline}",
    "operation '{operation}' ends {end}, after the authority's deadline {deadline}",
)
def authority_deadline(records):
    for doc, semester, name, op, start, end in _operations(records):
        deadline = records.date(op.get("authority_deadline"), end=True)
        if deadline and end and end > deadline:
            yield hit(doc.path, doc.line("operations", name, "end"), operation=name,
                      end=dates.roc(end), deadline=dates.roc(deadline))


@rule(
    "schedule.upload-grace",
    "§5.3.1",
    "課程學習成果上傳須在休業式（{term_end}）後至少開放 14 天，至少到 {needed}；目前截止於 {end}",
    "outcome uploads must stay open at least 14 days after the closing day ({term_end}), until {needed}; they end {end}",
)
def upload_grace(records):
    for semester, doc in sorted(records.schedules.items()):
        term_end = records.date((doc.data.get("term") or {}).get("end"))
        upload = records.window("outcome_upload", semester)
        if term_end and upload and upload[1].date() < (term_end + UPLOAD_GRACE).date():
            yield hit(doc.path, doc.line("operations", "outcome_upload", "end"),
                      term_end=dates.roc(term_end, with_time=False),
                      needed=dates.roc(term_end + UPLOAD_GRACE, with_time=False), end=dates.roc(upload[1]))


@rule(
    "schedule.receipt-days",
    "§6.2",
    "收訖明細確認期間只有 {days} 天，至少應有 3 天",
    "the receipt confirmation window lasts {days} days; it must last at least 3",
)
def receipt_days(records):
    for doc, semester, name, op, start, end in _operations(records):
        if name == "receipt_confirmation" and start and end and end - start < RECEIPT_DAYS - timedelta(seconds=1):
            days = round((end - start).total_seconds() / 86400, 1)
            yield hit(doc.path, doc.line("operations", name), days=f"{days:g}")


@rule(
    "schedule.planner",
    "§4",
    "期程應由教務主任規劃；「{name}」不是教務主任（staff.yaml 的 roles 沒有 academic_director）；請把 planned_by 改為教務主任的代號",
    "the schedule is planned by the director of academic affairs; '{name}' lacks role academic_director",
)
def planner(records):
    for semester, doc in sorted(records.schedules.items()):
        who = doc.data.get("planned_by")
        if who and who in records.staff and not records.has_role(who, "academic_director"):
            yield hit(doc.path, doc.line("planned_by"), name=who)


@checks("ref.unknown")
def unknown_planner(records):
    for semester, doc in sorted(records.schedules.items()):
        who = doc.data.get("planned_by")
        if who and who not in records.staff:
            yield hit(doc.path, doc.line("planned_by"), "staff", name=who)


def _events(records, semester):
    doc = records.schedules.get(semester)
    return [(doc, i, e) for i, e in enumerate(doc.data.get("events") or ())] if doc else []


@rule(
    "group.meeting",
    "§3.2",
    {"": "{semester} 沒有排定工作小組會議（每學期至少一次）",
     "held": "{semester} 已結束，但沒有一場工作小組會議標記為已召開（held: true）"},
    {"": "no working group meeting is scheduled in {semester} (at least one per semester)",
     "held": "{semester} is over and no working group meeting is marked held (held: true)"},
)
def meetings(records):
    for semester, doc in sorted(records.schedules.items()):
        held = [e for _, _, e in _events(records, semester) if e.get("type") == "working_group_meeting"]
        term_end = records.date((doc.data.get("term") or {}).get("end"), end=True)
        if not held:
            yield hit(doc.path, doc.line("events"), semester=semester)
        elif term_end and records.passed(term_end) and not any(e.get("held") for e in held):
            yield hit(doc.path, doc.line("events"), "held", severity=WARNING, semester=semester)


TRAININGS = {
    "student_training": ("學生訓練", "student training"),
    "teacher_workshop": ("教師研習", "teacher workshop"),
    "parent_session": ("親師說明", "parent information session"),
}


@rule(
    "training.missing",
    "§10",
    "{year} 學年度沒有{zh_name}（{type}），每學年至少一次",
    "academic year {year} has no {en_name} ({type}); at least one a year",
)
def trainings(records):
    for year in _years(records):
        if not _year_complete(records, year):
            continue
        sems = [s for s in dates.semesters_of_year(year) if s in records.schedules]
        found = {e.get("type") for s in sems for _, _, e in _events(records, s)}
        doc = records.schedules[sems[-1]]
        for kind, (zh, en) in TRAININGS.items():
            if kind not in found:
                yield hit(doc.path, doc.line("events"), year=year, type=kind, zh_name=zh, en_name=en)


@rule(
    "cadre.missing",
    "§5.1",
    "{semester} 的幹部登錄期間已結束，但沒有幹部紀錄（records/cadres/{semester}.yaml）",
    "the cadre entry window of {semester} is over but there is no cadre record (records/cadres/{semester}.yaml)",
    severity=WARNING,
)
def cadres_entered(records):
    holder = records.holders.by_kind.get("cadres")
    if holder is None:
        return  # the portfolio alone: cadres are the registry's
    entered = {doc.keys["semester"] for doc in records.valid("cadres") if doc.data}
    for semester, doc in sorted(records.schedules.items()):
        window = records.window("cadre_entry", semester)
        if window and records.passed(window[1]) and semester not in entered:
            if holder.name == doc.repository:
                yield hit(doc.path, doc.line("operations", "cadre_entry"), semester=semester)
            else:  # the registry reports it, on the file it lacks
                yield hit(f"records/cadres/{semester}.yaml", 1, semester=semester)


def current_semester(records) -> str | None:
    """The semester "now" lies in (None when there is no school.yaml: the registry takes its
    schedules from the portfolio). Both of its bounds are asked through `passed`, so a cached
    result is reused only for a "now" in the same semester."""
    if records.now is None or records.one("school") is None:
        return None
    semester = dates.semester_of(records.now.astimezone(records.tz))
    start, end = dates.semester_bounds(semester, records.tz)
    records.passed(start)
    records.passed(end)
    return semester


@rule(
    "schedule.missing",
    "§4",
    "目前是 {semester}，但沒有這學期的期程（schedules/{semester}.yaml）；教務主任應規劃並公告本學期各項作業的期間",
    "it is {semester} now and there is no schedule for it (schedules/{semester}.yaml); the director of academic "
    "affairs plans and publishes this semester's operations",
    severity=WARNING,
)
def schedule_missing(records):
    semester = current_semester(records)
    if semester and semester not in records.schedules:
        yield hit(records.one("school").path, 1, semester=semester)


WEEKDAYS = (("週一", "Monday"), ("週二", "Tuesday"), ("週三", "Wednesday"), ("週四", "Thursday"),
            ("週五", "Friday"), ("週六", "Saturday"), ("週日", "Sunday"))


def days_off(records) -> dict:
    """date -> (name, workday) from records/holidays.yaml; a make-up workday (補班) has workday true."""
    doc = records.one("holidays")
    out = {}
    for item in (doc.data if doc else None) or []:
        day = records.date(item.get("date"))
        if day:
            out[day.date()] = (str(item.get("name") or ""), bool(item.get("workday")))
    return out


def day_off(day, holidays: dict) -> tuple[str, str] | None:
    """Why `day` is not a working day, (zh, en), or None when it is one (make-up workdays are)."""
    name, workday = holidays.get(day, (None, False))
    if workday:
        return None
    if name:
        return name, f"holiday ({name})"
    return WEEKDAYS[day.weekday()] if day.weekday() >= 5 else None


def working_day_before(day, holidays: dict):
    for _ in range(31):
        day -= timedelta(days=1)
        if not day_off(day, holidays):
            return day
    return day


@rule(
    "schedule.weekend",
    "§4",
    {"": "作業「{operation}」的截止時間 {when} 是{zh_reason}，不是上班日；請改到上班日，例如 {before}",
     "self_check": "作業「{operation}」的自我檢核日 {when} 是{zh_reason}，不是上班日；請改到上班日，例如 {before}"},
    {"": "operation '{operation}' ends {when}, a {en_reason}, not a working day; move it to a working day such as {before}",
     "self_check": "operation '{operation}' has its self-check on {when}, a {en_reason}, not a working day; "
                   "move it to a working day such as {before}"},
    severity=WARNING,
)
def weekend(records):
    holidays = days_off(records)
    for doc, semester, name, op, start, end in _operations(records):
        title = op.get("title") or name
        check = records.date(op.get("self_check"))
        for variant, key, when in (("", "end", end), ("self_check", "self_check", check)):
            reason = day_off(when.date(), holidays) if when else None
            if reason:
                timed = variant == "" and not dates.is_date(op.get("end"), date_only=True)
                yield hit(doc.path, doc.line("operations", name, key), variant, operation=title,
                          when=dates.roc(when, with_time=timed), zh_reason=reason[0], en_reason=reason[1],
                          before=dates.roc(working_day_before(when.date(), holidays), with_time=False))
