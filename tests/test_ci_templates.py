"""The CI files `licheng init` writes, run: the registry's clone their portfolio read-only, install
licheng pinned and never from a checkout, validate with the portfolio and build the STAFF site,
which goes to an artifact (GitHub) or access-controlled Pages (GitLab); the portfolio's publish
the public site. Run like the pinned-install test (tests/test_privacy.py): the wheel installed
into a virtual environment, the console script on PATH, the templates' shell steps in tmp dirs,
with a bare repository standing in for the platform's copy of the portfolio."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator import __version__

INIT_NOW = "2026-11-30 09:00"
EPOCH = "1796000400"  # 2026-11-30 09:00 Asia/Taipei: "now" for every command (SOURCE_DATE_EPOCH)
GITHUB, GITLAB = ".github/workflows/licheng.yml", ".gitlab-ci.yml"


@pytest.fixture(scope="module")
def made(tmp_path_factory, wheel_venv):
    """`licheng init` by the installed wheel; the portfolio pushed to a bare "platform" repository."""
    base = tmp_path_factory.mktemp("ci")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith(("GITHUB_", "CI_"))}
    env.update(PATH=f"{wheel_venv / 'venv/bin'}{os.pathsep}{env['PATH']}", SOURCE_DATE_EPOCH=EPOCH,
               PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wheel_venv / "dist"), HOME=str(base))
    proc = subprocess.run(["licheng", "init", str(base / "school"), "--name", "測試高中", "--code", "123456",
                           "--now", INIT_NOW], cwd=base, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    remote = base / "platform/school/portfolio.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(base / "school/portfolio"), str(remote)], check=True)
    return base, env, remote


def _sh(script: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_each_repository_gets_its_own_ci_pinned_and_never_installing_the_checkout(made):
    base, _, _ = made
    for name in ("portfolio", "registry"):
        for ci in (GITHUB, GITLAB):
            text = (base / "school" / name / ci).read_text("utf-8")
            yaml.safe_load(text)
            assert f'pip install "licheng=={__version__}"' in text and "licheng==VERSION" not in text, (name, ci)
            assert not re.search(r"pip install (-e )?['\"]?\.", text) and "python -m generator" not in text
            public, staff = "--audience public" in text, "--audience staff" in text
            assert (public, staff) == ((True, False) if name == "portfolio" else (False, True)), (name, ci)
    github = yaml.safe_load((base / "school/registry" / GITHUB).read_text("utf-8"))
    steps = [s for job in github["jobs"].values() for s in job["steps"]]
    assert not any("pages" in str(s.get("uses", "")) for s in steps)  # the staff site never goes to Pages
    clones = [s["with"] for s in steps if s.get("with", {}).get("repository")]
    assert clones and all(w["ssh-key"] == "${{ secrets.PORTFOLIO_DEPLOY_KEY }}" for w in clones)
    gitlab = (base / "school/registry" / GITLAB).read_text("utf-8")
    assert "Only project members" in gitlab and "PORTFOLIO_DEPLOY_TOKEN" in gitlab



def test_every_repositorys_ci_restores_licheng_cache_and_only_main_saves_it(made):
    """A merge-request pipeline may read main's cache but never write one main would restore."""
    base, _, _ = made
    for name in ("portfolio", "registry"):
        workflow = yaml.safe_load((base / "school" / name / GITHUB).read_text("utf-8"))
        steps = workflow["jobs"]["validate"]["steps"]
        restore = [s for s in steps if s.get("uses", "").startswith("actions/cache/restore@")]
        save = [s for s in steps if s.get("uses", "").startswith("actions/cache/save@")]
        assert len(restore) == 1 and len(save) == 1, name
        assert "github.event.pull_request.base.sha" in restore[0]["with"]["key"], name
        assert "github.event_name != 'pull_request'" in save[0]["if"] and "refs/heads/main" in save[0]["if"], name
        names = [s.get("name", "") for s in steps]
        assert names.index(restore[0]["name"]) < names.index("licheng validate") < names.index(save[0]["name"])
        pipeline = yaml.safe_load((base / "school" / name / GITLAB).read_text("utf-8"))
        job = pipeline["validate"]
        assert pipeline["variables"]["LICHENG_CACHE_POLICY"] == "pull", name
        assert job["cache"]["policy"] == "$LICHENG_CACHE_POLICY" and ".licheng-cache/" in job["cache"]["paths"]
        pushing = [r for r in job["rules"] if (r.get("variables") or {}).get("LICHENG_CACHE_POLICY") == "pull-push"]
        assert [r["if"] for r in pushing] == ["$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"], name
        # a tracked .licheng-cache/ is deleted before the restored cache is taken
        assert "git ls-files -- .licheng-cache" in job["script"][0] and "rm -rf .licheng-cache" in job["script"][0]
        assert "~/.cache/licheng" in job["script"][1] and "~/.cache/licheng" in job["after_script"][0], name

