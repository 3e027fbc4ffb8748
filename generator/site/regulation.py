"""The rules page: records/regulation.md, the school's regulation with one anchor per clause.

The file is Markdown with a YAML header (title, adopted, amended). It is rendered
without raw HTML (tags are dropped, every other `<` is text), with only http(s), mailto
and in-page links, with attributes limited to a safe few (attr_list may set an anchor or a
class, never an `on…` handler), and bounded: Python-Markdown's inline patterns are
quadratic in brackets on one line, so long lines are cut, bracket runs escaped and
nesting capped before it sees the text.
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

from .. import dates, layout
from ..records.files import read_regular
from ..yaml import YamlProblem, loads

PATH = "records/regulation.md"
SAFE_LINK = re.compile(r"^(https?:|mailto:|#|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
HEADING = re.compile(r'<h([2-4]) id="([^"]+)">(.*?)</h\1>')
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
MAX_BYTES = 256 * 1024  # the regulation is a few pages: the rest is not rendered
MAX_LINE = 2000  # characters
MAX_SPECIAL = 100  # Markdown punctuation per paragraph; a paragraph with more is shown as text
SPECIAL = re.compile(r"[\[\]()*_`!&\\<>{}]")
MAX_TOTAL_SPECIAL = 8000  # in the whole text
PLAIN = "qqlichengplainqq"  # letters only: Markdown keeps it as it is
MAX_DEPTH = 6  # blockquote and list nesting
ATTRIBUTES = {"id", "class", "href", "src", "alt", "title", "colspan", "rowspan", "start"}
TEXT_ALIGN = re.compile(r"^\s*text-align:\s*(left|right|center);?\s*$")


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
            for attr in list(el.attrib):
                if attr not in ATTRIBUTES and not (attr == "style" and TEXT_ALIGN.match(el.get(attr))):
                    del el.attrib[attr]  # attr_list lets a line set any attribute: onclick, style, …
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is not None and not SAFE_LINK.match(value.strip()):
                    del el.attrib[attr]
                    if el.tag == "a":
                        el.tag = "span"


class _SafeLinksExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(_SafeLinks(md), "licheng-safe-links", 0)


def _bounded(line: str) -> str:
    line = line[:MAX_LINE]
    quote = re.match(r"^(?:\s*>){%d,}" % (MAX_DEPTH + 1), line)
    if quote:
        line = "> " * MAX_DEPTH + line[quote.end():]
    indent = len(line) - len(line.lstrip(" \t"))
    if indent > 4 * MAX_DEPTH:
        line = " " * (4 * MAX_DEPTH) + line.lstrip(" \t")
    return line


def render_markdown(text: str) -> str:
    """Markdown from a record to HTML: comments and tags dropped, unsafe links and attributes removed, bounded."""
    text = text.encode("utf-8")[:MAX_BYTES].decode("utf-8", "ignore")
    text = re.sub(r"<!--.*?(?:-->|$)", "", text, flags=re.DOTALL)
    text = TAG.sub("", text).replace("&", "&amp;").replace("<", "&lt;")
    text = "\n".join(_bounded(line) for line in text.splitlines())
    blocks, plain, budget = re.split(r"(\n[ \t]*\n)", text), [], MAX_TOTAL_SPECIAL
    for i, block in enumerate(blocks):
        special = len(SPECIAL.findall(block))
        budget -= special
        if special > MAX_SPECIAL or budget < 0:  # shown as text, not parsed
            plain.append(html.escape(html.unescape(block), quote=False))
            blocks[i] = f"{PLAIN}{len(plain) - 1}{PLAIN}"
    rendered = markdown.markdown("".join(blocks), extensions=["attr_list", "sane_lists", "tables", _SafeLinksExtension()])
    return re.sub(f"{PLAIN}(\\d+){PLAIN}", lambda m: plain[int(m.group(1))], rendered)



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
    raw = read_regular(root / PATH, layout.TEXT_MAX_BYTES)  # (what privacy.public-text scans, no more)
    if raw is None:
        return None
    meta, body = _front_matter(raw.decode("utf-8-sig", "replace"))
    rendered = render_markdown(body)
    clauses = [(int(level), anchor, html.unescape(re.sub(r"<[^>]+>", "", inner)))
               for level, anchor, inner in HEADING.findall(rendered)]
    amended = meta.get("amended") or []
    return Regulation(str(meta.get("title") or "補充規定"), rendered, _day(meta.get("adopted")),
                      [d for d in map(_day, amended if isinstance(amended, list) else [amended]) if d], clauses)
