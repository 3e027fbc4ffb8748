"""Attachments in Git LFS, with the real git-lfs and a local file:// remote: a CI-style clone
holds pointers only; validate reads sizes from the pointers, types from the objects it has, and
asks for the objects of a request's own files (lfs.missing) until `git lfs pull --include`."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess

import pytest
import yaml

from conftest import NOW, REPO
from generator.demo import create_demo
from generator.validate import validate

pytestmark = pytest.mark.skipif(not shutil.which("git-lfs"), reason="git-lfs is not installed "
                                "(apt-get install git-lfs; .ci/run installs it)")
SKIP = {**os.environ, "GIT_LFS_SKIP_SMUDGE": "1"}


def git(root, *args, env=None):
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=黃淑芬", "-c",
                           "user.email=huang.shufen@example.edu.tw", *args],
                          check=True, capture_output=True, text=True, env=env or SKIP).stdout


@pytest.fixture(scope="module")
def origin(tmp_path_factory):
    root = tmp_path_factory.mktemp("lfs") / "school"
    create_demo(root, students=40, seed=3, lfs=True)
    return root


@pytest.fixture
def clone(origin, tmp_path):
    """What the CI templates do: full history, LFS pointers only, the merge-request refs."""
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", f"file://{origin}", str(target)], check=True, env=SKIP)
    git(target, "fetch", "-q", "origin", "+refs/merge-requests/*/head:refs/merge-requests/*/head",
        "+refs/pull/*/head:refs/pull/*/head")
    return target


def rules(root):
    return sorted((f.rule, f.path) for f in validate(root, NOW)[1].findings)


def test_a_pointer_clone_validates_like_the_full_repository(origin, clone):
    pdf = next((clone / "records/outcomes").rglob("*.pdf"))
    assert pdf.read_bytes().startswith(b"version https://git-lfs")
    assert not list((clone / ".git").glob("lfs/objects/*/*/*"))
    assert rules(clone) == rules(origin)


def test_a_requests_own_attachment_must_be_fetched(clone):
    pending = git(clone, "for-each-ref", "--no-merged", "main", "--format=%(refname)", "refs/merge-requests").split()
    ref = pending[0]
    own = [p for p in git(clone, "diff", "--name-only", f"main...{ref}").split() if p.endswith(".pdf")]
    git(clone, "checkout", "-q", "--detach", ref)
    missing = [path for rule, path in rules(clone) if rule == "lfs.missing"]
    assert missing == [own[0].rsplit(".", 1)[0] + ".yaml"]
    # the CI template's step fetches it: the request's own objects, nothing else
    workflow = yaml.safe_load((REPO / ".github/workflows/licheng.yml").read_text("utf-8"))
    [step] = [s["run"] for s in workflow["jobs"]["validate"]["steps"] if "git lfs" in s.get("run", "")]
    subprocess.run(["bash", "-eo", "pipefail", "-c", step], cwd=clone, env={**SKIP, "GITHUB_BASE_REF": "main"},
                   check=True, capture_output=True)
    assert "lfs.missing" not in {rule for rule, _ in rules(clone)}
    pointers = [git(clone, "cat-file", "blob", f"HEAD:{path}") for path in own]
    assert {p.name for p in (clone / ".git/lfs/objects").glob("*/*/*")} == \
        {line.split(":")[1] for text in pointers for line in text.splitlines() if line.startswith("oid ")}


def _pointer(data: bytes, size: int | None = None) -> bytes:
    oid = hashlib.sha256(data).hexdigest()
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size or len(data)}\n".encode()


def test_size_comes_from_the_object_where_it_is_here_else_the_pointer_and_type_from_the_object(clone):
    """A pointer's size is its writer's word: a student's pointer claiming 1,000 bytes for a 5 MB object passed
    file.size, though the object was here (CI fetches a request's own objects) to be measured."""
    folder = next((clone / "records/outcomes").rglob("*.pdf")).parent
    doc = next(folder.glob("*.yaml"))
    text = doc.read_text("utf-8")
    old = next(line for line in text.splitlines() if line.startswith("files:"))
    (folder / "big.pdf").write_bytes(_pointer(b"elsewhere", 6 * 1024 * 1024))  # 6 MB, object not here
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
    huge = b"%PDF-1.4\n" + b"x" * (5 * 1024 * 1024)
    (folder / "photo.pdf").write_bytes(_pointer(jpeg))
    (folder / "small.pdf").write_bytes(_pointer(huge, 1000))
    (folder / "empty.pdf").write_bytes(_pointer(b"", 6 * 1024 * 1024))  # an empty object: 0 bytes, not 6 MB
    for data in (jpeg, huge, b""):
        oid = hashlib.sha256(data).hexdigest()
        store = clone / ".git/lfs/objects" / oid[:2] / oid[2:4]
        store.mkdir(parents=True)
        (store / oid).write_bytes(data)
    doc.write_text(text.replace(old, "files: [big.pdf, photo.pdf, small.pdf, empty.pdf]"), "utf-8")
    findings = validate(clone, NOW)[1].findings
    rel = doc.relative_to(clone).as_posix()
    assert {("file.size", rel), ("file.type", rel), ("lfs.missing", rel)} <= {(f.rule, f.path) for f in findings}
    sizes = sorted(f.message() for f in findings if f.rule == "file.size" and f.path == rel)
    assert len(sizes) == 2 and "「small.pdf」有 5.0 MB" in sizes[1], sizes


def test_lfs_missing_names_a_pull_that_fetches_a_name_no_include_pattern_matches(origin, clone):
    """`git lfs pull --include` splits on commas and reads globs: for such a name lfs.missing names its
    folder, and that command fetches it."""
    folder = next((clone / "records/outcomes").rglob("*.pdf")).parent
    doc = next(folder.glob("*.yaml"))
    data = b"%PDF-1.4\n% a, b [draft]\n%%EOF\n"
    oid = hashlib.sha256(data).hexdigest()
    store = origin / ".git/lfs/objects" / oid[:2] / oid[2:4]  # on the LFS server, not in the clone
    store.mkdir(parents=True, exist_ok=True)
    (store / oid).write_bytes(data)
    (folder / "a, b [draft].pdf").write_bytes(_pointer(data))
    text = doc.read_text("utf-8")
    old = next(line for line in text.splitlines() if line.startswith("files:"))
    doc.write_text(text.replace(old, old[:-1] + ', "a, b [draft].pdf"]'), "utf-8")
    git(clone, "checkout", "-qb", "request")
    git(clone, "add", "-A")
    git(clone, "commit", "-qm", "附件")
    [f] = [f for f in validate(clone, NOW)[1].findings if f.rule == "lfs.missing"]
    command = f'git lfs pull --include="{folder.relative_to(clone).as_posix()}/*"'
    assert f.message("en").endswith(command) and f.message("zh-TW").endswith(command)
    subprocess.run(command, shell=True, cwd=clone, check=True, capture_output=True, env=SKIP)
    assert "lfs.missing" not in {rule for rule, _ in rules(clone)}


def test_migrate_moves_attachments_into_lfs_and_keeps_the_commit_map(tmp_path, monkeypatch):
    from gitschool import sample_repo

    monkeypatch.setenv("LICHENG_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "school"
    school = sample_repo(root)
    pdf = "records/outcomes/115-1/1150101/book-review.pdf"
    school.mr({"records/outcomes/115-1/1150101/book-review.yaml":
               school.read("records/outcomes/115-1/1150101/book-review.yaml").replace("title:", "title: 修訂 ")},
              "1150101", "2026-09-10 20:00", "chen-yiling", "2026-09-11 10:00")
    before = sorted((f.rule, f.path) for f in validate(root, NOW, use_cache=True)[1].findings)
    commits = set(school.git("rev-list", "--all").split())
    proc = subprocess.run([__import__("sys").executable, "-m", "generator", "migrate", "-C", str(root), "--lfs"],
                          capture_output=True, text=True, env={**os.environ, "HOME": str(root)})
    assert proc.returncode == 0, proc.stderr
    assert school.git("cat-file", "-p", f"HEAD:{pdf}").startswith("version https://git-lfs")
    assert (root / pdf).read_bytes().startswith(b"%PDF-")  # the working tree has the content
    lines = (root / ".git/licheng/commit-map").read_text().splitlines()
    assert lines[0] == "old new" and {line.split()[0] for line in lines[1:]} == commits
    assert set(school.git("rev-list", "--all").split()) == {line.split()[1] for line in lines[1:]}
    after = validate(root, NOW, use_cache=True)  # the cached history is of a rewritten head: read anew
    assert sorted((f.rule, f.path) for f in after[1].findings) == before
    assert not set(after[0].history.commits) & commits


def test_the_cache_gives_the_same_report_on_a_demo_history(clone, tmp_path, monkeypatch):
    monkeypatch.setenv("LICHENG_CACHE_DIR", str(tmp_path / "cache"))

    def report(use_cache):
        return sorted(map(str, (f.as_dict("en") for f in validate(clone, NOW, use_cache=use_cache)[1].findings)))

    expected = report(False)
    assert report(True) == expected and report(True) == expected
    outcome = next((clone / "records/outcomes").rglob("*.yaml"))
    outcome.write_text(outcome.read_text("utf-8").replace("title:", "title: 改 ", 1), "utf-8")
    git(clone, "commit", "-qam", "直接修改成果")  # one new commit on main: read incrementally
    assert report(True) == report(False) != expected
