"""The layout is the architecture: layers only point down, every room says what it holds, old names still import."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import generator
from generator.moved import OLD_ATTRIBUTES, OLD_NAMES

PACKAGE = Path(generator.__file__).resolve().parent
PROJECT = PACKAGE.parent


def test_import_linter_contract_is_kept():
    done = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                           "lint_imports_command()"], cwd=PROJECT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_every_subpackage_says_in_one_docstring_what_it_holds():
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text("utf-8")))
        assert doc, f"{init.relative_to(PROJECT)} has no docstring"


def test_the_top_level_keeps_only_what_every_part_shares():
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(modules) <= 17, modules


@pytest.mark.parametrize("old", sorted(OLD_NAMES))
def test_old_module_names_still_import_with_a_warning(old):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sys.modules.pop(old, None)
        module = importlib.import_module(old)
    assert module is importlib.import_module(OLD_NAMES[old])
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)


def test_old_attribute_names_still_resolve():
    for module, names in OLD_ATTRIBUTES.items():
        for name, new in names.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                assert getattr(importlib.import_module(module), name) is getattr(importlib.import_module(new), name)
    with pytest.raises(AttributeError):
        getattr(importlib.import_module("generator.site"), "no_such_name")
