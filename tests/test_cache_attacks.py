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


def test_a_cache_written_beside_another_pyyaml_or_fastjsonschema_is_not_read(repo, tmp_path):
    """The cache keeps PyYAML's parses and fastjsonschema's clean verdicts (a checkout compiles the
    schemas with it): one written beside another version of either (a CI image or a laptop upgraded
    under the same licheng) is ignored, as one another licheng wrote is. The proof that the cache
    would serve: a parse signed with the cache's key, which a run beside the same libraries takes."""
    import importlib.util
    import json
    import os
    import shutil
    import sys

    from generator.git import index

    root = repo.root
    report(root)
    body = cache.read(root, "records.json")
    blob = index.blob_ids(root)[STUDENT]
    parsed = cache.unpack(body["blobs"][blob])
    parsed["national_id"] = "J125493396"  # what another parser might have made of the file: its check digit fails
    cache.write(root, "records.json", {**body, "blobs": {**body["blobs"], blob: cache.pack(parsed)}}, plain=True)

    def run(*shadowed: str) -> set:
        """The findings of a run whose PyYAML or fastjsonschema is a copy that says it is another version."""
        shadow = tmp_path / f"shadow-{'-'.join(shadowed)}"
        for name in shadowed:
            folder = os.path.dirname(importlib.util.find_spec(name).origin)
            shutil.copytree(folder, shadow / name, ignore=shutil.ignore_patterns("__pycache__"))
            with open(shadow / name / "__init__.py", "a") as fh:
                fh.write("\n# another release\n")
        path = os.pathsep.join(p for p in (str(shadow), os.environ.get("PYTHONPATH")) if p)
        proc = subprocess.run([sys.executable, "-m", "generator", "validate", "-C", str(root), "--now",
                               "2026-11-28 12:00", "--format", "json"], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": path})
        assert proc.returncode in (0, 1), proc.stderr
        return {(f["rule"], f["path"]) for f in json.loads(proc.stdout)["findings"]}

    assert ("id.national-id", STUDENT) in run()  # the same libraries: the signed parse serves
    for name in ("yaml", "fastjsonschema"):
        assert ("id.national-id", STUDENT) not in run(name), name
