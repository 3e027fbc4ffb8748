"""Jinja rendering of the site's pages: autoescaped, with links relative to the page."""

from __future__ import annotations

import posixpath
import re
from datetime import date, datetime
from pathlib import Path

import jinja2

from .. import dates
from .schedule import Moment

PACKAGE_TEMPLATES = Path(__file__).resolve().parents[2] / "site_templates" / "pages"
WEB_LINK = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url`; page URLs end in / ('' is the home page)."""
    target, _, fragment = to_url.partition("#")
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url)
    out = posixpath.relpath(target or ".", base.rstrip("/") or ".")
    if target.endswith("/") or not target:
        out = "./" if out == "." else out + "/"
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


class Renderer:
    def __init__(self, template_dir: Path | None = None):
        folder = template_dir if template_dir and template_dir.is_dir() else PACKAGE_TEMPLATES
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(folder)),
            autoescape=True,  # every value from a record is text
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self.env.filters["roc"] = roc
        self.env.filters["web_link"] = web_link
        self.env.globals["percent"] = lambda done, total: round(100.0 * done / total, 1) if total else 0.0

    def page(self, template: str, url: str, **context) -> str:
        return self.env.get_template(template).render(
            url=url, link=lambda to: relative(url, to), **context)
