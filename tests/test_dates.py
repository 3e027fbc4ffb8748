from datetime import datetime, timedelta, timezone

import pytest

from generator import dates

TW = dates.zone("Asia/Taipei")


@pytest.mark.parametrize("text", ["2026-09-01", "115-09-01", "115/09/01", "115.09.01", "2026/9/1"])
def test_date_forms_agree(text):
    assert dates.parse(text, TW) == datetime(2026, 9, 1, tzinfo=TW)


@pytest.mark.parametrize("text", ["2026-09-01 08:00", "115-09-01 08:00", "2026-09-01T08:00:00+08:00",
                                  "2026-09-01T00:00:00Z"])
def test_datetime_forms_agree(text):
    assert dates.parse(text, TW) == datetime(2026, 9, 1, 8, 0, tzinfo=timezone(timedelta(hours=8)))


def test_date_only_end_is_the_end_of_that_day():
    end = dates.parse("2027-02-03", TW, end=True)
    assert end.date().isoformat() == "2027-02-03" and end + timedelta(microseconds=1) == dates.parse("2027-02-04", TW)


def test_zone_of_the_school():
    assert dates.parse("2026-09-01 08:00", dates.zone("Asia/Tokyo")).utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize("name", ["Asia/Taipie", "Asia", "Etc", "A" * 300, "../etc/passwd", "", None, 8],
                         ids=["typo", "folder", "folder2", "too-long", "path", "empty", "none", "number"])
def test_a_name_no_timezone_database_knows_is_none_never_an_error(name):
    assert dates.known_zone(name) is None
    assert dates.zone(name if isinstance(name, str) else None) == TW


@pytest.mark.parametrize("text", ["", "2026-13-01", "115-02-30", "tomorrow", "12:10", "2026-09-01 25:00"])
def test_not_dates(text):
    assert not dates.is_date(text)
    with pytest.raises(ValueError):
        dates.parse(text)


def test_roc_display():
    assert dates.roc(dates.parse("2026-09-01 08:00", TW)) == "115年9月1日（二）08:00"
    assert dates.roc(dates.parse("2027-01-20", TW), with_time=False) == "116年1月20日（三）"


def test_semesters():
    assert dates.semester_of(datetime(2027, 1, 31)) == "115-1"
    assert dates.semester_of(datetime(2027, 2, 1)) == "115-2"
    assert dates.semester_of(datetime(2026, 8, 1)) == "115-1"
    start, end = dates.semester_bounds("115-2", TW)
    assert (start.date().isoformat(), end.date().isoformat()) == ("2027-02-01", "2027-07-31")


def test_windows_and_spans_in_utc_are_the_schools_moments():
    """The audit compares commit times (UTC) with windows and staff spans in UTC: one conversion,
    dates.utc, through Records.window(..., utc=True) and Records.date(..., utc=True)."""
    from conftest import NOW, REPO
    from generator import duty
    from generator.validate import validate

    records, _ = validate(REPO, NOW, history=False)
    local = records.window("outcome_upload", "115-1")
    utc = records.window("outcome_upload", "115-1", utc=True)
    assert utc == local and all(m.tzinfo is timezone.utc for m in utc) and local[0].tzinfo is not timezone.utc
    yearly = records.window("performance_upload", "115-1", yearly=True, utc=True)
    assert yearly == records.window("performance_upload", "115-1", yearly=True) and yearly[0].tzinfo is timezone.utc
    assert records.date("2026-10-05", end=True, utc=True) == dates.parse("2026-10-05", TW, end=True)
    assert dates.utc(None) is None and records.date(None, utc=True) is None
    away = duty._leaves(records, "jiang-shuhui")  # on sick leave 2026-10-05..10-23
    assert away and all(m.tzinfo is timezone.utc for span in away for m in span if m)
