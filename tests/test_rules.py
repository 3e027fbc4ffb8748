"""Every rule code: one minimal edit of the sample school triggers it, one near miss does not."""

from __future__ import annotations

import os

import pytest

from generator.rule import RULES
from rule_cases import CASES, UNREACHABLE

from conftest import NOW


def apply(school, edits) -> None:
    for action, path, *rest in edits:
        if action == "edit":
            school.edit(path, *rest)
        elif action == "write":
            school.write(path, rest[0])
        elif action == "append":
            school.append(path, rest[0])
        elif action == "remove":
            school.remove(path)
        elif action == "symlink":
            os.symlink(rest[0], school.path(path))
        else:
            raise AssertionError(f"unknown edit {action}")


def test_every_rule_has_a_case():
    from test_history import HISTORY_CODES
    from test_request import REQUEST_CODES

    covered = {case.code for case in CASES} | set(UNREACHABLE) | HISTORY_CODES | REQUEST_CODES
    assert sorted(set(RULES) - covered) == []
    assert sorted(covered - set(RULES)) == []


def test_sample_school_is_clean(school):
    result = school.validate()
    assert [f.as_dict() for f in result.findings] == []


@pytest.mark.parametrize("case", CASES, ids=[c.code for c in CASES])
def test_rule_triggers(school, case):
    apply(school, case.trigger)
    findings = [f for f in school.validate(case.now or NOW).findings if f.rule == case.code]
    assert findings, f"{case.code} not reported"
    for f in findings:
        assert f.path and f.clause.startswith("§")
        assert f.message("zh-TW") and f.message("en") and "{" not in f.message("en")


@pytest.mark.parametrize("case", CASES, ids=[c.code for c in CASES])
def test_rule_near_miss(school, case):
    apply(school, case.near_miss)
    findings = [f.as_dict("en") for f in school.validate(case.near_now or NOW).findings if f.rule == case.code]
    assert findings == []
