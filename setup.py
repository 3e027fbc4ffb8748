"""Build step: copy the project files the commands need at run time into the wheel (generator/_data).

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


setup(cmdclass={"build_py": BuildWithData})
