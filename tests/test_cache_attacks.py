"""Attacks on what the cache serves: a working copy Git has stopped comparing with its blob, and
files of past commits that were absent only from this clone. Each case must give the report a
run without the cache gives."""

from __future__ import annotations

import pytest

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
