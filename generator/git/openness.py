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
the sheets read), and so is a remote branch that no request's head reaches (see `settle`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import msgspec

from ..names import in_lang
from .platform import TOKEN_VARIABLES, PlatformError, connect, of_main

# a request's head or test merge (refs/pull/N/merge; actions/checkout fetches it to refs/remotes/pull/N/merge).
# Never a remote's branch: a student may push one named pull/1/head (refs/remotes/origin/pull/1/head),
# which would make every classmate's branch in a clone without request refs look like a draft.
REQUEST_REF = re.compile(r"^refs/(?:remotes/)?(pull|merge-requests)/(\d+)/(?:head|merge)$")
FOLDERS = {"github": "pull", "gitlab": "merge-requests"}
PLATFORM, TEST_MERGES = "platform", "test-merges"


@dataclass
class Openness:
    by: str = ""  # PLATFORM | TEST_MERGES | "" (not checked: every request's ref counts as open)
    folder: str = ""  # whose refs it answers for: "pull" (GitHub) or "merge-requests" (GitLab)
    numbers: frozenset = frozenset()  # the open requests' numbers
    authors: dict = field(default_factory=dict)  # number -> who opened it (the platform's user name), as it said
    listed: dict = field(default_factory=dict)  # number -> the platform's Listed (author, head, target) of it
    error: PlatformError | None = None  # why the platform was not asked or did not answer
    asked: bool = False  # a token was given and the platform was asked
    closed: set[str] = field(default_factory=set)  # the closed requests' refs (and their branches) left out
    drafts: set[str] = field(default_factory=set)  # remote branches left out: no request's (see settle)

    def is_closed(self, ref: str) -> bool:
        m = REQUEST_REF.match(ref)
        return bool(self.by and m) and m.group(1) == self.folder and m.group(2) not in self.numbers

    def author(self, ref: str) -> tuple[str, str]:
        """(platform, user name) of who opened the request at `ref`, as the platform said; ("", "")
        where it was not asked."""
        m = REQUEST_REF.match(ref)
        if self.by != PLATFORM or not m or m.group(1) != self.folder or not self.authors.get(m.group(2)):
            return "", ""
        return next(kind for kind, folder in FOLDERS.items() if folder == self.folder), self.authors[m.group(2)]

    @property
    def left_out(self) -> set[str]:
        return self.closed | self.drafts


def of(records) -> Openness:
    """What this run knows of which requests are open (set once by `settle`)."""
    return records.memo("requests.openness", Openness)


def settle(records, ask_platform: bool = False, environ=os.environ) -> Openness:
    """Find which requests are open (the platform, with `ask_platform` and a token; else the test
    merges fetched here) and leave out of the pending history the closed ones, and the remote
    branches that are no request's: where the clone holds the platform's request refs, a branch
    that no request's head reaches is a student's draft, pushed but not asked for; it waits for
    nobody (only in a clone without any request ref does a remote branch stand for a request)."""
    history = records.history
    if history is None:
        found = Openness()
    else:  # the queue's readers ask main's platform; a validation reads the school it checks, and no more Git
        platform = of_main(records) if ask_platform else records.school.get("platform")
        found = _find(platform if isinstance(platform, dict) else {}, history, ask_platform, environ)
    records._memo["requests.openness"] = found  # noqa: SLF001 (one value for the run, as memo keeps it)
    if history is not None and history.pending:
        _keep_open(history, found)
    return found


def _find(platform: dict, history, ask_platform: bool, environ) -> Openness:
    kind, error, asked = platform.get("kind"), None, False
    if ask_platform:
        if kind not in FOLDERS or not platform.get("url"):
            error = PlatformError("school.yaml 的 platform 未設定（kind 與 url）",
                                  en="school.yaml names no platform (kind and url)")
        elif any(environ.get(name) for name in TOKEN_VARIABLES[kind]):  # (without one the note says to set it)
            asked = True
            try:
                listed = connect(platform, kind, environ).open_requests()
                return Openness(PLATFORM, FOLDERS[kind], frozenset(listed), {n: r.author for n, r in listed.items()},
                                listed, asked=True)
            except PlatformError as exc:
                error = exc
    if history.test_merges and kind != "gitlab":
        return Openness(TEST_MERGES, "pull", frozenset(history.test_merges), error=error, asked=asked)
    return Openness(error=error, asked=asked)


def _keep_open(history, found: Openness) -> None:
    refs = history.pending_refs
    requests = {ref for ref in refs if REQUEST_REF.match(ref)}
    closed = {ref for ref in requests if found.is_closed(ref)}
    if requests or history.request_heads or history.test_merges:  # (the clone fetched the platform's request refs)
        found.drafts = set(refs) - requests
    found.closed = closed
    left_out = found.left_out
    if not left_out:
        return
    pending = {c.sha: c for c in history.pending}
    reached: dict[str, str] = {}  # commit id -> an open request's ref that holds it
    for ref, sha in refs.items():
        if ref in left_out:
            continue
        stack = [sha]
        while stack:
            sha = stack.pop()
            if sha in pending and sha not in reached:
                reached[sha] = ref
                stack.extend(pending[sha].parents)
    history.pending = [c if c.source not in left_out else msgspec.structs.replace(c, source=reached[c.sha])
                       for c in history.pending if c.sha in reached]


_NOTES = {
    "zh-TW": {
        TEST_MERGES: "（依平臺的測試合併 refs/pull/N/merge 判斷哪些請求仍開啟：與 main 衝突的請求沒有測試合併，"
                     "不會列出{why}{advice}）",
        "": "（未能確認這些請求在平臺上仍開啟{why}：已關閉的請求可能仍列於此{advice}）",
        "why": "；{why}",
        "set": "請設定 LICHENG_TOKEN（或 GITHUB_TOKEN、GITLAB_TOKEN）為您在平臺上的存取權杖",
        "refused": "平臺拒絕了您的存取權杖（HTTP {status}）：請確認 LICHENG_TOKEN（或 GITHUB_TOKEN、GITLAB_TOKEN）"
                   "是您在這個平臺上仍有效、可讀取合併請求的權杖",
        "then": "。",
    },
    "en": {
        TEST_MERGES: "(requests counted open by the platform's test merges refs/pull/N/merge: a request in conflict "
                     "with main has none and is not listed{why}{advice})",
        "": "(could not check that these requests are still open on the platform{why}: closed ones may be "
            "listed{advice})",
        "why": "; {why}",
        "set": "Set LICHENG_TOKEN (or GITHUB_TOKEN, GITLAB_TOKEN) to your platform token",
        "refused": "The platform refused your token (HTTP {status}): check that LICHENG_TOKEN (or GITHUB_TOKEN, "
                   "GITLAB_TOKEN) is a token of yours on this platform, still valid, that may read merge requests",
        "then": ". ",
    },
}


def note(found: Openness, lang: str = "zh-TW") -> str:
    """What the reader of the queue must know of it: "" when the platform said which are open."""
    if found.by == PLATFORM:
        return ""
    words = in_lang(_NOTES, lang)
    error = found.error
    why = words["why"].format(why=error.text(lang)) if error else ""
    if error is not None and error.refused_token:
        advice = words["refused"].format(status=error.status)
    elif not found.asked and error is None:  # (no token given: the platform was not asked)
        advice = words["set"]
    else:
        advice = ""
    return words[found.by].format(why=why, advice=words["then"] + advice if advice else "")
