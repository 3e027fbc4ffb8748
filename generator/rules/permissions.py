"""Who may change what, audited over main's first-parent history after the audit start (generator.git.audit).

A direct commit is its author's. A merge is the merger's responsibility: the merger must hold the
right to merge every path the merge brings to main, whoever the branch says wrote it. The branch
commits' authors are claims that may deny, never grant: a change whose commit names a student is
that student's change (allowed only in their own folder), and a named staff member without the
right is a finding too. Identities are matched by generator.git.identity; an unknown one is a finding.
"""

from __future__ import annotations

import re

from .. import dates, duty
from ..names import ROLES
from ..result import Said
from ..git import audit, notes
from ..git.history import PURGE_SUBJECT, SPLIT_SUBJECT
from ..rule import checks, hit, rule
from . import places
from .rights import ADMIN, one_per_folder, owner, rule_of, rule_path, writes

PURGERS = ADMIN + duty.SECTIONS["registration"]
STUDENT_DATA = re.compile(r"^records/(students|grades|cadres|counseling|outcomes|performances|selections|working-group)/")

SPLIT_MOVES = re.compile(r"^records/(students|grades|cadres|counseling|submissions|roster)/")


def _is_purge(records, commit):
    """What a registration or admin staff member's purge commit (§8, generator.purge) or
    `licheng split` commit (personal records out of the portfolio, the roster in) may touch."""
    if commit.is_merge or not commit.subject.startswith((PURGE_SUBJECT, SPLIT_SUBJECT)):
        return None
    staff_id = records.identities.staff_id(commit.author_email)
    if not (staff_id and records.has_role(staff_id, *PURGERS)):
        return None
    return STUDENT_DATA if commit.subject.startswith(PURGE_SUBJECT) else SPLIT_MOVES


def _audit(records):
    """(code, hit) for every change on main that its writer or merger may not make."""
    history = records.own_history
    audited, branches = audit.audited_commits(records), history.branch
    for commit in history.mainline:
        if not commit.changes or not audited.get(commit.sha, False):
            continue
        if len(commit.parents) < 2:
            yield from _written(records, commit, commit, _when(records, commit), _is_purge(records, commit))
            continue
        branch = branches.get(commit.sha, ())
        if _own_request(records, commit, branch):
            continue
        when = _when(records, commit)
        # who wrote what: the merge's branch commits (an inner merge only its own writing: the rest
        # it carries is others' work, judged in their commits)
        for c in branch:
            if not c.is_merge or c.own:
                yield from _written(records, commit, c, when, None)
        yield from _merged(records, commit, when)


def _students_notes(records, audited):
    """A student's own outcome is theirs to change, but not its teacher_note (the course's teacher
    or the delegate writes it, §5.3.2). For each outcome whose note is set now, the latest merge on
    main that changed the note is found; a student's branch commit in it that changed the note is a
    finding. (An outcome without a note, nearly all of them, costs nothing.)"""
    history = records.own_history
    if history is not records.history:
        return  # (a registry: its history holds no outcomes)
    noted = [doc.path for doc in records.valid("outcome") if doc.data.get("teacher_note") not in (None, "")]
    changed = history.changed if noted else {}
    for path in noted:
        for position in reversed(changed.get(path, ())):
            commit = history.mainline[position]
            if not commit.parents or not notes.note_written(records, commit.parents[:1], commit.sha, path):
                continue
            if commit.is_merge and audited.get(commit.sha, False):
                for c in history.branch.get(commit.sha, ()):
                    person = records.identities.of(c.author_email)
                    if person is None or person.kind != "student" or not c.parents:
                        continue
                    if (notes.note_written(records, c.parents, c.sha, path) if c.is_merge and path in c.own
                            else not c.is_merge and any(p == path for _, p in c.changes)
                            and notes.note_written(records, c.parents[:1], c.sha, path)):
                        yield "perm.denied", hit(path, None, "note", sha=c.short, who=_name(records, person),
                                                 at=_when(records, commit)())
            break  # the latest change of the note is the one the outcome carries


