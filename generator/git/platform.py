"""The hosting platform behind one small interface: which requests are open, approve one, merge it.

`licheng certify --via github|gitlab` asks the platform to merge each request for the teacher
(the teacher's token), so each outcome has its own merge commit made by the platform and
authored by the teacher — the certification (§5.3.2). The queue (inbox, status, certify, the
staff site) asks which requests are still open (generator.git.openness). Only these REST
endpoints are used:

  GitHub: GET  /repos/{owner}/{repo}/pulls?state=open&per_page=100&page={p}   (Link: rel="next")
          POST /repos/{owner}/{repo}/pulls/{n}/reviews {"event": "APPROVE", "commit_id": head}
          PUT  /repos/{owner}/{repo}/pulls/{n}/merge   {"merge_method": "merge", "sha": head}
  GitLab: GET  /projects/{path}/merge_requests?state=opened&per_page=100&page={p}   (X-Next-Page)
          POST /projects/{path}/merge_requests/{iid}/approve {"sha": head}
          PUT  /projects/{path}/merge_requests/{iid}/merge {"sha": head, "squash": false}
"""

from __future__ import annotations

import json
import os
import urllib.parse
from typing import NamedTuple

from ..errors import LichengError, os_reason, printable

TOKEN_VARIABLES = {"github": ("LICHENG_TOKEN", "GITHUB_TOKEN", "GH_TOKEN"),
                   "gitlab": ("LICHENG_TOKEN", "GITLAB_TOKEN")}


class PlatformError(LichengError):
    """The platform refused or could not be reached. Its words (and the school's addresses) are
    untrusted: printed with their control characters escaped."""

    def __init__(self, message: str, en: str | None = None, status: int | None = None):
        super().__init__(printable(message, 500), printable(en, 500) if en else None)
        self.status = status  # the HTTP status the platform answered with, where it answered

    @property
    def refused_token(self) -> bool:
        """Did the platform refuse the token (401: unknown or expired; 403: not allowed to read)?"""
        return self.status in (401, 403)


class Listed(NamedTuple):
    """An open request as the platform lists it ("" where its answer names nothing)."""

    author: str  # who opened it: their user name on the platform
    head: str  # its head commit now (the student may have pushed since the teacher fetched)
    target: str  # the branch it is to be merged into


def _text(item: dict, *path: str) -> str:
    for key in path:
        item = item.get(key) if isinstance(item, dict) else None
    return item if isinstance(item, str) else ""


class Platform:
    kind = ""

    def __init__(self, api: str, project: str, token: str):
        self.api, self.project, self.token = api.rstrip("/"), project, token

    def approve(self, number: str, head: str) -> None:
        """Approve request `number` at its head commit `head` (the one the teacher's check judged)."""
        raise NotImplementedError

    def merge(self, number: str, head: str) -> str:
        """Merge request `number` whose head must still be `head`; the merge commit's id."""
        raise NotImplementedError

    def _headers(self) -> dict:
        raise NotImplementedError

    def open_requests(self) -> dict[str, Listed]:
        """The requests open now (every page of the platform's list): their numbers, each with who
        opened it, its head and its target branch, as the platform says."""
        numbers: dict[str, Listed] = {}
        for page in range(1, MAX_PAGES + 1):
            items, headers = self._request("GET", self._open_list(page), timeout=LIST_TIMEOUT)
            if not isinstance(items, list):
                raise PlatformError(f"{self.api}: 平臺的回應不是請求清單", en=f"{self.api}: the platform's answer is no list")
            for item in items:
                number = item.get(self._number) if isinstance(item, dict) else None
                if type(number) is int and number > 0:  # (never a string the answer made up)
                    numbers[str(number)] = Listed(_text(item, *self._author), _text(item, *self._head),
                                                  _text(item, *self._target))
            if not self._more(headers):
                return numbers
        raise PlatformError(f"{self.api}: 開啟中的請求超過 {MAX_PAGES} 頁", en=f"{self.api}: more than {MAX_PAGES} pages of requests")

    _number = "number"
    _author = ("user", "login")  # where a listed request names who opened it
    _head, _target = ("head", "sha"), ("base", "ref")

    def _open_list(self, page: int) -> str:
        raise NotImplementedError

    def _more(self, headers) -> bool:
        raise NotImplementedError

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        return self._request(method, path, body)[0]

    def _request(self, method: str, path: str, body: dict | None = None, timeout: float = 60):
        """(the answer's JSON, its headers)."""
        import urllib.error  # (with http.client: a validation, which never asks the platform, does not load them)
        import urllib.request

        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.api + path, data=data, method=method,
                                         headers={**self._headers(), "Content-Type": "application/json",
                                                  "Accept": "application/json", "User-Agent": "licheng"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                raw, headers, status = response.read(), response.headers, response.status
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")
            try:
                detail = json.loads(detail).get("message", detail)
            except (ValueError, AttributeError):
                pass
            raise PlatformError(f"{method} {path}: HTTP {exc.code} {detail}", status=exc.code) from None
        except (urllib.error.URLError, OSError) as exc:
            zh, en = os_reason(exc)
            raise PlatformError(f"{self.api}: 無法連線（{zh}）", en=f"{self.api}: cannot connect ({en})") from None
        try:
            return (json.loads(raw) if raw.strip() else {}), headers
        except (ValueError, RecursionError):
            raise PlatformError(f"{method} {path}: 平臺的回應不是 JSON", en=f"{method} {path}: the platform's answer is no JSON",
                                status=status) from None


MAX_PAGES, LIST_TIMEOUT = 100, 20  # 10,000 open requests; seconds per page


class GitHub(Platform):
    kind = "github"

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}", "X-GitHub-Api-Version": "2022-11-28"}

    def _open_list(self, page: int) -> str:
        return f"/repos/{self.project}/pulls?state=open&per_page=100&page={page}"

    def _more(self, headers) -> bool:
        return 'rel="next"' in (headers.get("Link") or "")

    def approve(self, number: str, head: str) -> None:
        self._call("POST", f"/repos/{self.project}/pulls/{number}/reviews", {"event": "APPROVE", "commit_id": head})

    def merge(self, number: str, head: str) -> str:
        done = self._call("PUT", f"/repos/{self.project}/pulls/{number}/merge", {"merge_method": "merge", "sha": head})
        return str(done.get("sha") or "")


