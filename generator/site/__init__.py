"""The schedule and status website's pages, made from the records; knows nothing of MkDocs.

generator.plugin hands these pages to MkDocs; generator.publish runs MkDocs (`licheng build`).
"""

from __future__ import annotations

from .pages import AUDIENCES, Site, generate  # noqa: F401


def __getattr__(name: str):
    # generator.site.build / serve / BuildReport lived here until 0.2; they run MkDocs now in generator.publish
    from ..moved import attribute

    return attribute(__name__, name)
