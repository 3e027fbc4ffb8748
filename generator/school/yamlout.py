"""Writing records the way people write them: flow mappings for short entries, quoted strings
where YAML would read them as something else, ISO dates plain. Same data, same bytes."""

from __future__ import annotations

import json
import re

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9.+~][^:#,\[\]{}]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$")
_RESERVED = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"}


def scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if _DATE.match(text):
        return text
    if _PLAIN.match(text) and text.lower() not in _RESERVED and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)


def key(value) -> str:
    text = str(value)
    return text if re.fullmatch(r"[a-z_][a-z0-9_]*|\d{2,3}-[12]", text) else json.dumps(text, ensure_ascii=False)


def flow(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def block_mapping(data: dict, indent: str = "") -> str:
    """Top-level keys one per line; a list of mappings as `- {…}` lines, a mapping of scalars
    with more than 4 entries one per line, everything else in flow style."""
    lines = []
    for k, v in data.items():
        if isinstance(v, list) and v and all(isinstance(i, dict) for i in v):
            lines.append(f"{indent}{key(k)}:")
            lines += [f"{indent}  - {flow(i)}" for i in v]
        elif isinstance(v, dict) and len(v) > 4:
            lines.append(f"{indent}{key(k)}:")
            lines += [f"{indent}  {key(ik)}: {flow(iv)}" for ik, iv in v.items()]
        else:
            lines.append(f"{indent}{key(k)}: {flow(v)}")
    return "\n".join(lines) + "\n"


def block_entry(data: dict) -> str:
    """One item of a top-level list in block style (staff, courses)."""
    body = block_mapping(data, "  ")
    return "- " + body[2:]
