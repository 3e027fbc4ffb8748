"""§9 enrollment changes: one test per event type, on a copy of the sample school.

Each test gives a sample student the event, then asks generator.records.enrollment what it says
for the semesters around it and `licheng validate` (generator.validate) what it reports.
Semesters: 114-1 = 2025-08-01..2026-01-31, 114-2 = 2026-02-01..07-31, 115-1 from 2026-08-01.
"""

from __future__ import annotations

from generator.records import enrollment
from generator.records.books import on_roll
from generator.site import data as site_data
from generator.site import status
from generator.validate import validate

NOW = "2026-11-28 12:00"


def set_events(school, no: str, *events: tuple) -> None:
    """Replace the student's events with `events` ((date, type) or (date, type, school))."""
    rel = f"records/students/{no}.yaml"
    head = school.read(rel).split("events:", 1)[0]
    rows = "".join(f"  - {{date: {e[0]}, type: {e[1]}" + (f', school: "{e[2]}"' if len(e) > 2 else "") + "}\n"
                   for e in events)
    school.write(rel, head + "events:\n" + rows)


def outcome(school, semester: str, no: str, slug: str, course: str = "X", **extra) -> str:
    rel = f"records/outcomes/{semester}/{no}/{slug}.yaml"
    more = "".join(f'{k}: "{v}"\n' for k, v in extra.items())
    school.write(rel, f'course: "{course}"\ntitle: 測試成果\nsummary: 測試用的課程學習成果。\n{more}')
    return rel


def run(school, now: str = NOW):
    records, result = validate(school.root, now)
    return records, {(f.rule, f.path) for f in result.findings}


def enrolled(records, no: str, *semesters: str) -> list[bool]:
    return [enrollment.enrolled_in(records.students[no], sem, records.tz) for sem in semesters]


def not_enrolled(found) -> set[str]:
    return {path for rule, path in found if rule == "enrollment.not-enrolled"}


def test_sample_has_no_enrollment_findings(school):
    assert not_enrolled(run(school)[1]) == set()


def test_admitted(school):
    # 1150101: admitted 2026-08-01
    stray = outcome(school, "114-2", "1150101", "before-admission")
    records, found = run(school)
    assert enrolled(records, "1150101", "114-2", "115-1", "115-2") == [False, True, True]
    assert not_enrolled(found) == {stray}
    assert enrollment.left_on(records.students["1150101"], records.tz) is None


def test_transfer_in(school):
    # 1140110: transferred in on 2026-02-09 from 999888, three outcomes of her own in 114-2
    earlier = outcome(school, "114-1", "1140110", "old-school-report", transfer_from="999888")
    for n in range(4):  # earned at the old school before the transfer day: not against the quota
        outcome(school, "114-2", "1140110", f"old-school-{n}", transfer_from="999888")
    records, found = run(school)
    assert enrolled(records, "1140110", "114-1", "114-2", "115-1") == [False, True, True]
    assert earlier not in not_enrolled(found)
    assert not any(rule == "quota.outcomes-per-semester" for rule, _ in found)
    # the same outcomes without transfer_from: counted, and 114-1 is before she came
    school.write(earlier, school.read(earlier).replace('transfer_from: "999888"\n', ""))
    for n in range(4):
        rel = f"records/outcomes/114-2/1140110/old-school-{n}.yaml"
        school.write(rel, school.read(rel).replace('transfer_from: "999888"\n', ""))
    records, found = run(school)
    assert earlier in not_enrolled(found)
    assert ("quota.outcomes-per-semester", "records/outcomes/114-2/1140110/polyhedron-model.yaml") in found


def test_transfer_out(school):
    # 1130110: transferred out on 2026-02-15, during 114-2
    stray = outcome(school, "115-1", "1130110", "after-leaving")
    school.append("records/cadres/115-1.yaml", '- {student: "1130110", level: club, unit: 吉他社, position: 社員, '
                                               "from: 2026-09-01, until: 2027-01-20}\n")
    records, found = run(school)
    assert enrolled(records, "1130110", "114-1", "114-2", "115-1") == [True, True, False]
    assert not_enrolled(found) == {stray, "records/cadres/115-1.yaml"}
    left = enrollment.left_on(records.students["1130110"], records.tz)
    assert left.date().isoformat() == "2026-02-15"
    assert on_roll(records, records.students["1130110"], "114-2") and not on_roll(
        records, records.students["1130110"], "115-1")


