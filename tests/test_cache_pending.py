"""The history cache's pending commits (on merge-request refs, not on main) serve a later run only
while every ref names the commit it named, and only as far as they reach: a moved ref, a
cache missing a commit or a new head all give what a run without the cache gives."""

from __future__ import annotations


import subprocess

import msgspec
import pytest

from generator import cache
from generator.git import history, known
from gitschool import GitSchool, sample_repo

OUTCOME = 'course: "115999999H001010A010211"\ntitle: 英文日記\nsummary: 每週一篇英文日記。\n'


@pytest.fixture
def repo(tmp_path, monkeypatch) -> GitSchool:
    monkeypatch.setenv("LICHENG_CACHE_DIR", str(tmp_path / "cache"))
    return sample_repo(tmp_path / "school")


def pending(read) -> list[tuple[str, str]]:
    return [(c.sha, c.source) for c in read.pending]


def open_request(repo, name: str, commits: int = 1) -> str:
    """A student's request with `commits` commits, left open: the platform's ref to its head."""
    repo.mr_number += 1
    repo.git("checkout", "-q", "-b", name, "main")
    for n in range(commits):
        repo.direct({f"records/outcomes/115-1/1150101/{name}-{n}.yaml": OUTCOME}, "1150101", f"2026-09-1{n} 20:00")
    repo.git("checkout", "-q", "main")
    ref = f"refs/merge-requests/{repo.mr_number}/head"
    repo.git("update-ref", ref, name)
    repo.git("branch", "-q", "-D", name)
    return ref


def logs_of_refs(monkeypatch) -> list:
    """Every `git log` of the merge-request refs from now on."""
    calls = []
    original = history._log

    def counting(root, *args, **kw):
        if "--stdin" in args:
            calls.append(args)
        return original(root, *args, **kw)

    monkeypatch.setattr(history, "_log", counting)
    return calls


def test_unchanged_refs_are_not_logged_again(repo, monkeypatch):
    ref = open_request(repo, "diary", commits=2)
    first = history.read(repo.root, use_cache=True)
    assert {source for _, source in pending(first)} == {ref} and len(first.pending) == 2
    calls = logs_of_refs(monkeypatch)
    assert pending(history.read(repo.root, use_cache=True)) == pending(first)
    assert calls == []


def test_a_moved_ref_is_logged_anew(repo, monkeypatch):
    ref = open_request(repo, "diary")
    history.read(repo.root, use_cache=True)
    other = open_request(repo, "poem", commits=2)
    repo.git("update-ref", ref, other)  # the student pushed anew: the ref names another commit
    calls = logs_of_refs(monkeypatch)
    cached = history.read(repo.root, use_cache=True)
    assert len(calls) == 1
    assert pending(cached) == pending(history.read(repo.root)) and len(cached.pending) == 2


def test_a_new_head_keeps_the_pending_commits_main_does_not_hold(repo):
    open_request(repo, "diary")
    history.read(repo.root, use_cache=True)
    repo.mr({"records/outcomes/115-1/1150101/song.yaml": OUTCOME}, "1150101", "2026-09-20 20:00",
            "jiang-shuhui", "2026-09-21 10:00")
    cached, fresh = history.read(repo.root, use_cache=True), history.read(repo.root)
    assert pending(cached) == pending(fresh) and len(cached.pending) == 1
    assert set(cached.commits) == set(fresh.commits)


def test_pending_commits_merged_since_are_no_longer_pending(repo):
    ref = open_request(repo, "diary")
    history.read(repo.root, use_cache=True)
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'diary' into 'main'", ref)
    cached = history.read(repo.root, use_cache=True)
    assert cached.pending == [] and pending(cached) == pending(history.read(repo.root))


@pytest.mark.parametrize("damage", ["a commit left out", "a foreign ref"])
def test_a_cache_that_does_not_reach_what_the_refs_reach_is_read_anew(repo, damage):
    ref = open_request(repo, "diary", commits=3)
    expected = pending(history.read(repo.root, use_cache=True))
    body = cache.read(repo.root, known.NAME)
    if damage == "a commit left out":  # signed with the real key, yet missing the middle commit
        body["pending"] = body["pending"][:1] + body["pending"][2:]
    else:  # the ref's own commit replaced by one the ref does not name
        body["pending"] = body["pending"][1:]
    cache.write(repo.root, known.NAME, body)
    assert pending(history.read(repo.root, use_cache=True)) == expected
    assert {source for _, source in expected} == {ref}


