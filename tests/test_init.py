"""licheng init: two Git repositories a school can push as they are, and that validate."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from generator import __version__
from generator.validate import validate
from test_cli import run

INIT_NOW = "2026-11-30 09:00"


def no_identity_env(home: Path) -> dict:
    """A machine where git knows nobody: no global or system config, no EMAIL."""
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "EMAIL"))}
    return {**env, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(home / "none")}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    base = tmp_path_factory.mktemp("init")
    env = no_identity_env(base / "home")
    proc = subprocess.run([os.sys.executable, "-m", "generator", "init", str(base / "school"), "--name",
                           "測試市立測試高級中學", "--code", "123456", "--now", INIT_NOW],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return base / "school", proc.stdout


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def test_two_repositories_on_main_with_one_commit_made_without_identity(made):
    school, out = made
    for name in ("portfolio", "registry"):
        repo = school / name
        assert git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
        assert git(repo, "log", "--format=%an <%ae>").splitlines() == ["licheng init <licheng-init@localhost>"]
        assert git(repo, "status", "--porcelain") == ""
        attributes = (repo / ".gitattributes").read_text("utf-8")
        for suffix in ("pdf", "jpg", "png", "mp3", "mp4"):
            assert f"*.{suffix} filter=lfs diff=lfs merge=lfs -text" in attributes
    assert (school / "registry/records/registry.yaml").read_text("utf-8").endswith("portfolio: ../portfolio\nref: main\n")
    assert "接下來" in out and "next steps" not in out  # Chinese only by default (--lang en: English only)
    assert "records/working-group/115.yaml" in out


def test_portfolio_holds_school_regulation_and_a_draft_schedule(made):
    school, _ = made
    portfolio = school / "portfolio"
    text = (portfolio / "records/school.yaml").read_text("utf-8")
    assert 'code: "123456"' in text and "audit_since: 2026-11-30" in text and f'licheng: "{__version__}"' in text
    # the comments after values start in one column (licheng's own stood apart, its length the version's)
    columns = {line.index(" # ") for line in text.splitlines() if not line.startswith("#") and " # " in line}
    assert len(columns) == 1 and 'licheng: "' in text.splitlines()[-1], text
    regulation = (portfolio / "records/regulation.md").read_text("utf-8")
    assert "建置學生學習歷程檔案作業補充規定" in regulation and "{#s12}" in regulation
    schedule = (portfolio / "schedules/115-1.yaml").read_text("utf-8")
    assert "status: draft" in schedule
    for op in ("outcome_upload", "outcome_certification", "cadre_entry", "grade_entry", "receipt_confirmation"):
        assert f"  {op}: {{" in schedule
    assert (portfolio / "records/courses/115-1.yaml").is_file() and (portfolio / "records/staff.yaml").is_file()


def test_ci_is_pinned_and_editor_schemas_live_in_the_repository(made):
    school, _ = made
    for name in ("portfolio", "registry"):
        repo = school / name
        for ci in (".github/workflows/licheng.yml", ".gitlab-ci.yml"):
            text = (repo / ci).read_text("utf-8")
            assert f'pip install "licheng=={__version__}"' in text and "-e ." not in text
        settings = json.loads((repo / ".vscode/settings.json").read_text("utf-8"))
        for schema in settings["yaml.schemas"]:
            assert (repo / schema).is_file(), schema
        for path in repo.rglob("*.yaml"):
            first = path.read_text("utf-8").splitlines()[0]
            match = re.match(r"# yaml-language-server: \$schema=(\S+)$", first)
            if not match:
                assert path.name == "registry.yaml" and not (repo / ".licheng/schemas/registry.schema.json").exists()
                continue
            assert (path.parent / match[1]).resolve().is_file(), (path, match[1])
            assert repo in (path.parent / match[1]).resolve().parents


def test_the_new_portfolio_validates_with_warnings_for_what_is_still_to_do(made):
    school, _ = made
    _, result = validate(school / "portfolio", INIT_NOW, use_cache=False)
    assert [f.as_dict() for f in result.findings if f.severity == "error"] == []
    assert {f.rule for f in result.findings} == {"group.missing"}


def test_init_refuses_an_existing_repository_and_a_bad_code(made, tmp_path):
    school, _ = made
    proc = run("init", str(school), "--name", "x", "--code", "123456")
    assert proc.returncode == 2 and "portfolio" in proc.stderr
    proc = run("init", str(tmp_path / "new"), "--name", "x", "--code", "12345")
    assert proc.returncode == 2 and "6" in proc.stderr and not (tmp_path / "new").exists()


def test_the_checklist_s_commands_run_from_the_folder_init_made(made, tmp_path):
    # the checklist is read in DIR, beside portfolio/ and registry/: a command without -C found no
    # records/ there and exited 2 (licheng roster, licheng import courses, licheng identities, licheng validate)
    import shutil

    from conftest import REPO

    school, out = made
    # both platforms' merge settings: a GitLab school was told only GitHub's
    assert "GitHub：Settings → General → Pull Requests 只勾選「Allow merge commits」" in out, out
    assert "GitLab：Settings → Merge requests 的 Merge method 選「Merge commit」" in out and "Do not allow" in out, out
    copy = tmp_path / "school"
    shutil.copytree(school, copy, symlinks=True)
    commands = re.findall(r"licheng (?:import|roster|identities|validate)[^，；。]*?(?=，|；|。| 列出| 寫入| 與| 檢查|$)", out, re.M)
    assert len(commands) == 6, commands
    assert all(re.search(r" -C (portfolio|registry)( |$)", c) for c in commands), commands
    (copy / "課程.csv").write_text("科目名稱,課程代碼,年級,學分,授課教師,班級\n", "utf-8")
    for command in commands:
        if "學生名冊" in command:
            continue  # needs the administration system's file
        args = command.replace("課程.xlsx", str(copy / "課程.csv")).split()[1:]
        proc = subprocess.run([os.sys.executable, "-m", "generator", *args, "--now", INIT_NOW], cwd=copy,
                              capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
        assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, (command, proc.stderr)
