"""A hosting platform on 127.0.0.1 that speaks the few REST endpoints `licheng certify` and the
queue use and merges for real in a bare repository, the way GitHub ("Create a merge commit":
authored by the token's user, committed by GitHub) and GitLab (authored and committed by the
merger) do. Its open requests are those with a head ref in the bare repository, neither merged
nor in `closed`, listed `page_size` a page (GitHub's Link: rel="next", GitLab's X-Next-Page)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GITHUB_ROUTE = re.compile(r"^/repos/(?P<project>[^/]+/[^/]+)/pulls/(?P<n>\d+)/(?P<action>reviews|merge)$")
GITLAB_ROUTE = re.compile(r"^/projects/(?P<project>[^/]+)/merge_requests/(?P<n>\d+)/(?P<action>approve|merge)$")
GITHUB_LIST = re.compile(r"^/repos/(?P<project>[^/]+/[^/]+)/pulls$")
GITLAB_LIST = re.compile(r"^/projects/(?P<project>[^/]+)/merge_requests$")


class Platform(ThreadingHTTPServer):
    def __init__(self, kind: str, bare, project: str, users: dict, at: str):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.kind, self.bare, self.project, self.users, self.at = kind, bare, project, users, at
        self.approved: set[str] = set()
        self.closed: set[str] = set()  # closed without a merge
        self.merged: set[str] = set()
        self.authors: dict[str, str] = {}  # request number -> who opened it (their user name)
        self.targets: dict[str, str] = {}  # request number -> the branch it is to be merged into (else main)
        self.approved_at: dict[str, str] = {}  # request number -> the head commit its approval names
        self.page_size = 100
        self.refusal = "Bad credentials"  # what it answers a token it does not know
        self.calls: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()

    def git(self, *args, env=None) -> str:
        done = subprocess.run(["git", "-C", str(self.bare), *args], capture_output=True, text=True,
                              env={**os.environ, **(env or {})})
        if done.returncode:
            raise RuntimeError(done.stderr)
        return done.stdout.strip()

    def open_requests(self, query: dict) -> tuple[list, dict]:
        """A page of the open requests, as GitHub's pulls?state=open or GitLab's merge_requests?state=opened
        lists them (newest first), and the header that says whether another page follows."""
        state = (query.get("state") or [""])[0]
        if state != ("open" if self.kind == "github" else "opened"):
            return [], {}
        folder = "pull" if self.kind == "github" else "merge-requests"
        listed = self.git("for-each-ref", "--format=%(refname) %(objectname)", f"refs/{folder}").splitlines()
        heads = {ref.split("/")[2]: sha for ref, sha in (line.split() for line in listed) if ref.endswith("/head")}
        numbers = sorted((int(n) for n in heads if n not in self.closed | self.merged), reverse=True)
        size, page = min(int(query.get("per_page", ["30"])[0]), self.page_size), int(query.get("page", ["1"])[0])
        chosen = numbers[(page - 1) * size:page * size]
        more = len(numbers) > page * size
        if self.kind == "github":
            items = [{"number": n, "state": "open", "head": {"sha": heads[str(n)]},
                      "base": {"ref": self.targets.get(str(n), "main")},
                      "user": {"login": self.authors.get(str(n))}} for n in chosen]
            return items, ({"Link": f'<{self.url}/next>; rel="next"'} if more else {})
        items = [{"iid": n, "state": "opened", "sha": heads[str(n)], "target_branch": self.targets.get(str(n), "main"),
                  "author": {"username": self.authors.get(str(n))}} for n in chosen]
        return items, {"X-Next-Page": str(page + 1) if more else ""}

    def merge(self, n: str, sha: str, user: tuple[str, str]) -> tuple[int, dict]:
        ref = f"refs/pull/{n}/head" if self.kind == "github" else f"refs/merge-requests/{n}/head"
        head = self.git("rev-parse", ref)
        if sha and sha != head:
            return 409, {"message": "Head branch was modified. Review and try the merge again."}
        target = f"refs/heads/{self.targets.get(n, 'main')}"
        main = self.git("rev-parse", target)
        if self.git("merge-base", main, head) == head:
            return 405, {"message": "Pull Request is not mergeable (already merged)"}
        tree = self.git("merge-tree", "--write-tree", main, head).split()[0]
        committer = ("GitHub", "noreply@github.com") if self.kind == "github" else user
        env = {"GIT_AUTHOR_NAME": user[0], "GIT_AUTHOR_EMAIL": user[1], "GIT_AUTHOR_DATE": self.at,
               "GIT_COMMITTER_NAME": committer[0], "GIT_COMMITTER_EMAIL": committer[1], "GIT_COMMITTER_DATE": self.at}
        message = (f"Merge pull request #{n} from student/mr-{n}" if self.kind == "github"
                   else f"Merge branch 'mr-{n}' into 'main'\n\nSee merge request school/portfolio!{n}")
        merged = self.git("commit-tree", tree, "-p", main, "-p", head, "-m", message, env=env)
        self.git("update-ref", target, merged, main)
        self.merged.add(n)
        return 200, ({"sha": merged, "merged": True} if self.kind == "github"
                     else {"merge_commit_sha": merged, "state": "merged"})


class _Handler(BaseHTTPRequestHandler):
    server: Platform

    def log_message(self, *args):  # quiet
        pass

    def _reply(self, status: int, body, headers: dict | None = None) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def _handle(self, method: str) -> None:
        server = self.server
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        token = (self.headers.get("Authorization", "").removeprefix("Bearer ") if server.kind == "github"
                 else self.headers.get("PRIVATE-TOKEN", ""))
        user = server.users.get(token)
        if user is None:
            return self._reply(401, {"message": server.refusal})
        project = server.project if server.kind == "github" else urllib.parse.quote(server.project, safe="")
        if method == "GET":
            path, _, query = self.path.partition("?")
            listing = (GITHUB_LIST if server.kind == "github" else GITLAB_LIST).match(path)
            if not listing or listing["project"] != project:
                return self._reply(404, {"message": "Not Found"})
            with server.lock:
                server.calls.append((method, self.path))
                return self._reply(200, *server.open_requests(urllib.parse.parse_qs(query)))
        route = (GITHUB_ROUTE if server.kind == "github" else GITLAB_ROUTE).match(self.path)
        if not route or route["project"] != project:
            return self._reply(404, {"message": "Not Found"})
        n, action = route["n"], route["action"]
        with server.lock:
            server.calls.append((method, self.path))
            if action in ("reviews", "approve") and method == "POST":
                if server.kind == "github" and body.get("event") != "APPROVE":
                    return self._reply(422, {"message": "event must be APPROVE"})
                # the approval names a commit: GitHub's commit_id (default: the head now), GitLab's sha
                # (which must be the head now)
                head = server.git("rev-parse", f"refs/{'pull' if server.kind == 'github' else 'merge-requests'}/{n}/head")
                named = body.get("commit_id" if server.kind == "github" else "sha") or head
                if server.kind == "gitlab" and named != head:
                    return self._reply(409, {"message": "SHA does not match HEAD of source branch"})
                server.approved.add(n)
                server.approved_at[n] = named
                return self._reply(200, {"state": "APPROVED"})
            if action == "merge" and method == "PUT":
                if n not in server.approved:
                    return self._reply(405, {"message": "At least 1 approving review is required"})
                if server.kind == "github" and body.get("merge_method") != "merge":
                    return self._reply(422, {"message": "this repository allows merge commits only"})
                return self._reply(*server.merge(n, body.get("sha", ""), user))
        return self._reply(405, {"message": "Method Not Allowed"})

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")
