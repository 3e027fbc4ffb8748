"""Jinja rendering of the site's pages: sandboxed, autoescaped, with links relative to the page.

The templates are the project's site_templates/ (shipped in the wheel); a school may override any page with a file of
the same name in its repository's `site_templates/pages/`. Templates from a repository are
data, not code: they render in Jinja's sandbox, never read through symlinks, and every
value is escaped.
"""

from __future__ import annotations

import posixpath
import re
from datetime import date, datetime
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .. import dates, resources
from ..errors import LichengError
from ..names import class_label
from .schedule import Moment

TEMPLATES = resources.path("site_templates")
PAGES = TEMPLATES / "pages"  # the site's pages
THEME = TEMPLATES / "theme"  # overrides of Material's templates
DOCS = TEMPLATES / "docs"  # static files (assets/licheng.css)
SCHOOL_PAGES = "site_templates/pages"  # a school's overrides, inside its repository
WEB_LINK = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def relative(from_url: str, to_url: str, files: bool = False) -> str:
    """A link from the page at `from_url` to `to_url`; page URLs end in / ('' is the home page).
    `files`: a page's link names its index.html (a site opened from disk has no server to find it)."""
    target, _, fragment = to_url.partition("#")
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url)
    out = posixpath.relpath(target or ".", base.rstrip("/") or ".")
    if target.endswith("/") or not target:
        out = ("" if out == "." else out + "/") + "index.html" if files else ("./" if out == "." else out + "/")
    return out + (f"#{fragment}" if fragment else "")


def web_link(value) -> str | None:
    """The value when it is an http(s) URL, else None: anything else is shown as text, not linked."""
    text = str(value or "").strip()
    return text if WEB_LINK.match(text) else None


def roc(value, with_time: bool = True) -> str:
    if isinstance(value, Moment):
        return value.roc()
    if isinstance(value, (datetime, date)):
        return dates.roc(value, with_time=with_time)
    return ""


TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
HEADER = re.compile(r"<th(?:\s[^>]*)?>(.*?)</th>", re.DOTALL)
ROW = re.compile(r"<tr(?:\s[^>]*)?>(.*?)</tr>", re.DOTALL)


def label_cells(html: str) -> str:
    """Give every table cell its column's header as data-label: on a phone a row becomes a card."""
    def table(m: re.Match) -> str:
        inner = m.group(1)
        head, sep, body = inner.partition("</thead>")
        if not sep:
            return m.group(0)
        names = [re.sub(r"<[^>]+>", "", h).strip() for h in HEADER.findall(head)]

        def row(r: re.Match) -> str:
            cells = iter(names)

            def cell(c: re.Match) -> str:
                name = next(cells, "")
                return c.group(0) if "data-label" in c.group(0) else f'<td data-label="{name}"' + c.group(0)[3:]
            return re.sub(r"<td(?:\s[^>]*)?>", cell, r.group(0))
        return f"<table>{head}{sep}{ROW.sub(row, body)}</table>"
    return TABLE.sub(table, html)


class TemplateProblem(LichengError):
    """A page template (a school's override) that cannot be rendered."""


class RepositoryLoader(jinja2.FileSystemLoader):
    """Templates from a school's folder: regular files only, never through a symlink."""

    def get_source(self, environment, template):
        for folder in self.searchpath:
            path = Path(folder, *template.split("/"))
            parts = [Path(folder, *template.split("/")[:n]) for n in range(1, len(template.split("/")) + 1)]
            if path.is_file() and not any(p.is_symlink() for p in [Path(folder), *parts]):
                return super().get_source(environment, template)
        raise jinja2.TemplateNotFound(template)


def sandboxed(loader: jinja2.BaseLoader, **options) -> SandboxedEnvironment:
    """A Jinja environment for templates a repository may supply: sandboxed, autoescaped."""
    return SandboxedEnvironment(loader=loader, autoescape=True, **options)


class Renderer:
    def __init__(self, school_pages: Path | None = None, files: bool = False):
        self.files = files  # links to index.html files (a site opened from disk)
        loaders = [RepositoryLoader(str(school_pages))] if school_pages and school_pages.is_dir() else []
        self.env = sandboxed(
            jinja2.ChoiceLoader([*loaders, jinja2.FileSystemLoader(str(PAGES))]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self.env.filters["roc"] = roc
        self.env.filters["web_link"] = web_link
        self.env.filters["class_label"] = class_label
        self.env.globals["percent"] = lambda done, total: round(100.0 * done / total, 1) if total else 0.0

    def page(self, template: str, url: str, **context) -> str:
        try:
            html = self.env.get_template(template).render(url=url, link=lambda to: relative(url, to, self.files), **context)
        except jinja2.TemplateError as exc:  # a school's override that does not render, or tries the sandbox
            where = f"{exc.filename}:{exc.lineno}" if getattr(exc, "filename", None) else template
            raise TemplateProblem(f"{where}: 頁面範本無法產生：{exc.message}",
                                  en=f"{where}: the page template failed: {exc.message}") from None
        return label_cells(html)