class GitLab(Platform):
    kind = "gitlab"

    def _headers(self) -> dict:
        return {"PRIVATE-TOKEN": self.token}

    def _mr(self, number: str) -> str:
        return f"/projects/{urllib.parse.quote(self.project, safe='')}/merge_requests/{number}"

    _number = "iid"  # (the project's own number, as in refs/merge-requests/{iid}/head)
    _author = ("author", "username")
    _head, _target = ("sha",), ("target_branch",)

    def _open_list(self, page: int) -> str:
        return f"/projects/{urllib.parse.quote(self.project, safe='')}/merge_requests?state=opened&per_page=100&page={page}"

    def _more(self, headers) -> bool:
        return bool((headers.get("X-Next-Page") or "").strip())

    def approve(self, number: str, head: str) -> None:
        self._call("POST", f"{self._mr(number)}/approve", {"sha": head})  # (refused unless it is the head now)

    def merge(self, number: str, head: str) -> str:
        done = self._call("PUT", f"{self._mr(number)}/merge", {"sha": head, "squash": False})
        return str(done.get("merge_commit_sha") or "")


def api_of(kind: str, url: str) -> tuple[str, str]:
    """The REST API's root and the project's path for a repository's web address."""
    parts = urllib.parse.urlsplit(url.rstrip("/"))
    project = parts.path.strip("/").removesuffix(".git")
    if kind == "github":
        api = "https://api.github.com" if parts.netloc == "github.com" else f"{parts.scheme}://{parts.netloc}/api/v3"
    else:
        api = f"{parts.scheme}://{parts.netloc}/api/v4"
    return api, project


SCHOOL_FILE = "records/school.yaml"


def committed(root) -> dict | None:
    """school.yaml's `platform` as main holds it (origin/main where the clone's main is behind it or
    has diverged from it); None where the clone has no main. The token goes there only: the working
    tree may hold a request a teacher checked out to look at, whose school.yaml names any address."""
    import subprocess

    from ..yaml import YamlProblem, load_bytes
    from .request import branch_ref, platform_branch

    for rev in dict.fromkeys(branch_ref(name) for name in (platform_branch(root, "main"), "main", "origin/main")):
        shown = subprocess.run(["git", "-C", str(root), "show", f"{rev}:{SCHOOL_FILE}"], capture_output=True)
        if shown.returncode == 0:
            try:
                data = load_bytes(shown.stdout)
            except YamlProblem:
                return {}
            platform = data.get("platform") if isinstance(data, dict) else None
            return platform if isinstance(platform, dict) else {}
    return None


def of_main(records) -> dict:
    """The platform the school's requests are on: school.yaml's `platform` as main holds it in the
    repository holding school.yaml (`committed`), else the working tree's where that repository has
    no main. Read once a run: the queue's links, which requests are open and certify's merges ask
    it, and the token goes to this platform only."""
    def read() -> dict:
        on_main = committed(records.root_of(SCHOOL_FILE))
        if on_main is not None:
            return on_main
        platform = records.school.get("platform")
        return platform if isinstance(platform, dict) else {}
    return records.memo("platform.of-main", read)


def connect(platform: dict, kind: str, environ=os.environ) -> Platform:
    """The school's platform (`of_main`'s), with the teacher's token from the environment."""
    if platform.get("kind") != kind or not platform.get("url"):
        raise PlatformError(f"school.yaml 的 platform 未設定為 {kind}（kind 與 url）",
                            en=f"school.yaml has no {kind} platform (kind and url)")
    api, project = api_of(kind, platform["url"])
    token = next((environ[v] for v in TOKEN_VARIABLES[kind] if environ.get(v)), "")
    if not token:
        raise PlatformError(f"請以環境變數 {' 或 '.join(TOKEN_VARIABLES[kind])} 提供您在平臺上的存取權杖",
                            en=f"set {' or '.join(TOKEN_VARIABLES[kind])} to your access token on the platform")
    return (GitHub if kind == "github" else GitLab)(platform.get("api") or api, project, token)
