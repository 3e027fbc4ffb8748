"""The public site in a real browser: headless Chromium (Debian's) driven by Playwright.

Set LICHENG_SCREENSHOTS=docs/screenshots to refresh the README's screenshots.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.publish import build
from site_helpers import NOW, copy_school

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium; CI installs it)")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    root = copy_school(tmp_path_factory.mktemp("school"))
    report = build(root, "public", tmp_path_factory.mktemp("site"), now=NOW)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(report.site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


def _page(browser, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-TW")
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))
    return page, problems


def _shoot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=False)
    target = os.environ.get("LICHENG_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / name)


def test_home_schedule_and_search(browser, site_url, tmp_path):
    page, problems = _page(browser, 1280, 800)
    page.goto(site_url, wait_until="networkidle")
    open_now = page.locator("#open-now + div.lc-table table tbody tr")
    assert open_now.count() >= 3 and "課程學習成果上傳" in open_now.all_inner_texts()[2] + "".join(open_now.all_inner_texts())
    assert page.locator('a[href="feeds/all.ics"]').count() == 1
    _shoot(page, tmp_path, "home.png")

    page.goto(site_url + "schedule/115-1/", wait_until="networkidle")
    rows = page.locator(".lc-schedule table tbody tr")
    assert rows.count() >= 7 and "116年2月5日（五）17:00" in page.locator("#op-outcome_upload").inner_text()
    assert page.locator('a[href="../../feeds/115-1.ics"]').count() == 1
    assert page.locator("figure.lc-timeline svg .lc-tl-today").count() == 1
    _shoot(page, tmp_path, "schedule.png")

    for word in ("認證", "勾選"):
        page.goto(site_url, wait_until="networkidle")
        search = page.locator("input.md-search__input")
        search.click()
        search.fill(word)  # typed text outside the keyboard map fires no keyup; Material searches on keyup
        search.press("End")
        results = page.locator(".md-search-result__item")
        results.first.wait_for(timeout=15000)
        assert results.count() >= 1, word
    assert problems == []


def test_phone_viewport(browser, site_url, tmp_path):
    page, problems = _page(browser, 390, 844)
    page.goto(site_url + "schedule/115-1/", wait_until="networkidle")
    assert page.locator("h1").first.inner_text().startswith("115-1")
    _shoot(page, tmp_path, "schedule-phone.png")
    page.goto(site_url, wait_until="networkidle")
    _shoot(page, tmp_path, "home-phone.png")
    assert problems == []
