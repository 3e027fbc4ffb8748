"""What a school's repository may bring to the site build, and what it may not: real builds.

A merge request can change mkdocs.yml, theme overrides, page templates and the regulation:
none of it may run code (hooks, plugins, YAML tags, template tricks), and every value the
theme prints is escaped. `licheng build` needs no mkdocs.yml, also from a non-editable install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.errors import LichengError
from generator.publish import build
from generator.publish.config import SiteConfigError
from generator.site.regulation import render_markdown
from site_helpers import NOW, REPO, built_texts, copy_school

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def school(tmp_path) -> Path:
    return copy_school(tmp_path / "school")


def _mkdocs(root: Path, text: str) -> None:
    (root / "mkdocs.yml").write_text(text, "utf-8")


EVIL = "import pathlib\npathlib.Path(__file__).with_name('RAN').write_text('code ran')\n"


@pytest.mark.parametrize("config, named", [
    ("hooks: [evil.py]\n", "hooks"),
    ("plugins: [search, licheng, macros]\n", "macros"),
    ("plugins:\n  - search\n  - material/privacy\n", "material/privacy"),
    ("plugins:\n  - licheng: {root: /etc}\n", "licheng"),
    ("plugins:\n  - search\n  - licheng\n  - material/tags: {export_file: ../outside/victim}\n", "material/tags"),
    ("plugins:\n  - search: {jieba_dict: /etc/passwd}\n  - licheng\n", "search"),
    ("plugins:\n  - material/search: {separator: '(a+)+$'}\n  - licheng\n", "material/search"),
    ("markdown_extensions: [evil]\n", "markdown_extensions"),
    ("extra_javascript: [evil.js]\n", "extra_javascript"),
    ("docs_dir: records\n", "docs_dir"),
    ("site_name: !!python/object/apply:os.system ['touch RAN']\n", "!!python"),
    ("site_name: !ENV HOME\n", "!ENV"),
    ("theme: {name: material, custom_dir: ../outside}\n", "custom_dir"),
    ("theme: {name: readthedocs}\n", "material"),
])
def test_a_schools_mkdocs_yml_cannot_run_code(school, tmp_path, config, named):
    (school / "evil.py").write_text(EVIL, "utf-8")
    (tmp_path / "outside").mkdir()
    _mkdocs(school, "site_name: 示範\n" * ("site_name" not in config) + config)
    with pytest.raises(SiteConfigError) as caught:
        build(school, "public", tmp_path / "site", now=NOW)
    message, english = str(caught.value), caught.value.text("en")
    assert message.startswith("mkdocs.yml") and named in message and " / " not in message  # Chinese only
    assert english.startswith("mkdocs.yml") and named in english and english != message  # --lang en
    assert isinstance(caught.value, LichengError)  # the command exits 2 with this message
    assert not (school / "RAN").exists() and not (tmp_path / "site").exists()
    assert not list((tmp_path / "outside").iterdir())  # (material/tags wrote its export_file there)


def test_the_cli_refuses_hooks_with_exit_2(school):
    _mkdocs(school, "hooks: [evil.py]\n")
    (school / "evil.py").write_text(EVIL, "utf-8")
    out = subprocess.run([sys.executable, "-m", "generator", "build", "-C", str(school), "--now", NOW],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "hooks" in out.stderr and "Traceback" not in out.stderr
    assert not (school / "RAN").exists()


def test_escaped_site_name_copyright_and_school_name(school, tmp_path):
    _mkdocs(school, f"site_name: '{HOSTILE}'\ncopyright: '<script>alert(2)</script>'\n"
                    "site_description: '\"><script>alert(3)</script>'\nplugins: [search, licheng]\n")
    schoolyaml = school / "records/school.yaml"
    report = build(school, "staff", tmp_path / "site", now=NOW)
    files = built_texts(report.site_dir)
    assert "<script>alert(2)" not in files["index.html"] and "&lt;script&gt;alert(2)" in files["index.html"]
    assert "<script>alert(3)" not in files["index.html"]
    schoolyaml.write_text(schoolyaml.read_text("utf-8").replace("name: 示範市立示範高級中學", f"name: '{HOSTILE}'"), "utf-8")
    report = build(school, "public", tmp_path / "again", now=NOW)
    files = built_texts(report.site_dir)
    for name, text in files.items():
        if name.endswith((".html", ".xml")):
            assert "<img src=x" not in text, name
    assert "&lt;img src=x onerror=alert(1)&gt;" in files["index.html"]


@pytest.mark.parametrize("template", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('touch RAN').read() }}",
    "{{ labels.__dict__ }}",
])
def test_overrides_render_sandboxed(school, tmp_path, template):
    pages = school / "site_templates/pages"
    pages.mkdir(parents=True)
    (pages / "home.html").write_text(template, "utf-8")
    with pytest.raises(RuntimeError) as caught:
        build(school, "public", tmp_path / "site", now=NOW)
    assert "home.html" in str(caught.value)
    assert not (school / "RAN").exists()
    # the same through a theme override named in mkdocs.yml
    shutil.rmtree(school / "site_templates")
    (school / "theme").mkdir()
    (school / "theme/main.html").write_text('{% extends "base.html" %}{% block content %}' + template
                                            + "{% endblock %}", "utf-8")
    _mkdocs(school, "site_name: x\ntheme: {name: material, custom_dir: theme}\n")
    with pytest.raises(RuntimeError) as caught:
        build(school, "public", tmp_path / "site2", now=NOW)
    assert "main.html" in str(caught.value) and not (school / "RAN").exists()


def test_a_harmless_override_is_used_and_a_symlinked_one_is_not(school, tmp_path):
    pages = school / "site_templates/pages"
    pages.mkdir(parents=True)
    (pages / "events.html").write_text("<h1 id=\"events\">本校行事</h1>{{ school_name }}{{ '<b>' }}", "utf-8")
    secret = tmp_path / "secret.html"
    secret.write_text("TOP SECRET", "utf-8")
    (pages / "rules.html").symlink_to(secret)
    theme = school / "theme"
    theme.mkdir()
    (theme / "main.html").write_text('{% extends "base.html" %}{% block announce %}公告：{{ config.site_name }}'
                                     "{% endblock %}", "utf-8")
    _mkdocs(school, f"site_name: x\ntheme: {{name: material, custom_dir: theme}}\n")
    files = built_texts(build(school, "public", tmp_path / "site", now=NOW).site_dir)
    assert "本校行事" in files["events/index.html"] and "&lt;b&gt;" in files["events/index.html"]
    assert "TOP SECRET" not in files["rules/index.html"] and 'id="s4"' in files["rules/index.html"]
    assert "公告：示範市立示範高級中學 學習歷程" in files["index.html"]
    assert "lc-progress__bar" in files["status/index.html"]  # licheng's own theme files still apply


def test_regulation_markdown_is_bounded_and_without_handlers():
    started = time.perf_counter()
    render_markdown("[" * 20_000)
    render_markdown("\n".join(["[" * 15] * 20_000))
    render_markdown("\n\n".join(["[x](y) " * 20] * 1_000))
    render_markdown(">" * 20_000 + " x")
    render_markdown("".join(" " * (4 * i) + "- x\n" for i in range(2_000)))
    assert time.perf_counter() - started < 5  # 40 s for the first alone before the bounds
    html = render_markdown('## 第四點 {: #s4 onclick="alert(1)" style="color:red" }\n\n'
                           'a <b onmouseover="x">b</b> <script>alert(2)</script> < c\n{: onmouseover=alert(3) }\n\n'
                           '[x](javascript:alert(4))')
    assert 'id="s4"' in html and "onclick" not in html and "onmouseover" not in html and "style" not in html
    assert "<script" not in html and "<b" not in html and "&lt; c" in html and "javascript" not in html


def test_build_without_mkdocs_yml_from_a_non_editable_install(tmp_path, wheel_venv):
    """The installed wheel (its templates and assets shipped inside it), run outside any source tree."""
    school = tmp_path / "school"
    for top in ("records", "schedules"):
        shutil.copytree(REPO / top, school / top)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([str(wheel_venv / "venv/bin/licheng"), "build", "-C", str(school), "--now", NOW],
                         capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    site = built_texts(school / "site")
    assert "課程學習成果上傳" in site["index.html"] and "assets/licheng.css" in site
    assert "示範市立示範高級中學 學習歷程" in site["index.html"] and "feeds/students.ics" in site
