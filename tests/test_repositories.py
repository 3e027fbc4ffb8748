"""A school as a set of repositories: a single repository students commit to is privacy.exposed;
licheng split makes a portfolio and a registry that validate on their own; the roster; one
repository per student is a configuration of the same model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NOW, REPO
from gitschool import STAFF, GitSchool, RequestSchool
from generator.errors import RepositoryError
from generator.records.repositories import Repository, role_of
from generator.validate import validate

OUTCOME = """course: "115999999H001010A010211"
title: 英文短文寫作
summary: 以英文描述一次校外參訪的經過與心得。
files: []
"""
NEW = "records/outcomes/115-1/1150101/essay.yaml"


def licheng(*args, cwd=REPO, env=None):
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})


@pytest.fixture(scope="session")
def split_base(tmp_path_factory):
    """The sample under Git; a student's request merged by the teacher; then licheng split."""
    base = tmp_path_factory.mktemp("two")
    shutil.copytree(REPO / "records", base / "portfolio/records")
    shutil.copytree(REPO / "schedules", base / "portfolio/schedules")
    school = GitSchool(base / "portfolio")
    school.mr({NEW: OUTCOME}, "1150101", "2026-09-15 20:00", "jiang-shuhui", "2026-09-20 10:00")
    _, before = validate(school.root, NOW)
    name, email = STAFF["huang-shufen"]
    env = {f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER")
           for what, value in (("NAME", name), ("EMAIL", email), ("DATE", "2026-11-01 09:00 +0800"))}
    proc = licheng("split", "-C", str(school.root), str(base / "registry"), "--now", NOW, env=env)
    assert proc.returncode == 0, proc.stderr
    return base, before, proc.stdout


@pytest.fixture
def two(split_base, tmp_path):
    base = tmp_path / "two"
    shutil.copytree(split_base[0], base, symlinks=True)
    return base


def report(root: Path, *extra, env=None) -> tuple[int, dict]:
    proc = licheng("validate", "-C", str(root), "--now", NOW, "--format", "json", "--lang", "en", "--no-cache", *extra,
                   env=env)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_single_repository_with_student_commits_is_exposed(split_base):
    _, before, printed = split_base
    exposed = [f for f in before.findings if f.rule == "privacy.exposed"]
    paths = {f.path for f in exposed}
    assert "records/students/1150101.yaml" in paths and any(p.startswith("records/grades/") for p in paths)
    assert not any(p.startswith(("records/outcomes", "schedules", "records/staff")) for p in paths)
    assert all(f.severity == "error" and "licheng split" in f.message() for f in exposed)
    assert "git filter-repo" in printed and "records/students/" in printed
    # each record kind by its name in each language's message, the student by number in both
    zh = {f.message("zh-TW") for f in exposed}
    assert not any("（student）" in m or "（submissions）" in m for m in zh) and any("（學生基本資料）" in m for m in zh)
    assert all("學號" not in f.message("en") and "(student 1" in f.message("en") for f in exposed)


def test_portfolio_and_registry_validate_on_their_own(two):
    portfolio, registry = two / "portfolio", two / "registry"
    assert not (portfolio / "records/students").exists() and (registry / "records/students/1150101.yaml").is_file()
    assert sorted(p.name for p in (portfolio / "records/roster").iterdir())[-1] == "115-2.yaml"
    roster = (portfolio / "records/roster/115-1.yaml").read_text("utf-8")
    assert "1150101" in roster and "J125493395" not in roster and "birth" not in roster
    code, out = report(portfolio)
    assert code == 0, out
    assert {f["repository"] for f in out["findings"]} <= {"portfolio"}
    assert not [f for f in out["findings"] if f["rule"] in ("ref.unknown", "privacy.exposed")]
    code, out = report(registry)
    assert code == 0, out
    assert {f["repository"] for f in out["findings"]} <= {"registry"}
    # the registry's history is its own: one first commit, by whoever split
    log = subprocess.run(["git", "-C", str(registry), "log", "--format=%s"], capture_output=True, text=True).stdout
    assert log.strip() == "建立學籍資料庫（licheng split）"
    log = subprocess.run(["git", "-C", str(portfolio), "log", "-1", "--format=%ae %s"], capture_output=True, text=True)
    assert log.stdout.strip() == "huang.shufen@example.edu.tw 個人資料移至學籍資料庫（licheng split）"
    assert subprocess.run(["git", "-C", str(portfolio), "status", "--porcelain"], capture_output=True,
                          text=True).stdout == ""


