"""§8: the records of students past retention, deleted in one commit and erased from history.

1130110 transferred out on 2026-02-15; with retention_years 5 her records expire on
2031-02-15, so at 2031-03-01 she is the one student to purge. The repository is real Git
(GitSchool); her outcome reaches main through a merge, her grade, cadre and counseling
entries through the staff's own commits, so every kind of trace is in the history.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator.maintenance import entries, purge
from generator.validate import validate
from gitschool import GITHUB, GitSchool, sample_repo, who

NOW = "2031-03-01 09:00"
NO, NID, NAME = "1130110", "B268969679", "鄭雅筑"
GRADES = "records/grades/114-2/113999999H001010A010122.yaml"
CADRES = "records/cadres/114-2.yaml"
COUNSELING = "records/counseling/114-2/yang-ziqing.yaml"
GROUP = "records/working-group/114.yaml"
SECRET = "轉出前諮詢：說明轉學後學習歷程檔案的處理方式與新學校的銜接。"
OUTCOME = f"records/outcomes/114-2/{NO}/farewell-letter.yaml"

@pytest.fixture(scope="module")
def her_history(tmp_path_factory) -> Path:
    """Her traces committed once for the module; each test purges its own copy (`repo`)."""
    school = sample_repo(tmp_path_factory.mktemp("purge") / "school")
    school.mr({OUTCOME: f'course: "113999999H001010A010122"\ntitle: 給同學的告別信\nsummary: 以書信體回顧高二上學期。\n'},
              NO, "2026-02-10 20:00", "huang-shufen", "2026-02-11 10:00")
    school.edit(GRADES, '"1130109": 74', f'"1130109": 74\n  "{NO}": 70')
    school.commit_all("114-2 成績", "wang-yating", "2026-02-12 09:00")
    school.append(CADRES, f'- {{student: "{NO}", level: class, unit: 201班, position: 總務股長, '
                          "from: 2026-02-11, until: 2026-02-14}\n")
    school.commit_all("114-2 幹部", "zheng-yuxuan", "2026-02-12 10:00")
    school.append(COUNSELING, f'- {{student: "{NO}", date: 2026-02-13, time: "12:10-12:50", place: 輔導室, '
                              f"content: {SECRET}}}\n")
    school.commit_all("諮詢紀錄", "yang-ziqing", "2026-02-13 15:00")
    school.edit(GROUP, 'student: "1130103"', f'student: "{NO}"')
    school.commit_all("學生代表", "huang-shufen", "2026-02-13 16:00")
    return school.root


@pytest.fixture
def repo(her_history, tmp_path) -> GitSchool:
    shutil.copytree(her_history, tmp_path / "school", symlinks=True)
    return GitSchool.existing(tmp_path / "school")


def all_objects(root) -> bytes:
    proc = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=root, capture_output=True,
                          check=True)
    return proc.stdout


def test_plan_lists_everything_and_changes_nothing(repo):
    records, _ = validate(repo.root, NOW)
    assert purge.expired(records) == [NO]
    items = purge.plan(records)
    files = {i.path for i in items if i.what == "file"}
    assert f"records/students/{NO}.yaml" in files and OUTCOME in files
    assert f"records/performances/114/{NO}/certificate.pdf" in files  # attachments too
    assert len([p for p in files if p.startswith(f"records/performances/114/{NO}/")]) == 6
    entries = {(i.path, i.kind) for i in items if i.what == "entry"}
    assert entries == {(GRADES, "grades"), (CADRES, "cadres"), (COUNSELING, "counseling"), (GROUP, "working-group")}
    assert {i.student for i in items} == {NO}
    assert repo.git("status", "--porcelain") == ""
    assert purge.plan(validate(repo.root, "2031-02-14")[0]) == []  # not yet expired


def test_only_registration_or_admin_may_purge(repo):
    records, _ = validate(repo.root, NOW)
    with pytest.raises(purge.PurgeRefused, match="staff.yaml 中沒有這位教職員") as refused:
        purge.apply(records, "nobody")
    assert refused.value.text("en") == "nobody: not in staff.yaml"
    with pytest.raises(purge.PurgeRefused, match="角色") as refused:
        purge.apply(records, "lai-zhiwei")  # a teacher
    assert "roles" in refused.value.text("en")
    assert repo.git("status", "--porcelain") == ""


def test_apply_then_rewrite_history_leaves_no_trace(repo):
    records, _ = validate(repo.root, NOW)
    before = {p: repo.read(p) for p in (GRADES, CADRES, COUNSELING, GROUP)}
    targets = purge.history_targets(records)
    head = repo.git("rev-parse", "HEAD")
    sha = purge.apply(records, "wang-yating")
    assert repo.git("rev-parse", "HEAD^") == head  # one commit
    assert repo.git("log", "-1", "--format=%an <%ae>|%B", sha).startswith("王雅婷 <wang.yating@example.edu.tw>|")
    assert purge.TRAILER in repo.git("log", "-1", "--format=%B")
    assert repo.git("status", "--porcelain") == ""
    assert not repo.path(f"records/students/{NO}.yaml").exists()
    assert not repo.path(f"records/performances/114/{NO}").exists()
    for path, old in before.items():  # only her lines went; the modeline and comments stay
        new = repo.read(path)
        assert new.startswith("# yaml-language-server: $schema=")
        assert [line for line in old.splitlines() if NO not in line] == new.splitlines()
    records2, result = validate(repo.root, NOW)
    assert NO not in records2.students and "ref.unknown" not in {f.rule for f in result.findings}
    assert NID.encode() in all_objects(repo.root)  # still in history, until rewritten

    purge.rewrite_history(repo.root, targets)
    assert repo.git("status", "--porcelain") == ""
    blob = all_objects(repo.root)
    for value in (NID, NAME, SECRET, f"s{NO}@stu.example.edu.tw"):
        assert value.encode() not in blob, value
    assert NO.encode() not in blob
    assert repo.path("records/students/1130101.yaml").exists() and b"T171106652" in blob  # others stay
    log = repo.git("log", "--format=%s")  # the history stays; commits left empty (her own) are pruned
    assert all(m in log for m in ("匯入學校資料", "114-2 成績", "114-2 幹部", "諮詢紀錄", "依§8刪除"))
    repo.git("reflog", "expire", "--expire=now", "--all")
    repo.git("gc", "--prune=now")
    assert NID.encode() not in all_objects(repo.root)
    records3, _ = validate(repo.root, NOW)
    assert purge.plan(records3) == [] and len(records3.students) == len(records.students) - 1


def test_rewrite_erases_her_platform_account_and_its_no_reply_identity(repo):
    """She edited on GitHub's web pages: her commits carry GitHub's no-reply address (an account
    number no record holds) and GitHub's merge message names her account."""
    login, letter = "zheng-yazhu", f"records/outcomes/114-2/{NO}/web-letter.yaml"
    repo.edit(f"records/students/{NO}.yaml", "git: [", f"github: {login}\ngitlab: yz.zheng\ngit: [")
    repo.commit_all("登錄 GitHub 帳號", "wang-yating", "2026-02-13 17:00")
    repo.write(f"records/outcomes/114-2/{NO}/school-gitlab.yaml",  # on the school's own GitLab (school.yaml)
               'course: "113999999H001010A010122"\ntitle: 校內平臺\nsummary: 在校內 GitLab 上編輯。\n')
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "Add school-gitlab.yaml", at="2026-02-13 17:30",
             author=("YZ", "31-yz.zheng@users.noreply.gitlab.example.edu.tw"))
    repo.git("checkout", "-q", "-b", "letter")
    repo.write(letter, 'course: "113999999H001010A010122"\ntitle: 網頁上寫的信\nsummary: 在網頁上編輯。\n')
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "Create web-letter.yaml", at="2026-02-13 18:00",
             author=("Zheng", f"80412345+{login}@users.noreply.github.com"), committer=GITHUB)
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", f"Merge pull request #7 from {login}/letter", "letter",
             author=who("huang-shufen"), committer=GITHUB, at="2026-02-13 19:00")
    records, _ = validate(repo.root, NOW)
    targets = purge.history_targets(records)
    purge.apply(records, "wang-yating")
    purge.rewrite_history(repo.root, targets)
    log = repo.git("log", "--all", "--format=%an %ae %cn %ce %B")
    assert login not in log and "80412345" not in log and "Zheng" not in log and "yz.zheng" not in log
    assert "Merge pull request #7 from" in log and "noreply@github.com" in log  # GitHub's own identity stays
    repo.git("reflog", "expire", "--expire=now", "--all")
    repo.git("gc", "-q", "--prune=now")
    assert login.encode() not in all_objects(repo.root)


