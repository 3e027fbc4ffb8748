"""JSON Schemas shipped in generator/schemas/, applied to every document.

fastjsonschema answers "valid?" in microseconds for the common, clean file; only a file
that fails is run through jsonschema, which names every problem with its path.

fastjsonschema turns a schema into Python code. Building the wheel writes that code, one module
per kind in validators/ (setup.py), because generating and compiling it cost every run more than
checking all the files. A module is used only while the schema it was made from is unchanged;
otherwise (a checkout, an editable install) the schema is compiled as the run starts.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import importlib
import json
import re
from functools import lru_cache

import fastjsonschema

from .. import dates
from ..layout import SCHEMAS
from .model import Document
from ..result import Finding, Said, finding, placed


@lru_cache(maxsize=8192)
def _is_date(value: str, date_only: bool) -> bool:
    return dates.is_date(value, date_only=date_only)  # the same few dates fill thousands of files


FORMATS = {
    "licheng-date": lambda v: not isinstance(v, str) or _is_date(v, True),
    "licheng-datetime": lambda v: not isinstance(v, str) or _is_date(v, False),
}
_TYPE_NAMES = {
    "string": ("文字", "text"),
    "integer": ("整數", "an integer"),
    "number": ("數字", "a number"),
    "boolean": ("true 或 false", "true or false"),
    "array": ("清單", "a list"),
    "object": ("「鍵: 值」對照", "a mapping of keys to values"),
    "null": ("空值", "null"),
}
# what each pattern of the schemas asks for, as its message says it (a test keeps every pattern here)
FORMS = {
    r"^[a-z]+(\.[a-z0-9-]+)+$": ("規則代碼，例如 cert.late", "a rule code, e.g. cert.late"),
    r"^[0-9a-f]{4,40}$": ("提交編號（4 到 40 個 0-9、a-f），例如 3f9a1c2", "a commit id (4 to 40 of 0-9, a-f), e.g. 3f9a1c2"),
    r"^[a-z0-9][a-z0-9-]*$": ("小寫英文字母、數字與連字號（-），例如 chen-yiling",
                              "lowercase letters, digits and -, e.g. chen-yiling"),
    r"^[0-9A-Za-z]+$": ("英文字母與數字，例如 1150101", "letters and digits, e.g. 1150101"),
    r"^[^/\\.][^/\\]*$": ("同一資料夾中的檔名（不含 / 與 \\，不以 . 開頭），例如 report.pdf",
                          "a file name in the same folder (no / or \\, not starting with .), e.g. report.pdf"),
    r"^https?://\S+$": ("以 http:// 或 https:// 開頭、不含空白的網址", "a web address starting with http:// or https://"),
    r"^[0-9]{6}$": ("六位數字的學校代碼，例如 013301", "a six-digit school code, e.g. 013301"),
    r"^[^@\s]+@[^@\s]+$": ("電子郵件地址，例如 name@example.edu.tw", "an email address, e.g. name@example.edu.tw"),
    r"^[0-9]{2,3}-[12]$": ("學期，例如 115-1", "a semester, e.g. 115-1"),
    r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$": ("時區名稱，例如 Asia/Taipei", "a timezone name, e.g. Asia/Taipei"),
    r"^[A-Za-z][A-Za-z0-9-]*$": ("英文字母開頭的英文字母、數字與連字號，例如 Certified-by",
                                 "letters, digits and -, starting with a letter, e.g. Certified-by"),
    r"^[0-9]{2,3}-[12]/[a-z0-9][a-z0-9-]*$": ("學期/成果檔名（不含 .yaml），例如 115-1/plant-report",
                                              "semester/outcome name (without .yaml), e.g. 115-1/plant-report"),
    r"^((ssh-|ecdsa-|sk-)[A-Za-z0-9@.-]+ [A-Za-z0-9+/=]+( [^\n]*)?|[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40})$": (
        "SSH 公鑰（ssh-ed25519 AAAA…）或 GPG 金鑰 16 或 40 位的指紋",
        "an SSH public key (ssh-ed25519 AAAA…) or a GPG key's 16- or 40-digit fingerprint"),
    r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$": ("GitHub 帳號：英文字母、數字與連字號，至多 39 字",
                                             "a GitHub user name: letters, digits and -, at most 39"),
    r"^[A-Za-z0-9_.][A-Za-z0-9_.-]*$": ("GitLab 帳號：英文字母、數字與 _ . -", "a GitLab user name: letters, digits, _ . and -"),
    r"^[A-Z][0-9A-Z][0-9]{8}$": ("10 碼：大寫英文字母，再 9 碼數字（居留證的第 2 碼可為字母）",
                                 "10 characters: a capital letter, then 9 digits (the second may be a letter)"),
}


def _schema_text(kind: str) -> str:
    return (SCHEMAS / f"{kind}.schema.json").read_text("utf-8")


def load_schema(kind: str) -> dict:
    return json.loads(_schema_text(kind))


@lru_cache(maxsize=None)
def _fast(kind: str):
    """Only "valid?" (without detailed messages): the validator generated ahead, or compiled now."""
    text = _schema_text(kind)
    try:
        module = importlib.import_module(f".validators.{module_name(kind)}", __package__)
    except ImportError:
        module = None
    if module is not None and module.SCHEMA_SHA256 == _sha256(text):
        return functools.partial(module.validate, custom_formats=FORMATS)
    return fastjsonschema.compile(json.loads(text), formats=FORMATS, detailed_exceptions=False, use_default=False)


def module_name(kind: str) -> str:
    return kind.replace("-", "_")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def validator_source(kind: str) -> str:
    """The module of validators/ for `kind`: fastjsonschema's code for its schema, and the
    schema's hash (a module made from another version of the schema is not used)."""
    text = _schema_text(kind)
    # use_default=False: a "default" in a schema must never be written into the record's data (a
    # check made in another process would then have judged other data than this one holds)
    code = fastjsonschema.compile_to_code(json.loads(text), formats=FORMATS, detailed_exceptions=False,
                                          use_default=False)
    entry = re.findall(r"^def (validate_\w+)\(", code, re.M)[0]  # the schema's own function comes first
    return (f'"""The {kind} schema\'s validator, written by the build (setup.py) from the schema."""\n'
            f"# flake8: noqa\n\nSCHEMA_SHA256 = \"{_sha256(text)}\"\n{code}\n\nvalidate = {entry}\n")


