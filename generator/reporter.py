"""Reporters: how a Result is printed (text, json, github workflow annotations)."""

from __future__ import annotations

import json
import re

import msgspec

from .errors import COMMAND, printable
from .names import in_lang
from .result import Result

_TEXT = {
    "zh-TW": {"error": "錯誤", "warning": "警告", "summary": "共 {e} 個錯誤、{w} 個警告", "ok": "檢查通過：沒有發現問題",
              "acknowledged": "（已確認）", "acknowledged_count": "（另有 {a} 項已確認）",
              "request": "此合併請求帶來 {e} 個錯誤、{w} 個警告",
              "on_base": "{base} 原有 {e} 個錯誤、{w} 個警告（這裡不列出）：不是此合併請求帶來的，不影響它",
              "passed": "檢查通過：此合併請求沒有帶來錯誤",
              "failed": "未通過：此合併請求帶來 {e} 個錯誤，請依上面各項的說明處理"},
    "en": {"error": "error", "warning": "warning", "summary": "{e} error(s), {w} warning(s)", "ok": "all checks passed",
           "acknowledged": " (acknowledged)", "acknowledged_count": " ({a} acknowledged)",
           "request": "this merge request brings {e} error(s), {w} warning(s)",
           "on_base": "{base} already has {e} error(s), {w} warning(s) (not listed here): this merge request did not "
                      "bring them and they do not fail it",
           "passed": "passed: this merge request brings no error",
           "failed": "failed: this merge request brings {e} error(s); do what each of them above says"},
}


def _words(lang: str) -> dict:
    return in_lang(_TEXT, lang)


def shown_revision(name: str) -> str:
    """A base named by its commit id (GitLab's CI_MERGE_REQUEST_DIFF_BASE_SHA alone, --base SHA) as Git
    shows a commit, by its first 8 digits; a branch by its name."""
    return name[:8] if re.fullmatch(r"[0-9a-f]{40}(?:[0-9a-f]{24})?", name) else name


def verdict(result: Result, lang: str) -> list[str]:
    """The report's last lines: the counts, and in a merge-request check what the request brings,
    what its base already had (counted, never blamed on the request) and whether it passes."""
    words = _words(lang)
    if result.base is None:
        if not result.findings:
            return [words["ok"]]
        return [words["summary"].format(e=result.errors, w=result.warnings)
                + (words["acknowledged_count"].format(a=result.acknowledged) if result.acknowledged else "")]
    own, old = Result(), Result()
    own.extend(result.own())
    old.extend(result.on_base())
    lines = [words["request"].format(e=own.errors, w=own.warnings)
             + (words["acknowledged_count"].format(a=own.acknowledged) if own.acknowledged else "")]
    if old.errors or old.warnings:
        base = _escape(shown_revision(result.base), "text")
        lines.append(words["on_base"].format(base=base, e=old.errors, w=old.warnings))
    lines.append(words["failed"].format(e=result.failing) if result.failing else words["passed"])
    return lines


def _line(f, words: dict, lang: str) -> str:
    where = f"{_escape(f.path, 'text')}:{f.line}" if f.line else _escape(f.path, "text")
    if f.repository != "single":
        where += f" ({f.repository})"
    mark = words["acknowledged"] if f.acknowledged else ""
    return f"{where}: {words[f.severity]}{mark} [{f.rule} {f.clause}] {_escape(f.message(lang), 'text')}"


def text(result: Result, lang: str) -> str:
    """The findings, then the verdict. In a merge-request check only the request's own findings are
    listed: the base's are counted (a student's CI log shows nobody else's records)."""
    words = _words(lang)
    lines = [f"# {_escape(note, 'text')}" for note in result.note_texts(lang)]
    lines += [_line(f, words, lang) for f in result.own()]
    return "\n".join(lines + verdict(result, lang)) + "\n"


