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


def test_each_schemas_generated_validator_agrees_with_it_and_a_stale_one_is_never_used(tmp_path, monkeypatch):
    """The build writes validator_source(kind) into the wheel; here each is imported from a tmp
    folder and must judge every sample file (and some broken ones) as the schema itself does."""
    import importlib.util
    import sys
    import types

    import fastjsonschema

    from generator.records import schema
    from generator.yaml import load_bytes

    docs = [(layout.classify(p.relative_to(REPO).as_posix())[0], load_bytes(p.read_bytes()))
            for top in layout.ROOTS for p in sorted((REPO / top).rglob("*.yaml"))]
    docs += [(kind, data) for kind, data in docs[:40] for data in ({"x": data}, [data], "text")]  # and some that fail

    def valid(check, data):
        try:
            check(data, custom_formats=schema.FORMATS) if isinstance(check, types.FunctionType) else check(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    compiled = {kind: fastjsonschema.compile(load_schema(kind), formats=schema.FORMATS, detailed_exceptions=False)
                for kind in schema.kinds()}
    generated = {}
    for kind in schema.kinds():
        path = tmp_path / f"{schema.module_name(kind)}.py"
        path.write_text(schema.validator_source(kind), "utf-8")
        spec = importlib.util.spec_from_file_location(f"v_{schema.module_name(kind)}", path)
        generated[kind] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(generated[kind])
    assert all(valid(generated[kind].validate, data) == valid(compiled[kind], data) for kind, data in docs)
    assert {valid(compiled[kind], data) for kind, data in docs} == {True, False}

    def origin(kind):
        schema._fast.cache_clear()
        check = schema._fast(kind)
        return getattr(check, "func", check).__module__

    name = "generator.records.validators.outcome"
    monkeypatch.setitem(sys.modules, "generator.records.validators", types.ModuleType("generator.records.validators"))
    monkeypatch.setitem(sys.modules, name, generated["outcome"])
    try:
        assert origin("outcome") == generated["outcome"].__name__  # the generated module, while it fits
        monkeypatch.setattr(generated["outcome"], "SCHEMA_SHA256", "0" * 64)  # made from another schema
        assert origin("outcome") != generated["outcome"].__name__
        assert all(valid(schema._fast(kind), data) == valid(compiled[kind], data) for kind, data in docs)
    finally:
        schema._fast.cache_clear()


def test_the_wheel_carries_every_schemas_validator_and_uses_it(wheel_venv):
    """A checkout holds no generated code; the built wheel does, made from its own schemas."""
    import subprocess

    assert not (REPO / "generator/records/validators").exists() or \
        not subprocess.run(["git", "-C", str(REPO), "ls-files", "generator/records/validators"],
                           capture_output=True, text=True).stdout
    probe = ("from generator.records import schema\n"
             "for kind in schema.kinds():\n"
             "    check = schema._fast(kind)\n"
             "    print(kind, getattr(check, 'func', check).__module__)\n")
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the wheel's licheng, not this checkout's
    proc = subprocess.run([str(wheel_venv / "venv/bin/python"), "-c", probe], capture_output=True, text=True,
                          cwd=wheel_venv, env=env)
    assert proc.returncode == 0, proc.stderr
    rows = dict(line.split() for line in proc.stdout.splitlines())
    from generator.records import schema
    assert rows == {kind: f"generator.records.validators.{schema.module_name(kind)}" for kind in schema.kinds()}


def test_a_schemas_default_is_never_written_into_the_records_data(monkeypatch):
    """A check made in another process (the schema child) must have judged the data this process
    holds: validating never fills a schema's "default" into a record."""
    import json

    from generator.records import schema

    text = json.dumps({"$id": "https://example.invalid/with-default.schema.json", "type": "object",
                       "properties": {"status": {"type": "string", "default": "draft"}}})
    monkeypatch.setattr(schema, "_schema_text", lambda kind: text)
    schema._fast.cache_clear()
    try:
        data = {}
        schema._fast("with-default")(data)
        assert data == {}
        generated: dict = {}
        exec(compile(schema.validator_source("with-default"), "generated", "exec"), generated)
        generated["validate"](data, custom_formats=schema.FORMATS)
        assert data == {}
    finally:
        schema._fast.cache_clear()
