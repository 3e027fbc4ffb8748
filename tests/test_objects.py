"""Git objects read in one batch (generator/git/objects.py): every answer lands on its own spec,
whatever the names hold and whatever is missing between them."""

from __future__ import annotations

import os
import subprocess

import pytest

from generator.errors import RepositoryError
from generator.git import lfs
from generator.git.objects import read_blobs, read_folders, tree_entries

ENV = {**os.environ, "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_AUTHOR_DATE": "2026-09-01T08:00:00+08:00",
       "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.com",
       "GIT_COMMITTER_DATE": "2026-09-01T08:00:00+08:00"}
NAMES = ["plain.yaml", "two\nlines.yaml", "空 白.yaml", b"latin-\xe9.yaml".decode("utf-8", "surrogateescape"),
         "HEAD missing", "pointer.pdf"]
POINTER = b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + b"\nsize 12\n"


def _git(root, *args, **kw):
    return subprocess.run(["git", "-C", str(root), *args], env=ENV, check=True, capture_output=True, **kw).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    root = tmp_path_factory.mktemp("objects")
    _git(root, "init", "-q")
    (root / "folder").mkdir()
    for i, name in enumerate(NAMES):
        content = POINTER if name.endswith(".pdf") else f"content {i}\n".encode()
        (root / "folder" / os.fsencode(name).decode("utf-8", "surrogateescape")).write_bytes(content)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "files")
    return root


def test_every_content_lands_on_its_own_spec_with_missing_ones_between(repo):
    specs = []
    for i, name in enumerate(NAMES):
        specs += [f"HEAD:folder/{name}", f"HEAD:folder/no-{i}\nmissing"]
    found = read_blobs(repo, specs + ["HEAD:folder"])  # a folder is no file
    assert found == {f"HEAD:folder/{name}": POINTER if name.endswith(".pdf") else f"content {i}\n".encode()
                     for i, name in enumerate(NAMES)}


def test_folders_and_tree_entries_read_the_same_names(repo):
    folders = read_folders(repo, ["HEAD:missing", "HEAD:folder", "HEAD:folder/plain.yaml"])
    assert sorted(folders) == ["HEAD:folder"] and sorted(folders["HEAD:folder"]) == sorted(NAMES)
    blob = _git(repo, "rev-parse", "HEAD:folder/plain.yaml", text=True).strip()
    entries = tree_entries(repo, ["HEAD:folder/plain.yaml", "HEAD:folder/absent", "HEAD:elsewhere/x"])
    assert entries == {"HEAD:folder/plain.yaml": f"100644 {blob}", "HEAD:folder/absent": "", "HEAD:elsewhere/x": ""}


def test_lfs_objects_are_read_by_their_pointers_blob_ids(repo):
    blobs = {_git(repo, "rev-parse", f"HEAD:folder/{name}", text=True).strip() for name in ("pointer.pdf", "plain.yaml")}
    assert lfs._pointed_objects(repo, blobs | {"0" * 39 + "1"}) == {"a" * 64}


def test_a_folder_that_is_no_repository_is_a_clear_error(tmp_path):
    with pytest.raises(RepositoryError):
        read_blobs(tmp_path, ["HEAD:x"])


def test_a_revisions_huge_regulation_is_read_no_further_than_its_limit(tmp_path):
    """A request's records/regulation.md of many megabytes: the privacy scan reads its first bytes
    from the merge's tree without holding the rest in memory; a link there is never read."""
    import tracemalloc

    from generator.records.model import Records
    from generator.records.repositories import Repository

    root, limit, size = tmp_path, 1 << 16, 16 << 20
    _git(root, "init", "-q")
    huge = _git(root, "hash-object", "-w", "--stdin", input=b"#" * size).decode().strip()
    link = _git(root, "hash-object", "-w", "--stdin", input=b"/dev/zero").decode().strip()
    _git(root, "update-index", "--add", "--cacheinfo", f"100644,{huge},records/regulation.md",
         "--cacheinfo", f"120000,{link},records/linked.md")
    _git(root, "commit", "-q", "-m", "huge")
    records = Records(root, repositories=[Repository("single", "single", root, rev="HEAD")])
    tracemalloc.start()
    try:
        read = records.text_file("records/regulation.md", limit)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert read == b"#" * limit and peak < 4 * limit, peak
    assert records.text_file("records/linked.md", limit) is None and records.text_file("records/none.md", limit) is None
    assert records.text_file("records", limit) is None
