"""Calendar feeds that remind, read back with the `icalendar` library, and the site's
public/staff split (drafts, findings, record formats) from generator.site without MkDocs."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import icalendar
import pytest

from generator.site import data as site_data, pages
from generator.site.calendar import feed
from generator.site.formats import KINDS, all_formats
from site_helpers import NOW, copy_school

DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    root = copy_school(tmp_path_factory.mktemp("school"))
    return root, site_data.load(root, NOW)


def _parse(raw: bytes) -> icalendar.Calendar:
    assert raw.endswith(b"\r\n") and raw.count(b"\n") == raw.count(b"\r\n")  # CRLF only
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded at 75 octets
    return icalendar.Calendar.from_ical(raw)


def _events(cal) -> dict[str, icalendar.Event]:
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(events) == len(cal.walk("VEVENT"))  # UIDs are unique
    return events


def _span(event) -> timedelta:
    start = event.decoded("DTSTART")
    end = event.decoded("DTEND") if "DTEND" in event else start + (DAY if not isinstance(start, datetime) else timedelta(0))
    return end - start


def test_every_feed_is_rfc5545_with_short_entries(sample):
    root, data = sample
    site = pages.generate(data, "public", root)
    feeds = {path: raw for path, raw in site.files.items() if path.endswith(".ics")}
    assert set(feeds) == {"feeds/114-2.ics", "feeds/115-1.ics", "feeds/115-2.ics", "feeds/all.ics",
                          "feeds/students.ics", "feeds/teachers.ics"}
    for path, raw in feeds.items():
        cal = _parse(raw)
        assert str(cal["REFRESH-INTERVAL"].to_ical(), "ascii") == "PT6H" and str(cal["X-PUBLISHED-TTL"]) == "PT6H"
        events = _events(cal)
        assert events, path
        long = {uid: _span(e) for uid, e in events.items() if _span(e) > timedelta(days=14)}
        assert long == {}, path
        assert all(_span(e) <= DAY for e in events.values()), path  # every entry is a day or a moment


def test_an_operation_opens_ends_with_alarms_and_has_its_self_check(sample):
    root, data = sample
    events = _events(_parse(feed(data.records, data.now, "115-1")))
    base = "999999-115-1-outcome_upload"
    opens = events[f"{base}-opens@portfolio.example.edu.tw"]
    assert opens.decoded("DTSTART") == date(2026, 9, 1) and opens.decoded("DTEND") == date(2026, 9, 2)
    deadline = events[f"{base}@portfolio.example.edu.tw"]  # the UID the whole window had: subscribers update
    assert deadline.decoded("DTSTART") == datetime.fromisoformat("2027-02-05T09:00:00+00:00")  # 17:00 in Taipei
    assert "截止" in str(deadline["SUMMARY"]) and "課程學習成果上傳" in str(deadline["SUMMARY"])
    triggers = sorted(a.decoded("TRIGGER") for a in deadline.walk("VALARM"))
    assert triggers == [-timedelta(days=7), -DAY] and all(str(a["ACTION"]) == "DISPLAY" for a in deadline.walk("VALARM"))
    check = events[f"{base}-self-check@portfolio.example.edu.tw"]
    assert check.decoded("DTSTART") == date(2027, 1, 13) and "自我檢核" in str(check["SUMMARY"])
    term = events["999999-115-1-term-end@portfolio.example.edu.tw"]
    assert term.decoded("DTSTART") == date(2027, 1, 20) and "休業式" in str(term["SUMMARY"])


def test_uids_are_stable_when_dates_move_and_now_changes(sample, tmp_path):
    root, data = sample
    before = _events(_parse(feed(data.records, data.now, "115-1")))
    moved = copy_school(tmp_path / "school")
    path = moved / "schedules/115-1.yaml"
    path.write_text(path.read_text("utf-8").replace("end: 2027-02-05 17:00", "end: 2027-02-04 17:00"), "utf-8")
    later = site_data.load(moved, "2026-12-01 08:00")
    after = _events(_parse(feed(later.records, later.now, "115-1")))
    assert set(after) == set(before)
    uid = "999999-115-1-outcome_upload@portfolio.example.edu.tw"
    assert after[uid].decoded("DTSTART") == before[uid].decoded("DTSTART") - DAY


def test_the_feeds_take_the_sites_address_where_the_findings_links_do(tmp_path):
    """mkdocs.yml's site_url is the site's address (MkDocs builds it there): the feeds' links and
    UIDs once took school.yaml's alone, while the findings' links took mkdocs.yml's."""
    from generator.rules.words import formats_link

    root = copy_school(tmp_path / "school")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("https://portfolio.example.edu.tw/",
                                                        "https://licheng.example.org/school/"), "utf-8")
    data = site_data.load(root, NOW)
    events = _events(_parse(feed(data.records, data.now, "115-1")))
    deadline = events["999999-115-1-outcome_upload@licheng.example.org"]
    assert str(deadline["URL"]) == "https://licheng.example.org/school/schedule/115-1/"
    assert formats_link(data.records, "records/x.yaml").startswith("https://licheng.example.org/school/")
    config.unlink()  # without mkdocs.yml: school.yaml's
    data = site_data.load(root, NOW)
    assert "999999-115-1-outcome_upload@portfolio.example.edu.tw" in _events(_parse(feed(data.records, data.now, "115-1")))


