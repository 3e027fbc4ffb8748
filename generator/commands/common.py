"""What every command shares: the school's root folder, "now", and the common options."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from .. import dates, layout
from ..errors import LichengError, RepositoryError, UsageError, printable
from ..names import zh_or_en
from ..yaml import YamlProblem, load_bytes


def say(args, zh: str, en: str, **print_options) -> None:
    """Print a line of a command's output in the run's language (--lang)."""
    print(zh_or_en(getattr(args, "lang", None), zh, en), **print_options)


class Formatter(argparse.HelpFormatter):
    """argparse's, told the terminal's width as shutil.get_terminal_size finds it: argparse makes a
    formatter for every option it adds, and its own way imports shutil (and with it bz2 and lzma,
    ~6 ms of every run) to ask."""

    def __init__(self, prog: str):
        super().__init__(prog, width=_columns() - 2)


def _columns() -> int:
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class BadValue(argparse.ArgumentTypeError):
    """A command-line value our own argument types refuse: the Chinese message, and its English
    (the parser's complaint picks one, see cli.parse_error)."""

    def __init__(self, zh: str, en: str):
        super().__init__(zh)
        self.en = en


def options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False, formatter_class=Formatter)
    common.add_argument("-C", "--repo", help="學校資料庫的根目錄（預設為目前目錄）/ the school repository")
    common.add_argument("--now", help="把「現在」設為此時間（預設 SOURCE_DATE_EPOCH 或時鐘）/ the time taken as now")
    common.add_argument("--portfolio", metavar="DIR",
                        help="學籍資料庫（registry）所對應的學習歷程資料庫 / the registry's portfolio (default: registry.yaml's)")
    common.add_argument("--lang", choices=["zh-TW", "en"], default="zh-TW", help="訊息語言 / message language")
    return common


def school_root(given: str | None) -> Path:
    root = Path(given or os.getcwd()).resolve()
    if given and not root.is_dir():
        raise RepositoryError(f"-C {given}: 不是資料夾", en=f"-C {given}: not a folder")
    for top in ("records", "schedules"):
        if (root / top).is_symlink():
            raise RepositoryError(f"{root / top}: 是符號連結，licheng 不會跟隨；請放入實際的資料夾",
                                  en=f"{root / top}: a symbolic link, which licheng never follows: put the folder itself there")
    if not (root / "records").is_dir():
        raise RepositoryError(f"{root}: 找不到 records/ 資料夾，這不是學校的歷程資料庫",
                              en=f"{root}: no records/ folder: not a school repository")
    return root


def shown(path: Path) -> str:
    """A path as a user can open it from where they run licheng: relative to the working folder when
    it lies beneath it, else absolute."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):  # (elsewhere, or the working folder is gone)
        return str(path)


def now(root: Path, given: str | None):
    """The run's "now" in the school's timezone (school.yaml read on its own: this is cheap)."""
    try:
        school = load_bytes((root / "records/school.yaml").read_bytes())
    except (OSError, YamlProblem):
        school = None
    zone = school.get("timezone") if isinstance(school, dict) else None
    return dates.resolve_now(given, dates.zone(zone if isinstance(zone, str) else None))


def school_records(root: Path, given_now: str | None, *, with_history: bool = True, portfolio=None,
                   ask_platform: bool = False, use_cache: bool = False, shared=None):
    """The school's records (every repository a run on `root` reads) and (in Git) their
    histories, without running the rules: for the verbs that read the school rather than
    judge it (inbox, status, certify, codeowners). `ask_platform`: which requests are open, as
    the platform says (generator.git.openness); `use_cache`: read with licheng's cache, as
    validate does; `shared`: what the run's later validations share (generator.validate.Shared)."""
    from ..validate import school

    return school(root, given_now, portfolio=portfolio, with_history=with_history, ask_platform=ask_platform,
                  use_cache=use_cache, shared=shared)


