"""Every command works from a non-editable install: build the wheel, install it into a fresh
virtual environment (reusing the installed dependencies), run the commands outside the source tree."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

@pytest.fixture(scope="module")
def venv(wheel_venv) -> Path:
    return wheel_venv


def licheng(base: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([str(base / "venv/bin/licheng"), *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


def test_the_installed_package_is_the_wheel_not_the_source(venv):
    done = subprocess.run([str(venv / "venv/bin/python"), "-c", "import generator; print(generator.__file__)"],
                          capture_output=True, text=True, cwd=venv, env={**os.environ, "PYTHONPATH": ""})
    assert str(venv / "venv") in done.stdout


def test_init_validate_demo_build_from_the_wheel(venv, tmp_path):
    proc = licheng(venv, "init", "school", "--name", "測試高中", "--code", "654321", "--now", "2026-11-30",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = licheng(venv, "validate", "-C", "school/portfolio", "--now", "2026-11-30 12:00", cwd=tmp_path)
    assert "group.missing" in proc.stdout and "Traceback" not in proc.stderr, proc.stdout + proc.stderr
    proc = licheng(venv, "demo", "demo", "--students", "40", "--single", "--no-site", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = licheng(venv, "build", "-C", "demo", "--site-dir", str(tmp_path / "site"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "site/index.html").is_file()


def test_every_library_the_package_imports_is_a_declared_dependency():
    """`pip install licheng` brings what every command imports: a library imported only inside a
    function (openpyxl, for `import … FILE.xlsx`) was missing from the dependencies, and the
    installed command died with a traceback (the test venv reuses this environment's packages)."""
    import ast
    import importlib.metadata as metadata
    import re
    import sys
    import tomllib

    root = Path(__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]
    declared = project["dependencies"] + [r for extra, rs in project["optional-dependencies"].items()
                                          if extra != "test" for r in rs]  # purge's own: asked for by name

    def name(requirement: str) -> str:
        return re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")

    provided, todo = set(), [name(r) for r in declared]
    while todo:  # the declared distributions and what they require in turn
        dist = todo.pop()
        if dist not in provided:
            provided.add(dist)
            try:
                todo += [name(r) for r in metadata.requires(dist) or () if "extra ==" not in r]
            except metadata.PackageNotFoundError:  # (required only by another Python's marker)
                pass
    modules = set()
    for source in (root / "generator").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level:
                modules.add(node.module.split(".")[0])
    third_party = modules - set(sys.stdlib_module_names) - {"generator"}
    by_module = metadata.packages_distributions()
    missing = {m: by_module.get(m) for m in third_party
               if not {d.lower().replace("_", "-") for d in by_module.get(m, ())} & provided}
    assert missing == {}, missing
