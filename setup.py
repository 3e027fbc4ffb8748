"""Build step: copy the project files the commands need at run time into the wheel (generator/_data),
and write each record schema's validator into it (generator/records/validators: fastjsonschema's
code, generated here so that no run pays for generating it and the repository holds no generated code).

Everything else about the package is in pyproject.toml; generator/resources.py finds the copies.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithData(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the files where they are
        import ast

        tree = ast.parse((HERE / "generator" / "resources.py").read_text("utf-8"))
        shipped = next(ast.literal_eval(node.value) for node in tree.body
                       if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "SHIPPED")
        target = Path(self.build_lib) / "generator" / "_data"
        shutil.rmtree(target, ignore_errors=True)
        for relative in shipped:
            source, dest = HERE / relative, target / relative
            if not source.exists():
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copyfile(source, dest)
        self.write_validators(Path(self.build_lib) / "generator" / "records" / "validators")

    def write_validators(self, folder: Path) -> None:
        import sys

        sys.path.insert(0, str(HERE))
        try:
            from generator.records import schema
        finally:
            sys.path.remove(str(HERE))
        if Path(schema.__file__).resolve().parents[2] != HERE:
            raise RuntimeError(f"the validators must come from this source tree, not {schema.__file__}")
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text('"""The schemas\' validators, written by the build (setup.py)."""\n', "utf-8")
        for kind in schema.kinds():
            (folder / f"{schema.module_name(kind)}.py").write_text(schema.validator_source(kind), "utf-8")


setup(cmdclass={"build_py": BuildWithData})
