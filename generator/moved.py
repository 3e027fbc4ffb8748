"""Old module names kept importable for one release (0.2 → 0.3) after the move into subpackages.

`import generator.history` still works and is the same module object as `generator.git.history`,
with a DeprecationWarning; a script a school wrote against 0.1 keeps running.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import warnings

OLD_NAMES = {
    "generator.history": "generator.git.history",
    "generator.identity": "generator.git.identity",
    "generator.certification": "generator.git.certification",
    "generator.loader": "generator.records.loader",
    "generator.schema": "generator.records.schema",
    "generator.enrollment": "generator.records.enrollment",
    "generator.national_id": "generator.records.national_id",
    "generator.export_books": "generator.records.books",
    "generator.export": "generator.papers.export",
    "generator.letters": "generator.papers.letters",
    "generator.purge": "generator.maintenance.purge",
    "generator.status": "generator.commands.status",
    "generator.codeowners": "generator.commands.codeowners",
    "generator.demo_content": "generator.demo.content",
    "generator.demo_git": "generator.demo.history",
    "generator.demo_people": "generator.demo.people",
    "generator.demo_plants": "generator.demo.plants",
    "generator.demo_records": "generator.demo.records",
    "generator.demo_requests": "generator.demo.requests",
    "generator.demo_schedules": "generator.demo.schedules",
    "generator.demo_school": "generator.demo.school",
}


# a loader and a finder by their methods, not as subclasses of importlib.abc's: importing that
# module imports importlib.resources (tempfile, shutil, ...), a tenth of licheng's start-up
class _Alias:
    def __init__(self, new: str):
        self.new = new

    def create_module(self, spec):
        warnings.warn(f"{spec.name} has moved to {self.new}", DeprecationWarning, stacklevel=3)
        return importlib.import_module(self.new)

    def exec_module(self, module):
        pass  # the new module is already executed


class OldNames:
    def find_spec(self, name, path=None, target=None):
        new = OLD_NAMES.get(name)
        return importlib.util.spec_from_loader(name, _Alias(new)) if new else None


def install() -> None:
    if not any(isinstance(f, OldNames) for f in sys.meta_path):
        sys.meta_path.append(OldNames())


# names that moved out of a module that still exists (the module's __getattr__ asks here)
OLD_ATTRIBUTES = {
    "generator.site": {"build": "generator.publish", "serve": "generator.publish", "BuildReport": "generator.publish"},
}


def attribute(module: str, name: str):
    """The value of a name that moved out of `module`; AttributeError like any missing name."""
    new = OLD_ATTRIBUTES.get(module, {}).get(name)
    if new is None:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    warnings.warn(f"{module}.{name} has moved to {new}", DeprecationWarning, stacklevel=3)
    return getattr(importlib.import_module(new), name)
