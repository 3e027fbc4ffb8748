"""The one YAML loader.

libyaml's parser (CSafeLoader) when it is present, about six times faster than the
pure-Python one. Timestamps stay strings so that `generator.dates` parses every date
format the same way. Mappings and sequences remember their line numbers; a duplicate
key, an alias bomb or a non-UTF-8 file is a `YamlProblem`, never a crash.
"""

from __future__ import annotations

import functools

MAX_FILE_BYTES = 1 << 20  # a record is a few hundred bytes; 1 MiB is already absurd
MAX_EXPANDED_NODES = 100_000  # what aliases may expand to ("billion laughs")
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"


class Mapping(dict):
    """A YAML mapping that knows its line and the line of each key."""

    __slots__ = ("line", "key_lines")


class Sequence(list):
    """A YAML sequence that knows its line and the line of each item."""

    __slots__ = ("line", "item_lines")


class YamlProblem(Exception):
    """A file that cannot be read as a record. `code` is a rule code (yaml.*)."""

    def __init__(self, code: str, line: int | None, **params):
        super().__init__(code, line, params)
        self.code = code
        self.line = line
        self.params = params


@functools.cache
def _loader():
    """(PyYAML, the loader class), made on first use: a warm run whose parses all come from the
    cache never imports PyYAML."""
    import yaml

    try:
        from yaml import CSafeLoader as _BaseLoader
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        from yaml import SafeLoader as _BaseLoader

    class _Loader(_BaseLoader):
        yaml_constructors = dict(_BaseLoader.yaml_constructors)
        yaml_implicit_resolvers = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
        }
        _resolved: dict[str, str] = {}  # plain scalar -> tag; keys and short values repeat in every file

        def resolve(self, kind, value, implicit):
            if kind is yaml.ScalarNode:
                if not implicit[0]:
                    return _STR_TAG  # quoted: always a string
                tag = self._resolved.get(value)
                if tag is None:
                    tag = super().resolve(kind, value, implicit)
                    if len(value) <= 40 and len(self._resolved) < 50_000:
                        self._resolved[value] = tag
                return tag
            return super().resolve(kind, value, implicit)

        def construct_object(self, node, deep=False):
            # an explicit tag (`!!int abc`, `!!map x`) or an absurd number must be a finding, never a crash
            try:
                return super().construct_object(node, deep)
            except (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError):
                raise YamlProblem("yaml.syntax", node.start_mark.line + 1, variant="tag", tag=_tag_name(node.tag),
                                  detail=f"the value cannot be read as {node.tag}") from None


    def _construct_mapping(loader: _Loader, node) -> Mapping:
        data = Mapping()
        data.line = node.start_mark.line + 1
        key_lines = data.key_lines = {}
        pairs = node.value
        explicit = None  # keys written in this mapping, when `<<` merges others in
        for key_node, _ in pairs:
            if key_node.tag == _MERGE_TAG:
                explicit = len([k for k, _ in pairs if k.tag != _MERGE_TAG])
                loader.flatten_mapping(node)
                pairs = node.value
                break
        first_explicit = 0 if explicit is None else len(pairs) - explicit
        construct = loader.construct_object
        for index, (key_node, value_node) in enumerate(pairs):
            if key_node.id == "scalar":
                key = key_node.value  # record keys are names: `0150101:` means "0150101", not octal
            else:
                key = construct(key_node)
            line = key_node.start_mark.line + 1
            try:
                seen = key in key_lines
            except TypeError:
                raise YamlProblem("yaml.syntax", line, variant="key", detail="a key must be plain text") from None
            if seen and index >= first_explicit and key_lines[key] > 0:
                raise YamlProblem("yaml.duplicate-key", line, key=str(key), first=key_lines[key])
            # a plain string needs none of the constructor's machinery; most values are one
            data[key] = value_node.value if value_node.tag == _STR_TAG and value_node.id == "scalar" else construct(value_node, True)
            key_lines[key] = line if index >= first_explicit else -line
        for key, line in key_lines.items():
            if line < 0:
                key_lines[key] = -line
        return data


    def _construct_sequence(loader: _Loader, node) -> Sequence:
        data = Sequence()
        data.line = node.start_mark.line + 1
        construct = loader.construct_object
        lines = data.item_lines = []
        for child in node.value:
            lines.append(child.start_mark.line + 1)
            data.append(child.value if child.tag == _STR_TAG and child.id == "scalar" else construct(child, True))
        return data


    def _tag_name(tag: str) -> str:
        return tag.replace("tag:yaml.org,2002:", "!!", 1)


    def _refuse(loader: _Loader, node):
        raise YamlProblem("yaml.syntax", node.start_mark.line + 1, variant="tag", tag=_tag_name(node.tag),
                          detail=f"the tag {node.tag} is not used in records")


    def _integer(loader: _Loader, node):
        digits = len(str(node.value))
        if digits > 40:  # no record holds such a number; Python could not even print a 5,000-digit one
            raise YamlProblem("yaml.syntax", node.start_mark.line + 1, variant="number", digits=digits,
                              detail=f"a number of {digits} digits")
        return loader.construct_yaml_int(node)


    def _as_text(loader: _Loader, node):
        return loader.construct_scalar(node)  # an explicit !!timestamp stays text: generator.dates parses it


    _Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    _Loader.add_constructor("tag:yaml.org,2002:timestamp", _as_text)
    _Loader.add_constructor("tag:yaml.org,2002:int", _integer)
    for _tag in ("binary", "set", "omap", "pairs"):
        _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse)
    _Loader.add_constructor(None, _refuse)  # any other tag: `!foo`, `!!python/object`
    _Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)

    return yaml, _Loader