def test_a_pending_outcome_is_parsed_once_and_a_damaged_entry_again(repo, monkeypatch):
    """The course of an outcome on a merge-request ref comes from the commit's file, which never
    changes: the next run reads it from the cache (no Git); a damaged entry is read anew, and a
    run without the cache leaves none."""
    from conftest import NOW
    from generator.git import committed
    from generator.validate import validate

    open_request(repo, "diary")
    path = "records/outcomes/115-1/1150101/diary-0.yaml"

    def course(use_cache=True) -> str:
        records, _ = validate(repo.root, NOW, use_cache=use_cache)
        outcome = records.certification.outcomes[path]
        assert outcome.state == "pending"
        return outcome.course

    assert course(use_cache=False) == "115999999H001010A010211"
    assert not (cache.directory(repo.root) / "pending-outcomes.json").exists()
    assert course() == "115999999H001010A010211"
    with monkeypatch.context() as patched:
        patched.setattr(committed, "read_objects", None)  # served from the cache alone
        assert course() == "115999999H001010A010211"
    body = cache.read(repo.root, "pending-outcomes.json")
    (spec,) = body["files"]
    body["files"][spec] = [0, 1, "course"]  # signed with the real key, but no parse licheng writes
    cache.write(repo.root, "pending-outcomes.json", body)
    assert course() == "115999999H001010A010211"
    assert cache.read(repo.root, "pending-outcomes.json") != body  # and written right again


def test_main_s_shape_comes_from_the_cache_only_while_it_fits_the_commits(repo, monkeypatch):
    """The first-parent chain and what each merge brought, worked out from the cached commits once
    and cached with them; a cached shape that does not fit its commits is worked out anew."""
    open_request(repo, "diary")
    repo.mr({"records/outcomes/115-1/1150101/song.yaml": OUTCOME}, "1150101", "2026-09-20 20:00",
            "jiang-shuhui", "2026-09-21 10:00")
    repo.direct({"records/outcomes/115-1/1150101/note.yaml": OUTCOME}, "1150101", "2026-09-22 20:00")
    fresh = history.read(repo.root)
    assert any(fresh.branch.values()) and len(fresh.mainline) == 3
    history.read(repo.root, use_cache=True)
    with monkeypatch.context() as patched:
        patched.setattr(history, "_split_mainline", None)  # served from the cache alone
        cached = history.read(repo.root, use_cache=True)
    assert (cached.mainline, cached.branch) == (fresh.mainline, fresh.branch)
    body = cache.read(repo.root, known.NAME)
    for damage in ({"mainline": body["mainline"][::-1]}, {"mainline": body["mainline"][1:]},
                   {"branches": body["branches"][:-1]}, {"mainline": [len(body["commits"])] * 3}):
        cache.write(repo.root, known.NAME, {**body, **damage})
        cached = history.read(repo.root, use_cache=True)
        assert (cached.mainline, cached.branch) == (fresh.mainline, fresh.branch), damage


def test_main_s_shape_at_a_new_head_extends_the_cached_one_or_is_worked_out_anew(repo, monkeypatch):
    """New merges on main: the cached shape plus theirs, as git gives it. A `git pull` merge that
    takes main off the cached head's first-parent chain: worked out anew, as git gives it."""
    def song(n: int) -> dict:
        return {f"records/outcomes/115-1/1150101/song-{n}.yaml": OUTCOME}

    repo.mr(song(1), "1150101", "2026-09-20 20:00", "jiang-shuhui", "2026-09-21 10:00")
    history.read(repo.root, use_cache=True)
    repo.mr(song(2), "1150101", "2026-09-22 20:00", "jiang-shuhui", "2026-09-23 10:00")
    repo.direct(song(3), "1150101", "2026-09-24 20:00")
    fresh = history.read(repo.root)
    with monkeypatch.context() as patched:
        patched.setattr(history, "_split_mainline", None)  # the cached shape, extended
        cached = history.read(repo.root, use_cache=True)
    assert (cached.mainline, cached.branch) == (fresh.mainline, fresh.branch) and len(fresh.mainline) == 4
    repo.git("checkout", "-q", "-b", "laptop", "main~1")
    repo.direct(song(4), "huang-shufen", "2026-09-25 09:00")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'main' of origin", "main", at="2026-09-25 09:05")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "laptop")
    fresh = history.read(repo.root)
    cached = history.read(repo.root, use_cache=True)
    assert (cached.mainline, cached.branch) == (fresh.mainline, fresh.branch)
    assert fresh.mainline[-2].subject == "更新" and len(fresh.mainline) == 5  # main~1, then the laptop's


