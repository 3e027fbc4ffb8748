"""Schemas are data for the validator and for editors: every sample file points its editor at
the schema of its own kind, and every property explains itself in Chinese."""

from __future__ import annotations

import re

from generator import layout
from generator.records.schema import load_schema

from conftest import REPO

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def test_every_sample_file_names_its_schema():
    files = sorted(p for top in layout.ROOTS for p in (REPO / top).rglob("*.yaml"))
    assert len(files) > 200
    for path in files:
        rel = path.relative_to(REPO).as_posix()
        kind, _ = layout.classify(rel)
        m = MODELINE.match(path.read_text("utf-8").splitlines()[0])
        assert m, f"{rel} has no yaml-language-server modeline"
        target = (path.parent / m.group(1)).resolve()
        assert target == (REPO / "generator/schemas" / f"{kind}.schema.json").resolve(), rel


def _properties(node):
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield name, sub
        for value in node.values():
            yield from _properties(value)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value)


def test_every_property_has_a_chinese_title():
    for kind, _ in layout.KINDS:
        schema = load_schema(kind)
        assert re.search(r"[\u4e00-\u9fff]", schema["title"]), kind
        for name, sub in _properties(schema):
            title = sub.get("title") or ""
            assert re.search(r"[\u4e00-\u9fff]", title + sub.get("description", "")), (kind, name)
