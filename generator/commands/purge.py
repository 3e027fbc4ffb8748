"""licheng purge: records of students past retention (§8); lists, or removes them in one commit."""

from __future__ import annotations

from ..errors import LichengError, UsageError
from ..git import lfs
from .common import school_root, staff_member

HELP = "逾保存年限的資料（§8）/ records past retention"


def add_arguments(parser) -> None:
    parser.add_argument("--apply", action="store_true", help="以一個提交刪除 / remove them in one commit")
    parser.add_argument("--as", dest="as_staff", metavar="STAFF_ID", help="提交者（staff.yaml 的 id）/ the committer")
    parser.add_argument("--rewrite-history", action="store_true",
                        help="也從 Git 歷史中移除（git-filter-repo）/ also remove them from Git history")


def run(args) -> bool:
    from ..maintenance import purge
    from ..validate import validate

    root = school_root(args.repo)
    records, _ = validate(root, args.now, history=False, portfolio=args.portfolio)
    if args.as_staff:
        staff_member(records, args.as_staff, root)
    items = purge.plan(records)
    for item in items:
        print(f"{item.path}{':' + str(item.line) if item.line else ''}  {item.kind}  ({item.what})")
    print(f"共 {len(items)} 項，{len({i.student for i in items})} 位學生已逾保存年限（§8）/ "
          f"{len(items)} items of students past retention")
    if not args.apply:
        if items:
            print("未做任何變更；--apply --as STAFF_ID 會以一個提交刪除 / nothing changed; --apply removes them")
        return True
    if not items:
        return True
    if not args.as_staff:
        raise UsageError("--apply 需要 --as STAFF_ID（提交者）/ --apply needs --as STAFF_ID")
    targets = purge.history_targets(records, items)
    objects = lfs.objects_at(root, targets.paths)  # attachments in Git LFS: kept apart from the commits
    try:
        purge.check_ready(root)
        if args.rewrite_history:
            purge.filter_repo_command()  # present, before the purge commit is made
        sha = purge.apply(records, args.as_staff)
    except purge.PurgeRefused as exc:
        raise UsageError(str(exc)) from exc
    except RuntimeError as exc:
        raise LichengError(f"{exc}；未做任何變更 / nothing changed") from exc
    print(f"已提交 / committed {sha[:8]}")
    if args.rewrite_history:
        try:
            commit_map, rekeyed = purge.rewrite_history(root, targets)
        except (RuntimeError, purge.PurgeRefused) as exc:
            raise LichengError(f"{exc}") from exc
        print(f"已從 Git 歷史移除；舊→新提交編號對照：{commit_map}。請依 README「刪除逾保存年限的資料」處理遠端與每一份複本 / "
              "removed from history (commit map above): see the README for the remote and every clone")
        if rekeyed:
            print("records/acknowledgements.yaml 的提交編號已改為新編號（尚未提交），請教務主任或校長提交 / "
                  "the acknowledgements now name the new commit ids: an academic director or principal commits it")
        _say_lfs(lfs.drop_unreferenced(root, objects), rewritten=True)
    else:
        _say_lfs(sorted(objects), rewritten=False)
    return True


def _say_lfs(oids: list[str], rewritten: bool) -> None:
    """The LFS server keeps every object until the platform deletes it: name them."""
    if not oids:
        return
    if rewritten:
        print(f"Git LFS：已刪除本機 {len(oids)} 個附件物件；平台（LFS 伺服器）上的同一批物件須另行刪除"
              f"（GitHub：聯絡 Support 或刪除重建儲存庫；GitLab：儲存庫清理後執行 housekeeping，或以 API 刪除 LFS 物件）/ "
              f"Git LFS: {len(oids)} attachment objects deleted here; the platform's LFS server keeps them "
              "until they are deleted there too:")
    else:
        print(f"Git LFS：這些學生的 {len(oids)} 個附件物件仍在歷史與 LFS 伺服器上；加上 --rewrite-history 才會移除 / "
              f"Git LFS: {len(oids)} attachment objects of these students stay in history and on the LFS "
              "server; --rewrite-history removes them:")
    for oid in oids:
        print(f"  sha256:{oid}")
