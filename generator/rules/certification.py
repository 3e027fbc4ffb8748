"""Rules read from the certification analysis (§5.3.2, §7: generator.git.certification). The
other rules read from Git history are generator.rules.history's."""

from __future__ import annotations

from ..git.certification import COUNTS_AS_CERTIFIED
from ..rule import WARNING, checks, hit, rule
from . import places


def _from_analysis(code: str):
    def check(records):
        return records.certification.hits.get(code, ())

    check.__name__ = code.replace(".", "_").replace("-", "_")
    return check


# {merge_method}: the school's platform's own setting (generator.names.MERGE_METHODS)
_FIX_MERGE = "請任課教師重新合併一個修改此檔案的合併請求（{merge_method}）"
_FIX_MERGE_EN = "have the course teacher merge a merge request that touches this file ({merge_method})"

rule(
    "cert.not-merged", "§5.3.2",
    {"": "未經認證：{sha} 由學生直接推送到 main，沒有經過合併請求；" + _FIX_MERGE,
     "edited": "認證已失效：此成果認證後又在 {sha} 被直接修改；" + _FIX_MERGE,
     "trailer": "未經認證：{sha} 沒有 Certified-by: 認證者標記（trailer 模式）；請任課教師以含 Certified-by 的合併重新認證",
     "in-merge": "未經認證：此成果的內容是 {who} 在合併提交 {sha}（{at}）裡自己寫的（與分支和 main 上的都不同），"
                 "不是學生 {student} 的修改，合併認證不了；請學生以自己的合併請求改好內容，再由任課教師合併",
     "others": "未經認證：{who} 於 {at} 合併的 {sha} 帶進了修改此成果的提交 {commit}，寫的作者是 {writer}，不是學生 {student}；"
               "成果只能是學生自己的修改，合併認證不了；請學生以自己的合併請求提出內容，再由任課教師合併"},
    {"": "not certified: {sha} was pushed straight to main without a merge request; " + _FIX_MERGE_EN,
     "edited": "certification voided: the outcome was changed by {sha} after it was certified; " + _FIX_MERGE_EN,
     "trailer": "not certified: {sha} carries no Certified-by: trailer (trailer mode); have the teacher merge with one",
     "in-merge": "not certified: this outcome holds what {who} wrote inside the merge commit {sha} ({at}) (neither the "
                 "branch's nor main's), not student {student}'s change, so the merge certifies nothing; have the student "
                 "fix the content in a merge request of their own and the course teacher merge it",
     "others": "not certified: the merge {sha} by {who} ({at}) brings commit {commit}, which changes this outcome and "
               "names {writer} as its author, not student {student}; an outcome holds only its student's own changes, "
               "so the merge certifies nothing; have the student propose the content in a merge request of their own "
               "and the course teacher merge it"},
    follows_staff=True,
)(_from_analysis("cert.not-merged"))

rule(
    "cert.wrong-certifier", "§5.3.2",
    {"": "未經認證：{sha} 由 {who} 合併，他不是課程 {course} 的任課教師，也不是當時的代理人",
     "unknown": "未經認證：{sha} 的合併者 {who} 不在教職員名單中",
     "departed": "未經認證：{who} 於 {at} 合併時帳號已過期（account_until，§7.3.2），應由代理人認證"},
    {"": "not certified: {sha} was merged by {who}, neither a teacher of course {course} nor the delegate on duty",
     "unknown": "not certified: {sha} was merged by {who}, who is not in staff.yaml",
     "departed": "not certified: {who} merged on {at}, after their account ended (account_until, §7.3.2); a delegate certifies"},
    follows_staff=True,
)(_from_analysis("cert.wrong-certifier"))

rule(
    "cert.self-merge", "§5.3.2",
    "未經認證：學生 {student} 自己合併了自己的合併請求（{sha}）；請任課教師合併",
    "not certified: student {student} merged their own merge request ({sha}); the course teacher must merge it",
    follows_staff=True,
)(_from_analysis("cert.self-merge"))

