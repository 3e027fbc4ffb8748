"""Findings, collected per run and never raised."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .rule import ERROR, RULES, WARNING, Hit


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    clause: str
    path: str
    line: int | None
    variant: str = ""
    params: dict = field(default_factory=dict, compare=False, hash=False)
    acknowledged: bool = field(default=False, compare=False)  # listed in records/acknowledgements.yaml
    # in a merge-request check: False when the finding is already on the base (it does not fail the request)
    introduced: bool | None = field(default=None, compare=False)

    @property
    def fails(self) -> bool:
        """Does this finding fail the run (exit 1)?"""
        return self.severity == ERROR and self.introduced is not False and not self.acknowledged

    @property
    def commit(self) -> str | None:
        """The commit the finding names, if any (old findings are matched by it, never by line)."""
        return self.params.get("sha")

    def message(self, lang: str = "zh-TW") -> str:
        rule = RULES[self.rule]
        templates = rule.en if lang == "en" else rule.zh
        template = templates.get(self.variant) or templates.get("") or next(iter(templates.values()))
        try:
            return template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return f"{template} {self.params}"

    def as_dict(self, lang: str = "zh-TW") -> dict:
        out = {
            "rule": self.rule,
            "severity": self.severity,
            "clause": self.clause,
            "path": self.path,
            "line": self.line,
            "message": self.message(lang),
            **({"acknowledged": True} if self.acknowledged else {}),
        }
        if self.introduced is not None:
            out["introduced"] = self.introduced
        return out


def finding(code: str, path: str, line: int | None, variant: str = "", severity: str | None = None, **params) -> Finding:
    rule = RULES[code]
    # a finding about a whole file (a symlink, a commit that changed it) points at its first line
    return Finding(code, severity or rule.severity, rule.clause, path, line or 1, variant, params)


def from_hit(code: str, h: Hit) -> Finding:
    return finding(code, h.path, h.line, h.variant, h.severity, **h.params)


# what a report says once in its header, about the run rather than a file
NOTES = {
    "history.not-audited": {
        "zh-TW": "未稽核 Git 歷史：這是 licheng 工具本身的儲存庫（school.yaml 的 history: not-audited），"
                 "其歷史是開發者的，不是學校的作業歷史；認證與權限規則略過",
        "en": "Git history not audited: this is licheng's own repository (history: not-audited in school.yaml), "
              "whose history is the developers', not a school's; certification and permission rules are skipped",
    },
}


class Result:
    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.notes: list[str] = []  # keys of NOTES, each said once in the report's header

    def note(self, key: str) -> None:
        if key not in self.notes:
            self.notes.append(key)

    def note_texts(self, lang: str) -> list[str]:
        return [NOTES[key]["en" if lang == "en" else "zh-TW"] for key in self.notes]

    def add(self, item: Finding) -> None:
        self.findings.append(item)

    def extend(self, items) -> None:
        self.findings.extend(items)

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (f.path, f.line or 0, f.rule, f.message("en")))

    def strict(self) -> "Result":
        """--strict: every warning becomes an error."""
        out = Result()
        out.notes = list(self.notes)
        out.extend(replace(f, severity=ERROR) if f.severity == WARNING else f for f in self.findings)
        return out

    def marked(self, introduced) -> "Result":
        """The same findings, each marked by `introduced(finding) -> bool`."""
        out = Result()
        out.notes = list(self.notes)
        out.extend(replace(f, introduced=introduced(f)) for f in self.findings)
        return out

    @property
    def failing(self) -> int:
        """Errors that fail the run: in a merge-request check, only those the request introduces."""
        return sum(1 for f in self.findings if f.fails)

    def count(self, severity: str) -> int:
        """Findings of `severity` that count: an acknowledged one is reported but fails nothing."""
        return sum(1 for f in self.findings if f.severity == severity and not f.acknowledged)

    @property
    def acknowledged(self) -> int:
        return sum(1 for f in self.findings if f.acknowledged)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    @property
    def warnings(self) -> int:
        return self.count(WARNING)
