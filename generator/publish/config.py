"""The MkDocs configuration of a school's site: built-in defaults, and what a school's mkdocs.yml may change.

A school's mkdocs.yml comes from a repository students send merge requests to. It is read
with licheng's own YAML loader (MkDocs' loader builds Python objects from tags such as
`!!python/object/apply`), and only settings that can neither run code (hooks, plugins,
Markdown extensions, scripts) nor publish unreviewed pages (docs_dir, nav) are accepted.
The theme's templates, the school's overrides included, render in a Jinja sandbox
(generator.plugin). Without a mkdocs.yml the defaults alone make the site.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import LichengError
from ..site.render import DOCS, THEME
from ..yaml import YamlProblem, load_bytes

NAME = "mkdocs.yml"
MAX_BYTES = 64 * 1024
# settings a school may set; everything else is refused with the list of these
SETTINGS = {"site_name", "site_url", "site_description", "site_author", "copyright", "repo_url", "repo_name",
            "edit_uri", "theme", "plugins", "extra", "use_directory_urls"}
THEME_SETTINGS = {"name", "custom_dir", "language", "palette", "features", "logo", "favicon", "icon", "font"}
PLUGINS = ("search", "licheng", "material/search", "material/offline", "material/tags")
# each allowed plugin's allowed options (`root` and `now` come from the command line only). Never a path or a
# pattern: material/tags' export_file is joined to the site's folder (../ or an absolute path wrote its JSON
# over any file the builder may write), search's jieba_dict is a file it reads, its separator a regular
# expression run over every page (a catastrophic one hangs the build)
SEARCH_OPTIONS = {"enabled", "lang", "min_search_length"}
PLUGIN_OPTIONS = {"licheng": {"audience", "strict"}, "search": SEARCH_OPTIONS, "material/search": SEARCH_OPTIONS,
                  "material/offline": {"enabled"}, "material/tags": {"enabled"}}
EXTRA_SETTINGS = {"generator", "homepage"}


class SiteConfigError(LichengError):
    """The school's mkdocs.yml asks for something licheng does not run."""


def defaults() -> dict:
    return {
        "site_name": "學習歷程",  # the plugin names the site after school.yaml
        "docs_dir": str(DOCS),  # static files only: every page is generated
        "theme": {"name": "material", "custom_dir": str(THEME), "language": "zh-TW", "font": False,
                  "features": ["navigation.prune", "navigation.top", "search.highlight"]},
        "plugins": ["search", "licheng"],
        "extra_css": ["assets/licheng.css"],
        "extra": {"generator": False},
    }


def _refuse(line, zh: str, en: str):
    where = f"{NAME}:{line}" if line else NAME
    raise SiteConfigError(f"{where}: {zh}", en=f"{where}: {en}")


def _line(mapping, key):
    return (getattr(mapping, "key_lines", None) or {}).get(key) or getattr(mapping, "line", None)


def read(root: Path) -> dict:
    """The school's mkdocs.yml ({} when there is none), checked; raises SiteConfigError."""
    path = root / NAME
    if not path.exists() and not path.is_symlink():
        return {}
    if path.is_symlink() or not path.is_file():
        _refuse(None, "不是一般檔案（不接受符號連結）", "not a regular file (symlinks are refused)")
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        _refuse(None, f"超過 {MAX_BYTES // 1024} KB", f"larger than {MAX_BYTES // 1024} KB")
    try:
        data = load_bytes(raw)
    except YamlProblem as exc:
        detail = exc.params.get("detail", exc.code)
        _refuse(exc.line, f"無法讀取（{detail}）；不支援 !ENV、!!python 等標記", f"cannot be read ({detail}); tags such as !ENV or !!python are not supported")
    if data is None:
        return {}
    if not isinstance(data, dict):
        _refuse(getattr(data, "line", 1), "應為設定的對照表", "must be a mapping of settings")
    for key in data:
        if key not in SETTINGS:
            what = "hooks（會執行學校資料庫中的程式）" if key == "hooks" else key
            _refuse(_line(data, key), f"licheng 不接受 {what} 設定；可設定：{', '.join(sorted(SETTINGS))}",
                    f"licheng does not accept the setting {key}; allowed: {', '.join(sorted(SETTINGS))}")
    _check_theme(root, data.get("theme"), _line(data, "theme"))
    _check_plugins(data.get("plugins"), _line(data, "plugins"))
    extra = data.get("extra")
    if extra is not None and (not isinstance(extra, dict) or set(extra) - EXTRA_SETTINGS):
        _refuse(_line(data, "extra"), f"extra 只接受：{', '.join(sorted(EXTRA_SETTINGS))}",
                f"extra accepts only: {', '.join(sorted(EXTRA_SETTINGS))}")
    for key in ("site_name", "site_url", "site_description", "site_author", "copyright", "repo_url", "repo_name",
                "edit_uri"):
        if key in data and not isinstance(data[key], (str, type(None))):
            _refuse(_line(data, key), f"{key} 應為文字", f"{key} must be text")
    return dict(data)


