"""`licheng certify`: a teacher certifies many pending requests at once.

--via github|gitlab: the platform approves and merges each request for the teacher (one merge
per request, made by the platform, authored by the teacher). --via local: one branch merging
them all, which the teacher pushes and merges as one request (§5.3.2: that merge certifies
everything it brings). --renote adds a teacher_note change for each outcome of the teacher's
courses that someone else merged, so the teacher's merge re-certifies it.
"""

from __future__ import annotations


from .. import dates, duty
from ..errors import LichengError, UsageError, printable
from ..git import openness
from ..git.certification import UNCERTIFIED
from ..names import class_label, in_lang, merge_method


def add_arguments(parser) -> None:
    parser.add_argument("--as", dest="staff", metavar="STAFF_ID", help="教職員代號 / staff id")
    parser.add_argument("--course", metavar="CODE", help="只認證這門課程的成果 / only this course's outcomes")
    parser.add_argument("--all", action="store_true", help="認證所有可認證的請求 / every request I may certify")
    parser.add_argument("--via", choices=["github", "gitlab", "local"],
                        help="由平臺逐件合併，或建立一個批次分支（預設依 school.yaml 的 platform）/ how to merge")
    parser.add_argument("--renote", action="store_true",
                        help="為他人合併的成果更新教師附註以重新認證（批次分支）/ re-certify through teacher_note")
    parser.add_argument("--branch", help="批次分支名稱 / the batch branch's name (--via local)")
    parser.add_argument("--no-cache", action="store_true", help="不使用快取 / ignore the cache")


WORDS = {
    "zh-TW": {
        "refused": "✗ {label}：不予認證：{reason}",
        "renote": "重新認證 {path}",
        "may": "可認證 {n} 件；加上 --all（或 --course 課程代碼）即以 --via {via} 認證",
        "no_number": "✗ {label}：平臺上沒有對應的合併請求編號（{ref}）",
        "unlisted": "✗ {label}：平臺未列出這個請求為開啟中，未合併",
        "moved": "✗ {label}：學生在您取得後又更新了這個請求（平臺上是 {now}，您檢查的是 {checked}），未合併；"
                 "請 git fetch 後重新檢視",
        "target": "✗ {label}：這個請求要併入「{target}」，不是 main：合併它不算認證，未合併",
        "again": "✗ {label}：同一位學生的另一件請求剛合併，這件的檢查是依合併前的 main，未合併；"
                 "請 git pull 後再執行一次（件數上限等依新的 main 重新檢查）",
        "platform_refused": "✗ {label}：平臺拒絕：{error}",
        "platform_unreached": "✗ {label}：無法連上平臺：{error}",
        "merged": "✓ {label}：已核准並合併 {sha}",
        "pull": "請執行 git pull 取得合併結果，再以 licheng validate 確認認證狀態",
        "empty": "✗ {label}：內容已在 main 上（以 squash 或 rebase 併入），合併它不會帶來任何變更，"
                 "也不算認證，未納入；請加上 --renote，以更新教師附註重新認證",
        "conflict": "✗ {label}：與其他請求衝突，未納入",
        "batched": "✓ {label}：已併入批次分支",
        "renoted": "✓ 重新認證（更新 teacher_note）：{path}",
        "none": "沒有可認證的請求",
        "unconfirmed": "（未能向平臺確認各請求由誰提出，檢查只能依提交所宣稱的作者判斷：合併前請看它在平臺上的 CI 檢查"
                       "是否通過{token}）",
        "token": "；設定 LICHENG_TOKEN 後 certify 會向平臺確認",
        "push": "批次分支 {branch}（{sha}）已建立。請推送並自行合併這個請求（{merge_method}）：",
        "label": "{number} {klass} {student} {courses}「{titles}」",
        "sep": "、",
        "titles": "」「",
    },
    "en": {
        "refused": "✗ {label}: not certified: {reason}",
        "renote": "re-certify {path}",
        "may": "{n} request(s) you may certify; add --all (or --course CODE) to certify them --via {via}",
        "no_number": "✗ {label}: the platform has no merge request for it ({ref})",
        "unlisted": "✗ {label}: the platform does not list it as open: not merged",
        "moved": "✗ {label}: the student changed it after you fetched it (the platform has {now}, you checked "
                 "{checked}): not merged; git fetch and look at it again",
        "target": "✗ {label}: it is to be merged into \u201c{target}\u201d, not main: merging it certifies nothing, "
                  "so it is not merged",
        "again": "✗ {label}: another request of the same student was just merged and this one was checked against "
                 "main before it: not merged; git pull and run again (its quota is checked against the new main)",
        "platform_refused": "✗ {label}: the platform refused: {error}",
        "platform_unreached": "✗ {label}: the platform could not be reached: {error}",
        "merged": "✓ {label}: approved and merged {sha}",
        "pull": "run git pull to fetch the merges, then licheng validate to see the certifications",
        "empty": "✗ {label}: its content is already on main (squash or rebase merge): merging it changes nothing "
                 "and certifies nothing, so it is left out; add --renote to re-certify through teacher_note",
        "conflict": "✗ {label}: conflicts with another request, left out",
        "batched": "✓ {label}: merged into the batch branch",
        "renoted": "✓ re-certified (teacher_note updated): {path}",
        "none": "no request to certify",
        "unconfirmed": "(who opened each request could not be confirmed with the platform, so the check can only go "
                       "by the authors its commits claim: look at its CI check on the platform before merging{token})",
        "token": "; with LICHENG_TOKEN set, certify asks the platform",
        "push": "batch branch {branch} ({sha}) made. Push it and merge that request yourself ({merge_method}):",
        "label": "{number} class {cls} {student} {courses} \u201c{titles}\u201d",
        "sep": ", ",
        "titles": "\u201d \u201c",
    },
}