def test_audience_feeds(sample):
    root, data = sample
    students = _events(_parse(feed(data.records, data.now, audience="students")))
    teachers = _events(_parse(feed(data.records, data.now, audience="teachers")))
    ops = lambda events: {re.sub(r"^999999-\d+-\d-|(-opens|-self-check)?@.*$", "", uid) for uid in events}  # noqa: E731
    assert {"outcome_upload", "performance_upload", "outcome_selection", "performance_selection",
            "receipt_confirmation"} <= ops(students)
    assert "outcome_certification" not in ops(students) and "grade_entry" not in ops(students)
    assert "outcome_certification" in ops(teachers)
    assert not ops(teachers) & {"outcome_upload", "grade_entry", "submit_enrollment"}
    assert "學生" in str(_parse(feed(data.records, data.now, audience="students"))["X-WR-CALNAME"])


def test_control_characters_never_reach_a_feed(tmp_path):
    root = copy_school(tmp_path / "school")
    path = root / "schedules/115-1.yaml"
    path.write_text(path.read_text("utf-8").replace("title: 課程學習成果上傳", 'title: "上傳\\e[31m\\a\\u0085紅字\\r\\nX-EVIL:1"'), "utf-8")
    data = site_data.load(root, NOW)
    raw = feed(data.records, data.now, "115-1")
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", raw) and "\x85".encode() not in raw
    assert b"\r\nX-EVIL" not in raw
    summaries = [str(e["SUMMARY"]) for e in _parse(raw).walk("VEVENT")]
    assert any("上傳[31m紅字\nX-EVIL:1" in s for s in summaries)


def test_a_draft_schedule_is_only_on_the_staff_site(tmp_path):
    root = copy_school(tmp_path / "school")
    path = root / "schedules/115-2.yaml"
    path.write_text(path.read_text("utf-8").replace("semester: 115-2\n", "semester: 115-2\nstatus: draft\n"), "utf-8")
    data = site_data.load(root, NOW)
    assert data.errors == 0
    public = pages.generate(data, "public", root)
    everything = "".join(p.html for p in public.pages) + "".join(v.decode() for v in public.files.values())
    assert "schedule/115-2/" not in [p.url for p in public.pages] and "feeds/115-2.ics" not in public.files
    assert "999999-115-2-" not in everything and "schedule/115-2/" not in everything
    titles = re.findall(r"title: ([^,}]+)[,}]", path.read_text("utf-8").split("events:")[1])
    assert titles and "116年6月10日" not in everything and not [t for t in titles[:2] if t in everything]  # its events
    staff = pages.generate(data, "staff", root)
    page = next(p for p in staff.pages if p.url == "schedule/115-2/")
    assert "草稿" in page.title and "lc-badge--draft" in page.html and "status: draft" in page.html
    assert "feeds/115-2.ics" not in staff.files and "999999-115-2-" not in staff.files["feeds/all.ics"].decode()


def test_record_formats_page_from_the_schemas(sample):
    root, data = sample
    formats = all_formats()
    assert [f.anchor for f in formats] == list(KINDS)
    for f in formats:
        for section in f.sections:
            for row in section.fields:
                assert row.title and row.kind, (f.anchor, row.key)  # every property has a zh-TW title and a type
    page = next(p for p in pages.generate(data, "public", root).pages if p.url == "formats/")
    for kind in KINDS:
        assert f'<h2 id="{kind}">' in page.html
    assert 'id="schedule-window"' in page.html and "<code>operations.outcome_upload</code>" in page.html
    assert "公告狀態" in page.html and "放假日與補班日" in page.html  # the new status field and holidays.yaml
