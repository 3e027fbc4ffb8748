"""The staff site's queue page: built by MkDocs from a school with open requests, seen in Chromium.

Set LICHENG_SCREENSHOTS=docs/screenshots to refresh the README's screenshots of it.
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
from test_queue import BACK, URL, make_school

from conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def staff_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("queue-site") / "school"
    repo = make_school(root)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    report = build(root, "staff", tmp_path_factory.mktemp("site"), now=BACK)
    return repo, report.site_dir


def test_queue_page_lists_each_teachers_requests_with_links(staff_site):
    repo, site = staff_site
    html = (site / "staff/queue/index.html").read_text("utf-8")
    assert "江淑惠（2 件）" in html and "賴志偉（1 件）" in html
    assert "（GitHub 選「Create a merge commit」）" in html  # the school's platform's own setting
    assert f'href="{URL}/pull/1"' in html and f'href="{URL}/pull/3"' in html
    name = next(line.split(":", 1)[1].strip() for line in repo.read("records/students/1150101.yaml").splitlines()
                if line.startswith("name:"))
    assert name not in html and name[0] + "○" in html and "jiang-shuhui" not in html
    assert not (site.parent / "public").exists()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium; CI installs it)")
@pytest.mark.parametrize("width,height,name", [(1280, 800, "staff-queue.png"), (390, 844, "staff-queue-mobile.png")])
def test_queue_page_in_a_browser(staff_site, tmp_path, width, height, name):
    playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    _, site = staff_site
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-TW")
            problems: list[str] = []
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/staff/queue/", wait_until="networkidle")
            rows = page.locator(".lc-table table tbody tr")
            assert rows.count() == 3 and "剩" in rows.first.locator("td").nth(1).inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways page scroll
            page.screenshot(path=str(tmp_path / name))
            browser.close()
        assert problems == []
        if os.environ.get("LICHENG_SCREENSHOTS"):
            Path(os.environ["LICHENG_SCREENSHOTS"]).mkdir(parents=True, exist_ok=True)
            shutil.copy(tmp_path / name, Path(os.environ["LICHENG_SCREENSHOTS"]) / name)
    finally:
        server.shutdown()
        server.server_close()
