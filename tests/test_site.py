"""The website: real MkDocs builds of the sample school (public and staff) in tmp dirs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator import dates
from generator.records import Records
from generator.rule import RULES
from generator.publish import build
from generator.site.calendar import escape, fold
from generator.site.people import mask
from generator.site.render import relative, web_link
from generator.yaml import load_bytes
from site_helpers import NOW, REPO, built_texts, copy_school


@pytest.fixture(scope="module")
def school(tmp_path_factory) -> Path:
    return copy_school(tmp_path_factory.mktemp("school"))


@pytest.fixture(scope="module")
def public(school, tmp_path_factory):
    report = build(school, "public", tmp_path_factory.mktemp("public"), now=NOW)
    return report, built_texts(report.site_dir)


@pytest.fixture(scope="module")
def staff(school, tmp_path_factory):
    report = build(school, "staff", tmp_path_factory.mktemp("staff"), now=NOW)
    return report, built_texts(report.site_dir)


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def test_home_lists_open_operations_deadlines_and_feeds(public):
    report, files = public
    assert report.errors == 0 and report.pages >= 10
    home = article(files["index.html"])
    assert "現在開放的作業" in home and "課程學習成果上傳" in home
    assert "116年2月5日（五）</span> <span class=\"lc-when\">17:00" in home  # 115-1 outcome upload ends 2027-02-05 17:00
    assert "還有 69 天 5 小時" in home  # from now (2026-11-28 12:00)
    assert "接下來的日期" in home and "自我檢核" in home
    assert 'href="feeds/all.ics"' in home and 'href="schedule/115-1/"' in home


def test_schedule_page_roc_dates_owner_self_check_authority_deadline(public):
    page = article(public[1]["schedule/115-1/index.html"])
    row = re.search(r'<tr id="op-outcome_upload">(.*?)</tr>', page, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[1:6] == ["教學組", "115年9月1日（二）", "116年2月5日（五） 17:00", "116年1月13日（三）", "116年2月10日（三）"]
    assert "<svg" in page and "lc-tl-today" in page  # the timeline marks today
    assert 'href="../../feeds/115-1.ics"' in page
    assert "親師座談會學習歷程檔案說明" in article(public[1]["events/index.html"])


def test_calendar_feeds_rfc5545(public):
    files = public[1]
    raw = (public[0].site_dir / "feeds/115-1.ics").read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    text = raw.decode().replace("\r\n ", "").replace("\r\n", "\n")  # unfold
    uids = re.findall(r"^UID:(.*)$", text, re.M)
    assert "999999-115-1-outcome_upload@portfolio.example.edu.tw" in uids
    assert "999999-115-1-outcome_upload-self-check@portfolio.example.edu.tw" in uids
    assert len(uids) == len(set(uids))
    assert set(re.findall(r"^DTSTAMP:(.*)$", text, re.M)) == {"20261128T040000Z"}  # "now" in UTC
    everything = files["feeds/all.ics"].replace("\r\n ", "").replace("\r\n", "\n")
    assert set(uids) <= set(re.findall(r"^UID:(.*)$", everything, re.M))
    assert "X-WR-CALNAME:示範市立示範高級中學 學習歷程檔案作業期程 115-1" in text


def test_ics_escaping_and_folding():
    assert escape('a,b;c\\d\ne') == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "認證" * 40
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_status_pages_count_outcomes_and_submissions(public):
    files = public[1]
    outcomes = article(files["status/outcomes/index.html"])
    assert "各班" in outcomes and "各課程" in outcomes and "已認證" in outcomes
    overview = article(files["status/index.html"])
    assert "lc-progress__bar" in overview and "位學生已上傳" in overview
    submissions = article(files["status/submissions/index.html"])
    assert "學籍資料" in submissions and "註冊組" in submissions
    group = article(files["status/group/index.html"])
    assert "召集人" in group and "教師研習" in group


def test_no_public_cell_counts_fewer_than_three_students(public, staff, school):
    from generator.site import data as site_data, status

    data = site_data.load(school, NOW)
    withheld = [t for _, (_, _, courses) in [(s, status.outcomes(data, s)) for s in ("114-2", "115-1")]
                for t in courses if t.withheld]
    assert withheld  # the sample has courses with outcomes of one or two students
    public_page, staff_page = (article(site[1]["status/outcomes/index.html"]) for site in (public, staff))
    for tally in withheld:
        row = re.search(rf"<code>{tally.key}</code></td>(.*?)</tr>", public_page, re.S).group(1)
        assert "少於 3 位學生，不公開" in row and "lc-progress" not in row
        staff_row = re.search(rf"<code>{tally.key}</code></td>(.*?)</tr>", staff_page, re.S).group(1)
        assert "不公開" not in staff_row and f">{tally.total}<" in staff_row


def test_rules_page_has_every_clause_anchor(public):
    rules = public[1]["rules/index.html"]
    for clause in {r.clause for r in RULES.values()}:
        anchor = "s" + clause.lstrip("§").replace(".", "-")
        assert f'id="{anchor}"' in rules, clause
    assert "107年1月19日（五） 校務會議通過" in rules and "112年8月23日（三） 修正通過" in rules


def test_search_index_segments_chinese(public):
    index = json.loads(public[1]["search/search_index.json"])
    tokens = {t for doc in index["docs"] for t in re.split(r"[\s\u200b]+", doc["title"] + " " + doc["text"])}
    assert {"認證", "勾選"} <= tokens


def _personal_strings(root: Path) -> tuple[list[str], list[str]]:
    """(names, other personal strings) from the sample school's records."""
    names, other = [], []
    tz = dates.zone(None)
    for path in sorted((root / "records/students").glob("*.yaml")):
        student = load_bytes(path.read_bytes())
        names.append(student["name"])
        born = dates.parse(student["birth_date"], tz)
        other += [student["student_no"], student["national_id"], student["birth_date"],
                  dates.roc(born, with_time=False).split("（")[0], f"{born.year - 1911}-{born:%m-%d}",
                  f"{born.year - 1911}/{born:%m/%d}"]
    for path in sorted((root / "records/counseling").rglob("*.yaml")):
        for item in load_bytes(path.read_bytes()):
            other.append(item["content"])
            if "個別" in item["place"]:  # 輔導室 alone is also the nominating office (§3.1)
                other.append(item["place"])
    for path in sorted((root / "records/grades").rglob("*.yaml")):
        grades = load_bytes(path.read_bytes())
        other += [f'"{no}": {score}' for no, score in grades["scores"].items()]
        other += [f"{no}: {score}" for no, score in grades["scores"].items()]
    return names, other