def staff_member(records, given: str | None, root: Path, option: str = "--as") -> str:
    """The staff id of --as, else of the Git identity configured here (user.email)."""
    import subprocess

    from ..errors import UsageError

    if given:
        if given not in records.staff:
            named = sorted(sid for sid, person in records.staff.items()
                           if isinstance(person, dict) and str(person.get("name") or "").strip() == given.strip())
            if named:  # a teacher types her name: tell her the id it stands for
                raise UsageError(f"{option} {given}：請用教職員代號，不是姓名（{given} 的代號：{'、'.join(named)}）",
                                 en=f"{option} {given}: give the staff id, not the name ({given}: {', '.join(named)})")
            raise UsageError(f"{option} {given}：staff.yaml 中沒有這位教職員",
                             en=f"{option} {given}: no such staff member in staff.yaml")
        return given
    email = subprocess.run(["git", "-C", str(root), "config", "user.email"], capture_output=True, text=True).stdout
    staff_id = records.identities.staff_id(email.strip()) if email.strip() else None
    if not staff_id:
        raise UsageError("請以 --as 指定教職員代號（本機 Git 的 user.email 不屬於任何教職員）",
                         en="give --as STAFF_ID (git user.email here is no staff member's)")
    return staff_id


def default_via(records) -> str:
    """How certify merges without --via: through the platform main's school.yaml names (a
    checked-out request's says nothing here), else — no platform, or a kind licheng does not know
    (the schema names it an error) — on a local batch branch. The queue's verdicts and certify's
    merges both ask this one decision."""
    from ..git import openness
    from ..git.platform import of_main

    kind = of_main(records).get("kind")
    return kind if kind in openness.FOLDERS else "local"


def queue(records, staff_id: str, *, check: bool, shared=None, use_cache: bool = True, via: str | None = None,
          course: str | None = None) -> list:
    """The teacher's queue, most urgent first: (entry, request, why it is not ready for her one
    merge or None; generator.review.ready), as inbox, status --teacher and certify show it. With
    `check`, each request's merge-request check runs too (main's tip validated once, through
    `shared`): certify must know it before merging; the others show what the queue itself tells."""
    from ..git import requests as mr
    from ..review.ready import refusal
    from ..site.queue import entries

    via = via or default_via(records)
    by_ref = {r.ref: r for r in mr.pending_requests(records)}
    return [(e, by_ref[e.ref], refusal(records, by_ref[e.ref], staff_id, course=course, via=via, shared=shared,
                                       use_cache=use_cache, check=check))
            for e in entries(records, staff_id)
            if not course or any(o.course == course for o in by_ref[e.ref].outcomes)]


CHECK_HELP = "也在本機重跑每件請求的合併請求檢查（如 certify；較慢）/ also rerun each request's merge-request check here (as certify does; slower)"


UNCHECKED = {
    "zh-TW": "以上未在本機重跑各請求的合併請求檢查：請看它在平臺上的 CI 結果，或加上 --check（certify 合併前一定會檢查）。",
    "en": "The requests' merge-request checks were not rerun here: see each one's CI result on the platform, "
          "or add --check (certify always checks before it merges).",
}


def queue_text(records, staff_id: str, queue, lang: str = "zh-TW", checked: bool = True) -> str:
    """The queue (`queue`'s list) as inbox and status --teacher show it: the requests ready to certify,
    then those that are not, each with why; unless `checked`, a line saying the checks did not run."""
    from ..git import openness
    from ..names import class_label, in_lang

    en = lang == "en"
    when = dates.roc(records.now.astimezone(records.tz))
    who = records.staff_name(staff_id)
    found = openness.of(records)
    said = openness.note(found, lang) if queue or found.closed else ""  # (no caveat on an empty, unchecked queue)
    caveat = said + "\n" if said else ""
    if not queue:
        return (f"{who}: nothing to certify now ({when})\n" if en
                else f"{who}老師目前沒有待認證的合併請求（{when}）\n") + caveat
    ready = [(e, None) for e, _, why in queue if why is None]
    waiting = [(e, why) for e, _, why in queue if why is not None]
    if not checked:
        caveat = in_lang(UNCHECKED, lang) + "\n" + caveat
    if en:
        more = f"; {len(waiting)} more not ready yet, listed after them" if waiting else ""
        lines = [f"{who}: {len(ready)} request(s) to certify, most urgent first{more} ({when})"]
    else:
        more = f"；另有 {len(waiting)} 件尚不能認證，列於其後" if waiting else ""
        lines = [f"{who}老師可認證的合併請求 {len(ready)} 件，依急迫程度排列{more}（{when}）"]
    for i, (e, why) in enumerate(ready + waiting, 1):
        number = printable(e.named(lang))
        role = (" (as delegate on duty)" if en else "（值勤代理）") if e.delegate else ""
        klass = f"class {e.cls}" if en else class_label(e.cls)
        lines.append("")
        sep = ", " if en else "、"
        lines.append(printable(f"{i:>2}. {number}  {klass} {e.student}  {sep.join(e.courses)}{role}", None))
        titles = [printable(t) for t in e.titles]  # the student's words: no escape sequence reaches the terminal
        lines.append("    \u201c" + "\u201d \u201c".join(titles) + "\u201d" if en else f"    「{'」「'.join(titles)}」")
        if en:
            left = "—" if e.days_left is None else (f"{-e.days_left} day(s) overdue" if e.days_left < 0
                                                      else f"{e.days_left} day(s) left")
            deadline = f", certify by {e.deadline}, {left}" if e.deadline else ""
            lines.append(f"    uploaded {e.uploaded}{deadline}")
        else:
            deadline = f"，認證截止 {e.deadline}，{e.left}" if e.deadline else ""
            lines.append(f"    上傳 {e.uploaded}{deadline}")
        if why is not None:
            said = why.text(lang).replace("\n", "\n      ")  # (Git's words of several lines, indented)
            lines.append(f"    ✗ not ready: {said}" if en else f"    ✗ 尚不能認證：{said}")
        lines.append(f"    {printable(e.link or e.ref)}")
    return "\n".join(lines) + "\n" + ("\n" + caveat if caveat else "")


