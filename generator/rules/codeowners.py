"""codeowners.stale: the committed CODEOWNERS no longer says what the records say."""

from __future__ import annotations

from ..git.codeowners import committed, generate
from ..rule import WARNING, hit, rule


@rule(
    "codeowners.stale", "§5.3.2",
    "CODEOWNERS 與紀錄不符（第 {first} 行起），平臺會請錯的人審查；請執行 licheng codeowners 重新產生並提交",
    "CODEOWNERS no longer matches the records (from line {first}), so the platform asks the wrong people to "
    "review; run licheng codeowners and commit the result",
    severity=WARNING,
    follows_staff=True,
)
def stale(records):
    found = committed(records.root)
    if found is None or not records.staff:
        return
    location, text = found
    have = [line.rstrip() for line in text.strip().splitlines()]
    want = [line.rstrip() for line in generate(records).strip().splitlines()]
    if have != want:
        line = next((i for i, (a, b) in enumerate(zip(have, want), 1) if a != b), min(len(have), len(want)) + 1)
        yield hit(location, line, first=line)
