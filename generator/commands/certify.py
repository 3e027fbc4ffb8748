"""`licheng certify`: a teacher certifies many pending requests at once.

--via github|gitlab: the platform approves and merges each request for the teacher (one merge
per request, made by the platform, authored by the teacher). --via local: one branch merging
them all, which the teacher pushes and merges as one request (§5.3.2: that merge certifies
everything it brings). --renote adds a teacher_note change for each outcome of the teacher's
courses that someone else merged, so the teacher's merge re-certifies it.
"""

from __future__ import annotations

import sys

from .. import dates, duty
from ..errors import UsageError
from ..git import requests as mr
from ..git.certification import UNCERTIFIED


def add_arguments(parser) -> None:
    parser.add_argument("--as", dest="staff", metavar="STAFF_ID", help="教職員代號 / staff id")
    parser.add_argument("--course", metavar="CODE", help="只認證這門課程的成果 / only this course's outcomes")
    parser.add_argument("--all", action="store_true", help="認證所有可認證的請求 / every request I may certify")
    parser.add_argument("--via", choices=["github", "gitlab", "local"],
                        help="由平臺逐件合併，或建立一個批次分支（預設依 school.yaml 的 platform）/ how to merge")
    parser.add_argument("--renote", action="store_true",
                        help="為他人合併的成果更新教師附註以重新認證（批次分支）/ re-certify through teacher_note")
    parser.add_argument("--branch", help="批次分支名稱 / the batch branch's name (--via local)")


def _refusal(records, request, staff_id: str, course: str | None, bases: dict) -> str:
    """Why `staff_id` may not certify `request` now ("" when they may)."""
    from ..site.queue import _name

    others = [o for o in request.outcomes if staff_id not in o.certifiers]
    if others:
        who = "、".join(sorted({_name(records, p) for o in others for p in o.certifiers[:1]})) or "（無人值勤）"
        return f"其中有不屬於您目前可認證課程的成果（應由{who}認證）；請學生分開提出合併請求"
    if course and any(o.course != course for o in request.outcomes):
        return f"其中有 {course} 以外課程的成果"
    folders = {o.path.rsplit("/", 1)[0] + "/" for o in request.outcomes}
    stray = [p for p in request.paths if not p.startswith(tuple(folders))]
    if stray:
        return f"請求也變更了成果以外的檔案（{'、'.join(stray[:3])}），不能以認證合併"
    from ..errors import LichengError
    from ..git.request import of_head
    from ..review.check import check

    try:
        _, result, _ = check(records.root, records.now.isoformat(), of_head(records.root, request.head),
                             use_cache=True, bases=bases)
    except LichengError as exc:
        return str(exc)
    errors = [f for f in result.findings if f.fails]
    if errors:
        first = errors[0]
        return f"合併請求檢查有 {len(errors)} 個錯誤，例如 {first.path}:{first.line} {first.message()}"
    return ""


def _renotes(records, staff_id: str, course: str | None) -> dict[str, str]:
    """Outcomes on main of courses `staff_id` certifies now that are not certified: path -> new text."""
    from ..git.batch import renoted
    from .common import name_of

    note = f"{name_of(records, staff_id)}於{dates.roc(records.now.astimezone(records.tz))}重新認證"
    out = {}
    for path, o in sorted(records.certification.outcomes.items()):
        if o.state != UNCERTIFIED or (course and o.course != course):
            continue
        if staff_id in duty.on_duty(records, "certification", records.now, scope=o.course, semester=o.semester):
            out[path] = renoted((records.root / path).read_text("utf-8"), note)
    return out


