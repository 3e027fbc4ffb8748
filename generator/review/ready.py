"""Is a request of a teacher's queue ready for her to certify with one merge, and if not, why.

One answer for `licheng inbox`, `status --teacher` and `certify` (its list and --all alike): a
request is ready when the clone holds every outcome it brings, it deletes none (moving one, unchanged,
to another name in its folder is no deletion), it is a platform's request (a branch with no request
number cannot be merged through the platform), every outcome it brings is one this teacher may certify now, it
changes nothing outside its student's outcome folders, and its merge-request check finds no error
(the same check CI runs on it, with main's tip validated once for the whole queue).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import LichengError, printable_lines
from ..names import in_lang

WORDS = {
    "zh-TW": {
        "others": "其中有不屬於您目前可認證課程的成果（應由{who}認證）；請學生分開提出合併請求",
        "nobody": "（無人值勤）",
        "course": "其中有 {course} 以外課程的成果",
        "stray": "請求也變更了成果以外的檔案（{paths}），不能以認證合併",
        "errors": "合併請求檢查有 {n} 個錯誤，例如 {where} {message}",
        "branch": "這是沒有合併請求的分支，平臺無從合併；請學生為它提出合併請求",
        "unread": "本機的 clone 缺少 {paths}（部分 clone 或物件遺失），無從得知是哪門課的成果；"
                  "請先 git fetch 取得這個請求，再看一次",
        "removed": "請求刪除了成果 {paths}：刪除沒有可認證的內容，certify 不會合併它；"
                   "若確是學生要撤回，請在平臺上處理",
        "sep": "、",
    },
    "en": {
        "others": "it holds outcomes of courses you do not certify now ({who} does); ask the student to open "
                  "separate merge requests",
        "nobody": "(nobody on duty)",
        "course": "it holds outcomes of courses other than {course}",
        "stray": "the request also changes files other than outcomes ({paths}): a certification cannot merge it",
        "errors": "the merge-request check finds {n} error(s), e.g. {where} {message}",
        "branch": "a branch with no merge request, which the platform cannot merge: ask the student to open one",
        "unread": "this clone lacks {paths} (a partial clone, or a missing object), so whose course it is cannot be "
                  "told: git fetch the request, then look again",
        "removed": "the request deletes the outcome {paths}: a deletion holds nothing to certify, so certify does not "
                   "merge it; if the student means to withdraw it, handle it on the platform",
        "sep": ", ",
    },
}


@dataclass
class Refusal:
    """Why a request is not ready: its kind (a key of WORDS) and what the words name."""

    kind: str
    who: list[str] | None = None  # others: the names of who may certify the other outcomes
    course: str = ""
    paths: list[str] | None = None
    errors: list | None = None  # the check's failing findings
    error: LichengError | None = None  # the check could not run (e.g. the request conflicts with main)

    def text(self, lang: str = "zh-TW") -> str:
        """For the teacher's terminal: the student's file names and words escaped, each line of
        Git's or the platform's words on its own line."""
        return printable_lines(self._said(lang))

    def _said(self, lang: str) -> str:
        if self.error is not None:
            return self.error.text(lang)
        words = in_lang(WORDS, lang)
        if self.kind == "others":
            return words["others"].format(who=words["sep"].join(self.who or ()) or words["nobody"])
        if self.kind in ("stray", "unread", "removed"):
            return words[self.kind].format(paths=words["sep"].join(self.paths[:3]))
        if self.kind == "errors":
            first = self.errors[0]
            return words["errors"].format(n=len(self.errors), where=f"{first.path}:{first.line}",
                                          message=first.message(lang))
        return words[self.kind].format(course=self.course)


def refusal(records, request, staff_id: str, *, course: str | None = None, via: str = "local", shared=None,
            use_cache: bool = True, check: bool = True) -> Refusal | None:
    """Why `staff_id` may not certify `request` now with one merge (None: she may). Without
    `check`, what the queue itself tells (whose outcomes, which files), not the request's check."""
    for kind in ("unread", "removed"):
        named = [o.path for o in request.outcomes if getattr(o, kind)]
        if named:
            return Refusal(kind, paths=named)
    others = [o for o in request.outcomes if staff_id not in o.certifiers]
    if others:
        return Refusal("others", who=sorted({records.staff_name(p) for o in others for p in o.certifiers[:1]}))
    if course and any(o.course != course for o in request.outcomes):
        return Refusal("course", course=course)
    if via != "local" and not request.number:
        return Refusal("branch")
    folders = {o.path.rsplit("/", 1)[0] + "/" for o in request.outcomes}
    stray = [p for p in request.paths if not p.startswith(tuple(folders))]
    if stray:
        return Refusal("stray", paths=stray)
    if not check:
        return None
    from ..git import openness
    from ..git.request import of_head
    from .check import check

    try:
        # the request is the portfolio's (a registry's queue lists them too): checked there, as its CI does
        merge = of_head(records.history_root, request.head)
        # who opened it, as the platform said (asked with the teacher's token): the commits' own
        # claims to be a classmate are then judged as the request's CI judges them
        merge.platform, merge.author = openness.of(records).author(request.ref)
        _, result, _ = check(records.history_root, records.now.isoformat(), merge, use_cache=use_cache,
                             shared=shared)
    except LichengError as exc:
        return Refusal("check", error=exc)
    errors = [f for f in result.findings if f.fails]
    return Refusal("errors", errors=errors) if errors else None


__all__ = ["Refusal", "refusal", "WORDS"]
