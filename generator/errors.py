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


_UNPRINTABLE = ("Zl", "Zp")  # line and paragraph separators (and every C* category: controls, formats…)


def printable(text: str, limit: int = 300) -> str:
    """Untrusted text (a ref's name, a platform's answer) for a terminal line: control and format
    characters (an escape sequence, a bidirectional override, a line break) as \\u escapes, cut at
    `limit` characters."""
    import unicodedata

    out = "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) in _UNPRINTABLE or
                  unicodedata.category(ch)[0] == "C" else ch for ch in str(text)[:limit])
    return out + "…" if len(str(text)) > limit else out