def _words(lang: str) -> dict:
    return in_lang(WORDS, lang)


def _renotes(records, staff_id: str, course: str | None, base: str) -> dict[str, str]:
    """Outcomes on main of courses `staff_id` certifies now that are not certified: path -> new text (the
    file as `base`, the batch's start, holds it: never an older checkout's, whose merge would undo later changes)."""
    from ..git.batch import renoted
    from ..git.objects import read_blobs
    note = f"{records.staff_name(staff_id)}於{dates.roc(records.now.astimezone(records.tz))}重新認證"
    paths = [path for path, o in sorted(records.certification.outcomes.items())
             if o.state == UNCERTIFIED and not (course and o.course != course)
             and staff_id in duty.on_duty(records, "certification", records.now, scope=o.course, semester=o.semester)]
    shown = read_blobs(records.root, [f"{base}:{path}" for path in paths])  # (one git cat-file for them all)
    return {path: renoted(shown[f"{base}:{path}"].decode("utf-8", "replace"), note)
            for path in paths if f"{base}:{path}" in shown}  # (one gone from main since: nothing to re-certify)


def _known_course(records, staff_id: str, code: str) -> None:
    """--course names a course of some semester's course file; a typo stops, listing the teacher's
    own courses of the semester now (a mistyped code once read as 'nothing to certify', exit 0)."""
    if any(code in courses for courses in records.courses.values()):
        return
    semester = dates.semester_of(records.now)
    own = [f"{c.get('name')} {c.get('code')}" for c in records.courses.get(semester, {}).values()
           if staff_id in (c.get("teachers") or ())]
    mine = "、".join(own) or "（無）"
    raise UsageError(printable(f"--course {code}：開課資料中沒有這個課程代碼；您 {semester} 的課程：{mine}", None),
                     en=printable(f"--course {code}: no course file has this code; your courses of {semester}: "
                                  f"{', '.join(own) or '(none)'}", None))


