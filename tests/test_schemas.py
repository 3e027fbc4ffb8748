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


def test_every_schema_has_its_validator_generated_from_it_and_a_changed_schema_is_compiled_instead(monkeypatch):
    import importlib

    import fastjsonschema

    from generator.records import schema
    from generator.yaml import load_bytes

    for kind in schema.kinds():
        module = importlib.import_module(f"generator.records.validators.{kind.replace('-', '_')}")
        assert module.SCHEMA_SHA256 == schema._sha256(schema._schema_text(kind)), \
            f"{kind}: run python -m generator.records.schema"
    docs = [(layout.classify(p.relative_to(REPO).as_posix())[0], load_bytes(p.read_bytes()))
            for top in layout.ROOTS for p in sorted((REPO / top).rglob("*.yaml"))]
    docs += [(kind, data) for kind, data in docs[:40] for data in ({"x": data}, [data], "text")]  # and some that fail
    compiled = {kind: fastjsonschema.compile(load_schema(kind), formats=schema.FORMATS, detailed_exceptions=False)
                for kind in schema.kinds()}

    def valid(check, data):
        try:
            check(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    schema._fast.cache_clear()
    assert all(valid(schema._fast(kind), data) == valid(compiled[kind], data) for kind, data in docs)
    assert {valid(schema._fast(kind), data) for kind, data in docs} == {True, False}

    def origin(kind):
        return schema._fast(kind).func.__module__

    assert origin("outcome") == "generator.records.validators.outcome"
    monkeypatch.setattr(importlib.import_module("generator.records.validators.outcome"), "SCHEMA_SHA256", "0" * 64)
    schema._fast.cache_clear()
    try:
        assert origin("outcome") != "generator.records.validators.outcome"
        assert all(valid(schema._fast(kind), data) == valid(compiled[kind], data) for kind, data in docs)
    finally:
        schema._fast.cache_clear()
