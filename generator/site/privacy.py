"""The public site's last guard: free text with a student's number, an email or a national ID
(privacy.public-text, which `licheng validate` reports first) stops the public build before
anything is written. The staff site is built regardless: staff see the finding there."""

from __future__ import annotations

from ..errors import LichengError
from ..result import Finding

RULE = "privacy.public-text"


def public_failure(findings: list[Finding], audience: str) -> LichengError | None:
    """Why the public build must stop, or None."""
    if audience != "public":
        return None
    found = [f for f in findings if f.rule == RULE]
    if not found:
        return None
    def where(lang: str) -> str:
        return "; ".join(f"{f.path}:{f.line} {f.message(lang)}" for f in found[:5])

    return LichengError(f"licheng: {RULE}: 公開網站的文字含有個人資料，未建置公開網站（{len(found)} 處）：{where('zh-TW')}",
                        en=f"licheng: {RULE}: public text holds personal data, the public site was not built "
                           f"({len(found)}): {where('en')}")