def test_erasing_her_user_name_leaves_other_peoples_addresses_whole(repo):
    """Her account is named like the start of a teacher's address (huang / huang.shufen@…): the
    teacher's address in a Certified-by trailer (certification's evidence) stays whole, while
    every mention of her account goes."""
    login, teacher = "huang", "huang.shufen@example.edu.tw"
    repo.edit(f"records/students/{NO}.yaml", "git: [", f"github: {login}\ngit: [")
    repo.commit_all("登錄 GitHub 帳號", "wang-yating", "2026-02-13 17:00")
    repo.git("commit", "-q", "--allow-empty", "-m", f"Merge pull request #8 from {login}/essay\n\n"
             f"@{login} 的作品已認證。\n\nCertified-by: 黃淑芬 <{teacher}>", author=who("huang-shufen"),
             committer=GITHUB, at="2026-02-13 19:00")
    records, _ = validate(repo.root, NOW)
    targets = purge.history_targets(records)
    purge.apply(records, "wang-yating")
    purge.rewrite_history(repo.root, targets)
    log = repo.git("log", "--all", "--format=%B")
    assert f"Certified-by: 黃淑芬 <{teacher}>" in log
    assert f"from {login}/" not in log and f"@{login} " not in log


def test_rewrite_erases_her_user_name_where_the_platforms_write_it(repo):
    """The web editors name a branch after her account (GitHub: zheng-yazhu-patch-1; GitLab:
    zheng-yazhu-main-patch-58342), and a Co-authored-by trailer carries her no-reply address with
    its account number (which names the account as well as her user name does)."""
    login = "zheng-yazhu"
    log = _purged_message(repo, f"github: {login}\ngitlab: {login}", "Merge pull request #9",
                          f"Merge pull request #9 from {login}/{login}-patch-1\n\nMerge branch '{login}-main-patch-58342' "
                          f"into 'main'\n\nCo-authored-by: Zheng <80412345+{login}@users.noreply.github.com>\n"
                          f"Co-authored-by: Zheng <7654321-{login}@users.noreply.gitlab.com>")
    assert login not in log and "80412345" not in log and "7654321" not in log
    assert "Merge pull request #9 from" in log and "-main-patch-58342' into 'main'" in log


