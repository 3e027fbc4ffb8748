"""Which merge requests are still open: a closed or rejected request waits for nobody.

GitHub keeps refs/pull/N/head after request N is closed, and GitLab its refs/merge-requests/N/head
(for two weeks, or for good), so a ref alone does not say that a request still waits. The
platform says, through its API with the reader's token (generator.git.platform). Without a
token, Git tells on GitHub only: its test merge refs/pull/N/merge exists while request N is open
and can be merged (a closed request's is deleted; one in conflict with main has none), so a clone
that fetches them with --prune holds them for exactly those requests. GitLab keeps its test merges
after a request closes: there, and in a clone without them, every request's ref counts as open
and the queue says that it could not check.

A request found closed is left out of the pending history (what the queue, status, the site and
the sheets read), with a remote branch whose tip is nothing but a closed request's head.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import msgspec

from ..names import in_lang
from .platform import SCHOOL_FILE, TOKEN_VARIABLES, PlatformError, connect

# a request's head or test merge (refs/pull/N/merge; actions/checkout fetches it to refs/remotes/pull/N/merge)
REQUEST_REF = re.compile(r"^refs/(?:remotes/(?:[^/]+/)?)?(pull|merge-requests)/(\d+)/(?:head|merge)$")
FOLDERS = {"github": "pull", "gitlab": "merge-requests"}
PLATFORM, TEST_MERGES = "platform", "test-merges"


@dataclass
class Openness:
    by: str = ""  # PLATFORM | TEST_MERGES | "" (not checked: every request's ref counts as open)
    folder: str = ""  # whose refs it answers for: "pull" (GitHub) or "merge-requests" (GitLab)
    numbers: frozenset = frozenset()  # the open requests' numbers
    why: str = ""  # why the platform was not asked or did not answer (printable)
    why_en: str = ""  # the same, in English
    closed: set[str] = field(default_factory=set)  # the refs left out

    def reason(self, lang: str) -> str:
        return self.why_en if lang == "en" and self.why_en else self.why

    def is_closed(self, ref: str) -> bool:
        m = REQUEST_REF.match(ref)
        return bool(self.by and m) and m.group(1) == self.folder and m.group(2) not in self.numbers


def of(records) -> Openness:
    """What this run knows of which requests are open (set once by `settle`)."""
    return records.memo("requests.openness", Openness)


def settle(records, ask_platform: bool = False, environ=os.environ) -> Openness:
    """Find which requests are open (the platform, with `ask_platform` and a token; else the test
    merges fetched here) and leave the closed ones out of the pending history."""
    history = records.history
    found = (_find(records.school, history, ask_platform, environ, records.root_of(SCHOOL_FILE))
             if history is not None else Openness())
    records._memo["requests.openness"] = found  # noqa: SLF001 (one value for the run, as memo keeps it)
    if found.by and history.pending:
        _keep_open(history, found)
    return found


def _find(school: dict, history, ask_platform: bool, environ, root) -> Openness:
    platform = school.get("platform") if isinstance(school.get("platform"), dict) else {}
    kind, why = platform.get("kind"), ("", "")
    if ask_platform:
        if kind not in FOLDERS or not platform.get("url"):
            why = ("school.yaml 的 platform 未設定（kind 與 url）", "school.yaml names no platform (kind and url)")
        elif any(environ.get(name) for name in TOKEN_VARIABLES[kind]):  # (without one the note says to set it)
            try:
                return Openness(PLATFORM, FOLDERS[kind], frozenset(connect(school, kind, environ, root).open_requests()))
            except PlatformError as exc:
                why = (exc.text("zh-TW"), exc.text("en"))
    if history.test_merges and kind != "gitlab":
        return Openness(TEST_MERGES, "pull", frozenset(history.test_merges), *why)
    return Openness(why=why[0], why_en=why[1])


def _keep_open(history, found: Openness) -> None:
    refs = history.pending_refs
    closed = {ref for ref in refs if found.is_closed(ref)}
    if not closed:
        return
    open_heads = {sha for ref, sha in refs.items() if ref not in closed and REQUEST_REF.match(ref)}
    closed_heads = {refs[ref] for ref in closed} - open_heads
    closed |= {ref for ref, sha in refs.items() if sha in closed_heads and not REQUEST_REF.match(ref)}
    found.closed = closed
    pending = {c.sha: c for c in history.pending}
    reached: dict[str, str] = {}  # commit id -> an open ref that holds it
    for ref, sha in refs.items():
        if ref in closed:
            continue
        stack = [sha]
        while stack:
            sha = stack.pop()
            if sha in pending and sha not in reached:
                reached[sha] = ref
                stack.extend(pending[sha].parents)
    history.pending = [c if c.source not in closed else msgspec.structs.replace(c, source=reached[c.sha])
                       for c in history.pending if c.sha in reached]


_NOTES = {
    "zh-TW": {
        TEST_MERGES: "（依平臺的測試合併 refs/pull/N/merge 判斷哪些請求仍開啟：與 main 衝突的請求沒有測試合併，"
                     "不會列出{why}）",
        "": "（未能確認這些請求在平臺上仍開啟{why}：已關閉的請求可能仍列於此。請設定 LICHENG_TOKEN"
            "（或 GITHUB_TOKEN、GITLAB_TOKEN）為您在平臺上的存取權杖）",
        "why": "；{why}",
    },
    "en": {
        TEST_MERGES: "(requests counted open by the platform's test merges refs/pull/N/merge: a request in conflict "
                     "with main has none and is not listed{why})",
        "": "(could not check that these requests are still open on the platform{why}: closed ones may be listed. "
            "Set LICHENG_TOKEN (or GITHUB_TOKEN, GITLAB_TOKEN) to your platform token)",
        "why": "; {why}",
    },
}


def note(found: Openness, lang: str = "zh-TW") -> str:
    """What the reader of the queue must know of it: "" when the platform said which are open."""
    if found.by == PLATFORM:
        return ""
    words = in_lang(_NOTES, lang)
    why = found.reason(lang)
    return words[found.by].format(why=words["why"].format(why=why) if why else "")
