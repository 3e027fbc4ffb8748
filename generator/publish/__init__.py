"""The MkDocs runs behind `licheng build` and `licheng serve`, with the `licheng` plugin.

generator.site makes the pages and knows nothing of MkDocs; generator.plugin is the adapter;
this package runs MkDocs with the built-in configuration and what the school's mkdocs.yml
may change (generator.publish.config).
"""

from __future__ import annotations

import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError
import yaml

from ..errors import LichengError
from ..plugin import OVERRIDES
from ..site.pages import AUDIENCES
from . import config as site_config


class BuildFailed(LichengError, RuntimeError):
    """The site was not built: --strict and errors, personal data in public text, a template that fails."""


@dataclass
class BuildReport:
    audience: str
    site_dir: Path
    pages: int  # generated pages
    files: int  # every file written to site_dir
    errors: int  # validation errors (the site shows them)
    warnings: int
    seconds: float


def build(root: Path, audience: str = "public", site_dir: Path | None = None, now: str | None = None,
          strict: bool = False, portfolio=None, offline: bool = False, lang: str | None = None) -> BuildReport:
    """Validate and build the site with the school's mkdocs.yml. BuildFailed (a RuntimeError) when strict
    and errors. `portfolio`: a registry's portfolio folder, where records/registry.yaml's path does not
    lead to it. `offline`: a site to open from disk (file://): pages linked as their index.html, no search.
    `lang`: the language of a failure as MkDocs logs it (--lang)."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}")
    started = time.perf_counter()
    root = Path(root).resolve()
    options = {"audience": audience, "now": now, "strict": strict, "offline": offline or None, "lang": lang,
               "portfolio": str(Path(portfolio).resolve()) if portfolio else None}
    plugin, out = run_build(root, options,
                            Path(site_dir).resolve() if site_dir else root / "site")
    files = sum(1 for p in out.rglob("*") if p.is_file())
    return BuildReport(audience, out, len(plugin.site.pages), files, plugin.data.errors, plugin.data.warnings,
                       round(time.perf_counter() - started, 2))


def serve(root: Path, audience: str = "public", now: str | None = None, dev_addr: str | None = None,
          lang: str | None = None) -> None:
    """Live preview; records/, schedules/ and site_templates/ are watched."""
    run_serve(Path(root).resolve(), {"audience": audience, "now": now, "lang": lang}, dev_addr)


@contextmanager
def _configured(root: Path, options: dict):
    """Set the plugin's options for the next runs; yields the path of the merged configuration.

    The file is plain YAML written by licheng (MkDocs re-reads it on every `serve` reload);
    the school's mkdocs.yml itself is never handed to MkDocs' loader.
    """
    settings = site_config.merged(root)  # SiteConfigError before anything runs
    if site_config.offline(settings):  # the school's mkdocs.yml asks for Material's offline plugin: --offline
        options = {**options, "offline": True}
    if options.get("offline"):  # Material's search runs in a worker, which a page opened from disk cannot start
        settings["plugins"] = [p for p in settings["plugins"] if (p if isinstance(p, str) else next(iter(p)))
                               not in ("search", "material/search", "material/offline")]
    OVERRIDES.clear()
    OVERRIDES.update({k: v for k, v in options.items() if v is not None}, root=str(root))
    with tempfile.TemporaryDirectory(prefix="licheng-mkdocs-") as folder:
        path = Path(folder) / "mkdocs.yml"
        path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), "utf-8")
        try:
            yield str(path)
        finally:
            OVERRIDES.clear()


def run_build(root: Path, options: dict, site_dir: Path):
    """Build the school's site; returns (the plugin after the run, the site dir)."""
    with _configured(root, options) as path:
        config = load_config(path, site_dir=str(site_dir))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        except (Abort, PluginError) as exc:  # MkDocs reports a plugin's error as Abort
            failure = getattr(config.plugins["licheng"], "failure", None)
            raise BuildFailed(str(failure or exc), en=getattr(failure, "en", None)) from exc
        except jinja2.TemplateError as exc:  # a theme override that does not render, or tries the sandbox
            raise BuildFailed(f"{_template_of(exc)}佈景範本無法產生：{exc.message}",
                              en=f"{_template_of(exc)}the theme template failed: {exc.message}") from None
        finally:
            config.plugins.on_shutdown()
    return config.plugins["licheng"], Path(config.site_dir)


def _template_of(exc: Exception) -> str:
    """`theme/main.html:3: ` — the template frame where a rendering error was raised (Jinja keeps them)."""
    found, tb = "", exc.__traceback__
    while tb:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml")):
            found = f"{name}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return found


def run_serve(root: Path, options: dict, dev_addr: str | None) -> None:
    # serve reloads the configuration on every change; the overrides stay
    with _configured(root, options) as path:
        mkdocs_serve(path, dev_addr=dev_addr)
