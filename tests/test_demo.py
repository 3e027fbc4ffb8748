"""`create_demo`: a deterministic school repository whose history carries every planted case."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.demo import create_demo
from generator.validate import validate

NOW = "2026-11-28"
STUDENTS, SEED = 60, 3
HISTORY_CODES = {"cert.not-merged", "cert.wrong-certifier", "cert.self-merge", "cert.squashed", "delegate.order",
                 "window.outcome-upload", "window.certification", "window.performance-upload", "window.selection",
                 "selection.uncertified", "perm.denied", "perm.unknown-identity"}
GITHUB = "noreply@github.com"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo") / "school"
    return root, create_demo(root, STUDENTS, SEED)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def show(root: Path, rev: str) -> dict:
    fields = git(root, "show", "-s", "--format=%P%x00%an%x00%ae%x00%cn%x00%ce%x00%aI%x00%cI%x00%B", rev).split("\x00")
    parents, an, ae, cn, ce, adate, cdate, body = fields
    return {"parents": parents.split(), "author": ae, "author_name": an, "committer": ce, "committer_name": cn,
            "author_date": adate, "commit_date": cdate, "message": body}


def is_student(email: str) -> bool:
    return email.endswith("@stu.example.edu.tw")


def owner_email(path: str) -> str:
    return f"s{path.split('/')[3]}@stu.example.edu.tw"


def test_same_seed_same_repository(demo, tmp_path):
    root, summary = demo
    again = create_demo(tmp_path / "again", STUDENTS, SEED)
    assert again["head"] == summary["head"] == git(root, "rev-parse", "main").strip()
    assert git(tmp_path / "again", "for-each-ref") == git(root, "for-each-ref")


def test_target_must_be_new(tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "file").write_text("x")
    with pytest.raises(FileExistsError):
        create_demo(tmp_path / "busy", STUDENTS, SEED)


def test_summary_and_speed(demo):
    _, summary = demo
    assert summary["students"] == STUDENTS
    assert summary["merges"] > 5 * STUDENTS and summary["pending"] >= 2
    assert summary["seconds"] < 10
    for code in HISTORY_CODES | {"clean.delegate", "clean.departed-account", "pending"}:
        assert len(summary["planted"].get(code, ())) >= 2, code


def test_both_platform_styles_and_refs(demo):
    root, _ = demo
    merges = git(root, "log", "--merges", "--format=%ce%x00%s%x00%b%x01", "main").split("\x01")
    github = [m for m in merges if m.strip().startswith(GITHUB) and "\x00Merge pull request #" in m]
    gitlab = [m for m in merges if "\x00Merge branch 'mr/" in m and "See merge request school/portfolio!" in m]
    assert len(github) > 50 and len(gitlab) > 50
    refs = git(root, "for-each-ref", "--format=%(refname)").split()
    assert [r for r in refs if r.startswith("refs/heads/")] == ["refs/heads/main"]
    # the requests' refs are the demo's platform's (school.yaml platform.kind), whichever style the merges show
    kind = re.search(r"^  kind: (\w+)", (root / "records/school.yaml").read_text("utf-8"), re.M)[1]
    folder = {"github": "refs/pull/", "gitlab": "refs/merge-requests/"}[kind]
    requests = [r for r in refs if r.startswith(("refs/pull/", "refs/merge-requests/"))]
    assert requests and all(r.startswith(folder) and r.endswith("/head") for r in requests), requests[:5]
    assert not git(root, "status", "--porcelain")


def test_first_commit_and_dates(demo):
    root, _ = demo
    first = git(root, "rev-list", "--max-parents=0", "main").split()
    assert len(first) == 1
    assert show(root, first[0])["author"] == "huang.shufen@example.edu.tw"
    dates = git(root, "log", "--all", "--format=%aI %cI").split()
    assert all(d.endswith("+08:00") and "2026-02-01" < d < "2026-11-28" for d in dates)


def cases(summary, code, label_word=""):
    found = [c for c in summary["cases"] if c["code"] == code and label_word in c["label"]]
    assert found, (code, label_word)
    return found


def test_landing_shapes(demo):
    root, summary = demo
    for case in cases(summary, "cert.not-merged"):
        c = show(root, case["commit"])
        assert len(c["parents"]) == 1 and c["author"] == c["committer"] == owner_email(case["path"])
    squash, rebase = (show(root, c["commit"]) for c in cases(summary, "cert.squashed"))
    for c in (squash, rebase):
        assert len(c["parents"]) == 1 and is_student(c["author"]) and c["committer"] == GITHUB
    assert squash["message"].rstrip().endswith(")") and "(#" in squash["message"]
    assert rebase["message"].startswith("新增課程學習成果")
    for case in cases(summary, "cert.self-merge"):
        c = show(root, case["commit"])
        assert len(c["parents"]) == 2 and c["author"] == owner_email(case["path"])


def test_certifiers(demo):
    root, summary = demo
    staff = yaml.safe_load((root / "records/staff.yaml").read_text("utf-8"))
    departed = next(p for p in staff if p.get("account_until"))
    on_leave = next(p for p in staff if p.get("unavailable"))
    assert departed["git"][0] and on_leave["git"][0]
    for case in cases(summary, "delegate.order"):
        c = show(root, case["commit"])
        assert len(c["parents"]) == 2 and c["author"] == "huang.shufen@example.edu.tw"
    for case in cases(summary, "clean.delegate"):
        assert show(root, case["commit"])["author"] == "chen.yijun@example.edu.tw"
    for case in cases(summary, "clean.departed-account"):
        c = show(root, case["commit"])
        assert c["author"] == departed["git"][0]
        assert str(departed["until"]) < c["commit_date"][:10] <= str(departed["account_until"])
    for case in cases(summary, "cert.wrong-certifier", "after account_until"):
        c = show(root, case["commit"])
        assert c["author"] == departed["git"][0] and c["commit_date"][:10] > str(departed["account_until"])
    for case in cases(summary, "cert.wrong-certifier", "another subject"):
        c = show(root, case["commit"])
        assert len(c["parents"]) == 2 and c["author"].endswith("@example.edu.tw") and not is_student(c["author"])


def test_windows_and_identities(demo):
    root, summary = demo
    for case in cases(summary, "window.outcome-upload"):
        branch = show(root, show(root, case["commit"])["parents"][1])
        assert branch["author_date"] > "2026-07-15T17:00"
    for case in cases(summary, "window.certification"):
        assert show(root, case["commit"])["commit_date"] > "2026-07-22T17:00"
    for case in cases(summary, "window.performance-upload") + cases(summary, "window.selection"):
        branch = show(root, show(root, case["commit"])["parents"][1])
        assert branch["author_date"] > "2026-08-05T17:00"
    for case in cases(summary, "perm.unknown-identity"):
        c = show(root, case["commit"])
        tip = show(root, c["parents"][1]) if len(c["parents"]) == 2 else c
        assert tip["author"].endswith("@gmail.com")
    grades = cases(summary, "perm.denied", "grades")
    assert all(show(root, c["commit"])["author"].endswith("@example.edu.tw") for c in grades)
    for case in cases(summary, "pending"):
        assert not (root / case["path"]).exists()
        merged = subprocess.run(["git", "merge-base", "--is-ancestor", case["commit"], "main"], cwd=root)
        assert merged.returncode == 1
        assert git(root, "for-each-ref", "--points-at", case["commit"], "--format=%(refname)").strip()


def test_working_tree_validates(demo):
    root, summary = demo
    _, result = validate(root, NOW)
    rules = {f.rule for f in result.findings}
    # the submitted outcome and performance counts include what was later found uncertified,
    # or selected after the submission: the reconciliation warns, as it should
    assert rules <= HISTORY_CODES | {"submission.count", "privacy.exposed"}, rules - HISTORY_CODES
    # one repository that students commit to holds their personal records: every such file is an error
    exposed = {f.path for f in result.findings if f.rule == "privacy.exposed"}
    assert "records/students/1150101.yaml" in exposed and not any("outcomes" in p for p in exposed)


def test_the_demo_never_copies_history_and_starts_its_audit_at_its_own_first_config_commit(demo):
    from generator.git import audit

    root, _ = demo
    school = yaml.safe_load((root / "records/school.yaml").read_text("utf-8"))
    assert "history" not in school and school["audit_since"]
    records, result = validate(root, NOW)
    first = git(root, "log", "--first-parent", "--reverse", "--format=%H", "main", "--", "records/school.yaml").split()[0]
    assert audit.of(records).commit.sha == first and not result.notes
    assert audit.of(records).index < 3  # the school's setup: everything the demo plants comes after it


def test_a_request_check_on_the_demo_knows_its_student_by_her_platform_account(demo, tmp_path, monkeypatch, capsys):
    """The demo's people have (fictional) platform accounts: a student's open request, checked as
    GitLab's and GitHub's jobs check it, is hers, never perm.unknown-identity."""
    import json

    from generator import cli

    root, summary = demo
    case = next(c for c in cases(summary, "pending") if "/outcomes/" in c["path"])
    no = case["path"].split("/")[3]
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--shared", str(root), str(clone))
    git(clone, "checkout", "-q", "--detach", case["commit"])
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 7, "user": {"login": f"s{no}"}}}), "utf-8")
    for env in ({"CI_MERGE_REQUEST_IID": "7", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
                 "CI_MERGE_REQUEST_AUTHOR": f"s{no}"},
                {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_BASE_REF": "main", "GITHUB_EVENT_PATH": str(event)}):
        with monkeypatch.context() as m:
            for name, value in env.items():
                m.setenv(name, value)
            cli.main(["validate", "-C", str(clone), "--now", NOW, "--format", "json"])
        report = json.loads(capsys.readouterr().out)
        assert report["request"]["author"]["id"] == no, report["request"]["author"]
        assert "perm.unknown-identity" not in {f["rule"] for f in report["findings"] if f["introduced"]}


def test_the_short_path_of_certification_judges_as_the_full_judgement(demo, monkeypatch):
    """generator.git.certification._certified judges the common case (a teacher's in-window merge of
    the student's own writing) on its own: every outcome of the demo, with its planted cases, must
    get the same state, times and findings as the full judgement gives it."""
    import copy

    from generator.git import certification

    root, _ = demo
    records, _ = validate(root, NOW)

    def judged():
        analysis = certification.analyse(records)
        states = {p: (o.state, o.certifier, o.certified_at, o.uploaded_at, o.commit and o.commit.sha)
                  for p, o in analysis.outcomes.items()}
        return states, {code: [(h.path, h.line, h.variant, h.severity, repr(h.params)) for h in hits]
                        for code, hits in analysis.hits.items()}

    short = judged()
    shortened = []
    full_only = certification._certified
    monkeypatch.setattr(certification, "_certified",
                        lambda run, out, commit: shortened.append(full_only(run, copy.copy(out), commit)) or False)
    assert judged() == short
    assert shortened.count(True) > len(shortened) / 2  # (the short path is the common one)
    assert {"cert.wrong-certifier", "window.certification", "cert.self-merge"} <= set(short[1])


def test_the_audits_short_path_finds_what_the_full_judgement_finds(demo, monkeypatch):
    """generator.rules.permissions._own_request passes a student's own request merged by staff (one
    branch commit or several) without judging each change: over the demo's history, with its
    planted cases, the audit must find the same with every merge judged in full."""
    from generator.rules import permissions

    root, _ = demo
    records, _ = validate(root, NOW)

    def audited():
        return [(code, h.path, h.line, h.variant, repr(h.params)) for code, h in permissions._audit(records)]

    short = audited()
    passed = []
    full_only = permissions._own_request
    monkeypatch.setattr(permissions, "_own_request", lambda *a: passed.append(full_only(*a)) and False)
    assert audited() == short
    assert passed.count(True) > len(passed) / 2
    assert {"perm.denied", "perm.unknown-identity"} <= {row[0] for row in short}