def test_her_user_name_is_erased_where_it_names_her_account_not_as_a_word(repo):
    """Her account is "chen": the word chen, a teacher's address and another account that starts
    alike stay; her account goes wherever a message names it as one."""
    login = "chen"
    log = _purged_message(repo, f"github: {login}", "Merge pull request #10",
                          f"Merge pull request #10 from {login}/{login}-patch-1\n\n"
                          f"@{login} 的作品（Chen lab 的 chen 方法）已看過，另見 @chen-li 與 https://github.com/{login}/notes\n"
                          f"Merge branch '{login}/essay' into 'main'\n\n"
                          f"Co-authored-by: {login} <80412345+{login}@users.noreply.github.com>\n"
                          "Certified-by: 陳怡君 <chen.yijun@example.edu.tw>")
    gone = purge.REMOVED.decode()
    assert log.splitlines() == [
        f"Merge pull request #10 from {gone}/{gone}-patch-1", "",
        f"@{gone} 的作品（Chen lab 的 chen 方法）已看過，另見 @chen-li 與 https://github.com/{gone}/notes",
        f"Merge branch '{gone}/essay' into 'main'", "",
        f"Co-authored-by: {gone} <{gone}@users.noreply.github.com>",
        "Certified-by: 陳怡君 <chen.yijun@example.edu.tw>"]


