"""Rules as data: every rule is one registered row with its code, clause and messages.

A check is a function of the loaded `Records` that yields `Hit`s; the loader and the
schema checker produce findings for their own codes, declared here the same way.
Adding a rule touches one place: its `@rule(...)` row and function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Rule:
    code: str
    clause: str
    severity: str
    zh: dict[str, str]  # message templates by variant ("" is the default)
    en: dict[str, str]
    # its findings follow from who the staff are (all of them, or those of these variants): withheld
    # while the staff list cannot be read (generator.rules.unread)
    follows_staff: bool | tuple[str, ...] = False

    def follows_staff_in(self, variant: str) -> bool:
        return self.follows_staff is True or variant in (self.follows_staff or ())


@dataclass
class Hit:
    """What a check found: where, which message variant, the values for its template."""

    path: str
    line: int | None
    variant: str = ""
    severity: str | None = None  # None: the rule's own
    params: dict = field(default_factory=dict)


RULES: dict[str, Rule] = {}
CHECKS: list[tuple[str, Callable[..., Iterable[Hit]]]] = []


def _variants(text: str | dict[str, str]) -> dict[str, str]:
    return {"": text} if isinstance(text, str) else dict(text)


def declare(code: str, clause: str, zh, en, *, severity: str = ERROR,
            follows_staff: bool | tuple[str, ...] = False) -> Rule:
    if code in RULES:
        raise ValueError(f"rule {code} declared twice")
    zh, en = _variants(zh), _variants(en)
    if zh.keys() != en.keys():
        raise ValueError(f"rule {code}: zh and en variants differ")
    if follows_staff is not True and not set(follows_staff or ()) <= zh.keys():
        raise ValueError(f"rule {code}: follows_staff names a variant it does not have")
    RULES[code] = Rule(code, clause, severity, zh, en, follows_staff)
    return RULES[code]


def rule(code: str, clause: str, zh, en, *, severity: str = ERROR, follows_staff: bool | tuple[str, ...] = False):
    """Register the decorated function as the check of rule `code`."""

    declare(code, clause, zh, en, severity=severity, follows_staff=follows_staff)
    return checks(code)


def checks(code: str):
    """Register the decorated function as one more check reporting the declared `code`."""

    def register(check: Callable[..., Iterable[Hit]]):
        if code not in RULES:
            raise ValueError(f"rule {code} is not declared")
        CHECKS.append((code, check))
        return check

    return register


def hit(path: str, line: int | None, variant: str = "", severity: str | None = None, **params) -> Hit:
    return Hit(path, line, variant, severity, params)