def test_roster_drift_until_licheng_roster(two):
    portfolio, registry = two / "portfolio", two / "registry"
    student = registry / "records/students/1150102.yaml"
    text = student.read_text("utf-8")
    assert 'git: [s1150102@stu.example.edu.tw]' in text
    student.write_text(text.replace("s1150102@stu.example.edu.tw", "s1150102@users.noreply.github.com"), "utf-8")
    code, out = report(registry)
    drift = [f for f in out["findings"] if f["rule"] == "roster.drift"]
    assert code == 1 and drift
    assert {(f["repository"], f["path"]) for f in drift} >= {("portfolio", "records/roster/115-1.yaml")}
    assert all("1150102" in f["message"] and "git" in f["message"] for f in drift)
    from generator.layout import schema_files

    for path, schema in schema_files().items():  # the schemas licheng init and demo give a portfolio
        (portfolio / path).parent.mkdir(parents=True, exist_ok=True)
        (portfolio / path).write_bytes(schema)
    proc = licheng("roster", "-C", str(registry), "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    assert "records/roster/115-1.yaml" in proc.stdout
    assert report(registry)[0] == 0
    status = subprocess.run(["git", "-C", str(portfolio), "status", "--porcelain"], capture_output=True, text=True)
    assert " M records/roster/115-1.yaml" in status.stdout  # written, not committed
    written = (portfolio / "records/roster/115-1.yaml").read_text("utf-8")
    assert "s1150102@users.noreply.github.com" in written
    # like every record licheng writes, it names its schema for editors, a file the portfolio carries
    modeline = written.splitlines()[0]
    assert modeline == "# yaml-language-server: $schema=../../.licheng/schemas/roster.schema.json"
    assert json.loads((portfolio / "records/roster" / modeline.split("=", 1)[1]).read_text("utf-8"))


@pytest.mark.parametrize("platform", ["github", "gitlab"])
def test_the_roster_carries_each_platforms_user_name(two, platform):
    """A merge request is judged by the account that opened it: on a GitLab school too, the roster
    must carry the students' user names to the portfolio."""
    from generator.validate import validate

    portfolio, registry = two / "portfolio", two / "registry"
    student = registry / "records/students/1150102.yaml"
    text = student.read_text("utf-8")
    student.write_text(text.replace("git: [", f"{platform}: s1150102-{platform}\ngit: [", 1), "utf-8")
    code, out = report(registry)
    assert code == 1 and any(f["rule"] == "roster.drift" and platform in f["message"] for f in out["findings"])
    assert licheng("roster", "-C", str(registry), "--now", NOW).returncode == 0
    assert f"{platform}: \"s1150102-{platform}\"" in (portfolio / "records/roster/115-1.yaml").read_text("utf-8")
    records, result = validate(portfolio, NOW, history=False)
    assert not [f for f in result.findings if f.rule.startswith("schema.")], result.findings
    assert records.identities.of_login(platform, f"s1150102-{platform}").id == "1150102"
    assert report(registry)[0] == 0


def test_portfolio_named_by_path_or_option(two, tmp_path):
    moved = tmp_path / "elsewhere"
    shutil.move(two / "portfolio", moved)
    proc = licheng("validate", "-C", str(two / "registry"), "--now", NOW)
    assert proc.returncode == 2 and "--portfolio" in proc.stderr + proc.stdout and "Traceback" not in proc.stderr
    assert report(two / "registry", "--portfolio", str(moved))[0] == 0


def test_a_revision_this_clone_lacks_never_lets_the_working_tree_say_what_the_repository_is(split_base):
    """A request's base missing from a shallow clone: its role is never read from the checkout, whose
    records/registry.yaml the request itself may have committed."""
    registry = split_base[0] / "registry"
    with pytest.raises(RepositoryError) as raised:
        role_of(registry, "0" * 40)
    assert raised.value.args[0].startswith(f"{registry}: 無法讀取版本 {'0' * 40}")
    assert role_of(registry, "HEAD") == "registry" and role_of(split_base[0] / "portfolio", "HEAD") == "portfolio"


def test_a_kind_in_the_wrong_repository_is_not_read(two):
    registry = two / "registry"
    shutil.copy(two / "portfolio/records/courses/115-1.yaml", registry / "records/courses.yaml")
    (registry / "records/courses").mkdir()
    shutil.copy(two / "portfolio/records/courses/115-1.yaml", registry / "records/courses/115-1.yaml")
    code, out = report(registry)
    misplaced = [f for f in out["findings"] if f["rule"] == "layout.misplaced"]
    assert code == 1 and [(f["repository"], f["path"]) for f in misplaced] == [("registry", "records/courses/115-1.yaml")]


def test_one_repository_per_student_is_a_configuration(two, tmp_path):
    """The portfolio cut into a school repository and one repository per student gives the
    same findings as the portfolio: the layout is data, not code."""
    portfolio = two / "portfolio"
    school = tmp_path / "school"
    shutil.copytree(portfolio, school, ignore=shutil.ignore_patterns(".git"))
    students: dict[str, Path] = {}
    for kind in ("outcomes", "performances", "selections"):
        for path in sorted((school / "records" / kind).rglob("*")):
            if path.is_file():
                rel = path.relative_to(school)
                no = rel.parts[3] if kind != "selections" else rel.stem
                target = students.setdefault(no, tmp_path / f"student-{no}") / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(path, target)
        shutil.rmtree(school / "records" / kind)
    assert len(students) > 5
    repos = [Repository("school", "school", school)] + [
        Repository(f"student-{no}", "student", root) for no, root in sorted(students.items())]
    _, whole = validate(portfolio, NOW, history=False)
    records, cut = validate(school, NOW, history=False, repositories=repos, everything=True)
    assert sorted((f.rule, f.path, f.line) for f in cut.findings) == sorted((f.rule, f.path, f.line) for f in whole.findings)
    outcome = next(d for d in records.all("outcome") if d.keys["student"] == "1150101")
    assert outcome.repository == "student-1150101" and records.root_of(outcome.path) == students["1150101"]


def test_export_from_the_registry_carries_national_ids_and_certified_outcomes(two, tmp_path):
    registry = two / "registry"
    proc = licheng("export", "-C", str(registry), "--semester", "115-1", "--out", str(tmp_path / "out"),
                   "--now", NOW, "--force")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    books = {p.name: p.read_text("utf-8-sig") for p in (tmp_path / "out").glob("*.csv")}
    assert any("J125493395" in text for text in books.values())  # from the registry's student record
    manifest = json.loads((tmp_path / "out/manifest.json").read_text("utf-8"))
    assert manifest and "J125493395" not in proc.stdout  # printed nowhere


GRADES = "records/grades/114-2/113999999H001010A010122.yaml"


def _registry_request(registry: Path, author: tuple[str, str], branch: str) -> None:
    """A request in the registry changing a grade, checked out as GitHub's test merge (refs/pull/N/merge)."""
    def git(*args, who=author, at="2026-11-20 10:00"):
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
        for role in ("AUTHOR", "COMMITTER"):
            env[f"GIT_{role}_NAME"], env[f"GIT_{role}_EMAIL"], env[f"GIT_{role}_DATE"] = *who, f"{at} +0800"
        return subprocess.run(["git", "-C", str(registry), *args], env=env, capture_output=True, text=True,
                              check=True).stdout.strip()

    git("checkout", "-q", "-B", branch, "main")
    grades = registry / GRADES
    grades.write_text(grades.read_text("utf-8").replace('"1130102": 79', '"1130102": 97'), "utf-8")
    git("commit", "-q", "-am", "更正 1130102 國語文成績")
    base, head = git("rev-parse", "main"), git("rev-parse", "HEAD")
    tree = git("merge-tree", "--write-tree", base, head).splitlines()[0]
    merge = git("commit-tree", tree, "-p", base, "-p", head, "-m", f"Merge {head} into {base}",
                who=("GitHub", "noreply@github.com"), at="2026-11-20 10:05")
    git("checkout", "-q", "--detach", merge)


def test_a_staff_request_in_the_registry_is_checked_with_its_portfolio_given_by_option(two, tmp_path):
    """The registry's merge-request check reads the portfolio CI cloned elsewhere (--portfolio):
    the request is the registry's; the portfolio is read as checked out."""
    registry, portfolio = two / "registry", tmp_path / "cloned-portfolio"
    shutil.move(two / "portfolio", portfolio)  # registry.yaml's ../portfolio is not there
    staff = portfolio / "records/staff.yaml"  # her platform account, in the portfolio's working tree only
    staff.write_text(staff.read_text("utf-8").replace("  git: [wang.yating@example.edu.tw]\n",
                                                      "  git: [wang.yating@example.edu.tw]\n  github: wang-gh\n"),
                     "utf-8")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"user": {"login": "wang-gh"}}}), "utf-8")
    github = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_BASE_REF": "main", "GITHUB_EVENT_PATH": str(event)}

    _registry_request(registry, STAFF["wang-yating"], "grade-fix")  # the registration chief: allowed
    proc = licheng("validate", "-C", str(registry), "--now", NOW, "--format", "json", "--no-cache",
                   "--portfolio", str(portfolio), env=github)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = json.loads(proc.stdout)
    assert out["request"] and {f["repository"] for f in out["findings"]} <= {"registry"}

    # a student (a roster identity) wrote the branch's commit: a claim that denies
    _registry_request(registry, ("學生1150101", "s1150101@stu.example.edu.tw"), "student-edit")
    event.write_text(json.dumps({"pull_request": {"user": {"login": "someone-gh"}}}), "utf-8")
    proc = licheng("validate", "-C", str(registry), "--now", NOW, "--format", "json", "--no-cache",
                   "--portfolio", str(portfolio), env=github)
    out = json.loads(proc.stdout)
    denied = [f for f in out["findings"] if f["rule"] == "perm.denied" and f.get("introduced", True)]
    assert proc.returncode == 1 and [(f["repository"], f["path"]) for f in denied] == [("registry", GRADES)]