def _own_request(records, commit, branch) -> bool:
    """Is the merge `commit` one student's request that changes only their own folders, merged by
    a staff member on their account? Nearly every merge is, and such a merge has no finding:
    this is what `_written` and `_merged` would judge, narrowed to that case at a fraction of the
    cost: every branch commit (no merge among them) written as the student, each path it changes
    in the student's own folders, and the merge bringing nothing its branch did not change (no
    writing of its own)."""
    if not branch or commit.own:  # (a merge with writing of its own: the full judgement)
        return False
    of = records.identities.of
    student, merger = of(branch[0].author_email), of(commit.author_email)
    if student is None or student.kind != "student" or merger is None or merger.kind != "staff":
        return False
    own, checked = student.id, None
    for wrote in branch:
        if len(wrote.parents) > 1 or (wrote is not branch[0] and of(wrote.author_email) != student):
            return False
        for _, path in wrote.changes:
            folder = rule_path(path)
            if folder != checked:  # (a record and its attachments: one folder, looked up once)
                if rule_of(folder)[2] != own:
                    return False
                checked = folder
    if len(branch) == 1:
        if branch[0].changes != commit.changes:
            return False
    else:
        changed = {p for wrote in branch for _, p in wrote.changes}
        if any(p not in changed for _, p in commit.changes):
            return False
    return duty.employed(records, merger.id, commit.committer_time)


def _when(records, commit):
    """A commit's time as messages show it, worked out only for a commit that has a finding."""
    return lambda: dates.roc(commit.committer_time.astimezone(records.tz))


def _renoted(records, commit, c, person, path: str) -> bool:
    """Is `c` a re-certification (generator.git.notes)? A branch commit's author is a claim that
    cannot grant it: the merger, whom the platform authenticated, must be one who may write the
    note too (and merging it is their re-certification). A merge's own writing keeps one parent."""
    merger = person if c is commit else records.identities.of(commit.author_email)
    return notes.renoted(records, (person, merger), c.parents if c.is_merge else c.parents[:1], c.sha, path,
                         commit.committer_time, commit)


def _written(records, commit, c, when, purging):
    """What commit `c` (`commit` itself, or a commit its merge brought) wrote, judged as its author's;
    of a merge only its own writing."""
    person = records.identities.of(c.author_email)
    changed = c.own if c.is_merge else (p for _, p in c.changes)
    paths = one_per_folder(p for p in changed if not (purging and purging.match(p)))
    if person is None:
        if paths:
            yield "perm.unknown-identity", hit(paths[0], None, sha=c.short, email=c.author_email, at=when())
        return
    for path in paths:
        verdict = writes(records, person, path, c.author_time)
        if verdict == "denied" and c.parents and _renoted(records, commit, c, person, path):
            continue
        if verdict == "denied" and c is not commit:
            # a branch commit's author is a claim: the message names it as one, and the merger who brought it
            merger = records.identities.of(commit.author_email)
            yield "perm.denied", hit(path, None, "branch", sha=c.short, who=_name(records, person), at=when(),
                                     merge=commit.short,
                                     merger=_name(records, merger) if merger else commit.author_email)
        elif verdict == "denied":
            yield "perm.denied", hit(path, None, sha=c.short, who=_name(records, person), at=when(),
                                     may=_who_may(records, person, path))
        elif verdict == "out-of-order":
            yield "delegate.order", hit(path, None, sha=c.short, name=_name(records, person), duty="records",
                                        earlier="其他人")
        elif person.kind == "student" and not commit.is_merge and not path.startswith("records/outcomes/"):
            # (an outcome pushed directly is cert.not-merged or cert.squashed already)
            yield "perm.denied", hit(path, None, "direct", sha=c.short, who=_name(records, person), at=when())


