"""Chinese word segmentation for the search index (Material's search runs jieba when installed).

jieba's dictionary is mostly Simplified Chinese; these Traditional words of the regulation
would otherwise be split or glued to their neighbours, and a search for them would miss.
"""

from __future__ import annotations

import logging

WORDS = ("認證", "勾選", "上傳", "自我檢核", "收訖", "明細", "期程", "學習歷程", "多元表現", "工作小組",
         "補充規定", "課程", "成果", "提交", "截止", "研習", "親師", "幹部", "學籍")


_taught: list[bool] = []


def prepare() -> bool:
    """Teach jieba the portfolio vocabulary once per process; False when jieba is not installed."""
    try:
        import jieba
    except ImportError:
        return False
    if not _taught:  # add_word raises jieba's total frequency on every call: a second build would segment differently
        jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict…" on every build
        for word in WORDS:
            jieba.add_word(word, freq=200000)
        _taught.append(True)
    return True