def test_repeat(school):
    # 1130101 repeats a year from 115-1: still enrolled, every semester counted on its own
    set_events(school, "1130101", ("2024-08-01", "admitted"), ("2026-08-01", "repeat"))
    records, found = run(school)
    assert enrolled(records, "1130101", "114-2", "115-1", "115-2") == [True, True, True]
    assert not_enrolled(found) == set()
    assert enrollment.left_on(records.students["1130101"], records.tz) is None


def test_suspend(school):
    # 1140101 suspended on 2026-01-25 (after 114-1's last school day), not back
    set_events(school, "1140101", ("2025-08-01", "admitted"), ("2026-01-25", "suspend"))
    records, found = run(school)
    assert enrolled(records, "1140101", "114-1", "114-2", "115-1") == [True, False, False]
    flagged = not_enrolled(found)
    assert "records/outcomes/114-2/1140101/pendulum-lab.yaml" in flagged
    assert "records/outcomes/115-1/1140101/onion-cells.yaml" in flagged
    assert "records/cadres/114-2.yaml" in flagged  # a class cadre in 114-2
    assert enrollment.left_on(records.students["1140101"], records.tz) is None  # no retention clock
    assert on_roll(records, records.students["1140101"], "114-2")  # still on the roll (學籍)
    # a suspended student is not expected to upload: not among the students the status counts
    data = site_data.load(school.root, NOW)
    assert "1140101" not in status.enrolled(data, "114-2") and "1140102" in status.enrolled(data, "114-2")
    upload = next(op for op in status.operations(data, "114-2") if op.name == "outcome_upload")
    assert upload.progress.total == len(status.enrolled(data, "114-2"))


def test_reinstate(school):
    # 1140101 suspended on 2026-01-25 and reinstated on 2026-08-01
    set_events(school, "1140101", ("2025-08-01", "admitted"), ("2026-01-25", "suspend"), ("2026-08-01", "reinstate"))
    records, found = run(school)
    assert enrolled(records, "1140101", "114-1", "114-2", "115-1", "115-2") == [True, False, True, True]
    flagged = {p for p in not_enrolled(found) if "1140101" in p or p.startswith("records/cadres/")}
    assert "records/outcomes/115-1/1140101/onion-cells.yaml" not in flagged
    assert "records/outcomes/114-2/1140101/pendulum-lab.yaml" in flagged


def test_borrow_out(school):
    # 1140102 studies at 999666 from 2026-08-01 (115-1); there is no event type for coming back
    set_events(school, "1140102", ("2025-08-01", "admitted"), ("2026-08-01", "borrow_out", "999666"))
    records, found = run(school)
    assert enrolled(records, "1140102", "114-2", "115-1") == [True, False]
    assert "records/outcomes/115-1/1140102/onion-cells.yaml" in not_enrolled(found)
    assert enrollment.left_on(records.students["1140102"], records.tz) is None
    assert on_roll(records, records.students["1140102"], "115-1")  # 學籍 stays here: in the enrollment book


def test_borrow_in(school):
    # 1150109 is another school's student studying here from 2026-09-01
    set_events(school, "1150109", ("2026-09-01", "borrow_in", "999555"))
    records, found = run(school)
    assert enrolled(records, "1150109", "114-2", "115-1", "115-2") == [False, True, True]
    assert not {p for p in not_enrolled(found) if "1150109" in p}
    assert not on_roll(records, records.students["1150109"], "115-1")  # not on this school's roll


def test_graduate(school):
    # 1130101 graduates on 2027-06-30, in 115-2
    set_events(school, "1130101", ("2024-08-01", "admitted"), ("2027-06-30", "graduate"))
    stray = outcome(school, "116-1", "1130101", "after-graduation")
    records, found = run(school)
    assert enrolled(records, "1130101", "115-2", "116-1") == [True, False]
    assert not_enrolled(found) == {stray}
    assert enrollment.left_on(records.students["1130101"], records.tz).date().isoformat() == "2027-06-30"
    retention = lambda now: ("retention.expired", "records/students/1130101.yaml") in run(school, now)[1]  # noqa
    assert not retention("2032-06-29") and retention("2032-07-01")


def test_withdraw(school):
    # 1150102 withdraws on 2026-10-15, in 115-1
    set_events(school, "1150102", ("2026-08-01", "admitted"), ("2026-10-15", "withdraw"))
    stray = outcome(school, "115-2", "1150102", "after-withdrawal")
    records, found = run(school)
    assert enrolled(records, "1150102", "115-1", "115-2") == [True, False]
    assert not_enrolled(found) == {stray}  # the year's performances count: 115-1 was hers
    assert enrollment.left_on(records.students["1150102"], records.tz).date().isoformat() == "2026-10-15"
