"""The MkDocs plugin `licheng`: hands generator.site's pages to MkDocs.

The only module that knows MkDocs: it hands the pages of generator.site to MkDocs in
memory (nothing generated is written to the repository).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from mkdocs.config import base, config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from .site import data as site_data, pages, segmentation

# options given by generator.publish to build()/serve(); they outlive serve's config reloads
OVERRIDES: dict = {}


class LichengConfig(base.Config):
    audience = c.Choice(pages.AUDIENCES, default="public")
    now = c.Optional(c.Type(str))
    strict = c.Type(bool, default=False)
    root = c.Optional(c.Dir(exists=True))  # the school; default: the folder of mkdocs.yml


def _src(url: str) -> str:  # generator.site's directory URLs ('', 'rules/') as MkDocs sources
    return f"{url}index.md"


def _nav(items) -> list:
    return [{title: _nav(target) if isinstance(target, list) else _src(target)} for title, target in items]


class LichengPlugin(BasePlugin[LichengConfig]):
    def on_config(self, config):
        for key, value in OVERRIDES.items():
            self.config[key] = value
        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        self.data = site_data.load(self.root, self.config.now)
        if self.config.strict and self.data.errors:
            self.failure = f"licheng: {self.data.errors} 項資料錯誤（strict）；請執行 licheng validate"
            raise PluginError(self.failure)
        school = self.data.records.school
        config.site_name = f"{school['name']} 學習歷程" if school.get("name") else config.site_name
        config.site_url = config.site_url or school.get("site_url")
        config.use_directory_urls = True  # generator.site links pages as directories
        config.validation.nav.omitted_files = logging.DEBUG  # student pages are not in the nav, by design
        config.extra["licheng_audience"] = self.config.audience  # the theme hides the staff site from robots
        segmentation.prepare()
        return config

    def on_files(self, files, *, config):
        self.site = pages.generate(self.data, self.config.audience, self.root)
        self.html = {}
        for page in self.site.pages:
            meta = {"title": page.title, **({} if page.searchable else {"search": {"exclude": True}})}
            files.append(File.generated(config, _src(page.url), content=f"---\n{json.dumps(meta)}\n---\n"))
            self.html[_src(page.url)] = page.html
        for path, content in self.site.files.items():
            files.append(File.generated(config, path, content=content))
        config.nav = _nav(self.site.nav)
        return files

    def on_page_content(self, html, *, page, config, files):
        page.update_date = self.data.now.date().isoformat()  # sitemap lastmod: "now", not the clock
        return self.html.get(page.file.src_uri, html)

    def on_serve(self, server, *, config, builder):
        for folder in ("records", "schedules", "site_templates"):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server