def test_a_registrys_run_caches_its_portfolio_too_and_finds_the_same(two, tmp_path, monkeypatch):
    """In the registry's CI most records and commits are the portfolio's: each repository keeps its
    own cached parses and history, and a run with the cache reports what a run without it does."""
    from generator import cache
    from generator.git import index

    monkeypatch.setenv("LICHENG_CACHE_DIR", str(tmp_path / "cache"))
    portfolio, registry = two / "portfolio", two / "registry"
    for root in (portfolio, registry):  # a copied clone's index no longer matches its files' times
        subprocess.run(["git", "-C", str(root), "update-index", "-q", "--refresh"], capture_output=True)

    def findings(use_cache):
        return sorted((f.rule, f.path, f.line, f.repository)
                      for f in validate(registry, NOW, use_cache=use_cache)[1].findings)

    expected = findings(False)
    assert findings(True) == expected  # written
    for root in (portfolio, registry):
        names = sorted(p.name for p in cache.directory(root).iterdir())
        assert "records.json" in names and "history.json" in names, (root.name, names)
    outcome = index.blob_ids(portfolio)[NEW]
    assert outcome in json.loads((cache.directory(portfolio) / "records.json").read_bytes().split(b"\n", 1)[1])["blobs"]
    assert findings(True) == expected  # read