def _expanded_size(value, memo: dict[int, int]) -> int:
    """Nodes a tree would have if every alias were copied out; linear in distinct nodes."""
    if not isinstance(value, (dict, list)):
        return 1
    known = memo.get(id(value))
    if known is not None:
        return known
    memo[id(value)] = MAX_EXPANDED_NODES  # a cycle counts as too large
    children = value.values() if isinstance(value, dict) else value
    size = 1
    for child in children:
        size += _expanded_size(child, memo)
        if size > MAX_EXPANDED_NODES:
            break
    memo[id(value)] = size
    return size


def scalar(value) -> str:
    """`value` written as one YAML scalar: null, a whole number, else a double-quoted string
    (a JSON string is one), so no text a person wrote can become YAML structure."""
    import json

    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def decode(raw: bytes) -> str:
    """UTF-8 text, a leading BOM dropped; anything else is a yaml.encoding problem."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblem("yaml.encoding", 1, encoding="UTF-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        encoding = _guess_encoding(raw)
        if encoding is None:
            raise YamlProblem("yaml.encoding", line, variant="unknown") from None
        raise YamlProblem("yaml.encoding", line, encoding=encoding) from None


def _guess_encoding(raw: bytes) -> str | None:
    """The encoding of the lines UTF-8 cannot read (a UTF-8 file may hold a line pasted in Big5)."""
    foreign = b"\n".join(line for line in raw.split(b"\n") if not _utf8(line))
    for name in ("big5", "gb18030", "shift_jis"):
        try:
            foreign.decode(name)
        except UnicodeDecodeError:
            continue
        return "Big5" if name == "big5" else name.upper().replace("_", "-")
    return None


def _utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def loads(text: str):
    """Parse one YAML document; raises YamlProblem."""
    yaml, loader_class = _loader()
    loader = loader_class(text)
    try:
        data = loader.get_single_data()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        if "quoted scalar" in (exc.context or "") and exc.context_mark:
            line = exc.context_mark.line + 1  # where the quote opens, not the end of the file
        raise syntax_problem(text, line, exc.problem or str(exc), exc.context or "",
                             column=exc.problem_mark.column if exc.problem_mark else None) from None
    except yaml.YAMLError as exc:
        raise YamlProblem("yaml.syntax", None, detail=str(exc)) from None
    except RecursionError:
        raise YamlProblem("yaml.syntax", None, variant="nesting", detail="nested too deeply") from None
    finally:
        loader.dispose()
    if "*" in text and _expanded_size(data, {}) > MAX_EXPANDED_NODES:  # no alias without a '*'
        raise YamlProblem("yaml.aliases", getattr(data, "line", 1), limit=MAX_EXPANDED_NODES)
    return data


def load_bytes(raw: bytes):
    """`raw` (at least 2 * MAX_FILE_BYTES + 1 bytes of the file, when it has them) parsed. The size
    limit counts a CRLF as one byte: a blob and the working copy Git gives it with CRLF line
    endings get the same verdict, as they get the same parse."""
    if len(raw) > MAX_FILE_BYTES and len(raw) - raw.count(b"\r\n") > MAX_FILE_BYTES:
        raise YamlProblem("yaml.too-large", None, limit_kb=MAX_FILE_BYTES // 1024)
    return loads(decode(raw))


# libyaml's messages are English; a zh-TW report names the usual mistakes instead (variants of yaml.syntax)
_PROBLEMS = [
    ("cannot start any token", "character"),
    ("end of stream", "unclosed"),
    ("expected ',' or ']'", "brackets"),
    ("expected ',' or '}'", "brackets"),
    ("undefined alias", "alias"),
    ("another document", "documents"),
    ("mapping values are not allowed", "indent"),
    ("expected key", "indent"),
    ("expected '-' indicator", "indent"),
    ("expected ':'", "indent"),
    ("determine a constructor", "tag"),
]


def syntax_problem(text: str, line: int | None, problem: str, context: str = "", *,
                   column: int | None = None) -> YamlProblem:
    """yaml.syntax with the variant that says what to fix: a full-width colon, a tab, indentation, quotes."""
    lines = text.splitlines()
    near = [(n, lines[n - 1]) for n in ((line - 1, line) if line else ()) if 0 < n <= len(lines)]
    variant, at = "", line or 1
    for n, content in near:
        stripped = content.split("#", 1)[0]
        if "\t" in content[: len(content) - len(content.lstrip())] or ("\t" in content and "token" in problem):
            variant, at = "tab", n
        elif "：" in stripped and ": " not in stripped.split("：", 1)[0] and not stripped.lstrip().startswith("-"):
            variant, at = "fullwidth-colon", n
    if not variant:
        if "quoted scalar" in context:
            variant = "unclosed"
        elif "expected key" in problem and line and column and 0 < line <= len(lines) \
                and lines[line - 1][:column].rstrip().endswith(('"', "'")):
            variant = "after-quote"  # title: "主題" 植物, or a doubled quote: course: ""123""
        elif "mapping values are not allowed" in problem and line and 0 < line <= len(lines) and lines[line - 1].count(": ") > 1:
            variant = "value-colon"
        else:
            variant = next((v for key, v in _PROBLEMS if key in problem), "")
    # the finding sits on the line the mistake is on (libyaml notices a full-width colon or a tab a line late)
    return YamlProblem("yaml.syntax", at if line else None, variant=variant, at=at, detail=problem)
