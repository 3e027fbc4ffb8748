"""The whole site as plain values: pages (URL, title, HTML), files (feeds) and a small nav.

Knows nothing of MkDocs: an adapter (generator/plugin.py) hands these to the site engine.
Page URLs are directory URLs: '' is the home page, 'schedule/115-1/' a semester's page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import dates
from ..names import class_label, merge_method
from ..records.evaluation import evaluation
from . import calendar, duties, formats, group, labels, queue, regulation, schedule, staff, status
from .data import SiteData
from .pictures import Progress, timeline
from .render import SCHOOL_PAGES, Renderer

AUDIENCES = ("public", "staff")


@dataclass
class Page:
    url: str
    title: str
    html: str
    searchable: bool = True

    @property
    def source(self) -> str:
        return source(self.url)


@dataclass
class Site:
    audience: str
    pages: list[Page] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # path -> content
    nav: list = field(default_factory=list)  # [(title, url | [(title, url), ...]), ...]


def source(url: str) -> str:
    """The MkDocs source that builds the page at a directory URL ('' -> index.md, 'rules/' -> rules/index.md)."""
    return f"{url}index.md"


def mkdocs_nav(nav: list) -> list:
    """A site's nav as MkDocs' configuration writes it: each page by its source."""
    return [{title: mkdocs_nav(to) if isinstance(to, list) else source(to)} for title, to in nav]


def feed_path(semester: str | None) -> str:
    """feeds/<semester>.ics, feeds/all.ics, or an audience's feed (feeds/students.ics, feeds/teachers.ics)."""
    return f"feeds/{semester or 'all'}.ics"


def generate(data: SiteData, audience: str = "public", root: Path | None = None, offline: bool = False) -> Site:
    """The site's pages; `offline`: linked as files, for a site opened from disk."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}, not {audience!r}")
    records, now = data.records, data.now
    staff_site = audience == "staff"  # validation findings and draft schedules are for the staff only
    renderer = Renderer((root or records.root) / SCHOOL_PAGES, files=offline)
    site = Site(audience)
    semesters = schedule.semesters(records, drafts=staff_site)
    current = dates.semester_of(now)
    common = dict(school=records.school, school_name=records.school.get("name") or "本校", now=now, updated=data.updated_at, audience=audience,
                  errors=data.errors if staff_site else 0, warnings=data.warnings if staff_site else 0, labels=labels,
                  feed_path=feed_path, semesters=semesters, current=current, feed_audiences=calendar.AUDIENCES,
                  drafts={s for s in semesters if schedule.is_draft(records, s)},
                  withheld=f"少於 {status.MIN_PUBLIC_GROUP} 位學生，不公開")

    def add(url: str, title: str, template: str, searchable: bool = True, **context) -> None:
        html = renderer.page(template, url, title=title, **common, **context)
        site.pages.append(Page(url, title, html, searchable))

    add("", "首頁", "home.html", open_now=schedule.open_now(records, now, drafts=staff_site),
        upcoming=schedule.upcoming(records, now, drafts=staff_site), time_left=schedule.time_left,
        events=[e for e in schedule.events(records, drafts=staff_site) if e.when.at >= now][:5])
    for sem in semesters:
        ops = schedule.operations(records, sem)
        term = (records.schedules[sem].data.get("term") or {})
        add(f"schedule/{sem}/", f"{sem} 作業期程" + ("（草稿）" if sem in common["drafts"] else ""), "schedule.html",
            semester=sem, operations=ops, timeline=timeline(ops, now), compact=timeline(ops, now, compact=True),
            events=schedule.events(records, sem), term_start=schedule.moment(records, term.get("start")),
            term_end=schedule.moment(records, term.get("end")))
        if sem not in common["drafts"]:
            site.files[feed_path(sem)] = calendar.feed(records, now, sem)
    site.files[feed_path(None)] = calendar.feed(records, now)
    for who in calendar.AUDIENCES:
        site.files[feed_path(who)] = calendar.feed(records, now, audience=who)
    add("events/", "行事", "events.html", events=schedule.events(records, drafts=staff_site))

    started = [s for s in semesters if dates.semester_bounds(s, records.tz)[0] <= now]
    status_sems = (started or semesters)[-2:]  # this semester and the one before
    add("status/", "辦理情形總覽", "status_overview.html",
        operations={s: status.operations(data, s) for s in reversed(status_sems)}, Progress=Progress)
    add("status/outcomes/", "課程學習成果", "status_outcomes.html",
        tallies={s: status.outcomes(data, s) for s in reversed(semesters)}, states=labels.STATES,
        columns=labels.COLUMNS)
    add("status/selections/", "勾選", "status_selections.html",
        years={y: status.selections(data, y) for y in status.years(data, drafts=staff_site)})
    add("status/submissions/", "提交與收訖", "status_submissions.html", rows=status.submissions(data))
    add("status/group/", "工作小組與研習", "status_group.html", rosters=group.rosters(data, audience),
        activities=group.activities(data), trainings=group.TRAININGS)
    if staff_site:
        add("status/findings/", "檢查結果", "status_findings.html", counts=status.findings_by_rule(data))
    add("rules/", "補充規定", "rules.html", regulation=regulation.load(records.root_of("records/regulation.md")))
    add("formats/", "資料格式", "formats.html", formats=formats.all_formats())

    schedule_nav = [(f"{s} 學期" + ("（草稿）" if s in common["drafts"] else ""), f"schedule/{s}/")
                    for s in reversed(semesters)]
    status_nav = [("總覽", "status/"), ("課程學習成果", "status/outcomes/"), ("勾選", "status/selections/"),
                  ("提交與收訖", "status/submissions/"), ("工作小組與研習", "status/group/")]
    if staff_site:
        status_nav.append(("檢查結果", "status/findings/"))
    site.nav = [("首頁", ""), ("作業期程", schedule_nav), ("行事", "events/"), ("辦理情形", status_nav),
                ("補充規定", "rules/"), ("資料格式", "formats/")]
    if staff_site:
        _staff_pages(data, add)
        site.nav.append(("校內", [("班級與學生", "staff/"), ("待認證", "staff/queue/"), ("代理人與值勤", "staff/duty/"),
                                  ("成效評估", "staff/evaluation/")]))
    return site


def _staff_pages(data: SiteData, add) -> None:
    students = staff.student_pages(data)
    classes = staff.class_pages(data, students)
    add("staff/", "班級與學生", "staff_index.html", classes=classes)
    add("staff/queue/", "待認證", "staff_queue.html", queues=queue.queues(data.records), caveat=queue.caveat(data.records),
        merge_method=merge_method(data.records.school)["zh-TW"])
    add("staff/duty/", "代理人與值勤", "staff_duty.html",
        rows=duties.rows(data.records, data.now, dates.semester_of(data.now)))
    year = dates.academic_year(dates.semester_of(data.now))
    sections: dict[str, list] = {}
    for section, who, item, value in evaluation(data.records, year):
        sections.setdefault(section, []).append((who, item, value))
    add("staff/evaluation/", "成效評估", "staff_evaluation.html", year=year, sections=list(sections.items()))
    for page in classes:
        add(f"staff/class/{page.key}/", f"{page.semester} {class_label(page.cls)}", "staff_class.html", page=page,
            states=labels.STATES)
    for page in students:
        add(f"staff/student/{page.student.key}/", f"{page.student.masked}（{page.student.cls}）",
            "staff_student.html", searchable=False, page=page, states=labels.STATES)