def test_shared_file_entry_in_block_style_is_cut_out_by_lines():
    text = ("# yaml-language-server: $schema=../../../generator/schemas/counseling.schema.json\n"
            "# 註解\n"
            "- student: \"1130110\"\n"
            "  date: 2026-02-13\n"
            "  content: >\n"
            "    第一行\n"
            "\n"
            "    第二行\n"
            "# 下一位\n"
            "- {student: \"1130101\", date: 2026-02-14, time: \"12:10\", place: 輔導室, content: 好}\n")
    from generator.yaml import load_bytes

    data = load_bytes(text.encode())
    item = purge.PurgeItem("x.yaml", NO, "entry", "counseling", (0,), data.item_lines[0])
    new, how, removed = entries.edit_shared(text, data, [item])
    assert how == "lines" and "第二行" not in new and "# 下一位" in new and new.startswith("# yaml-language-server")
    assert removed[0] == '- student: "1130110"'
    flow = text.splitlines()[0] + '\nscores: {"1130110": 70, "1130101": 80}\ncourse: X\n'
    data = load_bytes(flow.encode())
    item = purge.PurgeItem("x.yaml", NO, "entry", "grades", ("scores", NO), 2)
    new, how, _ = entries.edit_shared(flow, data, [item])
    assert how == "redump" and new.startswith("# yaml-language-server") and load_bytes(new.encode()) == {
        "scores": {"1130101": 80}, "course": "X"}


@pytest.mark.skipif(not shutil.which("git-lfs"), reason="git-lfs is not installed (apt-get install git-lfs)")
def test_rewrite_history_deletes_the_students_lfs_objects_and_names_them(repo):
    from generator.git import lfs

    pdf = b"%PDF-1.4\n% farewell letter scan\n%%EOF\n"
    oid = __import__("hashlib").sha256(pdf).hexdigest()
    store = lfs.Store(repo.root)
    store.path(oid).parent.mkdir(parents=True)
    store.path(oid).write_bytes(pdf)
    folder = f"records/outcomes/114-2/{NO}"
    repo.mr({f"{folder}/scan.pdf": lfs.pointer_bytes(oid, len(pdf)).decode(),
             f"{folder}/scan.yaml": 'course: "113999999H001010A010122"\ntitle: 掃描\nsummary: 掃描檔。\nfiles: [scan.pdf]\n'},
            NO, "2026-02-10 21:00", "huang-shufen", "2026-02-11 11:00")
    records, _ = validate(repo.root, NOW)
    assert records.files[f"{folder}/scan.pdf"] == len(pdf) and records.head(f"{folder}/scan.pdf").startswith(b"%PDF")
    targets = purge.history_targets(records)
    assert lfs.objects_at(repo.root, targets.paths) == {oid}
    purge.apply(records, "wang-yating")
    purge.rewrite_history(repo.root, targets)
    assert lfs.drop_unreferenced(repo.root, {oid}) == [oid]  # the platform must delete this one too
    assert not store.path(oid).exists()


# -- destructive commands that cannot destroy (issue 10, class 4) ----------------------------------

def _snapshot(root) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(root).parts}


@pytest.mark.parametrize("state", ["dirty", "untracked", "detached", "merging"])
def test_apply_refuses_an_unsafe_tree_before_touching_anything(repo, state):
    if state == "dirty":
        repo.append("records/staff.yaml", "# 尚未提交的編輯\n")
    elif state == "untracked":
        repo.write("records/notes.txt", "草稿")
    elif state == "detached":
        repo.git("checkout", "-q", "--detach", "HEAD")
    else:
        repo.git("checkout", "-q", "-b", "side", "HEAD~1")
        repo.append(GRADES, "# 另一邊\n")
        repo.commit_all("另一邊", "wang-yating", "2026-02-14 09:00")
        repo.git("checkout", "-q", "main")
        repo.append(GRADES, "# 這一邊\n")
        repo.commit_all("這一邊", "wang-yating", "2026-02-14 10:00")
        subprocess.run(["git", "merge", "side"], cwd=repo.root, capture_output=True)  # a conflict: stays in progress
        assert (repo.root / ".git/MERGE_HEAD").exists()
    head, files = repo.git("rev-parse", "HEAD"), _snapshot(repo.root)
    records, _ = validate(repo.root, NOW)
    with pytest.raises(purge.PurgeRefused):
        purge.apply(records, "wang-yating")
    assert repo.git("rev-parse", "HEAD") == head and _snapshot(repo.root) == files
    from generator import cli

    assert cli.main(["purge", "--apply", "--as", "wang-yating", "--rewrite-history", "-C", str(repo.root),
                     "--now", NOW]) == 2
    assert repo.git("rev-parse", "HEAD") == head and _snapshot(repo.root) == files


