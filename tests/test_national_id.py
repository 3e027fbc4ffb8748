import pytest

from generator.records.national_id import is_valid, with_check_digit


@pytest.mark.parametrize("value", ["A123456789", "J125493395", "A900000007", "A800000005"])
def test_valid_numbers(value):
    assert is_valid(value)


@pytest.mark.parametrize("value", ["A123456788", "a123456789", "A323456789", "A12345678", "1234567890", None, 123])
def test_invalid_numbers(value):
    assert not is_valid(value)


def test_check_digit_completes_a_valid_number():
    assert with_check_digit("A12345678") == "A123456789"
    assert all(is_valid(with_check_digit(f"B2{n:07d}")) for n in range(0, 10_000_000, 999_983))
