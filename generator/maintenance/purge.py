"""Deleting the records of students past retention (§8), and their traces in Git history.

`plan(records)` lists what goes: for every student whose leaving day (graduate,
transfer_out, withdraw) plus limits.retention_years lies before now — their student file,
outcome and performance folders (YAML and attachments), selections, and their entries in
the shared files: grades scores, cadre and counseling entries, working-group seats.
It changes nothing.

`apply(records, staff_id)` makes those changes in ONE commit authored by that staff member
(registration section or academic director/principal). Shared files are edited line by
line, every comment kept (generator.maintenance.entries).

`apply` refuses, before touching anything, a tree with uncommitted work, a detached HEAD or
a merge in progress (`check_ready`). A deleted file lives on in every earlier commit:
`rewrite_history(root, targets)` removes the students' own files and their own entries in
shared files from every commit, and nothing else (generator.maintenance.rewrite); in a split
school it runs in the registry and in its portfolio (`repository_roots`), each with its own
commit map and acknowledgements. Afterwards
the remote and every clone still hold the old history: see the README (force-push, every
clone re-clones, the host's support purges cached views and pull/merge-request refs).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..errors import LichengError
from ..records import enrollment
from ..git.history import PURGE_SUBJECT
from ..git.identity import fold, noreply_user, school_hosts
from .entries import SHARED_KINDS, PurgeItem, edit_shared, shared_entries

ALLOWED_ROLES = ("registration_chief", "registration_staff", "academic_director", "principal")
TRAILER = "Licheng-Purge: §8"  # marks the commit for readers of the history
SUBJECT = PURGE_SUBJECT
REMOVED = b"***REMOVED***"
ANONYMOUS = "已刪除 <removed@invalid>"


class PurgeRefused(LichengError, ValueError):
    """The repository or the committer is not ready for a purge (nothing was changed)."""


class PurgeFailed(LichengError, RuntimeError):
    """A tool the purge runs failed or is missing."""


def check_ready(root: Path) -> None:
    """Refuse, before anything is touched, a tree with uncommitted work, a detached HEAD or a merge,
    rebase, cherry-pick or revert in progress: a purge commits, and a rewrite resets the tree."""
    _git(root, "rev-parse", "--git-dir")
    if subprocess.run(["git", "-C", str(root), "symbolic-ref", "-q", "HEAD"], capture_output=True).returncode:
        raise PurgeRefused("HEAD 不在分支上（detached HEAD）；請先 git switch main", en="HEAD is detached: switch to main first")
    for marker in ("MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "rebase-merge", "rebase-apply"):
        path = Path(_git(root, "rev-parse", "--git-path", marker))
        if (path if path.is_absolute() else root / path).exists():
            raise PurgeRefused(f"尚有進行中的合併或重定基底（{marker}）；請先完成或中止",
                               en=f"a merge or rebase is in progress ({marker}): finish or abort it first")
    dirty = _git(root, "status", "--porcelain", "--untracked-files=normal")
    if dirty:
        raise PurgeRefused("工作目錄有尚未提交的變更；請先提交或移走：\n" + dirty,
                           en="uncommitted changes: commit or move them first:\n" + dirty)


@dataclass
class HistoryTargets:
    """What rewrite_history removes: the students' files and entries, and their identities."""

    students: list[str] = field(default_factory=list)  # their numbers: their files and entries go
    paths: list[str] = field(default_factory=list)  # globs of their own files (their LFS objects are found by them)
    values: list[str] = field(default_factory=list)  # names and IDs, removed from commit messages only
    emails: list[str] = field(default_factory=list)  # the students' commit identities
    logins: list[tuple[str, str]] = field(default_factory=list)  # (platform, user name): their no-reply identities
    hosts: tuple = ()  # the school's own platform host, whose no-reply addresses count too