def test_rewrite_removes_her_records_and_nothing_else(repo):
    # the principal's staff entry and a course file mention her name and number: they are not her records
    repo.edit("records/staff.yaml", "- id: lin-zhiyuan\n", f"- id: lin-zhiyuan  # 曾輔導{NAME}（{NO}）轉學\n")
    repo.commit_all("校長備註", "huang-shufen", "2026-02-14 09:00")
    cadre_commit = repo.git("log", "-1", "--format=%H", "--", CADRES)
    repo.write("records/acknowledgements.yaml",
               "# yaml-language-server: $schema=../generator/schemas/acknowledgements.schema.json\n"
               f"- rule: perm.denied\n  path: {CADRES}\n  commit: {cadre_commit[:10]}\n"
               "  reason: 訓育組代登\n  by: huang-shufen\n  at: 2026-02-20\n")
    repo.commit_all("確認", "huang-shufen", "2026-02-20 09:00")
    records, _ = validate(repo.root, NOW)
    targets = purge.history_targets(records)
    purge.apply(records, "huang-shufen")
    before = _snapshot(repo.root)
    commit_map, rekeyed = purge.rewrite_history(repo.root, targets)
    after = _snapshot(repo.root)
    assert rekeyed and repo.git("status", "--porcelain") == "M records/acknowledgements.yaml"
    assert sorted(after) == sorted(before)
    assert [p for p in after if after[p] != before[p]] == ["records/acknowledgements.yaml"]
    assert f"{NAME}（{NO}）".encode() in after["records/staff.yaml"]  # untouched, and still valid YAML
    new_cadre = repo.git("log", "-1", "--format=%H", "--", CADRES)
    mapping = dict(line.split() for line in commit_map.read_text().splitlines()[1:])
    assert mapping[cadre_commit] in repo.git("rev-list", "--all")
    ack = after["records/acknowledgements.yaml"].decode()
    assert f"commit: {mapping[cadre_commit][:10]}" in ack and cadre_commit[:10] not in ack
    # every version of every shared file lost her entries and nothing else; every version is valid YAML
    from generator.yaml import load_bytes

    for path in (GRADES, CADRES, COUNSELING, GROUP, "records/staff.yaml"):
        for sha in repo.git("rev-list", "HEAD", "--", path).split():
            text = subprocess.run(["git", "show", f"{sha}:{path}"], cwd=repo.root, capture_output=True).stdout
            if not text:
                continue
            load_bytes(text)
            if path != "records/staff.yaml":
                assert NO.encode() not in text and SECRET.encode() not in text
    assert not repo.git("log", "--all", "--format=%H", "--", f"records/students/{NO}.yaml", f"records/outcomes/*/{NO}/*")
    result = validate(repo.root, NOW)[1]
    assert not [f for f in result.findings if f.rule.startswith(("yaml.", "schema.invalid", "internal."))]


def test_rewrite_refuses_uncommitted_work(repo):
    records, _ = validate(repo.root, NOW)
    targets = purge.history_targets(records)
    purge.apply(records, "wang-yating")
    repo.append("records/staff.yaml", "# 尚未提交\n")
    head = repo.git("rev-parse", "HEAD")
    with pytest.raises(purge.PurgeRefused):
        purge.rewrite_history(repo.root, targets)
    assert repo.read("records/staff.yaml").endswith("# 尚未提交\n") and repo.git("rev-parse", "HEAD") == head


