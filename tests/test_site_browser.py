"""The public site in a real browser: headless Chromium (Debian's) driven by Playwright.

Every public page at 390×844 (a phone) and 1280×800: nothing scrolls sideways (the page,
any table, any scrolling frame), every table cell's text is on screen, progress bars keep
a visible bar and label, the timeline shows the "today" line. One browser for all pages.
Install: apt-get install chromium fonts-noto-cjk; pip install playwright (no browser download).
Set LICHENG_SCREENSHOTS=docs/screenshots to refresh the README's screenshots.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.publish import build
from site_helpers import NOW, copy_school

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PHONE, DESKTOP = (390, 844), (1280, 800)
SHOTS = {("", PHONE): "home-phone.png", ("schedule/115-1/", PHONE): "schedule-phone.png",
         ("status/", PHONE): "status-phone.png", ("formats/", PHONE): "formats-phone.png",
         ("", DESKTOP): "home.png", ("schedule/115-1/", DESKTOP): "schedule.png"}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no /usr/bin/chromium: apt-get install chromium fonts-noto-cjk (CI installs them)")

# what does not fit: the page, tables and scrolling frames wider than their box; cells off screen
LAYOUT = """() => {
  const width = window.innerWidth, out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) out.push(`page ${doc.scrollWidth} > ${doc.clientWidth}`);
  for (const el of document.querySelectorAll("article *")) {
    const style = getComputedStyle(el);
    if (el.tagName === "TABLE" || ["auto", "scroll"].includes(style.overflowX)) {
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.tagName}.${el.className} scrolls: ${el.scrollWidth} > ${el.clientWidth}`);
    }
  }
  for (const td of document.querySelectorAll("article td")) {
    if (!td.textContent.trim()) continue;
    const r = td.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.left < -1 || r.right > width + 1)
      out.push(`cell "${td.textContent.trim().slice(0, 30)}" at ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`);
  }
  for (const td of document.querySelectorAll("article td[data-label]")) {  // a card's label: inside its cell
    const r = td.getBoundingClientRect(), label = parseFloat(getComputedStyle(td, "::before").height);
    if (r.height >= 1 && label > r.height + 0.5) out.push(`label "${td.dataset.label}" ${label}px in a ${r.height}px cell`);
  }
  for (const p of document.querySelectorAll("article .lc-progress")) {
    const bar = p.querySelector(".lc-progress__bar").getBoundingClientRect();
    const text = p.querySelector(".lc-progress__text").getBoundingClientRect();
    if (bar.width < 20 || text.width < 1 || text.right > width + 1) out.push(`progress "${p.textContent.trim()}" bar ${bar.width}`);
  }
  return out;
}"""
# the today line on screen, its label inside the drawing and over no bar, marker or other label
TODAY = """() => {
  const line = [...document.querySelectorAll(".lc-tl-today")].find(l => l.closest("svg").getBoundingClientRect().width > 0);
  if (!line) return null;
  const r = line.getBoundingClientRect(), svg = line.closest("svg"), s = svg.getBoundingClientRect();
  const a = svg.querySelector(".lc-tl-today-label").getBoundingClientRect();
  if (a.left < s.left || a.right > s.right || a.top < s.top || a.bottom > s.bottom) return "label outside the drawing";
  for (const el of svg.querySelectorAll("text:not(.lc-tl-today-label), rect, path")) {
    const b = el.getBoundingClientRect();
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) return `label over ${el.textContent}`;
  }
  return r.left >= 0 && r.right <= window.innerWidth;
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = copy_school(tmp_path_factory.mktemp("school"))
    report = build(root, "public", tmp_path_factory.mktemp("site"), now=NOW)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(report.site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    pages = sorted(p.parent.relative_to(report.site_dir).as_posix() + "/" for p in report.site_dir.rglob("index.html"))
    yield f"http://127.0.0.1:{server.server_address[1]}/", [p.removeprefix("./") for p in pages]
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright (Debian's chromium is used)")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


def _page(browser, size: tuple[int, int]):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, locale="zh-TW")
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}") if "ABORTED" not in (req.failure or "") else None)
    return page, problems


def _shoot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=False)
    target = os.environ.get("LICHENG_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / name)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_public_page_fits(browser, site, size, tmp_path):
    url, pages = site
    assert {"", "schedule/115-1/", "status/", "status/outcomes/", "formats/", "rules/"} <= set(pages)
    page, problems = _page(browser, size)
    misfits = {}
    for path in pages:
        page.goto(url + path, wait_until="load")
        found = page.evaluate(LAYOUT)
        if found:
            misfits[path] = found
        if path.startswith("schedule/"):
            assert page.evaluate(TODAY) in (True, None), f"{path}: the today line is off screen or its label on others"
        if (path, size) in SHOTS:
            _shoot(page, tmp_path, SHOTS[(path, size)])
    assert misfits == {}
    assert problems == []
    page.close()


def test_cards_on_a_phone_and_the_today_line(browser, site):
    url, _ = site
    page, problems = _page(browser, PHONE)
    page.goto(url, wait_until="load")
    labels = page.evaluate("""() => [...document.querySelectorAll('#open-now + div.lc-table tbody tr:first-child td')]
        .map(td => getComputedStyle(td, '::before').content)""")
    assert labels[:4] == ['"作業"', '"負責"', '"截止"', '"剩餘"']  # each cell shows its column's name
    assert page.locator("#open-now + div.lc-table thead").is_hidden()
    page.goto(url + "schedule/115-1/", wait_until="load")
    assert page.locator("svg.lc-timeline__compact").is_visible() and page.locator("svg.lc-timeline__wide").is_hidden()
    assert page.evaluate(TODAY) is True
    assert "116年2月5日（五）" in page.locator("#op-outcome_upload").inner_text()
    # a card has no line for an empty cell: 任課教師認證 has no authority's deadline
    deadline = '#op-{} td[data-label="主管機關期限"]'
    assert page.locator(deadline.format("outcome_upload")).is_visible()
    assert page.locator(deadline.format("outcome_certification")).is_hidden()
    assert problems == []


def test_home_schedule_and_search(browser, site):
    url, _ = site
    page, problems = _page(browser, DESKTOP)
    page.goto(url, wait_until="load")
    open_now = page.locator("#open-now + div.lc-table table tbody tr")
    assert open_now.count() >= 3 and "課程學習成果上傳" in "".join(open_now.all_inner_texts())
    assert page.locator('a[href="feeds/all.ics"]').count() == 1 and page.locator('a[href="feeds/students.ics"]').count() == 1
    assert "資料檢查" not in page.locator("article").inner_text()
    page.goto(url + "schedule/115-1/", wait_until="load")
    rows = page.locator(".lc-schedule table tbody tr")
    assert rows.count() >= 7 and "116年2月5日（五） 17:00" in page.locator("#op-outcome_upload").inner_text()
    assert page.locator("th", has_text="主管機關期限").is_visible()
    assert page.locator('a[href="../../feeds/115-1.ics"]').count() == 1
    assert page.locator("svg.lc-timeline__wide").is_visible() and page.evaluate(TODAY) is True
    for word in ("認證", "勾選"):
        page.goto(url, wait_until="load")
        search = page.locator("input.md-search__input")
        search.click()
        search.fill(word)  # typed text outside the keyboard map fires no keyup; Material searches on keyup
        search.press("End")
        results = page.locator(".md-search-result__item")
        results.first.wait_for(timeout=15000)
        assert results.count() >= 1, word
    assert problems == []


def test_a_site_built_offline_works_opened_from_disk(browser, tmp_path_factory):
    """The staff site CI keeps as a download is opened from disk (file://): every page's links name
    files that are there (a directory link opens a folder listing), and nothing fails to load (the
    search's index and worker cannot load from a file: an offline site has no search)."""
    root = copy_school(tmp_path_factory.mktemp("school"))
    site_dir = build(root, "staff", tmp_path_factory.mktemp("offline"), now=NOW, offline=True).site_dir
    pages = sorted(site_dir.rglob("index.html")) + [site_dir / "404.html"]  # (MkDocs linked the 404 page from "/")
    assert len(pages) > 10 and not (site_dir / "search").exists()
    page, problems = _page(browser, DESKTOP)
    broken = {}
    for path in pages:
        page.goto(path.as_uri(), wait_until="load")
        links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
        local = {unquote(urlsplit(h).path) for h in links if h.startswith("file:")}
        missing = sorted(t for t in local if not Path(t).is_file())
        if missing:
            broken[path.relative_to(site_dir).as_posix()] = missing
    assert broken == {} and problems == []
    page.goto((site_dir / "index.html").as_uri(), wait_until="load")
    page.locator("nav.md-nav a", has_text="作業期程").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/index.html") and "作業期程" in page.title()
    page.close()
