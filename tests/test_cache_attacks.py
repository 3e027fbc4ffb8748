"""Attacks on what the cache serves: a working copy Git has stopped comparing with its blob, and
files of past commits that were absent only from this clone. Each case must give the report a
run without the cache gives."""

from __future__ import annotations

import subprocess

import pytest

from generator import cache
from test_cache import CHART, STUDENT, _git, report, repo  # noqa: F401  (repo is a fixture)


@pytest.mark.parametrize("flag", ["--assume-unchanged", "--skip-worktree"])
def test_a_file_git_no_longer_compares_is_read_not_taken_from_the_cache(repo, flag):
    root = repo.root
    assert report(root) == report(root, use_cache=False)  # the cache now holds both files' blobs
    _git(root, "update-index", flag, CHART, STUDENT)
    (root / CHART).write_bytes(b"GIF89a" + (root / CHART).read_bytes()[6:])  # same size, no PNG now
    repo.edit(STUDENT, "J125493395", "J125493396")
    expected = report(root, use_cache=False)
    assert {"file.type", "id.national-id"} <= {rule for rule, _, _ in expected}
    assert report(root) == expected


def test_a_file_this_clone_lacked_is_read_again_once_it_has_it(repo):
    """Git says "missing" alike for a path a commit does not have and for content a partial or
    damaged clone lacks; only the first is a fact about the commit that a cache may keep."""
    from generator.git.committed import Files

    root = repo.root
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
    blob = subprocess.run(["git", "rev-parse", f"HEAD:{STUDENT}"], cwd=root, capture_output=True, text=True).stdout.strip()
    loose = root / ".git" / "objects" / blob[:2] / blob[2:]
    kept = loose.read_bytes()
    loose.chmod(0o644)
    loose.unlink()  # the clone lacks the student's file
    specs = [f"{head}:{STUDENT}", f"{head}:records/students/none.yaml"]
    first = Files(root, "t.json", True)
    assert first.parsed(specs) == dict.fromkeys(specs)
    first.flush()  # the end of that run: what it kept is written
    loose.write_bytes(kept)  # fetched since
    second = Files(root, "t.json", True)
    parsed = second.parsed(specs)
    second.flush()
    assert parsed[specs[0]]["national_id"] == "J125493395" and parsed[specs[1]] is None
    assert specs[1] in cache.read(root, "t.json")["files"]  # the absent path is a fact, kept


def test_a_path_under_a_folder_this_clone_lacks_is_no_fact(repo):
    """Only a folder Git could read tells that a path is not in it; under a lost folder nothing is known."""
    from generator.git.committed import _absent
    from generator.git.objects import read_blobs

    root = repo.root
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
    specs = [f"{head}:records/students/none.yaml", f"{head}:records/nowhere/none.yaml", f"{head}:{STUDENT}"]
    assert _absent(root, specs) == set(specs[:2])  # the student's file is there
    # a folder between two files: its content is skipped, the next file is read whole
    assert read_blobs(root, [f"{head}:records", f"{head}:{STUDENT}"])[f"{head}:{STUDENT}"] == \
        (root / STUDENT).read_bytes()
    tree = subprocess.run(["git", "rev-parse", "HEAD:records/students"], cwd=root, capture_output=True,
                          text=True).stdout.strip()
    loose = root / ".git" / "objects" / tree[:2] / tree[2:]
    loose.chmod(0o644)
    loose.unlink()  # the clone lacks the students' folder
    assert _absent(root, specs) == {specs[1]}