def _leaks(files: dict[str, str], strings: list[str]) -> list[tuple[str, str]]:
    found = []
    for name, text in files.items():
        for s in strings:
            pattern = rf"(?<!\d){re.escape(s)}(?!\d)" if s.isdigit() else re.escape(s)
            if re.search(pattern, text):
                found.append((name, s))
    return found


def test_public_site_has_no_personal_data(public, school):
    names, other = _personal_strings(school)
    assert len(names) > 20 and _leaks(public[1], names + other) == []


def test_staff_site_masks_names_and_hides_numbers_ids_grades_counseling(staff, school):
    report, files = staff
    names, other = _personal_strings(school)
    assert _leaks(files, names + other) == []
    students = [p for p in files if p.startswith("staff/student/")]
    assert len(students) == len(names) and report.pages > len(names)
    masked = {mask(n) for n in names}
    assert sum(1 for m in masked if any(m in files[p] for p in students)) == len(masked)
    assert "staff/student/" not in files["index.html"]  # student pages are not in the nav
    assert '<meta name="robots" content="noindex, nofollow">' in files["index.html"]


def test_mask():
    assert [mask("陳小明"), mask("王明"), mask("歐陽小明"), mask("林")] == ["陳○明", "王○", "歐○○明", "○"]


def test_offline_no_external_assets(staff):
    for name, text in staff[1].items():
        if name.endswith((".html", ".css")):
            assets = re.findall(r'(?:src|srcset)="(https?:[^"]*)"', text)
            assets += re.findall(r'<link[^>]*rel="(?:stylesheet|preload|icon|modulepreload)"[^>]*href="(https?:[^"]*)"', text)
            assets += re.findall(r"url\(['\"]?(https?:[^)'\"]*)", text)
            assert assets == [], name


def test_a_school_naming_materials_offline_plugin_gets_the_offline_build(tmp_path):
    """Material's offline plugin alone left the pages linked as folders (and the search that cannot
    start from disk): a school's mkdocs.yml naming it is built as --offline builds."""
    from generator.plugin import OVERRIDES
    from generator.publish import _configured

    root = copy_school(tmp_path / "school")
    for plugin, offline in (("material/offline", True), ("material/offline: {enabled: false}", None)):
        (root / "mkdocs.yml").write_text(f"plugins:\n  - search\n  - {plugin}\n  - licheng\n", "utf-8")
        with _configured(root, {"audience": "staff"}) as path:
            names = [p if isinstance(p, str) else next(iter(p)) for p in load_bytes(Path(path).read_bytes())["plugins"]]
            assert OVERRIDES.get("offline") is offline and ("search" in names) is (offline is None), (OVERRIDES, names)


