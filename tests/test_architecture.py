"""The layout is the architecture: layers only point down, every room says what it holds, old names still import."""

from __future__ import annotations

import ast
import re
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


def test_no_verb_imports_another():
    """A verb's module imports what verbs share from commands/common.py, never another verb."""
    commands = PACKAGE / "commands"
    verbs = {p.stem for p in commands.glob("*.py")} - {"__init__", "common"}
    for path in sorted(commands.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                named = {node.module} if node.module else {alias.name for alias in node.names}
                assert not named & verbs, f"{path.name} imports the verb {named & verbs}"
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                full = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert not any(n.startswith("generator.commands.") and n.split(".")[2] in verbs for n in full), path


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



def test_every_verb_of_the_table_has_its_module_and_help(capsys):
    from generator import cli

    for verb, (module_name, help_text) in cli.VERBS.items():
        module = importlib.import_module(f"generator.commands.{module_name}")
        assert callable(module.add_arguments) and callable(module.run) and help_text, verb
        assert cli.main([verb, "--help"]) == 0
        assert capsys.readouterr().out.startswith(f"用法：licheng {verb} "), verb


def test_a_run_imports_only_its_own_verb_and_the_help_lists_every_verb():
    from generator import cli

    code = ("import sys; from generator import cli; cli.main(sys.argv[1:]); "
            "print(*sorted(m for m in sys.modules if m.startswith('generator.commands.')))")
    done = subprocess.run([sys.executable, "-c", code, "validate", "--help"], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "generator.commands.common generator.commands.validate"
    done = subprocess.run([sys.executable, "-c", code, "--help"], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "generator.commands.common"
    listed = " ".join(done.stdout.split())  # argparse wraps long lines
    for verb, (_, help_text) in cli.VERBS.items():  # its Chinese half (--lang en: the English)
        assert f"{verb} {' '.join(cli.help_in(help_text, False).split())}" in listed, verb


def test_the_parser_makes_its_own_verbs_parser_only_and_any_other_when_it_is_parsed(capsys):
    from generator import cli

    parser = cli.build_parser("validate")
    verbs = next(action for action in parser._actions if action.dest == "command").choices
    assert list(verbs) == list(cli.VERBS) and [v for v, made in verbs.items() if made is not None] == ["validate"]
    assert parser.parse_args(["status"]).command == "status"  # (a verb nobody expected: its parser made then)
    with pytest.raises(SystemExit) as exc:
        parser.parse_args(["export", "--now", "x"])
    assert exc.value.code == 2 and capsys.readouterr().err.endswith("licheng export: 錯誤：無法辨識的參數：--now x\n")


def test_a_staff_members_name_is_looked_up_in_one_place():
    """Records.staff_name: no module writes its own lookup of staff.yaml's names (copies drifted:
    one said the id, another nothing, for a staff member without a name)."""
    lookup = re.compile(r"""staff\.get\([^)]*\)(?: or \{\}\))?\.get\(["']name""")
    copies = [f"{path.relative_to(PROJECT)}:{number}" for path in PACKAGE.rglob("*.py")
              for number, line in enumerate(path.read_text("utf-8").splitlines(), 1) if lookup.search(line)]
    assert len(copies) == 1 and copies[0].startswith("generator/records/model.py:"), copies


def test_the_mkdocs_plugin_stays_small_and_reads_plainly():
    """plugin.py only hands generator.site's pages to MkDocs: under 100 lines, none squeezed to get there."""
    text = (PACKAGE / "plugin.py").read_text("utf-8")
    assert len(text.splitlines()) < 100 and "noqa" not in text and ":=" not in text and "lambda" not in text