def as_json(result: Result, lang: str, request: dict | None = None) -> str:
    payload = {
        "findings": [f.as_dict(lang) for f in result.sorted()],
        "summary": {"errors": result.errors, "warnings": result.warnings},
    }
    if result.notes:
        payload["notes"] = result.note_texts(lang)
    if "history.not-audited" in result.notes:
        payload["history"] = "not-audited"
    if request is not None:  # a summary that may carry a record's values (a float, a NaN)
        payload["request"] = request
        return _utf8(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    return _json(payload)


def _json(payload) -> str:
    """json.dumps(payload, ensure_ascii=False, indent=2) of text, whole numbers and truth values,
    through msgspec (several times faster), which writes them alike; json writes what msgspec
    cannot (a lone surrogate: a file name that is no UTF-8)."""
    try:
        return _logged(msgspec.json.format(msgspec.json.encode(payload), indent=2).decode("utf-8") + "\n")
    except (TypeError, UnicodeError, OverflowError):
        return _utf8(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


_BYTE = re.compile("[\udc80-\udcff]")


def _utf8(report: str) -> str:
    """A JSON report as valid UTF-8: a byte of a file name that is no UTF-8 (Git allows any; read,
    it is a lone surrogate) shown as errors.printable shows it, \\xff, in the JSON string."""
    return _logged(_BYTE.sub(lambda byte: json.dumps(printable(byte.group()))[1:-1], report))


def _logged(report: str) -> str:
    """A JSON report printed in a CI log: `##[` (a command to GitHub's runner wherever a line holds it,
    and only ever inside a JSON string here) written `##\\u005b`, which every reader decodes back."""
    return report.replace(COMMAND, "##\\u005b") if COMMAND in report else report


def _escape(value: str, kind: str) -> str:
    """Record text (file names, values) in one report line, through errors.printable (no line
    break, no bidirectional override reaches the log), and then it cannot start a workflow command
    (`::error::`, `::set-output`) either. kind: "text", "data" or "property" (GitHub's)."""
    value = printable(value, None)
    if kind == "text":  # (the runner strips the spaces before a line's `::`: U+3000 too)
        spaces = len(value) - len(value.lstrip())
        return value[:spaces] + "\\" + value[spaces:] if value[spaces:spaces + 1] == ":" else value
    value = value.replace("%", "%25")
    return value.replace(":", "%3A").replace(",", "%2C") if kind == "property" else value


def github(result: Result, lang: str) -> str:
    lines = [f"::notice::{_escape(note, 'data')}" for note in result.note_texts(lang)]
    for f in result.own():
        props = f"file={_escape(f.path, 'property')}"
        if f.line:
            props += f",line={f.line}"
        title = f.rule + " " + f.clause + (f" {f.repository}" if f.repository != "single" else "")
        props += f",title={_escape(title, 'property')}"
        level = "notice" if f.acknowledged else f.severity  # acknowledged: shown, never failing
        lines.append(f"::{level} {props}::{_escape(f.message(lang), 'data')}")
    return "\n".join(lines + verdict(result, lang)) + "\n"


def codequality(result: Result, lang: str) -> str:
    """GitLab's Code Quality report. GitLab shows a merge request the difference between its report
    and its target branch's, matched by fingerprint: so a merge-request check lists the base's
    findings too (else GitLab would show each of them as fixed by the request), and only those the
    request introduces are new."""
    import hashlib

    issues = []
    for f in result.sorted():
        key = f"{f.rule}|{f.repository}|{f.path}|{f.line}|{f.message('en')}"
        issues.append({
            "description": f"[{f.rule} {f.clause}] {f.message(lang)}",
            "check_name": f.rule,
            "fingerprint": hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest(),  # (a name no UTF-8)
            "severity": "major" if f.severity == "error" else "minor",
            "location": {"path": f.path, "lines": {"begin": f.line or 1}},
        })
    return _utf8(json.dumps(issues, ensure_ascii=False, indent=2) + "\n")


REPORTERS = {"text": text, "json": as_json, "github": github, "codequality": codequality}