@pytest.mark.parametrize("value", [None, 7, "../portfolio", 'a: "b" # c', "- [x]\n{y}", "學校資料庫"])
def test_one_scalar_writer_for_the_registry_file_and_the_roster(value):
    from generator.records.repositories import registry_yaml
    from generator.yaml import loads, scalar

    assert loads(f"v: {scalar(value)}\n") == {"v": value}
    if isinstance(value, str):
        assert loads(registry_yaml(value))["portfolio"] == value


def test_schema_findings_name_their_repository_and_a_registrys_are_reported(two):
    """A broken record in either repository is reported by that repository's run, tagged with it
    like every other finding of a split school (a registry's own were dropped as no one's)."""
    portfolio, registry = two / "portfolio", two / "registry"
    student = registry / "records/students/1150101.yaml"
    student.write_text(student.read_text("utf-8").replace("birth_date:", "birth_date: [1]\nbirth:"), "utf-8")
    (registry / "records/students/1150103.yaml").write_text("", "utf-8")
    (portfolio / NEW).write_text("course: 5\ntitle: 英文短文寫作\n", "utf-8")
    for root, paths in ((registry, {"records/students/1150101.yaml", "records/students/1150103.yaml"}),
                        (portfolio, {NEW})):
        code, out = report(root)
        schema = [f for f in out["findings"] if f["rule"].startswith("schema.")]
        assert code == 1 and {f["path"] for f in schema} == paths, out["findings"]
        assert {f["repository"] for f in schema} == {root.name}
        text = licheng("validate", "-C", str(root), "--now", NOW, "--no-cache").stdout
        assert all(f"({root.name}): " in line for line in text.splitlines() if "[schema." in line), text


