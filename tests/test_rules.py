"""Every rule code: one minimal edit of the sample school triggers it, one near miss does not."""

from __future__ import annotations

import os
import re

import pytest

from generator.rule import RULES
from rule_cases import CASES, UNREACHABLE

from conftest import NOW, REPO


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


def test_the_rules_that_follow_from_the_staff_list_are_declared_so():
    """What an unreadable staff.yaml withholds is read from the rules' declarations (follows_staff):
    the audits of who did what, certification and what follows from it, and names of staff."""
    import generator.rules  # noqa: F401  (every rule declared)
    from generator.rule import declare

    flagged = {code: r.follows_staff for code, r in RULES.items() if r.follows_staff}
    assert flagged == {
        "ref.unknown": ("staff",), "ack.invalid": ("by",), "submission.count": ("outcomes",),
        **dict.fromkeys(("perm.denied", "perm.unknown-identity", "cert.fast-forward", "cert.not-merged",
                         "cert.self-merge", "cert.squashed", "cert.unsigned", "cert.wrong-certifier", "delegate.order",
                         "selection.uncertified", "window.certification", "window.outcome-upload", "identity.shared",
                         "request.certified-by", "request.mixed-certifiers", "codeowners.stale"), True)}
    assert not RULES["ref.unknown"].follows_staff_in("") and RULES["ref.unknown"].follows_staff_in("staff")
    with pytest.raises(ValueError, match="follows_staff"):
        declare("test.no-such-variant", "§5", "甲", "a", follows_staff=("staff",))
    assert "test.no-such-variant" not in RULES


def test_sample_school_is_clean(school):
    result = school.validate()
    assert [f.as_dict() for f in result.findings] == []


def _internal_keys() -> re.Pattern:
    """Codes no message may show: staff ids, operation keys, duty keys (people and things go by name)."""
    from generator.names import SUBMISSION_CATEGORIES, operations
    from generator.rules.words import DUTIES
    from generator.yaml import load_bytes

    staff = [p["id"] for p in load_bytes((REPO / "records/staff.yaml").read_bytes())]
    keys = sorted({*staff, *operations(), *DUTIES}, key=len, reverse=True)
    quoted = "|".join(SUBMISSION_CATEGORIES)
    return re.compile(rf"(?<![\w/.-])({'|'.join(map(re.escape, keys))})(?![\w/.-])|「({quoted})」")


INTERNAL = _internal_keys()


def plain_words_problems(f) -> list[str]:
    """What makes a zh-TW message one a person cannot act on (issue 8, item 6)."""
    message = f.message("zh-TW")
    problems = []
    if INTERNAL.search(message) and f.rule != "ref.unknown":  # an unknown id is what the file says
        problems.append(f"internal key {INTERNAL.search(message).group()!r}")
    if "?" in message or "DESIGN" in message or "{" in message:
        problems.append("placeholder or design notes")
    if f.rule.startswith("yaml.") and re.search(r"[A-Za-z]{3,}(?: [A-Za-z]{2,}){2,}", message):
        problems.append("English from libyaml")
    return problems


@pytest.mark.parametrize("case", CASES, ids=[c.code for c in CASES])
def test_rule_triggers(school, case):
    apply(school, case.trigger)
    result = school.validate(case.now or NOW)
    findings = [f for f in result.findings if f.rule == case.code]
    assert findings, f"{case.code} not reported"
    for f in findings:
        assert f.path and f.clause.startswith("§")
        assert f.message("zh-TW") and f.message("en") and "{" not in f.message("en")
    # every message of the run, not only the case's own, is one a person can act on
    assert [(f.rule, f.message("zh-TW")) for f in result.findings if plain_words_problems(f)] == []


@pytest.mark.parametrize("case", CASES, ids=[c.code for c in CASES])
def test_rule_near_miss(school, case):
    apply(school, case.near_miss)
    findings = [f.as_dict("en") for f in school.validate(case.near_now or NOW).findings if f.rule == case.code]
    assert findings == []


def test_a_course_class_no_student_is_in_is_named_on_the_course_file(school):
    """Courses exported as 101 while the student records say 1年1班: told once, on the course file's
    line, before any student's outcome is warned about; a semester no student has a class in yet is
    left alone (a course file drafted before the roll-over)."""
    school.edit("records/courses/115-1.yaml", 'classes: ["101"]', 'classes: ["1年1班"]')
    school.write("records/courses/117-1.yaml", school.read("records/courses/115-1.yaml"))
    found = [f for f in school.validate().findings if f.rule == "ref.course-class" and f.path.startswith("records/courses/")]
    assert [(f.path, f.line) for f in found] == [("records/courses/115-1.yaml", 10)], [f.as_dict() for f in found]
    said = found[0].message("zh-TW")
    assert "「1年1班」在 115-1 沒有任何學生" in said and "101、201、301" in said and "國語文（115999999H001010A010111）" in said, said
    assert "class '1年1班' of course '國語文" in found[0].message("en") and "(its classes are: 101, 201, 301" in found[0].message("en")


def test_a_course_is_named_as_its_own_semester_names_it(school):
    """A code another semester's file gives to another course (a school's own course ids, a draft):
    a finding of 115-1 names the course as 115-1's file does."""
    school.edit("records/outcomes/115-1/1150101/book-review.yaml", "115999999H001010A010211", "114999999H001010A010121")
    school.write("records/courses/117-1.yaml", '- {code: "114999999H001010A010121", name: 別的課, grade: 1, credits: 1, '
                 'teachers: [jian-xinyi], classes: ["101"]}\n')
    found = [f for f in school.validate().findings if f.rule == "ref.course-class"]
    assert [f.message("zh-TW") for f in found] == [
        "學生 潘冠霖（1150101） 在 115-1 的班級「101」不在課程「國語文（114999999H001010A010121）」的開課班級中"]