def test_links_are_relative_and_only_web_links_are_links():
    assert relative("schedule/115-1/", "") == "../../"
    assert relative("", "rules/#s4") == "rules/#s4"
    assert relative("status/outcomes/", "feeds/all.ics") == "../../feeds/all.ics"
    assert web_link("https://example.edu.tw/a") and not web_link("javascript:alert(1)")


def test_two_builds_are_byte_identical(public, school, tmp_path):
    again = build(school, "public", tmp_path / "again", now=NOW)
    first = public[0].site_dir
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(again.site_dir).as_posix() for p in again.site_dir.rglob("*") if p.is_file())
    differ = [n for n in names if (first / n).read_bytes() != (again.site_dir / n).read_bytes()]
    assert differ == []


HOSTILE = "<img src=x onerror=alert(1)>"


def test_text_from_records_is_escaped(tmp_path):
    school = copy_school(tmp_path / "school")
    sched = school / "schedules/115-1.yaml"
    sched.write_text(sched.read_text("utf-8").replace("title: 課程學習成果上傳", f"title: '{HOSTILE}'")
                     .replace("owner: 教學組", "owner: 'javascript:alert(1)'", 1)
                     .replace("title: 親師座談會學習歷程檔案說明", "title: '<script>alert(2)</script>'"), "utf-8")
    outcome = next((school / "records/outcomes/115-1").rglob("*.yaml"))
    outcome.write_text(re.sub(r"(?m)^title: .*$", "title: '<script>alert(3)</script>'", outcome.read_text("utf-8")), "utf-8")
    reg = school / "records/regulation.md"
    reg.write_text(reg.read_text("utf-8") + "\n[點我](javascript:alert(4)) <script>alert(5)</script>\n", "utf-8")
    report = build(school, "staff", tmp_path / "site", now=NOW)
    files = built_texts(report.site_dir)
    pages = {n: t for n, t in files.items() if n.endswith(".html")}
    assert any("&lt;img src=x onerror=alert(1)&gt;" in t for t in pages.values())
    assert any("&lt;script&gt;alert(3)&lt;/script&gt;" in t for t in pages.values())  # the staff student page
    for name, text in pages.items():
        assert "<img src=x" not in text and not re.search(r"<script>alert\(\d\)", text), name
        assert not re.search(r"href=\"\s*javascript:", text, re.I), name
    assert "<script>alert" not in files["search/search_index.json"]


def test_validation_findings_only_on_the_staff_site_and_strict_stops(tmp_path):
    school = copy_school(tmp_path / "school")
    student = school / "records/students/1150101.yaml"
    student.write_text(student.read_text("utf-8").replace("J125493395", "J125493396"), "utf-8")
    report = build(school, "staff", tmp_path / "staff", now=NOW)
    assert report.errors == 1
    files = built_texts(report.site_dir)
    assert "1 項錯誤" in files["index.html"] and "資料檢查" in article(files["schedule/115-1/index.html"])
    findings = article(files["status/findings/index.html"])
    assert "id.national-id" in findings and 'href="../../rules/#s5-1"' in findings
    assert "J125493396" not in "".join(files.values())  # the finding's message names the ID: not shown
    public = build(school, "public", tmp_path / "public", now=NOW)
    assert public.errors == 1
    files = built_texts(public.site_dir)
    assert "status/findings/index.html" not in files
    for name, text in files.items():
        if name.endswith(".html") or name.endswith(".json"):
            assert "資料檢查" not in text and "項錯誤" not in text and "id.national-id" not in text, name
            assert "status/findings/" not in text and "檢查結果" not in text, name
    with pytest.raises(RuntimeError):
        build(school, "public", tmp_path / "strict", now=NOW, strict=True)


def test_staff_duty_page_names_who_acts_now_and_next(school, tmp_path):
    # 2026-10-10: the English teacher 江淑惠 is on sick leave (staff.yaml): 陳怡君, first in the
    # certification order, certifies her courses; 黃淑芬 is next
    report = build(school, "staff", tmp_path / "site", now="2026-10-10 12:00")
    page = article(built_texts(report.site_dir)["staff/duty/index.html"])
    row = next(r for r in page.split("<tr>") if "115999999H001010A010211" in r)
    cells = [c.split("</td>")[0] for c in re.split(r"<td[^>]*>", row)[1:]]
    assert cells[2:] == ["陳怡君", "黃淑芬", "江淑惠"]
    registration = next(r for r in page.split("<tr>") if "註冊組業務" in r)
    assert "王雅婷、許惠雯" in registration and "陳怡君" in registration
    later = article(built_texts(build(school, "staff", tmp_path / "later", now=NOW).site_dir)["staff/duty/index.html"])
    assert "115999999H001010A010211" not in later  # she is back: she certifies herself
