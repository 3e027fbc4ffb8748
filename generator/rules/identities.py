"""Commit identities: each email and platform user name belongs to one person."""

from __future__ import annotations

from ..rule import hit, rule


def _name(records, person) -> str:
    if person.kind == "staff":
        return records.staff_name(person.id)
    return f"學生 {person.id}"


@rule(
    "identity.shared", "§5.1",
    "身分 {identity} 同時列給了 {people}；同一個 email 或平臺帳號只能屬於一個人（比對時不分大小寫與全形半形），"
    "請刪除不屬於本人的那一筆：在此之前，這個身分的提交與合併不算任何人的",
    "the identity {identity} is listed for {people}; an email or platform account belongs to one person only "
    "(compared regardless of case and full-width forms): remove the entry that is not theirs — until then, "
    "commits and merges under it count for no one",
    follows_staff=True,
)
def shared(records):
    for key, claims in records.identities.shared():
        people = "、".join(dict.fromkeys(_name(records, c.person) for c in claims))
        for claim in claims[1:]:
            yield hit(claim.path, claim.line, identity=claim.shown, people=people)
