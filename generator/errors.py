"""Errors that stop a command. Problems in the records are findings, never these."""


class LichengError(Exception):
    """licheng could not run (exit code 2). The message is Traditional Chinese, or both languages in
    one line; `en`, when given, is what --lang en prints instead."""

    def __init__(self, message: str, en: str | None = None):
        super().__init__(message)
        self.en = en

    def text(self, lang: str | None) -> str:
        return self.en if lang == "en" and self.en else str(self)


class UsageError(LichengError):
    """The command line asks for something that makes no sense."""


class RepositoryError(LichengError):
    """The directory is not a school repository, or Git cannot be read."""


_SHOWN_AS_IS = ("Zs", "Co")  # spaces (U+3000 …) and private-use characters (a school's own glyphs for rare names)


def printable(text: str, limit: int | None = 300) -> str:
    """Untrusted text (a record's value, a file's name, a ref's name, a platform's answer) for one
    line of a terminal, a CI log or a workflow command: every character a terminal or a web page
    could act on rather than show — controls (an escape sequence, a line break), format characters
    (bidirectional overrides and isolates, zero-width ones), line and paragraph separators,
    unassigned code points — as a \\u escape, a byte of a name that is no UTF-8 as \\x; cut at
    `limit` characters (None: never). The one escaper of everything licheng prints."""
    text = str(text)
    shown = text if limit is None else text[:limit]
    out = shown if shown.isprintable() else "".join(map(_shown, shown))
    return out + "…" if limit is not None and len(text) > limit else out


def _shown(ch: str) -> str:
    import unicodedata

    if ch.isprintable() or unicodedata.category(ch) in _SHOWN_AS_IS:
        return ch
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # the byte Git stored, kept by "surrogateescape"
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"