def _add_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def expired(records) -> list[str]:
    """Student numbers whose retention period (§8) ended before now."""
    years = int(records.limits["retention_years"])
    out = []
    for no, student in sorted(records.students.items()):
        left = enrollment.left_on(student, records.tz)
        if left is not None and _add_years(left, years) < records.now:
            out.append(no)
    return out


def plan(records) -> list[PurgeItem]:
    """Every file and shared-file entry of the students past retention; changes nothing."""
    gone = set(expired(records))
    items: list[PurgeItem] = []
    for doc in records.documents:
        no = doc.keys.get("student")
        if doc.kind in ("student", "outcome", "performance", "selection") and no in gone:
            items.append(PurgeItem(doc.path, no, "file", doc.kind))
    folders = {item.path.rsplit("/", 1)[0] + "/": item.student for item in items
               if item.kind in ("outcome", "performance")}
    for path in sorted(records.files):
        folder = path.rsplit("/", 1)[0] + "/"
        if folder in folders:
            items.append(PurgeItem(path, folders[folder], "file", "attachment"))
    for kind in SHARED_KINDS:
        for doc in records.valid(kind):
            items += shared_entries(doc, gone)
    return sorted(items, key=lambda i: (i.path, i.line or 0))


# -- the commit -------------------------------------------------------------------------------

def _git(root: Path, *args: str, env: dict | None = None, stdin: bytes | None = None) -> str:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, input=stdin,
                          env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout.decode("utf-8", "surrogateescape").strip()  # paths as Git stores them


def identity(records, staff_id: str) -> tuple[str, str]:
    person = records.staff.get(staff_id)
    if person is None:
        raise PurgeRefused(f"{staff_id}: staff.yaml 中沒有這位教職員", en=f"{staff_id}: not in staff.yaml")
    if not any(role in person.get("roles", ()) for role in ALLOWED_ROLES):
        raise PurgeRefused(f"{staff_id}: 刪除逾期資料須具下列角色之一：{'、'.join(ALLOWED_ROLES)}",
                           en=f"{staff_id}: purging needs one of the roles {', '.join(ALLOWED_ROLES)}")
    if not person.get("git"):
        raise PurgeRefused(f"{staff_id}: staff.yaml 中沒有提交身分（git 電子郵件）",
                           en=f"{staff_id}: no git identity (email) in staff.yaml")
    return person["name"], person["git"][0]


def apply(records, staff_id: str) -> str:
    """Remove everything plan() lists in one commit by `staff_id`; the commit's id ("" when nothing)."""
    name, email = identity(records, staff_id)
    items = plan(records)
    if not items:
        return ""
    by_root: dict[Path, list[PurgeItem]] = {}
    for item in items:  # a registry's purge also removes the students' work and roster rows from its portfolio
        by_root.setdefault(Path(records.root_of(item.path)), []).append(item)
    for root in by_root:  # every repository clean before any is touched
        _git(root, "rev-parse", "--git-dir")
        paths = sorted({i.path for i in by_root[root]})
        dirty = _git(root, "status", "--porcelain", "--", *paths)
        if dirty:
            raise PurgeRefused("要刪除的檔案有尚未提交的變更；請先提交或捨棄：\n" + dirty,
                               en="uncommitted changes in files to purge; commit or discard them first:\n" + dirty)
    shas = [_apply_in(root, records, by_root[root], name, email) for root in by_root]
    return shas[0]