def test_roster_prints_paths_a_user_can_open_from_where_they_run_it(two):
    """licheng roster writes into the portfolio, another folder than the registry it runs in: each
    path it prints opens from the working folder (relative beneath it, else absolute)."""
    registry = two / "registry"
    student = registry / "records/students/1150102.yaml"
    for n, (cwd, args) in enumerate([(registry, []), (two, ["-C", "registry"]), (registry / "records", ["-C", ".."])]):
        student.write_text(student.read_text("utf-8").replace("git: [", f"git: [s{n}@example.com, ", 1), "utf-8")
        proc = licheng("roster", "--now", NOW, *args, cwd=cwd)
        assert proc.returncode == 0, proc.stderr
        printed = [line for line in proc.stdout.splitlines() if line.endswith(".yaml")]
        assert printed and all((cwd / line).is_file() and line.endswith(("115-1.yaml", "115-2.yaml"))
                               for line in printed), proc.stdout
        assert (cwd / proc.stdout.split("請在 ")[1].split(" 檢查")[0] / "records/roster").is_dir(), proc.stdout
    assert printed[0].startswith("/") and not proc.stdout.startswith("portfolio/")


def test_a_students_email_before_it_changed_mid_year_is_still_hers(two):
    """1150101 committed her outcome in September as s1150101@…; in the spring semester's roster
    row her school email is another. The older row's identity is still hers: her September commits
    stay hers, and her new address is hers too (in the portfolio, which reads only the roster)."""
    portfolio = GitSchool.existing(two / "portfolio")
    _, before = report(portfolio.root)
    spring = "records/roster/115-2.yaml"
    rows = portfolio.read(spring).split("\n- ")
    [mine] = [i for i, row in enumerate(rows) if row.lstrip("- ").startswith('student: "1150101"')]
    assert "s1150101@stu.example.edu.tw" in rows[mine]
    rows[mine] = rows[mine].replace("s1150101@stu.example.edu.tw", "pan.guanlin@stu.example.edu.tw")
    portfolio.direct({spring: "\n- ".join(rows)}, "wang-yating", "2026-11-02 09:00", message="名冊：更換學校信箱")
    portfolio.git("checkout", "-q", "-b", "spring-outcome")
    portfolio.write("records/outcomes/115-1/1150101/letter.yaml", OUTCOME.replace("英文短文寫作", "英文書信"))
    portfolio.git("add", "-A")
    portfolio.git("commit", "-q", "-m", "新增成果", author=("潘冠霖", "pan.guanlin@stu.example.edu.tw"),
                  at="2026-11-10 20:00")
    portfolio.git("checkout", "-q", "main")
    portfolio.merge("spring-outcome", "jiang-shuhui", "2026-11-11 10:00")
    code, after = report(portfolio.root)
    people = {f["rule"] for f in after["findings"]} & {"perm.unknown-identity", "perm.denied", "identity.shared"}
    assert code == 0 and not people, after["findings"]
    assert {f["rule"] for f in after["findings"]} == {f["rule"] for f in before["findings"]}


