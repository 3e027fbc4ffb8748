"""The rules page: records/regulation.md, the school's regulation with one anchor per clause.

The file is Markdown with a YAML header (title, adopted, amended). It is rendered
without raw HTML (every `<` is text) and with only http(s), mailto and in-page links.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .. import dates
from ..yaml import YamlProblem, loads

PATH = "records/regulation.md"
SAFE_LINK = re.compile(r"^(https?:|mailto:|#|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
HEADING = re.compile(r'<h([2-4]) id="([^"]+)">(.*?)</h\1>')


@dataclass
class Regulation:
    title: str
    html: str
    adopted: date | None = None
    amended: list[date] = field(default_factory=list)
    clauses: list[tuple[int, str, str]] = field(default_factory=list)  # level, anchor, heading text

    def roc(self, day: date) -> str:
        return dates.roc(day, with_time=False)


class _SafeLinks(Treeprocessor):
    def run(self, root: ElementTree.Element) -> None:
        for el in root.iter():
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is not None and not SAFE_LINK.match(value.strip()):
                    del el.attrib[attr]
                    if el.tag == "a":
                        el.tag = "span"


class _SafeLinksExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(_SafeLinks(md), "licheng-safe-links", 0)


def render_markdown(text: str) -> str:
    """Markdown from a record to HTML: comments dropped, raw HTML shown as text, unsafe links removed."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return markdown.markdown(text, extensions=["attr_list", "sane_lists", "tables", _SafeLinksExtension()])


def _front_matter(text: str) -> tuple[dict, str]:
    m = re.match(r"^---\s*\n(.*?)\n---\s*\n", text, re.DOTALL)
    if not m:
        return {}, text
    try:
        meta = loads(m.group(1))
    except YamlProblem:
        meta = None
    return (meta if isinstance(meta, dict) else {}), text[m.end():]


def _day(value) -> date | None:
    moment = dates.parse_or_none(value)
    return moment.date() if moment else None


def load(root: Path) -> Regulation | None:
    path = root / PATH
    if not path.is_file() or path.is_symlink():
        return None
    meta, body = _front_matter(path.read_text("utf-8-sig"))
    rendered = render_markdown(body)
    clauses = [(int(level), anchor, html.unescape(re.sub(r"<[^>]+>", "", inner)))
               for level, anchor, inner in HEADING.findall(rendered)]
    amended = meta.get("amended") or []
    return Regulation(str(meta.get("title") or "補充規定"), rendered, _day(meta.get("adopted")),
                      [d for d in map(_day, amended if isinstance(amended, list) else [amended]) if d], clauses)