def _check_theme(root: Path, theme, line) -> None:
    if theme is None:
        return
    if isinstance(theme, str):
        theme = {"name": theme}
    if not isinstance(theme, dict):
        _refuse(line, "theme 應為對照表", "theme must be a mapping")
    for key in theme:
        if key not in THEME_SETTINGS:
            _refuse(_line(theme, key) or line, f"theme 不接受 {key}；可設定：{', '.join(sorted(THEME_SETTINGS))}",
                    f"theme does not accept {key}; allowed: {', '.join(sorted(THEME_SETTINGS))}")
    if theme.get("name", "material") != "material":
        _refuse(_line(theme, "name") or line, "只支援 material 佈景", "only the material theme is supported")
    custom = theme.get("custom_dir")
    if custom is not None:
        folder = root / str(custom)
        inside = folder.resolve().is_relative_to(root.resolve()) and not Path(str(custom)).is_absolute()
        if not inside or not folder.is_dir() or any(p.is_symlink() for p in [folder, *folder.rglob("*")]):
            _refuse(_line(theme, "custom_dir") or line, f"custom_dir {custom} 必須是資料庫內的資料夾，且不含符號連結",
                    f"custom_dir {custom} must be a folder inside the repository without symlinks")


def _check_plugins(plugins, line) -> None:
    if plugins is None:
        return
    if not isinstance(plugins, list):
        _refuse(line, "plugins 應為清單", "plugins must be a list")
    for i, item in enumerate(plugins):
        at = (getattr(plugins, "item_lines", None) or [None] * len(plugins))[i] or line
        name, options = (item, {}) if isinstance(item, str) else (next(iter(item)), next(iter(item.values())))
        if isinstance(item, dict) and len(item) != 1:
            _refuse(at, "每個 plugin 一項", "one plugin per item")
        if name not in PLUGINS:
            _refuse(at, f"不接受外掛 {name}；可用：{', '.join(PLUGINS)}", f"the plugin {name} is not allowed; allowed: {', '.join(PLUGINS)}")
        allowed = PLUGIN_OPTIONS.get(name)
        if allowed is not None and (not isinstance(options, (dict, type(None))) or set(options or {}) - allowed):
            _refuse(at, f"{name} 只接受：{', '.join(sorted(allowed))}", f"{name} accepts only: {', '.join(sorted(allowed))}")


def merged(root: Path) -> dict:
    """The configuration MkDocs gets: the defaults, with the school's accepted settings."""
    config, school = defaults(), read(root)
    theme = school.pop("theme", None)
    theme = {"name": theme} if isinstance(theme, str) else dict(theme or {})
    if "custom_dir" in theme:
        theme["custom_dir"] = str((root / str(theme["custom_dir"])).resolve())  # the plugin adds licheng's after it
    config["theme"].update(theme)
    plugins = school.pop("plugins", None)
    if plugins is not None:
        names = [p if isinstance(p, str) else next(iter(p)) for p in plugins]
        config["plugins"] = [dict(p) if isinstance(p, dict) else p for p in plugins]
        if "licheng" not in names:
            config["plugins"].append("licheng")
    config["extra"].update(school.pop("extra", None) or {})
    config.update(school)
    return _plain(config)


def offline(settings: dict) -> bool:
    """Does the configuration name Material's offline plugin (and not disable it)? licheng then
    builds the site as `--offline` does: Material's plugin alone left the pages linked as folders,
    which a site opened from disk cannot follow."""
    for item in settings.get("plugins") or ():
        name, options = (item, None) if isinstance(item, str) else next(iter(item.items()))
        if name == "material/offline":
            return not (isinstance(options, dict) and options.get("enabled") is False)
    return False


def _plain(value):
    """Plain dicts, lists and strings (the loader's line-keeping types do not dump)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