def _apply_in(root: Path, records, items: list[PurgeItem], name: str, email: str) -> str:
    """One commit removing `items` from the repository at `root`."""
    files = sorted({i.path for i in items if i.what == "file"})
    shared: dict[str, list[PurgeItem]] = {}
    for item in items:
        if item.what == "entry":
            shared.setdefault(item.path, []).append(item)
    check_ready(root)  # before anything is touched
    tracked = set(filter(None, _git(root, "ls-files", "-z", "--", *files).split("\0")))
    docs = {doc.path: doc for doc in records.documents}
    for path, entries in shared.items():
        text = (root / path).read_bytes().decode("utf-8-sig")
        new, _, _ = edit_shared(text, docs[path].data, entries)
        (root / path).write_text(new, "utf-8")
    for path in files:
        (root / path).unlink(missing_ok=True)
    for folder in sorted({str(Path(p).parent) for p in files}, key=len, reverse=True):
        try:
            (root / folder).rmdir()
        except OSError:
            pass
    paths = sorted(tracked) + sorted(shared)
    _git(root, "add", "-A", "--", *paths)
    students = sorted({i.student for i in items})
    message = (f"{SUBJECT}（{len(students)} 位）\n\n"
               f"刪除 {len(files)} 個檔案，並自 {len(shared)} 個共用檔刪除該生項目。\n\n{TRAILER}\n")
    when = records.now.isoformat()
    env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name,
           "GIT_COMMITTER_EMAIL": email, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    _git(root, "commit", "-q", "--no-verify", "-m", message, "--", *paths, env=env)
    return _git(root, "rev-parse", "HEAD")


# -- history ------------------------------------------------------------------------------------

def history_targets(records, items: list[PurgeItem] | None = None) -> HistoryTargets:
    """What rewrite_history erases for the students of `items` (default: plan()); compute it BEFORE apply."""
    items = plan(records) if items is None else items
    targets = HistoryTargets(hosts=school_hosts(records.school))
    for no in sorted({i.student for i in items}):
        student = records.students.get(no) or {}
        targets.students.append(no)
        targets.paths += [f"records/students/{no}.yaml", f"records/outcomes/*/{no}/*",
                          f"records/performances/*/{no}/*", f"records/selections/*/{no}.yaml"]
        targets.values += [str(v) for v in (student.get("national_id"), student.get("name")) if v]
        targets.emails += list(student.get("git") or ())
        targets.logins += [(platform, fold(student[platform])) for platform in ("github", "gitlab")
                           if isinstance(student.get(platform), str) and student[platform].strip()]
    targets.values = sorted(set(targets.values), key=len, reverse=True)  # longest first
    return targets


def repository_roots(records) -> list[Path]:
    """The Git repositories a purge changes: the one it runs in first, then (in a registry) its portfolio."""
    roots: list[Path] = []
    for repo in records.holders.repositories:
        root = Path(repo.root).resolve()
        if root not in roots and (root / ".git").exists():
            roots.append(root)
    return roots


def remotes(root: Path) -> dict[str, str]:
    """name -> URL of the repository's remotes (git-filter-repo removes `origin`: the school re-adds it)."""
    names = _git(root, "remote").split()  # a token in an https URL is never printed
    return {name: re.sub(r"(//)[^/@]*@", r"\1", _git(root, "remote", "get-url", name)) for name in names}


def filter_repo_command() -> list[str]:
    """git-filter-repo, located now (it is needed by rewrite_history only)."""
    found = shutil.which("git-filter-repo") or shutil.which("git-filter-repo", path=str(Path(sys.executable).parent))
    if found:
        return [found]
    try:
        import git_filter_repo  # noqa: F401
    except ImportError:
        raise PurgeFailed("沒有安裝 git-filter-repo：pip install git-filter-repo（或 apt-get install git-filter-repo）",
                          en="git-filter-repo is not installed: pip install git-filter-repo "
                             "(or apt-get install git-filter-repo)") from None
    return [sys.executable, "-m", "git_filter_repo"]


def noreply_emails(root: Path, logins: list[tuple[str, str]], hosts: tuple = ()) -> list[str]:
    """The platform no-reply addresses of `logins` that author or commit anything in `root`'s
    history (GitHub's carry an account number no record holds: `80412345+login@users.noreply…`)."""
    wanted = set(logins)
    seen = set(_git(root, "log", "--all", "--format=%ae%n%ce").splitlines()) if wanted else set()
    return sorted(email for email in seen if noreply_user(email, hosts) in wanted)