def _run_github_job(job: dict, workflow: dict, workspace: Path, repos: dict, env: dict) -> list[str]:
    """The job's steps: checkouts as clones, `run:` steps in bash; the uploaded artifacts' paths."""
    folder = (workflow.get("defaults") or {}).get("run", {}).get("working-directory", ".")
    uploaded = []
    for step in job["steps"]:
        uses, given = step.get("uses", ""), step.get("with") or {}
        if uses.startswith("actions/checkout@"):
            source = repos["portfolio" if given.get("repository") else "registry"]
            branch = ["--branch", given["ref"]] if given.get("ref") else []
            subprocess.run(["git", "clone", "-q", *branch, str(source), str(workspace / given.get("path", "."))],
                           check=True, capture_output=True)
        elif uses.startswith("actions/upload-artifact@"):
            uploaded.append(given["path"])
        elif "run" in step:
            proc = _sh(step["run"], workspace / step.get("working-directory", folder), env)
            assert proc.returncode == 0, (step["run"], proc.stdout, proc.stderr)
    return uploaded


def test_the_registry_workflow_on_github_validates_with_the_cloned_portfolio_and_keeps_the_staff_site(made, tmp_path):
    base, env, remote = made
    registry = base / "school/registry"
    workflow = yaml.safe_load((registry / GITHUB).read_text("utf-8"))
    env = {**env, **{k: str(v) for k, v in workflow["env"].items() if "${{" not in str(v)},
           "GITHUB_EVENT_NAME": "push", "GITHUB_REF": "refs/heads/main"}
    repos = {"registry": registry, "portfolio": remote}
    _run_github_job(workflow["jobs"]["validate"], workflow, tmp_path / "validate", repos, env)
    [artifact] = _run_github_job(workflow["jobs"]["staff-site"], workflow, tmp_path / "site", repos, env)
    page = (tmp_path / "site" / artifact / "index.html").read_text("utf-8")
    assert 'name="robots" content="noindex' in page and "測試高中" in page  # staff audience; the portfolio's school.yaml