def test_a_file_name_with_a_line_break_cannot_shift_the_other_files_contents(tmp_path):
    from generator.git.objects import read_blobs

    root = tmp_path / "repo"
    root.mkdir()
    (root / "a\nHEAD:b").write_text("planted\n")
    (root / "b").write_text("b\n")
    (root / "c").write_text("c\n")
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=x", "-c", "user.email=x@example.com",
                                                 "commit", "-q", "-m", "x"]):
        subprocess.run(["git", *args], cwd=root, check=True)
    got = read_blobs(root, ["HEAD:a\nHEAD:b", "HEAD:c"])
    assert got == {"HEAD:a\nHEAD:b": b"planted\n", "HEAD:c": b"c\n"}


def test_a_newer_file_holds_only_main_s_shape_after_the_first_file_s_and_serves_only_joined_to_it(repo, monkeypatch):
    """A merge and a commit on main after history.json's head: history-new.json holds main's shape
    from there on (`extends`: history.json's shape is its start), so it is not written whole again;
    joined to history.json it is main's whole shape, as a run without the cache works it out, and a
    newer file that extends a shape of another length serves no shape (it is worked out anew)."""
    monkeypatch.setattr(known, "NEWER_SHARE", 0)  # (a short history: any number of newer commits beside it)
    repo.mr({"records/outcomes/115-1/1150101/song.yaml": OUTCOME}, "1150101", "2026-09-20 20:00",
            "jiang-shuhui", "2026-09-21 10:00")
    history.read(repo.root, use_cache=True)  # history.json
    first = cache.read(repo.root, known.NAME, known.Stored)
    repo.mr({"records/outcomes/115-1/1150101/poem.yaml": OUTCOME}, "1150101", "2026-09-22 20:00",
            "jiang-shuhui", "2026-09-23 10:00")
    repo.direct({"records/outcomes/115-1/1150101/note.yaml": OUTCOME}, "1150101", "2026-09-24 20:00")
    fresh = history.read(repo.root)
    history.read(repo.root, use_cache=True)  # history-new.json beside it
    newer = cache.read(repo.root, known.NEWER, known.Stored)
    assert newer.extends == len(first.mainline) and len(fresh.mainline) == len(first.mainline) + 2
    assert [newer.commits[i].sha for i in newer.mainline] == [c.sha for c in fresh.mainline[-2:]]
    assert [[newer.commits[i].sha for i in b] for b in newer.branches] == [
        [c.sha for c in fresh.branch.get(m.sha, ())] for m in fresh.mainline[-2:]] and newer.branches[0]
    with monkeypatch.context() as patched:
        patched.setattr(history, "_split_mainline", None)  # served from the two files alone
        patched.setattr(history, "_log", None)
        cached = history.read(repo.root, use_cache=True)
    assert (cached.mainline, cached.branch) == (fresh.mainline, fresh.branch)
    for extends in (newer.extends - 1, newer.extends + 1):  # signed with the real key, yet not the first's length
        cache.write(repo.root, known.NEWER, msgspec.structs.replace(newer, extends=extends), plain=True)
        with monkeypatch.context() as patched:
            patched.setattr(history, "_log", None)
            cached = history.read(repo.root, use_cache=True)
        assert (cached.mainline, cached.branch) == (fresh.mainline, fresh.branch), extends


def test_a_newer_file_names_the_first_file_s_pending_commits_while_the_refs_are_the_same(repo, monkeypatch):
    """A commit on main with the open requests as they were: history-new.json holds no pending
    commits of its own (`pending_base`), and the two files give the pending commits a run without
    the cache finds, without logging the refs; once a request's ref moves, it holds its own."""
    monkeypatch.setattr(known, "NEWER_SHARE", 0)
    ref = open_request(repo, "diary", commits=2)
    history.read(repo.root, use_cache=True)  # history.json, with the request's two commits
    repo.direct({"records/outcomes/115-1/1150102/note.yaml": OUTCOME}, "1150102", "2026-09-24 20:00")
    history.read(repo.root, use_cache=True)
    newer = cache.read(repo.root, known.NEWER, known.Stored)
    assert newer.pending_base and newer.pending == [] and newer.refs == {}
    calls = logs_of_refs(monkeypatch)
    cached = history.read(repo.root, use_cache=True)
    assert calls == []  # the refs are not logged again
    fresh = history.read(repo.root)
    assert pending(cached) == pending(fresh) and len(cached.pending) == 2
    assert cached.pending_refs == fresh.pending_refs == {ref: repo.git("rev-parse", ref)}
    repo.git("update-ref", ref, repo.git("rev-parse", f"{ref}~1"))  # the request's ref moves
    history.read(repo.root, use_cache=True)
    newer = cache.read(repo.root, known.NEWER, known.Stored)
    assert not newer.pending_base and [c.sha for c in newer.pending] == [repo.git("rev-parse", ref)]
    cached, fresh = history.read(repo.root, use_cache=True), history.read(repo.root)
    assert pending(cached) == pending(fresh) and len(cached.pending) == 1