# trailers that name a person as "name <address>" (git's and the platforms'): her account as the name
TRAILERS = ("co-authored-by", "signed-off-by", "reviewed-by", "acked-by", "tested-by", "reported-by",
            "suggested-by", "helped-by", "approved-by")


def _where_logins_are(login: str, hosts: tuple = ()) -> list[str]:
    """Where a message names a platform account (`login`, escaped): only there is it erased, never
    a word that merely reads the same (a login "chen" leaves "Chen" in a sentence, and the start
    of someone else's address or user name: huang in huang.shufen@…, huang-li). The places: a
    no-reply address (with its account number, 80412345+ or 7654321-), an @mention, a branch in a
    merge message ("from login/branch" or "from login:branch", "Merge branch 'login/…'"), a whole
    segment of a branch or a path (from school/login/essay), the web editors' branch names
    (login-patch-1, login-main-patch-58342), a trailer's name (Co-authored-by, Signed-off-by, …),
    and a link to the account on its platform (https://github.com/login, git pull's
    github.com:login/portfolio). A login no word reads like (with a digit, - or _: zheng-yazhu)
    is her name or number spelt out, so it goes as a word too."""
    alone = r"(?![0-9A-Za-z_-])"
    sites = sorted({"github.com", "gitlab.com", *(host for _, host in hosts if host)})
    word = [rf"(?i)(?<![0-9A-Za-z_.+-]){login}(?![0-9A-Za-z_-]|\.[0-9A-Za-z])"] if re.search(r"[0-9_-]", login) else []
    return [
        *word,
        rf"(?i)(?<![0-9A-Za-z_.+-])(?:\d+[+-])?{login}(?=@users\.noreply\.)",
        rf"(?i)(?<=@)(?<![0-9A-Za-z_.+-]@){login}{alone}",
        rf"(?i)(?<=from ){login}(?=[/:][0-9A-Za-z_.-])",
        rf"(?i)(?<=branch '){login}(?=[/:])",
        rf"(?i)(?<=/){login}(?=/)",
        rf"(?i)(?<![0-9A-Za-z_.-]){login}(?=-(?:main-|master-)?patch-\d)",
        *(rf"(?im)(?<=^{trailer}: ){login}(?= <)" for trailer in TRAILERS),
        *(rf"(?i)(?<={re.escape(site)}[/:]){login}{alone}" for site in sites),
    ]


def _message_expressions(targets: HistoryTargets, emails: list[str]) -> bytes:
    """Commit messages only: the students' names, IDs, emails, numbers and platform user names
    (files are edited by path)."""
    lines = [f"literal:{value}==>{REMOVED.decode()}" for value in [*targets.values, *emails] if "\n" not in value]
    lines += [rf"regex:(?<![0-9A-Za-z]){re.escape(no)}(?![0-9A-Za-z])==>{REMOVED.decode()}" for no in targets.students]
    lines += [rf"regex:{pattern}==>{REMOVED.decode()}" for _, login in sorted(set(targets.logins))
              for pattern in _where_logins_are(re.escape(login), targets.hosts)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def rewrite_history(root: Path, targets: HistoryTargets) -> tuple[Path, bool]:
    """Erase the purged students' own files and entries from every commit of every ref in `root`
    (see generator.maintenance.rewrite); (the commit map's path, acknowledgements re-keyed)."""
    from .rewrite import rewrite_history as run

    root = Path(root)
    check_ready(root)
    command = filter_repo_command()
    emails = [*targets.emails, *noreply_emails(root, targets.logins, targets.hosts)]
    mailmap = "".join(f"{ANONYMOUS} <{email}>\n" for email in emails)
    done = run(root, targets.students, _message_expressions(targets, emails), mailmap, command)
    _git(root, "reflog", "expire", "--expire=now", "--all")
    _git(root, "gc", "-q", "--prune=now")
    return done