def _merged(records, commit, when):
    """The merger answers for everything the merge brings to main: a student's folder may be
    merged by any staff member, anything else only by those who may write it."""
    merger = records.identities.of(commit.author_email)
    at = commit.committer_time
    paths = one_per_folder(p for _, p in commit.changes)
    if merger is None:
        if paths:
            yield "perm.unknown-identity", hit(paths[0], None, sha=commit.short, email=commit.author_email, at=when())
        return
    who = _name(records, merger)
    # a merge made on someone's machine can change files no branch commit touched, or write in a
    # file what neither side holds (an "evil merge", or a conflict resolved): those changes are the
    # merger's own, judged as if committed directly — a re-certification (only the teacher_note
    # changed, by the course's teacher or the delegate) excepted
    branch_paths = {p for c in records.own_history.branch.get(commit.sha, ()) for _, p in c.changes}
    own = set(commit.own)
    for _, path in commit.changes:
        if path not in branch_paths or path in own:
            if (merger.kind != "staff" or writes(records, merger, path, at) != "ok") \
                    and not (path in own and _renoted(records, commit, commit, merger, path)):
                variant = "in-merge" if path not in branch_paths else "own-student" if owner(path) else "own"
                yield "perm.denied", hit(path, None, variant, sha=commit.short, who=who, at=when())
    for path in paths:
        if path not in branch_paths or path in own:
            continue
        if owner(path) is not None:
            if merger.kind != "staff" or not duty.employed(records, merger.id, at):
                yield "perm.denied", hit(path, None, "merger", sha=commit.short, who=who, at=when())
        elif merger.kind != "staff" or writes(records, merger, path, at) != "ok":
            yield "perm.denied", hit(path, None, "merged", sha=commit.short, who=who, at=when(),
                                     may=_who_may(records, merger, path))


def _who_may(records, merger, path: str) -> Said:
    """Who may write `path` (rights.TABLE), by role, in both languages; not the merger's (or the
    pusher's) own roles (one who holds one was not employed then: told to ask herself, she could not)."""
    roles, duty_name, student = rule_of(rule_path(path))
    if student is not None:  # (a staff member is no student: a student's files are the student's alone)
        return Said({"zh-TW": "學生本人經合併請求", "en": "the student themself, by merge request"})
    others = [r for r in roles if not records.has_role(merger.id, r)] or list(roles)
    zh, en = [ROLES.get(r, r) for r in others], [r.replace("_", " ") for r in others]
    if duty_name:
        zh, en = zh + ["值勤代理人"], en + ["the delegate on duty"]
    zh_text = "、".join(zh[:-1]) + "或" + zh[-1] if duty_name else "、".join(zh)
    en_text = ", ".join(en[:-1]) + " or " + en[-1] if len(en) > 1 else en[0]
    return Said({"zh-TW": zh_text, "en": "the " + en_text})


def _name(records, person) -> str:
    if person.kind == "staff":
        return records.staff_name(person.id)
    return person.id


def _audit_hits(records, code):
    if records.own_history is None:
        return
    for c, h in records.memo("permission-audit", lambda: main_audit(records) + places.placed(
            records, list(_students_notes(records, audit.audited_commits(records))))):
        if c == code:
            yield h


def main_audit(records) -> list:
    """The audit of main's changes: of the histories and the records that are no outcomes alone, so
    made once for the validations of a batch that read the same of those (Records.lasting)."""
    def made() -> list:
        return places.placed(records, list(_audit(records)))

    def shared_or_made() -> list:
        found = records.lasting("permission-audit", made)
        return found if found is not None else made()

    return records.memo("main-audit", shared_or_made)