def run(args) -> bool:
    from ..git.platform import of_main
    from ..validate import Shared
    from .common import default_via, queue as teachers_queue, school_records, school_root, staff_member

    root = school_root(args.repo)
    _not_a_registry(root)
    base = _base(root)
    # --no-cache: each validation reads all it reads (the base once), as `licheng validate --no-cache` does
    shared = Shared(histories=None, documents=None, lasting=None) if args.no_cache else Shared()
    records = school_records(root, args.now, ask_platform=True, use_cache=not args.no_cache, shared=shared)
    staff_id = staff_member(records, args.staff, root)
    if args.course is not None:  # (an empty code too: never "every course")
        _known_course(records, staff_id, args.course)
    via = args.via or default_via(records)
    if args.branch and via == "local":
        _new_branch(records.root, args.branch)
    if args.renote and via != "local":
        raise UsageError("--renote 會建立批次分支，請與 --via local 併用",
                         en="--renote makes a batch branch: use it with --via local")
    queue = teachers_queue(records, staff_id, check=True, shared=shared, use_cache=not args.no_cache, via=via,
                           course=args.course)
    found = openness.of(records)
    if queue and (caveat := openness.note(found, args.lang)):
        print(caveat)
    if queue and found.by != openness.PLATFORM and of_main(records).get("kind") in openness.FOLDERS:
        said = _words(args.lang)
        print(said["unconfirmed"].format(token="" if found.asked else said["token"]))
    shown = {e.ref: e for e, _, _ in queue}
    chosen, refused = [], []
    for _, request, why in queue:
        (refused if why else chosen).append((request, why.text(args.lang) if why else ""))
    notes = _renotes(records, staff_id, args.course, base or records.history.head) if args.renote else {}
    words = _words(args.lang)
    label = lambda request: _label(shown[request.ref], words, args.lang)  # noqa: E731
    for request, reason in refused:
        print(words["refused"].format(label=label(request), reason=reason.replace("\n", "\n  ")))
    if not (args.all or args.course):
        for request, _ in chosen:
            print(f"・{label(request)}")
        for path in notes:
            print("・" + words["renote"].format(path=path))
        print(words["may"].format(n=len(chosen), via=via))
        return not refused
    if via == "local":
        ok = _local(records, staff_id, args, chosen, notes, label, words, base or records.history.head)
    else:
        ok = _platform(records, via, chosen, label, words, args.lang)
    return ok and not refused


def _not_a_registry(root) -> None:
    """The requests and their merges are the portfolio's: a batch built in a registry would merge
    them into the wrong repository."""
    from ..records.repositories import portfolio_of, role_of

    if role_of(root) != "registry":
        return
    try:
        where = str(portfolio_of(root))
    except LichengError:
        where = "portfolio"
    raise UsageError(f"這是學籍資料庫（registry）：合併請求在學習歷程資料庫，請在 {printable(where)} 執行 licheng certify",
                     en=f"this is the registry: the merge requests are the portfolio's; run licheng certify in "
                        f"{printable(where)}")


def _base(root) -> str | None:
    """The commit each request's check judges it against (main, or origin's where the clone's is behind),
    which the batch branch starts from; None where the clone has no main. The school is read from the
    checkout: one holding commits main lacks (a student's request checked out to look at) would put its
    staff, courses and commits in the queue and the batch, so certify refuses it."""
    import subprocess

    from ..git.request import branch_ref, commit_id, platform_branch

    base = commit_id(root, branch_ref(platform_branch(root, "main"))) or commit_id(root, "refs/remotes/origin/main")
    if base is None:
        return None
    head = commit_id(root, "HEAD")
    if head and subprocess.run(["git", "-C", str(root), "merge-base", "--is-ancestor", head, base],
                               capture_output=True).returncode != 0:
        raise UsageError(f"目前簽出的版本（{head[:8]}）有 main 沒有的提交（例如正在檢視的學生分支）："
                         "certify 依 main 判斷並在其上合併，請先 git switch main（並 git pull）再執行",
                         en=f"the checkout ({head[:8]}) holds commits main lacks (a student's branch you are looking "
                            "at?): certify judges and merges on main; git switch main (and git pull) first")
    return base


def _label(entry, words: dict, lang: str) -> str:
    number = printable(entry.named(lang))
    return printable(words["label"].format(number=number, cls=entry.cls, klass=class_label(entry.cls),
                                           student=entry.student, courses=words["sep"].join(entry.courses),
                                           titles=words["titles"].join(printable(t) for t in entry.titles)), None)


def _unlike(records, request) -> str:
    """Why the platform's request is not the one the teacher's check judged ("" where it is): the
    platform lists it with another head (pushed since her fetch) or another target than main."""
    listed = openness.of(records).listed.get(request.number)
    if listed is None:
        return "unlisted"
    if listed.head != request.head:
        return "moved"
    return "target" if listed.target != "main" else ""


