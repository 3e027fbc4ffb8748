"""Findings, collected per run and never raised."""

from __future__ import annotations

import re
from itertools import groupby
from dataclasses import dataclass, field, replace

from . import layout
from .names import in_lang
from .rule import ERROR, RULES, WARNING, Hit

# a national ID or resident certificate number anywhere in a message (a value echoed back)
NATIONAL_ID = re.compile(r"(?<![A-Za-z0-9])([A-Za-z][0-9A-Da-d][0-9]{8})(?![A-Za-z0-9])")
# records whose values are personal: a value from one is never printed, whatever the rule
PERSONAL_KINDS = {"student", "counseling"}
# parameters that carry a value read from the record (jsonschema and libyaml echo them)
VALUE_PARAMS = {"value", "detail", "written", "limit_value", "text", "snippet"}


class Said(dict):
    """A finding's value that is no record's text but words of the report's language: {"zh-TW": …, "en": …}."""


def mask_id(value: str) -> str:
    """A12*****89: enough to find the record, not enough to be the number."""
    return value[:3] + "*" * max(len(value) - 5, 1) + value[-2:] if len(value) > 5 else "*" * len(value)


def mask(text: str) -> str:
    """Every national ID in `text`, masked. Messages are rendered through this, so a value
    that jsonschema or libyaml echoes back is masked too."""
    return NATIONAL_ID.sub(lambda m: mask_id(m.group(1)), text)


def _personal(path: str) -> bool:
    kind = layout.classify(path) if path.endswith(".yaml") else None
    return bool(kind) and kind[0] in PERSONAL_KINDS


def _masked_params(path: str, params: dict) -> dict:
    """A personal record's values (birth date, address, counseling text, a wrong national ID)
    are never printed: anything but a location becomes a mask."""
    if not _personal(path):
        return params
    return {k: v if k not in VALUE_PARAMS or not isinstance(v, str) or not v else
            (mask_id(v) if v[:1].isalpha() and len(v) == 10 else "＊＊＊") for k, v in params.items()}


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
    repository: str = "single"  # portfolio | registry | single (whose path `path` is)

    def message(self, lang: str = "zh-TW") -> str:
        rule = RULES[self.rule]
        templates = rule.en if lang == "en" else rule.zh
        template = templates.get(self.variant) or templates.get("") or next(iter(templates.values()))
        params = _masked_params(self.path, {k: in_lang(v, lang) if isinstance(v, Said) else v
                                            for k, v in self.params.items()})
        try:
            return mask(template.format(**params))
        except (KeyError, IndexError, ValueError):
            return mask(f"{template} {params}")

    def as_dict(self, lang: str = "zh-TW") -> dict:
        out = {
            "rule": self.rule,
            "severity": self.severity,
            "clause": self.clause,
            "repository": self.repository,
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


def unreadable(path, problem) -> tuple[str, str]:
    """(zh-TW, en): a file that cannot be read (a yaml.YamlProblem), at its line, in its rule's own
    words where the rules are loaded (the caller imports generator.rules.syntax), else by code."""
    where = f"{path}:{problem.line}" if problem.line else str(path)
    if problem.code not in RULES:
        detail = f" ({problem.params['detail']})" if problem.params.get("detail") else ""
        return f"{where}：{problem.code}{detail}", f"{where}: {problem.code}{detail}"
    said = finding(problem.code, str(path), problem.line, **problem.params)
    return f"{where}：{said.message('zh-TW')}", f"{where}: {said.message('en')}"


def placed(findings, repository: str) -> list[Finding]:
    """The findings, said to be about paths of `repository`."""
    return [f if f.repository == repository else replace(f, repository=repository) for f in findings]


def from_hit(code: str, h: Hit) -> Finding:
    return finding(code, h.path, h.line, h.variant, h.severity, **h.params)


_FIELDS = tuple(Finding.__dataclass_fields__)
_PARAMS = _FIELDS.index("params")


def as_row(f: Finding) -> list:
    """A finding as plain data (a child process of the rule checks sends it, generator.rules.running):
    its fields in their order, then the names of its params that are words of the report's language
    (Said: a dict that must come back as one)."""
    said = [k for k, v in f.params.items() if type(v) is Said]
    params = {k: dict(v) if type(v) is Said else v for k, v in f.params.items()} if said else f.params
    return [params if name == "params" else getattr(f, name) for name in _FIELDS] + [said]


def from_row(row: list) -> Finding:
    """The finding `as_row` made `row` of."""
    *fields, said = row
    for k in said:
        fields[_PARAMS][k] = Said(fields[_PARAMS][k])
    return Finding(*fields)


# what a report says once in its header, about the run rather than a file
NOTES = {
    "history.not-audited": {
        "zh-TW": "未稽核 Git 歷史：這是 licheng 工具本身的儲存庫（school.yaml 的 history: not-audited），"
                 "其歷史是開發者的，不是學校的作業歷史；認證與權限規則略過",
        "en": "Git history not audited: this is licheng's own repository (history: not-audited in school.yaml), "
              "whose history is the developers', not a school's; certification and permission rules are skipped",
    },
}


def _place(f: Finding) -> tuple:
    return f.repository, f.path, f.line or 0, f.rule


class Result:
    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.notes: list[str] = []  # keys of NOTES, each said once in the report's header
        self.base: str | None = None  # a merge-request check's base (its findings are marked introduced or not)
        self.had: list[Finding] = []  # in a merge-request check, the base's own findings

    def note(self, key: str) -> None:
        if key not in self.notes:
            self.notes.append(key)

    def note_texts(self, lang: str) -> list[str]:
        return [in_lang(NOTES[key], lang) for key in self.notes]

    def add(self, item: Finding) -> None:
        self.findings.append(item)

    def extend(self, items) -> None:
        self.findings.extend(items)

    def sorted(self) -> list[Finding]:
        """By repository, path, line and rule, and findings alike in all four by their English
        message (made for those only: a large report's messages cost more than its sort)."""
        out: list[Finding] = []
        for _, alike in groupby(sorted(self.findings, key=_place), key=_place):
            alike = list(alike)
            out.extend(sorted(alike, key=lambda f: f.message("en")) if len(alike) > 1 else alike)
        return out

    def strict(self) -> "Result":
        """--strict: every warning becomes an error."""
        out = Result()
        out.notes, out.base = list(self.notes), self.base
        out.extend(replace(f, severity=ERROR) if f.severity == WARNING else f for f in self.findings)
        out.had = [replace(f, severity=ERROR) if f.severity == WARNING else f for f in self.had]
        return out

    def own(self) -> list[Finding]:
        """The findings a run answers for, in report order: in a merge-request check, those the
        request introduces."""
        return [f for f in self.sorted() if f.introduced is not False]

    def on_base(self) -> list[Finding]:
        """In a merge-request check, the findings its base has: all of them, those the request
        leaves as they were (marked `introduced: false`) and those it changes or mends alike."""
        return self.had

    def marked(self, introduced, base: str, had: list[Finding]) -> "Result":
        """The same findings, each marked by `introduced(finding) -> bool`: a merge-request check into
        `base`, whose own findings are `had`."""
        out = Result()
        out.notes, out.base, out.had = list(self.notes), base, list(had)
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