def test_the_registry_pipeline_on_gitlab_clones_the_portfolio_beside_nothing_and_passes_it(made, tmp_path):
    """The portfolio is cloned inside the job's folder; registry.yaml's ../portfolio is not there, so
    every command must be given --portfolio (a run without it would exit 2)."""
    base, env, remote = made
    pipeline = yaml.safe_load((base / "school/registry" / GITLAB).read_text("utf-8"))
    project = tmp_path / "builds/school/registry"  # CI_PROJECT_DIR
    subprocess.run(["git", "clone", "-q", str(base / "school/registry"), str(project)], check=True)
    env = {**env, "CI_PROJECT_NAMESPACE": "school", "CI_DEFAULT_BRANCH": "main", "CI_COMMIT_BRANCH": "main",
           "CI_PIPELINE_SOURCE": "push", "PORTFOLIO_URL": str(remote)}
    exports = "".join(f'export {k}="{v}"\n' for k, v in pipeline["variables"].items())
    before = "\n".join(pipeline["default"]["before_script"])
    # a .licheng-cache/ the repository holds (staged here: `git ls-files` lists it as it lists a commit's)
    # is never taken as the cache, whatever GitLab restored over it
    (project / ".licheng-cache").mkdir()
    (project / ".licheng-cache/planted").write_text("x", "utf-8")
    subprocess.run(["git", "-C", str(project), "add", "-f", ".licheng-cache/planted"], check=True)
    cache = Path(env["HOME"]) / ".cache/licheng"
    for job in ("validate", "pages"):
        proc = _sh(exports + before + "\n" + "\n".join(pipeline[job]["script"]), project, env)
        assert proc.returncode == 0, (job, proc.stdout, proc.stderr)
        if job == "validate":  # the text report in the job's log, from the run that wrote the Code Quality file
            assert proc.stdout.splitlines()[-1] == "檢查通過：沒有發現問題", proc.stdout
            assert "the repository tracks .licheng-cache/" in proc.stdout and not (cache / "planted").exists()
    subprocess.run(["git", "-C", str(project), "rm", "-q", "--cached", ".licheng-cache/planted"], check=True)
    (project / ".licheng-cache").mkdir()
    (project / ".licheng-cache/restored").write_text("x", "utf-8")  # what GitLab restored: taken
    proc = _sh("\n".join(pipeline["validate"]["script"][:2]), project, env)
    assert proc.returncode == 0 and (cache / "restored").exists() and "tracks" not in proc.stdout, proc.stdout
    assert not (tmp_path / "builds/school/portfolio").exists()
    json.loads((project / "gl-code-quality-report.json").read_text("utf-8"))
    page = (project / "public/index.html").read_text("utf-8")
    assert 'name="robots" content="noindex' in page and "測試高中" in page
    assert subprocess.run(["git", "-C", str(project / ".portfolio"), "remote"], capture_output=True,
                          text=True).stdout == ""  # the deploy token left no trace in the clone's configuration


def test_the_portfolio_pipeline_on_gitlab_installs_git_lfs_where_the_image_lacks_it(made, tmp_path):
    """GitLab's python image has git but not git-lfs: a request bringing an attachment must not fail its
    job on fetching it (before, "git: 'lfs' is not a git command" failed every such request)."""
    base, env, _ = made
    pipeline = yaml.safe_load((base / "school/portfolio" / GITLAB).read_text("utf-8"))
    [step] = [s for s in pipeline["validate"]["script"] if "git lfs" in s]
    project = tmp_path / "portfolio"
    subprocess.run(["git", "clone", "-q", str(base / "school/portfolio"), str(project)], check=True)
    start = subprocess.run(["git", "-C", str(project), "rev-parse", "HEAD"], capture_output=True, text=True,
                           check=True).stdout.strip()
    attachment = project / "records/outcomes/115-1/1150101/essay.pdf"
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes(b"%PDF-1.4\n%%EOF\n")
    subprocess.run(["git", "-C", str(project), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(project), "-c", "user.name=1150101", "-c", "user.email=s@example.edu.tw",
                    "commit", "-qm", "essay"], check=True, env={**env, "GIT_LFS_SKIP_SMUDGE": "1"})
    # the job's image: a git that knows no `lfs` until apt-get has installed git-lfs
    tools, log = tmp_path / "bin", tmp_path / "calls.log"
    tools.mkdir()
    real_git = subprocess.run(["bash", "-c", "command -v git"], capture_output=True, text=True).stdout.strip()
    (tools / "git").write_text(
        f'#!/bin/sh\nif [ "$1" = lfs ]; then\n  [ -e "{tools}/lfs-installed" ] || '
        f'{{ echo "git: \'lfs\' is not a git command." >&2; exit 1; }}\n  echo "git $*" >> "{log}"; exit 0\nfi\n'
        f'exec {real_git} "$@"\n')
    (tools / "apt-get").write_text(f'#!/bin/sh\necho "apt-get $*" >> "{log}"\n'
                                   f'case "$*" in *"install"*git-lfs*) touch "{tools}/lfs-installed";; esac\n')
    for tool in ("git", "apt-get"):
        (tools / tool).chmod(0o755)
    job_env = {**env, "PATH": f"{tools}{os.pathsep}{env['PATH']}", "CI_MERGE_REQUEST_DIFF_BASE_SHA": start}
    proc = _sh(step, project, job_env)
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    calls = log.read_text("utf-8").splitlines()
    assert any(c.startswith("apt-get install") and "git-lfs" in c for c in calls), calls
    assert calls[-1] == "git lfs smudge -- records/outcomes/115-1/1150101/essay.pdf", calls