def test_an_account_name_of_an_earlier_roster_row_opens_no_request_as_her(two, tmp_path):
    """1150102's GitHub account was qiu-old in 115-1; she renamed it qiu-new (the spring row says
    so) and GitHub freed the old name for anyone. A classmate who takes qiu-old and opens a request
    writing 1150102's folder is nobody the school knows (perm.unknown-identity), never 1150102;
    her account as it is now opens her requests."""
    portfolio = RequestSchool.existing(two / "portfolio")
    for semester, login in (("115-1", "qiu-old"), ("115-2", "qiu-new")):
        path = f"records/roster/{semester}.yaml"
        rows = portfolio.read(path).split("\n- ")
        [hers] = [i for i, row in enumerate(rows) if row.lstrip("- ").startswith('student: "1150102"')]
        rows[hers] = rows[hers].replace("\n  git: [", f"\n  github: {login}\n  git: [", 1)
        portfolio.write(path, "\n- ".join(rows))
    portfolio.commit_all("名冊：登錄 GitHub 帳號", "wang-yating", "2026-11-02 09:00")
    branch = portfolio.open_branch({"records/outcomes/115-1/1150102/diary.yaml": OUTCOME}, "1150102",
                                   "2026-11-10 20:00")
    portfolio.test_merge(branch)
    found = {}
    for login in ("qiu-old", "qiu-new"):
        event = tmp_path / f"{login}.json"
        event.write_text(json.dumps({"pull_request": {"number": 1, "user": {"login": login}}}), "utf-8")
        env = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_BASE_REF": "main", "GITHUB_EVENT_PATH": str(event),
               "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}
        _, checked = report(portfolio.root, env=env)
        found[login] = {f["rule"] for f in checked["findings"] if f.get("introduced", True)}
    assert "perm.unknown-identity" in found["qiu-old"]
    assert not {r for r in found["qiu-new"] if r.startswith("perm.")}, found["qiu-new"]


def test_roster_never_writes_through_a_link_the_portfolio_holds(two, tmp_path):
    """A portfolio checkout holding a request's `records/roster/115-1.yaml -> ../../../victim`:
    the roster is refused, the file the link names kept."""
    portfolio, registry = two / "portfolio", two / "registry"
    victim = tmp_path / "victim"
    victim.write_text("the registrar's own file\n", "utf-8")
    roster = portfolio / "records/roster/115-1.yaml"
    roster.unlink()
    roster.symlink_to(victim)
    proc = licheng("roster", "-C", str(registry), "--now", NOW, "--lang", "en")
    assert proc.returncode == 2 and "symbolic link" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert victim.read_text("utf-8") == "the registrar's own file\n"


def test_a_registrys_run_says_the_portfolios_staff_list_could_not_be_read(two):
    """The staff list lives in the portfolio: when it cannot be read, the registry's run withholds
    its own findings that follow (its counseling records' teachers, all unknown) and says why by the
    one that counts them, about the portfolio's file, failing as the unknown names did."""
    staff = two / "portfolio/records/staff.yaml"
    staff.write_text(staff.read_text("utf-8").replace("  name: 林志遠\n", "  name: 林志遠\n  name: 林志遠\n"), "utf-8")
    code, out = report(two / "registry")
    said = [(f["rule"], f["repository"], f["path"]) for f in out["findings"] if f["severity"] == "error"]
    assert code == 1 and said == [("ref.unchecked", "portfolio", "records/staff.yaml")], out["findings"]
    [found] = out["findings"]
    assert "references to staff not checked" in found["message"] and "(0 " not in found["message"]
