"""licheng migrate --lfs: move attachments already in history into Git LFS (rewrites history)."""

from __future__ import annotations

from ..errors import UsageError
from .common import say, school_root


def add_arguments(parser) -> None:
    parser.add_argument("--lfs", action="store_true", help="附件移入 Git LFS / attachments into Git LFS")


def run(args) -> bool:
    if not args.lfs:
        raise UsageError("目前只支援 migrate --lfs", en="only migrate --lfs is supported")
    from ..maintenance.migrate import to_lfs

    root = school_root(args.repo)
    commit_map, count = to_lfs(root)
    say(args, f"已改寫 {count} 個提交；新舊提交對照：{commit_map}", f"{count} commits rewritten; commit map: {commit_map}")
    say(args, "接著：\n"
              "  1. git push --force --all && git push --force --tags（LFS 物件隨推送上傳）\n"
              "  2. 每一份複本（教職員電腦、CI 快取、備份）刪除後重新 clone\n"
              "  3. 平臺刪除舊物件：GitHub 聯絡 Support；GitLab 以 commit-map 執行儲存庫清理\n"
              "  4. acknowledgements.yaml 的 commit 依對照表更新",
        "next:\n"
        "  1. git push --force --all && git push --force --tags (the LFS objects upload with the push)\n"
        "  2. delete and clone anew every clone (staff computers, CI caches, backups)\n"
        "  3. ask the platform to drop the old objects (GitHub: Support; GitLab: repository cleanup with the commit map)\n"
        "  4. update the commit ids in acknowledgements.yaml from the map")
    return True
