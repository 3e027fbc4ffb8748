"""Signed certification (`certification.evidence: signed`) with real SSH keys made by ssh-keygen."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from generator.git import signatures
from gitschool import GITHUB, who
from test_history import NEW, OUTCOME, check, repo, state  # noqa: F401  (repo is a fixture)

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None,
                                reason="ssh-keygen is missing: apt-get install openssh-client")


def _key(tmp_path, name):
    path = tmp_path / f"{name}_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)], check=True)
    return path, path.with_suffix(".pub").read_text().strip()


@pytest.fixture
def signed(repo, tmp_path):
    keys = {name: _key(tmp_path, name) for name in ("teacher", "platform", "student")}
    repo.edit("records/school.yaml", "evidence: merge-author", "evidence: signed")
    repo.edit("records/school.yaml", "  kind: gitlab\n", f'  kind: github\n  signing_key: "{keys["platform"][1]}"\n')
    repo.edit("records/staff.yaml", "git: [jiang.shuhui@example.edu.tw]",
              f'git: [jiang.shuhui@example.edu.tw]\n  signing_keys: ["{keys["teacher"][1]}"]')
    repo.commit_all("簽章認證", "huang-shufen", "2026-08-05 09:00")
    return repo, keys


def _merge(repo, key=None, merger="jiang-shuhui", committer=None):
    branch = repo.branch({NEW: OUTCOME}, "1150101", "2026-09-15 20:00")
    repo.git("update-ref", f"refs/pull/{repo.mr_number}/head", branch)
    sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}"] if key else []
    repo.git(*sign, "merge", "-q", "--no-ff", *(["-S"] if key else []), "-m", f"Merge pull request #{repo.mr_number}",
             branch, author=who(merger), committer=committer or who(merger), at="2026-09-20 10:00")
    return repo.git("rev-parse", "HEAD")


def test_a_merge_signed_by_the_teachers_own_key_certifies(signed):
    repo, keys = signed
    _merge(repo, keys["teacher"][0])
    records, codes, result = check(repo)
    assert state(records) == "certified" and result.errors == 0, [f.as_dict("en") for f in result.findings]
    assert repo.git("status", "--porcelain") == ""  # the allowed-signers file is never written into the repository


def test_a_merge_signed_by_the_platforms_key_certifies(signed):
    repo, keys = signed
    _merge(repo, keys["platform"][0], committer=GITHUB)
    assert state(check(repo)[0]) == "certified"


@pytest.mark.parametrize("which", [None, "student"])
def test_an_unsigned_merge_or_one_signed_by_another_key_certifies_nothing(signed, which):
    repo, keys = signed
    _merge(repo, keys[which][0] if which else None)
    records, codes, result = check(repo)
    assert state(records) == "uncertified" and "cert.unsigned" in codes
    assert "signing_keys" in next(f for f in result.findings if f.rule == "cert.unsigned").message("en")


def test_the_teachers_key_does_not_sign_for_another_teacher(signed):
    repo, keys = signed
    _merge(repo, keys["teacher"][0], merger="lai-zhiwei")  # lai-zhiwei's merge signed with jiang-shuhui's key
    assert "cert.unsigned" in check(repo)[1]


def test_verdicts_are_cached_by_commit_as_json_and_a_corrupt_cache_is_harmless(signed):
    repo, keys = signed
    merge = _merge(repo, keys["teacher"][0])
    records, _, _ = check(repo)
    from generator import cache

    stored = cache.read(repo.root, "signatures.json")
    assert stored["verdicts"][merge][0] == "G" and stored["verdicts"][merge][2] == "jiang-shuhui"
    # a verdict in the cache is believed only for the same signing keys: a forged "G" under other keys is not
    cache.write(repo.root, "signatures.json", {"signers": "other", "verdicts": {merge: ["G", "x", "lai-zhiwei"]}})
    assert state(check(repo)[0]) == "certified"
    (cache.directory(repo.root) / "signatures.json").write_bytes(b"\x80not json")
    assert state(check(repo)[0]) == "certified"


def test_one_git_pass_for_every_merge(signed):
    repo, keys = signed
    first = _merge(repo, keys["teacher"][0])
    other = "records/outcomes/115-1/1150101/poem.yaml"
    branch = repo.branch({other: OUTCOME}, "1150101", "2026-09-21 20:00")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge", branch, author=who("jiang-shuhui"), at="2026-09-22 10:00")
    second = repo.git("rev-parse", "HEAD")
    ssh, _ = signatures._keys(check(repo)[0])
    found = signatures._ask_git(repo.root, signatures._allowed_signers(ssh), [first, second])
    assert found[first][0] == "G" and found[second][0] == "N"