def test_every_repositorys_ci_validates_once_for_every_report(made):
    """GitLab needs the text log and the Code Quality file, GitHub the annotations and the job summary:
    each from one `licheng validate` (two runs doubled a large school's CI time)."""
    base, _, _ = made
    for name in ("portfolio", "registry"):
        pipeline = yaml.safe_load((base / "school" / name / GITLAB).read_text("utf-8"))
        runs = [line for line in pipeline["validate"]["script"] if "licheng validate" in line]
        assert len(runs) == 1 and "--report codequality=gl-code-quality-report.json" in runs[0], (name, runs)
        assert pipeline["validate"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
        workflow = yaml.safe_load((base / "school" / name / GITHUB).read_text("utf-8"))
        runs = [s["run"] for s in workflow["jobs"]["validate"]["steps"] if "licheng validate" in s.get("run", "")]
        assert len(runs) == 1 and "--format github" in runs[0], (name, runs)


def test_every_github_fetch_of_request_heads_fetches_their_test_merges_too(made):
    """GitHub keeps a closed request's head for good and its test merge refs/pull/N/merge only while
    it is open: a job that fetches the heads without the test merges counts closed requests' outcomes
    as pending (the public site's counts, the staff queue)."""
    base, _, _ = made
    fetches = []
    for name in ("portfolio", "registry"):
        workflow = yaml.safe_load((base / "school" / name / GITHUB).read_text("utf-8"))
        fetches += [step["run"] for job in workflow["jobs"].values() for step in job["steps"]
                    if "refs/pull/*/head" in step.get("run", "")]
    assert len(fetches) == 3, fetches  # the portfolio's validate and pages jobs, the registry's staff site
    assert all("'+refs/pull/*/merge:refs/pull/*/merge'" in run for run in fetches), fetches


def _lfs_git(root: Path, *args: str, env: dict, **kw) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=黃淑芬", "-c", "user.email=huang.shufen@example.edu.tw",
                           *args], check=True, capture_output=True, env=env, **kw).stdout.decode("utf-8", "replace")


# names that a comma-joined `git lfs pull --include` list split, expanded or negated, and the names on main
# those patterns would have fetched instead
ODD = ["a,b.pdf", "st*r.pdf", "q?.pdf", "br[ck].pdf", "!bang.pdf", "back\\slash.pdf", " lead.pdf", "#hash.pdf",
       "new\nline.pdf", "作業，一,二.pdf"]
DECOYS = ["b.pdf", "str.pdf", "qx.pdf", "brc.pdf", "bang.pdf", "backslash.pdf", "lead.pdf", "二.pdf"]