# -- a split school: the registry and its portfolio both rewritten -----------------------------------

def reachable(root) -> bytes:
    """Every object reachable from any ref (`git rev-list --all --objects`), with its path and contents."""
    listing = subprocess.run(["git", "rev-list", "--all", "--objects"], cwd=root, capture_output=True,
                             check=True).stdout
    shas = b"\n".join(line.split()[0] for line in listing.splitlines()) + b"\n"
    contents = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input=shas, capture_output=True,
                              check=True).stdout
    return listing + contents


def test_purge_in_a_split_school_rewrites_the_history_of_both_repositories(repo, tmp_path, monkeypatch, capsys):
    """Her records reached the school before it was split: the portfolio's old history holds her student
    file and entries and now her roster rows, outcome and performances; the registry's first commit her
    grades, cadre and counseling entries. `purge --apply --rewrite-history` in the registry erases her
    from both, each with its own commit map and re-keyed acknowledgements."""
    from generator import cli
    from gitschool import STAFF

    name, email = STAFF["huang-shufen"]
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", name)
        monkeypatch.setenv(f"GIT_{role}_EMAIL", email)
        monkeypatch.setenv(f"GIT_{role}_DATE", "2026-03-01 09:00 +0800")
    portfolio, registry = repo.root, tmp_path / "registry"
    assert cli.main(["split", "-C", str(portfolio), str(registry), "--now", NOW]) == 0
    split_commit = repo.git("rev-parse", "HEAD")
    repo.write("records/acknowledgements.yaml",
               f"- rule: perm.denied\n  path: records/staff.yaml\n  commit: {split_commit[:10]}\n"
               "  reason: 測試\n  by: huang-shufen\n  at: 2026-03-01\n")
    repo.commit_all("確認", "huang-shufen", "2026-03-01 10:00")
    for role in ("AUTHOR", "COMMITTER"):
        for what in ("NAME", "EMAIL", "DATE"):
            monkeypatch.delenv(f"GIT_{role}_{what}")
    assert any(NO in p.read_text("utf-8") for p in (portfolio / "records/roster").iterdir())
    for root in (portfolio, registry):
        assert NID.encode() in reachable(root)
        shutil.copytree(root, tmp_path / "plain" / root.name, symlinks=True)
    # the same purge without the rewrite, on a copy: what validate says after it
    assert cli.main(["purge", "--apply", "--as", "wang-yating", "-C", str(tmp_path / "plain/registry"),
                     "--now", NOW]) == 0

    def errors(root):
        return sorted((f.rule, f.repository, f.path) for f in validate(root, NOW)[1].findings if f.severity == "error")

    plain = {root: errors(tmp_path / "plain" / root.name) for root in (portfolio, registry)}

    repo.git("remote", "add", "origin", "https://staff:s3cret@git.example.edu.tw/school/portfolio.git")
    capsys.readouterr()
    assert cli.main(["purge", "--apply", "--as", "wang-yating", "--rewrite-history", "-C", str(registry),
                     "--now", NOW]) == 0
    printed = capsys.readouterr().out
    for root in (portfolio, registry):
        found = reachable(root) + all_objects(root)
        for value in (NID, NO, NAME, SECRET):
            assert value.encode() not in found, (root.name, value)
        assert str(root) in printed  # what to do with each repository's remote
        commit_map = root / ".git/filter-repo/commit-map"
        assert commit_map.is_file() and str(commit_map) in printed
        # the rewrite adds no error; it only takes away those about her records (her files, and the
        # commits whose one change was her entry in a shared file, which now change nothing)
        after = errors(root)
        assert set(after) <= set(plain[root]), root.name
        assert all(NO in path or path in (GRADES, CADRES, COUNSELING) for _, _, path in set(plain[root]) - set(after))
    assert printed.count("push --force --all") == 2 and "s3cret" not in printed
    # what the platform must purge, said in full: no pointer to a document the school does not have
    assert "GitHub Support" in printed and "儲存庫清理" in printed and "README" not in printed
    assert f"git -C {portfolio} remote add origin https://git.example.edu.tw/school/portfolio.git" in printed
    mapping = dict(line.split() for line in (portfolio / ".git/filter-repo/commit-map").read_text().splitlines()[1:])
    assert repo.git("status", "--porcelain") == "M records/acknowledgements.yaml"
    assert f"commit: {mapping[split_commit][:10]}" in repo.read("records/acknowledgements.yaml")
    assert mapping[split_commit] != split_commit
    assert repo.path("records/students").exists() is False and (registry / "records/students/1130101.yaml").exists()


