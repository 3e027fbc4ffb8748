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


# the system's words for the common failures (English whatever the run's language), said in Chinese
_REASONS = {
    "ENOENT": "找不到這個檔案或資料夾", "EACCES": "沒有權限", "EPERM": "沒有權限",
    "EISDIR": "這是資料夾，不是檔案", "ENOTDIR": "路徑中有一段不是資料夾", "ENOSPC": "磁碟空間不足",
    "EEXIST": "已經有同名的檔案，無法建立資料夾",
    "EROFS": "唯讀的檔案系統，無法寫入", "ETIMEDOUT": "逾時沒有回應", "ECONNREFUSED": "對方拒絕連線（服務沒有在執行）",
    "ECONNRESET": "連線被對方中斷", "EHOSTUNREACH": "無法連到這部主機", "ENETUNREACH": "網路無法連線",
}
_BY_CLASS = {"ConnectionResetError": "ECONNRESET", "ConnectionRefusedError": "ECONNREFUSED"}  # raised without errno


def os_reason(exc: BaseException) -> tuple[str, str]:
    """Why an OSError (a file, a folder, a connection) or urllib's URLError happened, as
    (Traditional Chinese, English): the common cases in the run's words, the rare rest as the
    system says it."""
    import errno
    import socket

    inner = exc.reason if isinstance(getattr(exc, "reason", None), BaseException) else exc  # URLError wraps the cause
    said = str(getattr(inner, "strerror", None) or getattr(inner, "reason", None) or "") or str(inner) \
        or type(inner).__name__  # ConnectionResetError() says nothing of itself
    if isinstance(inner, socket.gaierror):
        return "找不到這個主機名稱", f"unknown host ({said})"
    code = errno.errorcode.get(getattr(inner, "errno", None) or 0) or _BY_CLASS.get(type(inner).__name__)
    if code in _REASONS:
        return _REASONS[code], said
    if isinstance(inner, TimeoutError):  # (a socket's timeout has no errno)
        return _REASONS["ETIMEDOUT"], "timed out"
    return said, said


_SHOWN_AS_IS = ("Zs", "Co")  # spaces (U+3000 …) and private-use characters (a school's own glyphs for rare names)


def printable(text: str, limit: int | None = 300) -> str:
    """Untrusted text (a record's value, a file's name, a ref's name, a platform's answer) for one
    line of a terminal, a CI log or a workflow command: every character a terminal or a web page
    could act on rather than show — controls (an escape sequence, a line break), format characters
    (bidirectional overrides and isolates, zero-width ones), line and paragraph separators,
    unassigned code points — as a \\u escape, a byte of a name that is no UTF-8 as \\x; cut at
    `limit` characters (None: never). GitHub's runner obeys `##[command]data` anywhere in a line of a
    job's log (its first command syntax): shown as `##\\[`. The one escaper of everything licheng prints."""
    text = str(text)
    shown = text if limit is None else text[:limit]
    out = shown if shown.isprintable() else "".join(map(_shown, shown))
    if COMMAND in out:
        out = out.replace(COMMAND, "##\\[")
    return out + "…" if limit is not None and len(text) > limit else out


COMMAND = "##["  # (GitHub Actions: `##[add-mask]…`, `##[stop-commands]…`, wherever a line holds it)


def printable_lines(text: str) -> str:
    """Untrusted text of several lines (Git's or a platform's message) as `printable` shows each
    line, the line breaks kept: a terminal shows the lines, never \\u000a between them."""
    return "\n".join(printable(line, None) for line in str(text).split("\n"))


def _shown(ch: str) -> str:
    import unicodedata

    if ch.isprintable() or unicodedata.category(ch) in _SHOWN_AS_IS:
        return ch
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # the byte Git stored, kept by "surrogateescape"
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"