@rule(
    "perm.denied", "§5.1",
    {"": "直接推送到 main 的提交 {sha}（{at}）修改了此檔案，提交上寫的作者是 {who}，沒有這個權限（作者欄誰都能填寫，"
         "若不是本人所為，請查明是誰推送的）；請由有權限的人（{may}）提出修改",
     "branch": "{merger} 於 {at} 合併的 {merge} 帶進了修改此檔案的提交 {sha}；該提交寫的作者是 {who}，沒有修改此檔案的權限"
               "（作者欄誰都能填寫，不代表是本人所為）。合併者要為合併帶進 main 的每項修改負責；此類修改須由有權限的人提出並合併",
     "merger": "學生的資料只能經教職員合併進入 main；{sha}（{at}）由 {who} 合併",
     "merged": "{who} 於 {at} 合併了修改此檔案的 {sha}，但沒有修改此檔案的權限；合併者要為合併帶進 main 的每項修改負責，"
               "不論分支上的提交寫的是誰；此類修改須由有權限的人（{may}）合併",
     "direct": "學生的資料只能經合併請求、由教職員合併進入 main；{sha}（{at}）是 {who} 直接推送的",
     "in-merge": "{who} 在合併提交 {sha}（{at}）裡修改了此檔案（分支中沒有這項修改），但沒有這個權限",
     "own": "{who} 在合併提交 {sha}（{at}）裡自己改寫了此檔案（合併後的內容與分支和 main 上的都不同，是合併者寫的），"
            "但沒有這個權限；請改回分支帶來的內容，修改由有權限的人以自己的合併請求提出",
     "own-student": "{who} 在合併提交 {sha}（{at}）裡自己改寫了這個學生的檔案（合併後的內容與分支和 main 上的都不同）；"
                    "學生的檔案只能是學生自己的修改（任課教師或代理人只能改 teacher_note），"
                    "衝突請由學生在自己的分支上解決（把 main 合併進分支）後再合併",
     "request": "此合併請求修改了此檔案，但 {who} 沒有修改它的權限；請把這項修改從合併請求中移除",
     "request-student": "此合併請求修改了此檔案，但學生 {who} 不能修改它（學生只能修改自己的成果、多元表現與勾選）；請把這項修改從合併請求中移除",
     "request-commit": "此合併請求的提交 {sha} 修改了此檔案，它寫的作者是 {who}，沒有修改此檔案的權限（作者欄誰都能填寫，"
                       "不代表是本人所為）；請把這項修改從合併請求中移除",
     "request-commit-by": "{opener} 提出的此合併請求中，提交 {sha} 修改了此檔案，它寫的作者是 {who}，沒有修改此檔案的權限"
                          "（作者欄誰都能填寫，不代表是本人所為）；請把這項修改從合併請求中移除",
     "request-claim": "此合併請求的提交 {sha} 寫的作者是 {who}，但平臺沒有指出提出者是這個人；提交上的身分只能限制、不能授權。"
                      "請由 {who} 本人以已登記的 github: 或 gitlab: 帳號提出合併請求（帳號由教務主任登記在 staff.yaml）",
     "request-note": "學生 {who} 在此合併請求中寫了 teacher_note（教師附註）；附註只能由任課教師或值勤代理人填寫，請把它從合併請求中移除",
     "note": "此成果的 teacher_note（教師附註）是學生 {who} 在 {sha} 寫的，於 {at} 合併進 main；附註只能由任課教師或值勤代理人填寫，"
             "請由任課教師以自己的合併請求改寫或移除它"},
    {"": "commit {sha} ({at}), pushed directly to main, changes this file; the author it names, {who}, has no right "
         "to (anyone can write any name as a commit's author: if it was not {who}, find out who pushed it); have "
         "someone who holds the right ({may}) make the change",
     "branch": "{merger} merged {merge} ({at}), which brings commit {sha} changing this file; that commit names {who} "
               "as its author, who has no right to change it (anyone can write any name as a commit's author: it "
               "does not mean {who} wrote it). The merger answers for everything a merge brings to main; such a "
               "change is made and merged by someone who holds the right",
     "merger": "a student's records reach main only through a merge by staff; {sha} ({at}) was merged by {who}",
     "merged": "{who} merged {sha} ({at}), which changes this file, without the right to change it; the merger answers "
               "for everything a merge brings to main, whoever the branch commits name — such changes are merged by "
               "someone who holds the right ({may})",
     "direct": "a student's records reach main only through a merge request merged by staff; {who} pushed {sha} ({at}) directly",
     "in-merge": "{who} changed this file inside the merge commit {sha} ({at}) (no branch commit did) without the right to",
     "own": "{who} rewrote this file inside the merge commit {sha} ({at}) (what the merge holds is neither the branch's "
            "nor main's: it is the merger's writing) without the right to; restore what the branch brought and have "
            "someone who holds the right propose the change in a request of their own",
     "own-student": "{who} rewrote this student's file inside the merge commit {sha} ({at}) (what the merge holds is "
                    "neither the branch's nor main's); a student's file holds only the student's own changes (the course "
                    "teacher or the delegate changes only teacher_note): have the student resolve the conflict on their "
                    "branch (merge main into it), then merge",
     "request": "this merge request changes this file, which {who} may not change; take the change out of the request",
     "request-student": "this merge request changes this file, which student {who} may not change (students change only "
                        "their own outcomes, performances and selections); take the change out of the request",
     "request-commit": "commit {sha} of this merge request changes this file; it names {who} as its author, who may not "
                       "change it (anyone can write any name as a commit's author: it does not mean {who} wrote it); "
                       "take the change out of the request",
     "request-commit-by": "in this merge request, opened by {opener}, commit {sha} changes this file; it names {who} as "
                          "its author, who may not change it (anyone can write any name as a commit's author: it does "
                          "not mean {who} wrote it); take the change out of the request",
     "request-claim": "commit {sha} of this merge request names {who} as its author, but the platform does not say that "
                      "person opened the request; a commit's identity may deny, never grant. Have {who} open the request "
                      "from their registered github: or gitlab: account (the academic director registers it in "
                      "staff.yaml)",
     "request-note": "student {who} wrote the teacher_note in this merge request; only the course teacher or the delegate "
                     "on duty writes it: take it out of the request",
     "note": "this outcome's teacher_note was written by student {who} in {sha}, merged into main on {at}; only the course "
             "teacher or the delegate on duty writes it: have the course teacher rewrite or remove it in a request of their own"},
    follows_staff=True,
)
def denied(records):
    return _audit_hits(records, "perm.denied")