def run(args) -> bool:
    from ..site.queue import entries
    from .common import school_records, school_root, staff_member

    root = school_root(args.repo)
    records = school_records(root, args.now)
    staff_id = staff_member(records, args.staff, root)
    via = args.via or (records.school.get("platform") or {}).get("kind") or "local"
    if args.renote and via != "local":
        raise UsageError("--renote 會建立批次分支，請與 --via local 併用 / --renote needs --via local")
    shown = {e.ref: e for e in entries(records, staff_id)}
    mine = [r for r in mr.pending_requests(records) if r.ref in shown]
    if args.course:
        mine = [r for r in mine if any(o.course == args.course for o in r.outcomes)]
    chosen, refused, bases = [], [], {}
    for request in mine:
        reason = _refusal(records, request, staff_id, args.course, bases)
        (refused if reason else chosen).append((request, reason))
    notes = _renotes(records, staff_id, args.course) if args.renote else {}
    for request, reason in refused:
        print(f"✗ {_label(shown[request.ref])}：不予認證：{reason}")
    if not (args.all or args.course):
        for request, _ in chosen:
            print(f"・{_label(shown[request.ref])}")
        for path in notes:
            print(f"・重新認證 {path}")
        print(f"可認證 {len(chosen)} 件；加上 --all（或 --course 課程代碼）即以 --via {via} 認證")
        return not refused
    if via == "local":
        ok = _local(records, staff_id, args, chosen, notes, shown)
    else:
        ok = _platform(records, via, chosen, shown)
    return ok and not refused


def _label(entry) -> str:
    number = f"#{entry.number}" if entry.number else entry.ref
    return f"{number} {entry.cls}班 {entry.student} {'、'.join(entry.courses)}「{'」「'.join(entry.titles)}」"


def _platform(records, via: str, chosen, shown) -> bool:
    from ..git.platform import PlatformError, connect

    platform = connect(records.school, via)
    ok = True
    for request, _ in chosen:
        if not request.number:
            print(f"✗ {_label(shown[request.ref])}：平臺上沒有對應的合併請求編號（{request.ref}）")
            ok = False
            continue
        try:
            platform.approve(request.number)
            sha = platform.merge(request.number, request.head)
        except PlatformError as exc:
            print(f"✗ {_label(shown[request.ref])}：平臺拒絕：{exc}")
            ok = False
            continue
        print(f"✓ {_label(shown[request.ref])}：已核准並合併 {sha[:8]}")
    print("請執行 git pull 取得合併結果，再以 licheng validate 確認認證狀態")
    return ok


def _local(records, staff_id: str, args, chosen, notes, shown) -> bool:
    from ..git.batch import build, identity_env
    from .common import name_of

    person = records.staff[staff_id]
    emails = person.get("git") or []
    if not emails:
        raise UsageError(f"{name_of(records, staff_id)} 在 staff.yaml 中沒有 git 電子郵件 / no git email in staff.yaml")
    stamp = records.now.astimezone(records.tz)
    branch = args.branch or f"certify/{staff_id}-{stamp:%Y%m%d-%H%M}"
    env = identity_env(person.get("name") or staff_id, emails[0], stamp)
    batch = build(records.root, records.history.head, branch, [(r.ref, r.head) for r, _ in chosen], notes, env)
    for request, _ in chosen:
        if request.ref in batch.empty:
            print(f"✗ {_label(shown[request.ref])}：內容已在 main 上（以 squash 或 rebase 併入），合併它不會帶來任何變更，"
                  "也不算認證，未納入；請加上 --renote，以更新教師附註重新認證")
            continue
        mark = "✗" if request.ref in batch.conflicts else "✓"
        tail = "與其他請求衝突，未納入" if mark == "✗" else "已併入批次分支"
        print(f"{mark} {_label(shown[request.ref])}：{tail}")
    for path in batch.renoted:
        print(f"✓ 重新認證（更新 teacher_note）：{path}")
    if not batch.head:
        print("沒有可認證的請求")
        return not batch.conflicts and not batch.empty
    print(f"批次分支 {branch}（{batch.head[:8]}）已建立。請推送並自行合併這個請求（使用「Create a merge commit」）：")
    print(f"  git push origin {branch}")
    return not batch.conflicts and not batch.empty


__all__ = ["run", "add_arguments"]