rule(
    "cert.squashed", "§5.3.2",
    "未經認證：{sha} 以 squash 或 rebase 方式合併，沒有合併提交可作為教師認證的證據；"
    "請在平臺只允許合併提交（{merge_method}），或改用 trailer 模式（school.yaml certification.evidence: trailer）",
    "not certified: {sha} was squash- or rebase-merged, leaving no merge commit as the teacher's evidence; "
    "allow merge commits only on the platform ({merge_method}), or use trailer mode (certification.evidence: trailer)",
    follows_staff=True,
)(_from_analysis("cert.squashed"))

rule(
    "cert.unsigned", "§5.3.2",
    "未經認證：{sha} 由 {who} 合併，但沒有 {who} 本人或平臺的有效簽章（school.yaml certification.evidence: signed）；"
    "請任課教師以登錄在 staff.yaml signing_keys 的金鑰簽署合併（git merge -S），或在平臺網頁上合併",
    "not certified: {sha} was merged by {who} without a valid signature by {who}'s own key or the platform's "
    "(certification.evidence: signed); have the teacher sign the merge with a key listed under signing_keys in "
    "staff.yaml (git merge -S), or merge on the platform's web page",
    follows_staff=True,
)(_from_analysis("cert.unsigned"))

rule(
    "cert.fast-forward", "§5.3.2",
    "未經認證：main 上的合併提交 {sha} 不是平臺做的合併，而是合併請求本身的提交（main 被快轉到學生分支上的合併，"
    "或學生以教職員名義提交的合併），證明不了任何人的合併；請在平臺關閉快轉合併（fast-forward），並由任課教師重新合併",
    "not certified: the merge commit {sha} on main was not made by the platform but is a merge request's own commit "
    "(main was fast-forwarded to a merge written on a branch, or a student committed it in a staff member's name), "
    "so it proves no one's merge; turn off fast-forward merging on the platform and have the teacher merge again",
    follows_staff=True,
)(_from_analysis("cert.fast-forward"))

rule(
    "window.certification", "§5.3.2",
    {"": "逾期認證：{who} 於 {at} 合併（{sha}），晚於認證期限 {end}",
     "early": "提前認證：{who} 於 {at} 合併（{sha}），認證期間 {start} 才開始"},
    {"": "certified late: {who} merged {sha} on {at}, after the certification deadline {end}",
     "early": "certified early: {who} merged {sha} on {at}, before the certification window opens on {start}"},
    severity=WARNING,
    follows_staff=True,
)(_from_analysis("window.certification"))

rule(
    "window.outcome-upload", "§5.3.1",
    {"": "逾期上傳：學生 {student} 於 {at} 上傳，晚於上傳期限 {end}",
     "early": "提前上傳：學生 {student} 於 {at} 上傳，上傳期間 {start} 才開始"},
    {"": "uploaded late: student {student} uploaded on {at}, after the upload deadline {end}",
     "early": "uploaded early: student {student} uploaded on {at}, before the upload window opens on {start}"},
    severity=WARNING,
    follows_staff=True,
)(_from_analysis("window.outcome-upload"))


@checks("delegate.order")
def certified_out_of_order(records):
    """A delegate's merge while one earlier in the order was available: at the line the merge changed."""
    found = [("delegate.order", h) for h in records.certification.hits.get("delegate.order", ())]
    if found and records.history is not None:
        places.placed(records, found, records.history)
    return [h for _, h in found]


@rule(
    "selection.uncertified", "§5.3.3",
    "勾選的課程學習成果「{name}」尚未經任課教師認證（狀態：{state}）；只能勾選已認證的成果",
    "selected outcome '{name}' is not certified (state: {state}); only certified outcomes can be selected",
    follows_staff=True,
)
def uncertified_selections(records):
    if records.history is None:
        return
    outcomes = records.certification.outcomes
    for doc in records.valid("selection"):
        no = doc.keys["student"]
        for index, name in enumerate(doc.data.get("outcomes") or ()):
            sem, slug = name.split("/", 1)
            out = outcomes.get(f"records/outcomes/{sem}/{no}/{slug}.yaml")
            if out and out.state not in COUNTS_AS_CERTIFIED:
                yield hit(doc.path, doc.line("outcomes", index), name=name, state=out.state)
