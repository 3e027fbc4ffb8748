"""Taiwan national ID and resident certificate numbers (CENTRAL-DB.md): form and check digit."""

from __future__ import annotations

import re

LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"  # A=10 … Z=33, I=34, O=35
_FORM = re.compile(r"^[A-Z][1289ABCD]\d{8}$")  # 1/2 citizens; 8/9 resident certificates (2021); A–D the older form


def _checksum(first_nine: str) -> int:
    letter = LETTERS.index(first_nine[0]) + 10
    second = first_nine[1]
    digits = [int(second) if second.isdigit() else (LETTERS.index(second) + 10) % 10]
    digits += [int(c) for c in first_nine[2:9]]
    return letter // 10 + (letter % 10) * 9 + sum(d * w for d, w in zip(digits, range(8, 0, -1)))


def is_valid(value) -> bool:
    return isinstance(value, str) and bool(_FORM.match(value)) and (_checksum(value) + int(value[9])) % 10 == 0


def with_check_digit(first_nine: str) -> str:
    """The whole number for its first nine characters (for fictional sample data)."""
    return first_nine + str((10 - _checksum(first_nine) % 10) % 10)
