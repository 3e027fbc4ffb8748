"""The MkDocs plugin `licheng`: hands generator.site's pages to MkDocs in memory; the theme renders sandboxed."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from markupsafe import Markup
from mkdocs.commands.build import get_context
from mkdocs.config import base, config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.localization import install_translations
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File

from .site import data as site_data, pages, privacy, segmentation
from .site.render import DOCS, THEME, TemplateProblem, sandboxed

CSS = "assets/licheng.css"
OVERRIDES: dict = {}  # options given by generator.publish to build()/serve(); they outlive serve's config reloads


class LichengConfig(base.Config):
    audience = c.Choice(pages.AUDIENCES, default="public")
    now = c.Optional(c.Type(str))
    strict = c.Type(bool, default=False)
    offline = c.Type(bool, default=False)  # a site opened from disk: pages linked as files, no search
    root = c.Optional(c.Dir(exists=True))  # the school; default: the folder of mkdocs.yml


class LichengPlugin(BasePlugin[LichengConfig]):
    def on_config(self, config):
        self.config.update(OVERRIDES)
        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        self.data = site_data.load(self.root, self.config.now, OVERRIDES.get("portfolio"), self.config.audience)
        why = (privacy.public_failure(self.data.findings, self.config.audience)  # personal data in public text
               or self.config.strict and self.data.errors and self.data.strict_failure())
        if why:
            raise PluginError(self.fail(why))
        if self.data.records.school.get("name"):
            config.site_name = f"{self.data.records.school['name']} 學習歷程"
        config.site_url = config.site_url or self.data.records.site_url or None  # (mkdocs.yml first, as Records says)
        config.use_directory_urls = not self.config.offline  # as generator.site links its pages
        config.validation.nav.omitted_files = logging.DEBUG  # student pages are not in the nav, by design
        config.extra["licheng_audience"] = self.config.audience  # the theme hides the staff site from robots
        if str(THEME) not in config.theme.dirs:  # after a school's own overrides, before Material's
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
        config.extra_css += [] if CSS in [str(x) for x in config.extra_css] else [CSS]
        segmentation.prepare()
        return config

    def fail(self, message) -> str:  # a LichengError (both languages), which generator.publish reports
        self.failure = message
        return message.text(OVERRIDES.get("lang"))  # MkDocs logs it

    def on_env(self, env, *, config, files):  # Material's templates print config values and titles: escaped
        safe = sandboxed(env.loader, auto_reload=False)
        safe.filters.update(env.filters), safe.globals.update(env.globals)
        install_translations(safe, config.theme.locale, config.theme.dirs)
        return safe

    def on_files(self, files, *, config):
        try:
            self.site = pages.generate(self.data, self.config.audience, self.root, self.config.offline)
        except TemplateProblem as exc:
            raise PluginError(self.fail(exc)) from None
        self.html = {page.source: page.html for page in self.site.pages}
        for page in self.site.pages:
            meta = {"title": page.title, "hide": ["toc"], **({} if page.searchable else {"search": {"exclude": True}})}
            files.append(File.generated(config, page.source, content=f"---\n{json.dumps(meta)}\n---\n"))
        if not files.get_file_from_path(CSS):  # `mkdocs build` with a school's own docs_dir
            files.append(File.generated(config, CSS, abs_src_path=str(DOCS / CSS)))
        for path, content in self.site.files.items():
            files.append(File.generated(config, path, content=content))
        config.nav = pages.mkdocs_nav(self.site.nav)
        return files

    def on_page_content(self, html, *, page, config, files):
        page.update_date = self.data.now.date().isoformat()  # sitemap lastmod: "now", not the clock
        return self.html.get(page.file.src_uri, html)

    def on_template_context(self, context, *, template_name, config):  # MkDocs links an error page from "/"
        if self.config.offline and context["base_url"].startswith("/"):  # (from disk, "/" is the disk's root)
            context.update(get_context(context["nav"], context["pages"], config, base_url="."))
        return context

    @event_priority(-100)  # last: the search plugin rewrites page.content before
    def on_page_context(self, context, *, page, config, nav):
        page.content = Markup(page.content)  # generated and escaped by generator.site; the theme escapes the rest
        return context

    def on_serve(self, server, *, config, builder):
        for folder in [self.root / f for f in ("records", "schedules", "site_templates") if (self.root / f).is_dir()]:
            server.watch(str(folder))
        return server