@pytest.mark.skipif(not shutil.which("git-lfs"), reason="git-lfs is not installed (.ci/run installs it)")
def test_a_request_fetches_exactly_its_own_lfs_objects_whatever_their_names(made, tmp_path):
    """Both portfolio templates' LFS step, with the real git-lfs and a file:// LFS remote: every one of the
    request's own attachments and nothing of main's, for names with commas, glob characters, a leading !,
    a backslash, a newline."""
    base, _, _ = made
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_", "GIT_"))}
    env.update(HOME=str(tmp_path), GIT_AUTHOR_DATE="2026-11-30T09:00:00+08:00",
               GIT_COMMITTER_DATE="2026-11-30T09:00:00+08:00")
    origin = tmp_path / "origin"
    origin.mkdir()
    _lfs_git(origin, "init", "-q", "-b", "main", env=env)
    _lfs_git(origin, "lfs", "install", "--local", env=env)
    (origin / ".gitattributes").write_bytes((base / "school/portfolio/.gitattributes").read_bytes())
    folder = origin / "records/outcomes/115-1/1150101"
    folder.mkdir(parents=True)

    def commit(names: list[str], message: str) -> dict[str, str]:
        oids = {}
        for name in names:
            data = f"%PDF-1.4\n% {name}\n%%EOF\n".encode()
            (folder / name).write_bytes(data)
            oids[name] = hashlib.sha256(data).hexdigest()
        _lfs_git(origin, "add", "-A", env=env)
        _lfs_git(origin, "commit", "-qm", message, env=env)
        return oids

    commit(DECOYS, "main's attachments")
    _lfs_git(origin, "checkout", "-qb", "request", env=env)
    own = commit(ODD, "the request's attachments")
    (folder / "note.yaml").write_text("title: t\n", "utf-8")  # a record: no LFS object to fetch
    _lfs_git(origin, "add", "-A", env=env)
    _lfs_git(origin, "commit", "-qm", "a record", env=env)
    ci = {**env, "GIT_LFS_SKIP_SMUDGE": "1"}
    github = yaml.safe_load((base / "school/portfolio" / GITHUB).read_text("utf-8"))
    [github_step] = [s["run"] for s in github["jobs"]["validate"]["steps"] if "git lfs" in s.get("run", "")]
    gitlab = yaml.safe_load((base / "school/portfolio" / GITLAB).read_text("utf-8"))
    [gitlab_step] = [s for s in gitlab["validate"]["script"] if "git lfs" in s]
    for platform, step in (("github", github_step), ("gitlab", gitlab_step)):
        clone = tmp_path / platform
        subprocess.run(["git", "clone", "-q", "--branch", "request", f"file://{origin}", str(clone)], check=True,
                       env=ci, capture_output=True)
        assert (clone / "records/outcomes/115-1/1150101/a,b.pdf").read_bytes().startswith(b"version https://git-lfs")
        main = _lfs_git(clone, "rev-parse", "origin/main", env=ci).strip()
        proc = _sh(step, clone, {**ci, "CI_MERGE_REQUEST_DIFF_BASE_SHA": main, "GITHUB_BASE_REF": "main"})
        assert proc.returncode == 0, (platform, proc.stdout, proc.stderr)
        fetched = {p.name for p in (clone / ".git/lfs/objects").glob("*/*/*")}
        assert fetched == set(own.values()), (platform, proc.stderr)


def test_every_github_check_is_made_against_main_and_again_when_the_base_changes(made):
    """GitHub runs a pull_request workflow for opened, synchronize and reopened only, against any base: a
    request opened against a branch of the student's own (which already held her dishonest change: the
    check passed) and then retargeted at main kept that check (changing the base is `edited`), and its
    run could be re-run later with its old base."""
    base, _, _ = made
    for name in ("portfolio", "registry"):
        workflow = yaml.safe_load((base / "school" / name / GITHUB).read_text("utf-8"))
        requests = workflow[True]["pull_request"]  # (YAML 1.1 reads the key `on` as true)
        assert requests["branches"] == ["main"], name
        assert {"opened", "synchronize", "reopened", "edited"} <= set(requests["types"]), name
        # no expression in a script: a branch name may hold $(…) (the base's reaches the shell as $GITHUB_BASE_REF)
        runs = [s["run"] for job in workflow["jobs"].values() for s in job["steps"] if "run" in s]
        assert runs and not any("${{" in run for run in runs), name


def test_every_gitlab_pipeline_is_a_merge_requests_or_the_default_branchs(made):
    """A branch's own pipeline (before its request, or one a student runs by hand) cannot say who
    proposes the branch: licheng fails it (perm.unknown-identity), so GitLab runs none."""
    base, _, _ = made
    for name in ("portfolio", "registry"):
        rules = yaml.safe_load((base / "school" / name / GITLAB).read_text("utf-8"))["workflow"]["rules"]
        assert [r.get("if") for r in rules if r.get("when") != "never"] == [
            '$CI_PIPELINE_SOURCE == "merge_request_event"', "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"], name