def kinds() -> list[str]:
    """Every kind that has a schema."""
    return sorted(p.name.removesuffix(".schema.json") for p in SCHEMAS.iterdir() if p.name.endswith(".schema.json"))


@lru_cache(maxsize=None)
def _full(kind: str):
    import jsonschema  # only a file that fails needs it: its import alone takes tens of milliseconds

    checker = jsonschema.FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    return jsonschema.Draft202012Validator(load_schema(kind), format_checker=checker)


WHOLE = Said({"zh-TW": "(整份檔案)", "en": "the file"})  # where an error about the whole document is


def _where(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or WHOLE


def _type_names(expected) -> tuple[str, str]:
    expected = expected if isinstance(expected, list) else [expected]
    zh = "或".join(_TYPE_NAMES.get(t, (t, t))[0] for t in expected)
    en = " or ".join(_TYPE_NAMES.get(t, (t, t))[1] for t in expected)
    return zh, en


def _describe(error, doc: Document) -> list[Finding]:
    path = list(error.absolute_path)
    line = doc.line(*path)
    kind = error.validator
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        patterns = error.schema.get("patternProperties", {})
        extra = [k for k in error.instance if k not in known and not any(re.search(p, str(k)) for p in patterns)]
        return [finding("schema.unknown-key", doc.path, doc.line(*path, key), key=key) for key in extra]
    where = _where(path)
    value = error.instance
    if kind == "type":
        if doc.data is None and not path:
            return [finding("schema.invalid", doc.path, 1, "empty")]
        zh, en = _type_names(error.validator_value)
        return [finding("schema.invalid", doc.path, line, "type", where=where, zh_type=zh, en_type=en)]
    if kind == "required":
        missing = [k for k in error.validator_value if isinstance(value, dict) and k not in value]
        return [finding("schema.invalid", doc.path, line, "required", where=where, field=k) for k in missing]
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        kind = "range"
    if kind == "pattern" and error.validator_value in FORMS:
        zh, en = FORMS[error.validator_value]
        return [finding("schema.invalid", doc.path, line, "form", where=where, value=value, form=Said({"zh-TW": zh, "en": en}))]
    if kind == "format" and error.validator_value == "licheng-date":
        kind = "date"
    if kind in ("type", "enum", "pattern", "format", "date", "minLength", "maxLength", "range", "minItems",
                "uniqueItems"):
        options = error.validator_value
        if kind == "enum":
            options = Said({"zh-TW": "、".join(map(str, options)), "en": ", ".join(map(str, options))})
        return [finding("schema.invalid", doc.path, line, kind, where=where, value=value, limit=options)]
    return [finding("schema.invalid", doc.path, line, where=where, detail=error.message)]


def is_valid(kind: str, data) -> bool:
    """Does `data` match the schema of `kind`? The quick answer; `check` names the problems."""
    try:
        _fast(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def check(doc: Document) -> list[Finding]:
    """Findings of `doc` against its schema; sets doc.valid and doc.bad_items."""
    fast = _fast(doc.kind)
    try:
        fast(doc.data)
    except fastjsonschema.JsonSchemaException:
        pass
    else:
        doc.valid = doc.clean = True
        return []
    findings: list[Finding] = []
    broken = False
    doc.bad_items = set()
    entries: set[tuple] = set()  # (field, key) of a mapping document's bad entries: events[2], scores.1150101
    for error in _full(doc.kind).iter_errors(doc.data):
        findings.extend(_describe(error, doc))
        if error.validator == "additionalProperties":
            continue
        path = list(error.absolute_path)
        if isinstance(doc.data, list) and path and isinstance(path[0], int):
            doc.bad_items.add(path[0])
        elif isinstance(doc.data, dict) and len(path) >= 2 and isinstance(doc.data.get(path[0]), (list, dict)):
            entries.add((path[0], path[1]))
        else:
            broken = True
    if entries and not broken:
        # the other entries are still checked by the rules: the document goes on without the bad ones
        pruned = _without(doc.data, entries)
        try:
            fast(pruned)
        except fastjsonschema.JsonSchemaException:
            broken = True
        else:
            doc.data = pruned
    doc.valid = not broken
    return placed(findings, doc.repository)  # (a split school's findings each name their repository)


def _without(data: dict, entries: set[tuple]) -> dict:
    """A copy of a mapping document without the given entries of its fields (line numbers kept)."""
    out = copy.copy(data)
    for field in {f for f, _ in entries}:
        drop = {key for f, key in entries if f == field}
        inner = data[field]
        if isinstance(inner, list):
            kept = copy.copy(inner)
            kept[:] = [item for i, item in enumerate(inner) if i not in drop]
            if hasattr(inner, "item_lines"):
                kept.item_lines = [line for i, line in enumerate(inner.item_lines) if i not in drop]
        else:
            kept = copy.copy(inner)
            for key in drop:
                kept.pop(key, None)
        out[field] = kept
    return out