def _platform(records, via: str, chosen, label, words: dict, lang: str) -> bool:
    from ..git.platform import PlatformError, connect, of_main

    platform = connect(of_main(records), via)
    ok, merged = True, 0
    students: set[tuple[str, str]] = set()  # (student, semester) of the requests merged: each check saw main before
    for request, _ in chosen:
        mine = {(o.student, o.semester) for o in request.outcomes}
        if mine & students:  # (two requests each within the quota may exceed it together)
            print(words["again"].format(label=label(request)))
            ok = False
            continue
        if not request.number:
            print(words["no_number"].format(label=label(request), ref=printable(request.ref)))
            ok = False
            continue
        found = openness.of(records)
        if found.by != openness.PLATFORM and found.error is not None:  # (its list failed: so would its merge)
            said = "platform_refused" if found.error.status is not None else "platform_unreached"
            print(words[said].format(label=label(request), error=found.error.text(lang)))
            ok = False
            continue
        if unlike := _unlike(records, request):
            listed = found.listed.get(request.number)
            print(words[unlike].format(label=label(request), now=printable(listed.head[:8]) if listed else "",
                                       checked=request.head[:8], target=printable(listed.target) if listed else ""))
            ok = False
            continue
        try:
            platform.approve(request.number, request.head)
            sha = platform.merge(request.number, request.head)
        except PlatformError as exc:  # (no HTTP status: it never answered)
            said = "platform_refused" if exc.status is not None else "platform_unreached"
            print(words[said].format(label=label(request), error=exc.text(lang)))
            ok = False
            continue
        merged += 1
        students |= mine
        print(words["merged"].format(label=label(request), sha=sha[:8]))
    if merged:
        print(words["pull"])
    return ok


def _new_branch(root, branch: str) -> None:
    """--branch names a branch to make: a name Git takes, never one there already (its commits would be lost)."""
    from ..git.batch import exists, valid_name

    if not valid_name(root, branch):
        raise UsageError(f"--branch {printable(branch)}：Git 不接受這個分支名稱（例如不能有 ..、空白或以 - 開頭）",
                         en=f"--branch {printable(branch)}: Git takes no branch of that name (no .., spaces, "
                            "or a leading -)")
    if exists(root, branch):
        raise _exists(branch)


def _exists(branch: str) -> UsageError:
    return UsageError(f"--branch {printable(branch)}：已有這個分支，批次分支不會覆寫它；請另取名稱（或省略 --branch）",
                      en=f"--branch {printable(branch)}: that branch exists, and a batch never overwrites one; "
                         "choose another name (or leave --branch out)")


def _local(records, staff_id: str, args, chosen, notes, label, words: dict, base: str) -> bool:
    from ..git.batch import BranchExists, build, free_name, identity_env
    person = records.staff[staff_id]
    emails = person.get("git") or []
    if not emails:
        raise UsageError(f"{records.staff_name(staff_id)} 在 staff.yaml 中沒有 git 電子郵件",
                         en=f"{records.staff_name(staff_id)} has no git email in staff.yaml")
    stamp = records.now.astimezone(records.tz)
    branch = args.branch or free_name(records.root, f"certify/{staff_id}-{stamp:%Y%m%d-%H%M}")
    env = identity_env(person.get("name") or staff_id, emails[0], stamp)
    try:
        batch = build(records.root, base, branch, [(r.ref, r.head) for r, _ in chosen], notes, env)
    except BranchExists:  # (made meanwhile, by another run)
        raise _exists(branch) from None
    for request, _ in chosen:
        said = "empty" if request.ref in batch.empty else "conflict" if request.ref in batch.conflicts else "batched"
        print(words[said].format(label=label(request)))
    for path in batch.renoted:
        print(words["renoted"].format(path=path))
    if not batch.head:
        print(words["none"])
        return not batch.conflicts and not batch.empty
    print(words["push"].format(branch=branch, sha=batch.head[:8],
                               merge_method=in_lang(merge_method(records.school), args.lang)))
    print(f"  git push origin {branch}")
    return not batch.conflicts and not batch.empty


__all__ = ["run", "add_arguments"]
