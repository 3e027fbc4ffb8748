"""The record formats page: user documentation generated from the JSON Schemas (one source of truth).

Every format has an anchor (`#outcome`, `#schedule`, …) so a message can link to it; a part
shared inside one schema (a `$defs` entry) is a section of its own (`#schedule-window`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records.schema import load_schema

# what students and staff write, in the order they meet it
KINDS = ("outcome", "performance", "selection", "schedule", "holidays", "courses", "school", "staff", "delegates",
         "working-group", "student", "grades", "cadres", "counseling", "submissions")
TYPES = {"string": "文字", "integer": "整數", "number": "數字", "boolean": "true／false", "array": "清單",
         "object": "對照表"}
FORMATS = {"licheng-date": "日期", "date": "日期", "uri": "網址", "email": "電子郵件"}


@dataclass
class Field:
    key: str
    title: str
    kind: str
    required: bool
    description: str
    see: str = ""  # anchor of the section that describes this field's parts
    see_title: str = ""


@dataclass
class Section:
    anchor: str
    title: str
    description: str
    fields: list[Field] = field(default_factory=list)


@dataclass
class Format:
    anchor: str
    title: str
    description: str
    sections: list[Section]


def _kind(node: dict) -> str:
    kind = node.get("type")
    names = [TYPES.get(k, k) for k in (kind if isinstance(kind, list) else [kind] if kind else [])]
    if node.get("format") in FORMATS:
        names = [FORMATS[node["format"]]]
    return "或".join(names)


def _notes(node: dict) -> str:
    notes = []
    if "enum" in node:
        notes.append("可填：" + "、".join(str(v) for v in node["enum"]))
    if "maxLength" in node:
        notes.append(f"最多 {node['maxLength']} 字")
    if "minimum" in node or "maximum" in node:
        notes.append(f"範圍 {node.get('minimum', '')}～{node.get('maximum', '')}")
    if "maxItems" in node:
        notes.append(f"最多 {node['maxItems']} 項")
    return "；".join(notes)


def _describe(node: dict) -> str:
    return "。".join(x for x in (str(node.get("description") or "").rstrip("。"), _notes(node)) if x)


def _ref(node: dict, kind: str, schema: dict) -> tuple[str, str]:
    items = node.get("items") if isinstance(node.get("items"), dict) else {}
    ref = str(node.get("$ref") or items.get("$ref") or "")
    if not ref.startswith("#/$defs/"):
        return "", ""
    name = ref.rsplit("/", 1)[1]
    return f"{kind}-{name}", str(schema["$defs"][name].get("title") or name)


def _fields(node: dict, kind: str, schema: dict, prefix: str = "") -> list[Field]:
    out = []
    required = set(node.get("required") or ())
    entries = list((node.get("properties") or {}).items())
    entries += [(f"<{sub.get('title') or '名稱'}>", sub) for sub in (node.get("patternProperties") or {}).values()]
    if isinstance(node.get("additionalProperties"), dict):
        sub = node["additionalProperties"]
        entries.append((f"<{sub.get('title') or '名稱'}>", sub))
    for key, sub in entries:
        target = dict(schema["$defs"][sub["$ref"].rsplit("/", 1)[1]]) if str(sub.get("$ref", "")).startswith("#/$defs/") else {}
        merged = {**target, **{k: v for k, v in sub.items() if k != "$ref"}}
        see, see_title = _ref(sub, kind, schema)
        out.append(Field(prefix + key, str(merged.get("title") or key), _kind(merged), key in required,
                         _describe(merged), see, see_title))
        if not see:
            if merged.get("type") == "object" or "properties" in merged:
                out += _fields(merged, kind, schema, f"{prefix}{key}.")
            elif isinstance(merged.get("items"), dict) and "properties" in merged["items"]:
                out += _fields(merged["items"], kind, schema, f"{prefix}{key}[].")
    return out


def load(kind: str) -> Format:
    schema = load_schema(kind)
    sections = []
    if schema.get("type") == "array":
        see, see_title = _ref(schema, kind, schema)
        top = Section(kind + "-list", "整份檔案", "一份清單；每一項的寫法見下方「" + see_title + "」。")
    else:
        top = Section(kind + "-fields", "欄位", "", _fields(schema, kind, schema))
    sections.append(top)
    for name, sub in (schema.get("$defs") or {}).items():
        sections.append(Section(f"{kind}-{name}", str(sub.get("title") or name), _describe(sub),
                                _fields(sub, kind, schema)))
    return Format(kind, str(schema.get("title") or kind), str(schema.get("description") or ""), sections)


def all_formats() -> list[Format]:
    return [load(kind) for kind in KINDS]