@rule(
    "perm.unknown-identity", "§5.1",
    {"": "{sha}（{at}）的作者信箱 {email} 不屬於任何已登記的學生或教職員，無法確認是誰的修改。學生請向註冊組申請把這個信箱"
         "登記到自己的帳號；教職員請向管理教職員名單（staff.yaml）的教務主任申請登記；或改用已登記的信箱提交",
     "login": "提出此合併請求的 {platform} 帳號 {login} 不屬於任何已登記的學生或教職員，無法確認修改是誰的（提交上的身分只是聲稱）。"
              "學生請向註冊組申請登記這個帳號；教職員請向管理教職員名單（staff.yaml）的教務主任申請登記；或改由已登記的帳號提出",
     "no-author": "CI 讀不出是誰在 GitLab 上提出此合併請求（沒有 CI_MERGE_REQUEST_AUTHOR），提交上的身分只是聲稱，"
                  "無法確認修改是誰的。請學校的資訊老師讓這項檢查以合併請求管線執行（GitLab 17.9 以上）",
     "no-author-github": "CI 讀不出是誰在 GitHub 上提出此合併請求（讀不到 GitHub 的事件檔，或其中沒有提出者），提交上的身分"
                         "只是聲稱，無法確認修改是誰的。請學校的資訊老師讓這項檢查在 pull_request 觸發的 GitHub Actions "
                         "工作中執行（on: pull_request），並讓它讀得到事件檔（GITHUB_EVENT_PATH）",
     "outside": "這次檢查不是為合併請求執行（分支的管線或手動執行），讀不出是誰提出這些修改；提交上的身分只是聲稱，"
                "無法確認修改是誰的。請開合併請求，由合併請求的檢查判斷"},
    {"": "the author {email} of {sha} ({at}) is no registered student's or staff member's address, so whose change "
         "this is cannot be confirmed. Students: ask the registration office to register this address for your "
         "account; staff: ask the academic director, who keeps the staff list (staff.yaml), to register it; or "
         "commit from a registered address",
     "login": "the {platform} account {login} that opened this merge request is no registered student's or staff "
              "member's, so whose changes these are cannot be confirmed (a commit's identity is only a claim). "
              "Students: ask the registration office to register this account; staff: ask the academic director, "
              "who keeps the staff list (staff.yaml), to register it; or open the request from a registered account",
     "no-author": "CI cannot read who opened this merge request on GitLab (no CI_MERGE_REQUEST_AUTHOR), and a "
                  "commit's identity is only a claim, so whose changes these are cannot be confirmed. Ask the school's "
                  "IT teacher to run this check as a merge-request pipeline (GitLab 17.9 or later)",
     "no-author-github": "CI cannot read who opened this pull request on GitHub (its event file cannot be read, or "
                         "names nobody), and a commit's identity is only a claim, so whose changes these are cannot be "
                         "confirmed. Ask the school's IT teacher to run this check in a GitHub Actions job triggered "
                         "by pull_request (on: pull_request) that can read the event file (GITHUB_EVENT_PATH)",
     "outside": "this check does not run for a merge request (a branch's pipeline or a manual run), so who proposes "
                "these changes cannot be read, and a commit's identity is only a claim: whose changes these are cannot "
                "be confirmed. Open a merge request: its check judges them"},
    follows_staff=True,
)
def unknown_identity(records):
    return _audit_hits(records, "perm.unknown-identity")


@checks("delegate.order")
def delegates_out_of_order(records):
    return _audit_hits(records, "delegate.order")
