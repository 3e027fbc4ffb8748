"""licheng purge: records of students past retention (§8); lists, or removes them in one commit."""

from __future__ import annotations

from ..errors import LichengError, UsageError
from ..git import lfs
from .common import say, school_root, staff_member


def add_arguments(parser) -> None:
    parser.add_argument("--apply", action="store_true", help="以一個提交刪除 / remove them in one commit")
    parser.add_argument("--as", dest="as_staff", metavar="STAFF_ID", help="提交者（staff.yaml 的 id）/ the committer")
    parser.add_argument("--rewrite-history", action="store_true",
                        help="也從 Git 歷史中移除（git-filter-repo）/ also remove them from Git history")


def _where(records, item) -> str:
    """path:line, and in a split school its repository, as validate's findings say it."""
    where = f"{item.path}:{item.line}" if item.line else item.path
    repository = records.repository_of(item.path)
    return where if repository == "single" else f"{where} ({repository})"


def run(args) -> bool:
    from ..maintenance import purge
    from ..validate import validate

    root = school_root(args.repo)
    records, _ = validate(root, args.now, history=False, portfolio=args.portfolio)
    if args.as_staff:
        staff_member(records, args.as_staff, root)
    items = purge.plan(records)
    for item in items:
        print(f"{_where(records, item)}  {item.kind}  ({item.what})")
    students = len({i.student for i in items})
    say(args, f"共 {len(items)} 項，{students} 位學生已逾保存年限（§8）",
        f"{len(items)} items of {students} students past retention (§8)")
    if not args.apply:
        if items:
            say(args, "未做任何變更；--apply --as STAFF_ID 會以一個提交刪除",
                "nothing changed; --apply --as STAFF_ID removes them in one commit")
        return True
    if not items:
        return True
    if not args.as_staff:
        raise UsageError("--apply 需要 --as STAFF_ID（提交者）", en="--apply needs --as STAFF_ID (the committer)")
    targets = purge.history_targets(records, items)
    roots = purge.repository_roots(records)  # this one first; a registry's portfolio too
    # attachments in Git LFS: kept apart from the commits
    objects = {where: lfs.objects_at(where, targets.paths) for where in roots}
    try:
        for where in roots:  # every repository, before any is touched
            try:
                purge.check_ready(where)
            except purge.PurgeRefused as exc:
                raise purge.PurgeRefused(f"{where}: {exc}", en=f"{where}: {exc.text('en')}") from None
        if args.rewrite_history:
            purge.filter_repo_command()  # present, before the purge commit is made
        sha = purge.apply(records, args.as_staff)
    except purge.PurgeRefused as exc:
        raise UsageError(str(exc), en=exc.en) from exc
    except RuntimeError as exc:  # git failed (its own words), or git-filter-repo is missing
        raise LichengError(f"{exc}；未做任何變更", en=f"{_english(exc)}; nothing changed") from exc
    say(args, f"已提交 {sha[:8]}", f"committed {sha[:8]}")
    if not args.rewrite_history:
        _say_lfs(args, sorted(set().union(*objects.values())), rewritten=False)
        return True
    done: list = []
    for where in roots:
        remotes = purge.remotes(where)
        try:
            commit_map, rekeyed = purge.rewrite_history(where, targets)
        except (RuntimeError, purge.PurgeRefused) as exc:
            already = [(f"；{d} 已改寫", f"; {d} already rewritten") for d in done]
            raise LichengError(f"{where}: {exc}" + "".join(zh for zh, _ in already),
                               en=f"{where}: {_english(exc)}" + "".join(en for _, en in already)) from exc
        done.append(where)
        _say_rewritten(args, where, commit_map, rekeyed, remotes, purge.remotes(where))
        _say_lfs(args, lfs.drop_unreferenced(where, objects[where]), rewritten=True)
    say(args, "每個儲存庫都要：強制推送後，所有複本（教職員電腦、CI 快取、備份）刪除並重新複製，開啟中的合併請求從新分支重開，"
              "並請平臺清除舊的 refs/pull/*、refs/merge-requests/* 與快取（GitHub：請 GitHub Support 清除；GitLab：在「設定 → "
              "儲存庫 → 儲存庫清理」上傳 .git/filter-repo/commit-map，再執行 Housekeeping）",
        "for every repository: after the force-push, every clone is deleted and cloned anew, open requests are "
        "re-opened from new branches, and the platform purges the old pull/merge-request refs and cached views "
        "(GitHub: ask GitHub Support; GitLab: upload .git/filter-repo/commit-map under Settings → Repository → "
        "Repository cleanup, then run housekeeping)")
    return True


def _english(exc: Exception) -> str:
    """An error's English: a LichengError's own, else its text (git's words)."""
    return exc.text("en") if isinstance(exc, LichengError) else str(exc)


def _say_rewritten(args, root, commit_map, rekeyed: bool, remotes: dict[str, str], left: dict[str, str]) -> None:
    """What the school must do with this repository's remote: git-filter-repo removed `origin`."""
    say(args, f"{root}：已從 Git 歷史移除；舊→新提交編號對照：{commit_map}",
        f"{root}: removed from its history; commit map (old → new): {commit_map}")
    for name, url in sorted(remotes.items()):
        if name not in left:
            print(f"  git -C {root} remote add {name} {url}")
    if not remotes:
        say(args, f"  git -C {root} remote add origin <此儲存庫在平臺上的網址>",
            f"  git -C {root} remote add origin <its URL on the platform>")
    print(f"  git -C {root} push --force --all && git -C {root} push --force --tags")
    if rekeyed:
        say(args, f"  {root}/records/acknowledgements.yaml 的提交編號已改為新編號（尚未提交），請教務主任或校長提交",
            f"  {root}/records/acknowledgements.yaml now names the new commit ids (not committed): "
            "an academic director or the principal commits it")


def _say_lfs(args, oids: list[str], rewritten: bool) -> None:
    """The LFS server keeps every object until the platform deletes it: name them."""
    if not oids:
        return
    if rewritten:
        say(args, f"Git LFS：已刪除本機 {len(oids)} 個附件物件；平臺（LFS 伺服器）上的同一批物件須另行刪除"
                  "（GitHub：聯絡 Support 或刪除重建儲存庫；GitLab：儲存庫清理後執行 housekeeping，或以 API 刪除 LFS 物件）：",
            f"Git LFS: {len(oids)} attachment objects deleted here; the platform's LFS server keeps them "
            "until they are deleted there too (GitHub: ask Support, or delete and re-create the repository; "
            "GitLab: housekeeping after the repository cleanup, or delete the LFS objects through the API):")
    else:
        say(args, f"Git LFS：這些學生的 {len(oids)} 個附件物件仍在歷史與 LFS 伺服器上；加上 --rewrite-history 才會移除：",
            f"Git LFS: {len(oids)} attachment objects of these students stay in history and on the LFS "
            "server; --rewrite-history removes them:")
    for oid in oids:
        print(f"  sha256:{oid}")