# argparse types: a bad value exits 2 with argparse's own "invalid … value" message
def semester(value: str) -> str:
    if not layout.is_semester(value):
        raise BadValue(f"{value}: 學期應寫成「學年-1」或「學年-2」，例如 115-1", f"{value}: a semester reads like 115-1")
    return value


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise BadValue(f"{value}: 應為正整數", f"{value}: not a positive whole number")
    return number


def address(value: str) -> str:
    """HOST:PORT for the preview server, checked as MkDocs checks it (its own complaint exits 1)."""
    import ipaddress

    host, _, port = value.rpartition(":")
    try:
        if host != "localhost":
            ipaddress.ip_address(host[1:-1] if host.startswith("[") and host.endswith("]") else host)
        good = port.isdigit() and 0 < int(port) < 65536
    except ValueError:
        good = False
    if not good:
        raise BadValue(f"{value}: 應寫成「IP:連接埠」，例如 127.0.0.1:8000", f"{value}: must be IP:PORT, e.g. 127.0.0.1:8000")
    return value


def revision(root: Path, rev: str) -> str:
    """A Git revision that names a commit of `root`, as its full id; UsageError otherwise."""
    if rev.startswith("-"):
        raise UsageError(f"--rev {rev}: Git 版本不可用「-」開頭", en=f"--rev {rev}: a revision cannot start with '-'")
    proc = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", "--end-of-options",
                           f"{rev}^{{commit}}"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise UsageError(f"--rev {rev}: 在 {root} 的 Git 歷史中找不到這個版本", en=f"--rev {rev}: no such commit in {root}")
    return proc.stdout.strip()


def refuse_links(root: Path, path: Path, what: str) -> None:
    """Where licheng writes inside a school's repository: never through a symbolic link the
    repository holds. A request can commit `site`, `gl-code-quality-report.json` or `.github` as a
    link to anywhere; a build that follows `site` empties the folder it points at (MkDocs cleans its
    output folder), a report written through a link overwrites any file the job may write.

    LichengError when `path` (absolute, not resolved) lies in the repository at `root` and a
    link stands on its way: on a folder beneath `root`, or on `path` itself. A path outside the
    repository is the operator's own: its links are followed."""
    try:
        inside = Path(os.path.abspath(path)).relative_to(root)
    except ValueError:
        return
    step = root
    for part in inside.parts:
        step = step / part
        if step.is_symlink():
            raise LichengError(f"{what} {path}：{step} 是儲存庫裡的符號連結，licheng 不會跟隨；請刪除它或另選位置",
                               en=f"{what} {path}: {step} is a symbolic link in the repository, never followed;"
                                  " remove it or choose another place")


def out_folder(given: str, option: str = "--out", root: Path | None = None) -> Path:
    """A folder to write into: it may not exist yet, but it may not be a file (or lead through one),
    nor, in the school's repository at `root`, a symbolic link the repository holds (or lead through one)."""
    if root is not None:
        refuse_links(root, Path(os.path.abspath(given)), option)
    path = Path(given).resolve()
    for part in (path, *path.parents):
        if part.exists() and not part.is_dir():
            raise UsageError(f"{option} {given}: {part} 是檔案，不是資料夾", en=f"{option} {given}: {part} is a file, not a folder")
    return path