def test_her_user_name_is_erased_where_git_and_a_shared_repository_write_it(repo):
    """`git pull` over SSH writes the account as github.com:login/…, a branch pushed to the school's
    own repository carries it as a segment (from school/login/essay), and git's trailers name her
    account when it is her user.name (Signed-off-by, Reviewed-by): all named her account before
    the purge learnt where accounts are named, and all were left in. A login like hers, with a -,
    is her name spelt out: it goes as a plain word too, but not from the start of another address."""
    login = "zheng-yazhu"
    log = _purged_message(repo, f"github: {login}", "github.com:",
                          f"Merge branch 'main' of github.com:{login}/portfolio\n\n"
                          f"Merge pull request #11 from school/{login}/essay\n\n"
                          f"{login} 的作品已看過，另見 {login}.tw@example.edu.tw\n\n"
                          f"Signed-off-by: {login} <s{NO}@stu.example.edu.tw>\n"
                          f"Reviewed-by: {login} <s{NO}@stu.example.edu.tw>")
    gone = purge.REMOVED.decode()
    assert log.splitlines() == [
        f"Merge branch 'main' of github.com:{gone}/portfolio", "",
        f"Merge pull request #11 from school/{gone}/essay", "",
        f"{gone} 的作品已看過，另見 {login}.tw@example.edu.tw", "",
        f"Signed-off-by: {gone} <{gone}>", f"Reviewed-by: {gone} <{gone}>"]


def _purged_message(repo, accounts: str, grep: str, message: str) -> str:
    """Her platform accounts (`accounts`: student.yaml lines) registered, `message` committed through
    GitHub, she purged with her history: the commit's message (found by `grep`) as it is then."""
    repo.edit(f"records/students/{NO}.yaml", "git: [", f"{accounts}\ngit: [")
    repo.commit_all("登錄帳號", "wang-yating", "2026-02-13 17:00")
    repo.git("commit", "-q", "--allow-empty", "-m", message, author=who("huang-shufen"), committer=GITHUB,
             at="2026-02-13 19:00")
    records, _ = validate(repo.root, NOW)
    targets = purge.history_targets(records)
    purge.apply(records, "wang-yating")
    purge.rewrite_history(repo.root, targets)
    return repo.git("log", "-1", "--all", "--fixed-strings", f"--grep={grep}", "--format=%B")


def test_purge_in_a_registry_tags_each_path_with_its_repository(repo, tmp_path, monkeypatch, capsys):
    """As validate's findings do: her roster rows are only in the portfolio, her student file only in
    the registry; a listed path says which repository it is in."""
    from generator import cli
    from gitschool import STAFF

    name, email = STAFF["huang-shufen"]
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", name)
        monkeypatch.setenv(f"GIT_{role}_EMAIL", email)
        monkeypatch.setenv(f"GIT_{role}_DATE", "2026-03-01 09:00 +0800")
    registry = tmp_path / "registry"
    assert cli.main(["split", "-C", str(repo.root), str(registry), "--now", NOW]) == 0
    capsys.readouterr()
    assert cli.main(["purge", "-C", str(registry), "--now", NOW]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("records/")]
    roster = [line for line in listed if line.startswith("records/roster/")]
    student = [line for line in listed if line.startswith(f"records/students/{NO}.yaml")]
    assert roster and all(line.split("  ")[0].endswith(" (portfolio)") for line in roster), listed
    assert student and all(line.split("  ")[0].endswith(" (registry)") for line in student), listed
