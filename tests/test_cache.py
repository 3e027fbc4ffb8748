"""licheng's cache holds inputs only (parse results, commits), in JSON, and is ignored whenever
it cannot be trusted: every case below must still give the same report as a run without it."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess

import msgspec
import pytest

from conftest import NOW
from generator import cache
from generator.git import history, index, known
from generator.records import schema
from generator.validate import validate

STUDENT = "records/students/1150101.yaml"


def _git(root, *args):
    subprocess.run(["git", "-c", "user.name=黃淑芬", "-c", "user.email=huang.shufen@example.edu.tw", *args],
                   cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(school, tmp_path, monkeypatch):
    monkeypatch.setenv("LICHENG_CACHE_DIR", str(tmp_path / "cache"))
    _git(school.root, "init", "-q", "-b", "main")
    _git(school.root, "add", "-A")
    _git(school.root, "commit", "-q", "-m", "匯入")
    return school


def report(root, use_cache=True):
    return sorted((f.rule, f.path, f.line) for f in validate(root, NOW, use_cache=use_cache)[1].findings)


def test_the_cache_is_json_or_messagepack_with_parse_results_and_commits_never_findings(repo):
    repo.edit(STUDENT, "J125493395", "J125493396")
    _git(repo.root, "commit", "-qam", "錯誤")
    expected = report(repo.root, use_cache=False)
    assert ("id.national-id", STUDENT, 4) in expected
    assert report(repo.root) == expected and report(repo.root) == expected  # written, then read
    folder = cache.directory(repo.root)
    # (audit-start.json: school.yaml as each commit that changed it holds it, parsed; lines.json: the
    # lines of the files a finding about a commit's change points into, by commit id and path)
    assert sorted(p.name for p in folder.iterdir()) == ["audit-start.json", "history.json", "lines.json",
                                                        "records.json"]
    for path in folder.iterdir():
        header, body = path.read_bytes().split(b"\n", 1)
        # (the history's body is MessagePack: decoded alike, it holds the same kinds of data)
        keys = msgspec.msgpack.decode(body) if path.name == known.NAME else json.loads(body)
        assert set(keys) <= {"blobs", "heads", "clean", "head", "trailers", "commits", "refs", "pending",
                                         "mainline", "branches", "format", "files", "entries"}
        assert oct(path.stat().st_mode & 0o777) == "0o600"
    # the only verdicts: which kinds' schemas a cached parse matched without a finding
    body = cache.read(repo.root, "records.json")
    assert body["clean"] and all(blob in body["blobs"] and kinds and set(kinds) <= set(schema.kinds())
                                 for blob, kinds in body["clean"].items())
    written = (folder / "records.json").stat()
    assert report(repo.root) == expected  # nothing new was parsed, read or checked: nothing is written
    assert (folder / "records.json").stat().st_ino == written.st_ino
    blob = index.blob_ids(repo.root)[STUDENT]
    assert cache.unpack(json.loads(body if path.name == "records.json" else
                                   (folder / "records.json").read_bytes().split(b"\n", 1)[1])["blobs"][blob]
                        )["national_id"] == "J125493396"


OUTCOME = "records/outcomes/114-2/1130101/poetry-notes.yaml"
PERFORMANCE = "records/performances/115/1130107/first-aid.yaml"


def test_a_clean_verdict_serves_only_its_own_blob_and_kind_and_a_schema_error_is_found_every_run(repo):
    """The cache keeps, by blob id, the kinds whose schema a parse matched without a finding; a
    file that changed, the same bytes under another kind's folder, a verdict planted under another
    blob id or kind, or one whose parse the cache no longer holds, is checked as a run without the
    cache checks it."""
    root = repo.root
    report(root)
    clean = cache.read(root, "records.json")["clean"]
    before = index.blob_ids(root)
    assert clean[before[OUTCOME]] == ["outcome"] and clean[before[PERFORMANCE]] == ["performance"]
    (root / PERFORMANCE).write_bytes((root / OUTCOME).read_bytes())  # an outcome's bytes: no performance
    repo.edit(OUTCOME, "title: 唐詩意象整理筆記", "title: [唐詩]")  # stale: the verdict was its old blob's
    expected = report(root, use_cache=False)
    assert {("schema.invalid", OUTCOME), ("schema.unknown-key", PERFORMANCE)} <= {(r, p) for r, p, _ in expected}
    assert report(root) == report(root) == expected
    _git(root, "add", "-A")  # (their parses are now cached by blob id)
    assert report(root) == report(root) == report(root, use_cache=False) == expected
    after = index.blob_ids(root)
    assert after[PERFORMANCE] == before[OUTCOME]
    body = cache.read(root, "records.json")
    assert after[OUTCOME] in body["blobs"] and after[OUTCOME] not in body["clean"]
    assert body["clean"][after[PERFORMANCE]] == ["outcome"]  # (the blob is a clean outcome still)
    planted = [{before[OUTCOME]: ["outcome"], before[PERFORMANCE]: ["outcome", "performance"]},  # other blobs
               {after[OUTCOME]: ["performance", "courses"]},  # another kind
               {after[OUTCOME]: "outcome"}, {after[OUTCOME]: {"outcome": True}}, {after[OUTCOME]: None}]
    for verdicts in planted:  # signed with the cache's key: only the claims do not fit
        cache.write(root, "records.json", {**body, "clean": {**body["clean"], **verdicts}})
        assert report(root) == expected, verdicts
    # a verdict whose blob's parse the cache does not hold (dropped, damaged) serves nothing
    for parse in (None, [0], [0, 1, "title"], [1, 2]):
        blobs = {k: v for k, v in body["blobs"].items() if k != after[OUTCOME]}
        if parse is not None:
            blobs[after[OUTCOME]] = parse
        cache.write(root, "records.json", {**body, "blobs": blobs, "clean": {**body["clean"], after[OUTCOME]: ["outcome"]}})
        assert report(root) == expected, parse
    cache.write(root, "records.json", {**body, "clean": {}})  # parses without verdicts: checked, then kept
    assert report(root) == expected and cache.read(root, "records.json")["clean"] == body["clean"]


def test_a_revision_is_read_with_the_cached_parses_of_its_blobs(repo):
    """A merge request's check reads its base and its merge from Git objects: the parses main's
    run cached serve them by blob id, and the report is the one a run without the cache gives."""
    def at(rev, use_cache):
        return sorted((f.rule, f.path, f.line) for f in validate(repo.root, NOW, rev=rev, use_cache=use_cache)[1].findings)

    repo.edit(STUDENT, "J125493395", "J125493396")
    _git(repo.root, "commit", "-qam", "錯誤")
    expected = {rev: at(rev, False) for rev in ("HEAD~1", "HEAD")}
    assert expected["HEAD~1"] != expected["HEAD"]
    report(repo.root)  # main's run writes the cache
    assert {rev: at(rev, True) for rev in ("HEAD~1", "HEAD")} == expected


def test_history_reads_only_new_commits_and_rereads_a_rewritten_history(repo):
    root = repo.root
    first = history.read(root, use_cache=True)
    repo.append("records/staff.yaml", "# 註記\n")
    _git(root, "commit", "-qam", "新提交")
    logged = []
    original = history._log

    def counting(repo_, *args, **kw):
        commits = original(repo_, *args, **kw)
        logged.append((args, len(commits)))
        return commits

    history._log, saved = counting, history._log
    try:
        second = history.read(root, use_cache=True)
    finally:
        history._log = saved
    assert logged[0][1] == 1  # the one new commit; the pending-requests log follows
    assert set(second.commits) == set(first.commits) | {second.head}
    _git(root, "commit", "-q", "--amend", "-m", "改寫")  # a rewritten history: the cached head is gone
    third = history.read(root, use_cache=True)
    assert set(third.commits) == set(history.read(root).commits) and second.head not in third.commits


def test_a_cache_claiming_fewer_commits_than_its_head_has_is_read_anew(repo):
    root = repo.root
    repo.append("records/staff.yaml", "# 註記\n")
    _git(root, "commit", "-qam", "第二個提交")
    full = history.read(root, use_cache=True)
    body = cache.read(root, known.NAME)
    body["commits"] = body["commits"][:1]  # signed with the real key, yet claims one commit of two
    cache.write(root, known.NAME, body)
    assert set(history.read(root, use_cache=True).commits) == set(full.commits)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "unsigned", "other-version", "other-repository"])
def test_a_damaged_or_foreign_cache_is_ignored(repo, tmp_path, damage):
    root = repo.root
    repo.edit(STUDENT, "J125493395", "J125493396")
    _git(root, "commit", "-qam", "錯誤")
    expected = report(root, use_cache=False)
    report(root)
    folder = cache.directory(root)
    blob = index.blob_ids(root)[STUDENT]
    for path in folder.iterdir():
        raw = path.read_bytes()
        header, body = raw.split(b"\n", 1)
        if damage == "truncated":
            path.write_bytes(raw[: len(raw) // 2])
        elif damage == "garbage":
            path.write_bytes(b"\x80\x05garbage\n{")
        elif damage == "unsigned":  # a crafted file: the student's entry says the ID is right
            data = msgspec.msgpack.decode(body) if path.name == known.NAME else json.loads(body)
            if "blobs" in data:
                data["blobs"][blob] = json.loads(json.dumps(data["blobs"][blob]).replace("J125493396", "J125493395"))
            path.write_bytes(header + b"\n" + msgspec.json.encode(data))
        else:
            fields = json.loads(header)
            del fields["mac"]
            fields["licheng" if damage == "other-version" else "repository"] = "0" * 16
            key = (folder.parent / "key").read_bytes().strip()
            fields["mac"] = cache._mac(key, dict(fields), body)  # signed: only the claim is wrong
            path.write_bytes(json.dumps(fields).encode() + b"\n" + body)
    assert report(root) == expected


def test_a_cache_copied_from_another_repository_is_ignored(repo, tmp_path):
    root = repo.root
    other = tmp_path / "other"
    shutil.copytree(root, other)
    repo.edit(STUDENT, "J125493395", "J125493396")
    _git(root, "commit", "-qam", "錯誤")
    report(other)
    shutil.copytree(cache.directory(other), cache.directory(root))
    assert ("id.national-id", STUDENT, 4) in report(root)


@pytest.mark.parametrize("project, folder", cache.CI_PROJECTS)
def test_a_ci_job_finds_the_cache_its_project_saved_though_its_checkout_moved(repo, tmp_path, monkeypatch, project, folder):
    """GitLab checks a project out to /builds/<runner>/<concurrent job>/…: each job's folder may differ."""
    jobs = [tmp_path / "builds" / str(n) / "school" for n in (0, 1)]
    for job in jobs:
        shutil.copytree(repo.root, job)
    monkeypatch.setenv(project, "example-school/portfolio")
    folders = []
    for job in jobs:
        monkeypatch.setenv(folder, str(job))
        folders.append(cache.directory(job))
        assert (cache.read(job, known.NAME) is not None) == (job == jobs[1])  # the second job finds the first's
        report(job)
    assert folders[0] == folders[1]
    monkeypatch.setenv(project, "example-school/registry")  # another project's cache is not this one's
    assert cache.directory(jobs[1]) != folders[1] and cache.read(jobs[1], known.NAME) is None
    monkeypatch.delenv(project)  # outside CI: each folder its own
    assert cache.directory(jobs[1]) != cache.directory(jobs[0])


def test_a_read_only_cache_folder_is_neither_read_nor_written(repo):
    root = repo.root
    expected = report(root, use_cache=False)
    report(root)
    folder = cache.directory(root)
    for path in folder.iterdir():
        path.write_bytes(b"{}")
    os.chmod(folder, 0o500)
    try:
        repo.edit(STUDENT, "J125493395", "J125493396")
        assert ("id.national-id", STUDENT, 4) in report(root)
        assert all(p.read_bytes() == b"{}" for p in folder.iterdir())
        assert cache.usable_directory(root) is None
    finally:
        os.chmod(folder, 0o700)
    assert report(root, use_cache=False) == report(root) != expected


def test_a_cache_folder_inside_the_repository_is_never_used(repo, monkeypatch):
    root = repo.root
    monkeypatch.setenv("LICHENG_CACHE_DIR", str(root / ".licheng-cache"))
    planted = cache.directory(root)
    planted.mkdir(parents=True, mode=0o700)
    (planted / "records.json").write_text('{"format": 2}\n{"blobs": {}}', "utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "快取")
    repo.edit(STUDENT, "J125493395", "J125493396")
    assert ("id.national-id", STUDENT, 4) in report(root)
    assert sorted(p.name for p in planted.iterdir()) == ["records.json"]
    assert cache.usable_directory(root) is None


def test_no_pickle_or_marshal_anywhere_in_licheng():
    from pathlib import Path

    import generator

    for path in Path(generator.__file__).parent.rglob("*.py"):
        text = path.read_text("utf-8")
        assert "pickle" not in text and "marshal" not in text, path


def test_what_msgspec_cannot_write_or_read_is_kept_exactly(repo):
    """NaN (a YAML `.nan` parses to it) and the lone surrogates of a file name that is no UTF-8
    go through the standard library's JSON, both ways."""
    root = repo.root
    odd = {"blobs": {"a" * 40: [0, 1, "score", 2, float("nan")]}, "paths": ["records/\udcff.yaml"]}
    cache.write(root, "records.json", odd)
    back = cache.read(root, "records.json")
    assert back["paths"] == odd["paths"] and back["blobs"]["a" * 40][4] != back["blobs"]["a" * 40][4]  # NaN
    cache.write(root, known.NAME, {"commits": [["records/\udcff.yaml"]]}, plain=True)
    assert cache.read(root, known.NAME) == {"commits": [["records/\udcff.yaml"]]}
    cache.write(root, known.NAME, {"commits": [[1, "江"]]}, plain=True)
    assert (cache.directory(root) / known.NAME).read_bytes().endswith('{"commits":[[1,"江"]]}'.encode())


def test_a_cache_extended_by_new_commits_holds_what_git_logs(repo):
    """Each run that logs new commits writes the cache again (the older commits as they were read):
    the next run, served from it alone, sees every commit exactly as a run without it does."""
    root = repo.root
    history.read(root, use_cache=True)
    for n in range(2):
        repo.append("records/staff.yaml", f"# 註記 {n}\n")
        _git(root, "commit", "-qam", f"提交 {n}")
        history.read(root, use_cache=True)
    cached, fresh = history.read(root, use_cache=True), history.read(root)
    assert cached.head == fresh.head and len(cached.commits) == 3
    assert cached.commits == fresh.commits and cached.mainline == fresh.mainline


CHART = "records/outcomes/114-2/1130101/chart.png"  # 193 bytes: its head is read on every run


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_an_attachment_s_head_is_cached_by_blob_id_and_read_again_when_the_entry_does_not_fit(repo):
    root = repo.root
    expected = report(root, use_cache=False)
    assert report(root) == expected
    body = cache.read(root, "records.json")
    blob, data = index.blob_ids(root)[CHART], (root / CHART).read_bytes()
    assert body["heads"][blob] == [len(data), _b64(data[:64])]
    # the entry is what the next run reads (one signed with the cache's key, saying the picture is no PNG)
    body["heads"][blob] = [len(data), _b64(b"GIF89a")]
    cache.write(root, "records.json", body)
    assert {rule for rule, _, _ in report(root)} - {rule for rule, _, _ in expected} == {"file.type"}
    # an entry of another size, or a damaged one, is not: the file is read again
    for entry in ([len(data) + 1, _b64(b"GIF89a")], [len(data), "%%"], [len(data)], "x"):
        body["heads"][blob] = entry
        cache.write(root, "records.json", body)
        assert report(root) == expected, entry
    # nor is the entry of a blob the file no longer is (the sample's other copies of it still take it)
    body["heads"][blob] = [len(data), _b64(b"GIF89a")]
    cache.write(root, "records.json", body)
    (root / CHART).write_bytes(data[:-1] + b"\1")
    wrong = {path for rule, path, _ in report(root) if rule == "file.type"}
    assert wrong and "records/outcomes/114-2/1130101/poetry-notes.yaml" not in wrong


def test_a_working_copy_git_converts_on_checkout_is_not_cached_as_its_blob(repo):
    root = repo.root
    (root / ".gitattributes").write_text("*.pdf text eol=crlf\n")
    poster = "records/outcomes/114-2/1130101/poster.pdf"
    (root / poster).write_bytes(b"%PDF-1.4\n" * 20)
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "海報")
    (root / poster).unlink()
    _git(root, "checkout", "--", poster)  # the working copy has CRLF line endings, the blob LF
    assert (root / poster).read_bytes() == b"%PDF-1.4\r\n" * 20
    expected = report(root, use_cache=False)
    assert report(root) == report(root) == expected
    assert index.blob_ids(root)[poster] not in cache.read(root, "records.json")["heads"]


def test_a_cached_history_that_does_not_fit_the_commit_format_is_read_anew(repo):
    """Signed with the real key, yet not commits as licheng writes them: ignored, read from Git."""
    root = repo.root
    fresh = history.read(root)
    for commits in ([["x"]], [[fresh.head, [], "黃淑芬", "a@b", "not a time"]], "commits"):
        cache.write(root, known.NAME, {"head": fresh.head, "trailers": False, "commits": commits})
        assert cache.read(root, known.NAME, known.Stored) is None
        assert history.read(root, use_cache=True).commits == fresh.commits


def test_a_commit_naming_a_file_that_is_no_utf8_is_cached_exactly(repo, monkeypatch):
    """git names such a file in bytes; the history keeps them (lone surrogates), and so does its cache."""
    root = repo.root
    with open(os.path.join(os.fsencode(root), b"records", b"\xff.txt"), "wb") as fh:
        fh.write(b"x\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "檔名")
    written = history.read(root, use_cache=True)
    assert ("A", "records/\udcff.txt") in written.commits[written.head].changes
    fresh = history.read(root)
    monkeypatch.setattr(history, "_log", None)  # served from the cache alone: no git log
    assert history.read(root, use_cache=True).commits == written.commits == fresh.commits


def test_a_record_holding_nan_is_parsed_anew_each_run_and_the_rest_is_cached(repo):
    """msgspec writes the parses (it would write NaN as null): a file whose parse holds a NaN or
    an infinity is never cached, and its findings stay those of a run without the cache."""
    root = repo.root
    grades = "records/grades/114-2/113999999H001010A010122.yaml"
    repo.edit(grades, '"1130101": 82', '"1130101": .nan')
    repo.edit(grades, '"1130102": 79', '"1130102": -.inf')
    _git(root, "commit", "-qam", "成績")
    expected = report(root, use_cache=False)
    assert report(root) == report(root) == expected
    blobs = cache.read(root, "records.json")["blobs"]
    assert index.blob_ids(root)[grades] not in blobs and index.blob_ids(root)[STUDENT] in blobs
    assert b"NaN" not in (cache.directory(root) / "records.json").read_bytes()


def _same_history(a, b) -> bool:
    return (a.head, a.commits, a.mainline, a.branch, a.pending) == (b.head, b.commits, b.mainline, b.branch, b.pending)


def test_a_few_new_commits_are_cached_beside_the_others_which_are_not_written_again(repo, monkeypatch):
    """history.json keeps the commits it was written with; the newer ones go to history-new.json,
    which names its head and commit count; the two serve together only as long as they fit."""
    root = repo.root
    history.read(root, use_cache=True)
    first = (cache.directory(root) / known.NAME).read_bytes()
    monkeypatch.setattr(known, "NEWER_SHARE", 0)  # (a history of one commit: any number of newer ones beside it)
    shas = []
    for n in range(2):
        repo.append("records/staff.yaml", f"# 註記 {n}\n")
        _git(root, "commit", "-qam", f"提交 {n}")
        shas.append(history.read(root, use_cache=True).head)
    assert (cache.directory(root) / known.NAME).read_bytes() == first
    assert [c.sha for c in cache.read(root, known.NEWER, known.Stored).commits] == shas[::-1]
    fresh = history.read(root)
    with monkeypatch.context() as m:
        m.setattr(history, "_log", None)  # served from the two files alone: no git log
        assert _same_history(history.read(root, use_cache=True), fresh)
    # a head before the newer file's (a reset): the first file serves alone, the commit since is logged
    _git(root, "reset", "-q", "--hard", "HEAD~1")
    assert _same_history(history.read(root, use_cache=True), history.read(root))
    # a newer file that does not name the first file's head and count is ignored
    newer = cache.read(root, known.NEWER, known.Stored)
    for base, count in (("0" * 40, newer.base_count), (newer.base, newer.base_count + 1)):
        cache.write(root, known.NEWER, msgspec.structs.replace(newer, base=base, base_count=count), plain=True)
        assert _same_history(history.read(root, use_cache=True), history.read(root))
    # more newer commits than the share allows: all of them are written to the first file again
    monkeypatch.setattr(known, "NEWER_SHARE", 20)
    repo.append("records/staff.yaml", "# 註記\n")
    _git(root, "commit", "-qam", "提交")
    head = history.read(root, use_cache=True).head
    assert cache.read(root, known.NAME, known.Stored).head == head


def test_a_head_off_the_cached_one_logs_only_what_the_cache_lacks_and_keeps_the_cached_commits_it_reaches(
        repo, monkeypatch):
    """A reset, an amended commit, a commit on an older head: one `git log NEW --not OLD` tells both
    the missing commits and (by where it stops) which cached ones serve; no other git process asks
    whether one head descends from the other. Each read is the one a run without the cache gives."""
    root = repo.root
    monkeypatch.setattr(known, "NEWER_SHARE", 0)  # (a history of one commit: any number of newer ones beside it)
    first = history.read(root, use_cache=True).head  # history.json
    for n in range(3):  # history-new.json beside it
        repo.append("records/staff.yaml", f"# 註記 {n}\n")
        _git(root, "commit", "-qam", f"提交 {n}")
        history.read(root, use_cache=True)
    logged, asked, log, run = [], [], history._log, history.prefetch.run
    monkeypatch.setattr(history, "_log", lambda *a, **kw: logged.append(len(found := log(*a, **kw))) or found)
    monkeypatch.setattr(history.prefetch, "run", lambda root, *a: asked.append(a[0]) or run(root, *a))

    def served(*steps) -> list[int]:
        logged.clear()
        _git(root, *steps)
        cached = history.read(root, use_cache=True)
        counts = list(logged)
        assert _same_history(cached, history.read(root)), steps
        return counts

    assert served("reset", "-q", "--hard", "HEAD~1") == [0]  # a head the newer file holds: nothing new
    assert served("commit", "-q", "--amend", "-m", "改寫") == [1]  # the amended commit alone
    assert served("reset", "-q", "--hard", first) == []  # the first file's own head
    assert served("commit", "-q", "--allow-empty", "-m", "之後") == [1]
    _git(root, "checkout", "-q", "--orphan", "other")
    assert served("commit", "-q", "--allow-empty", "-m", "另一段歷史") == [1]  # a history sharing no commit
    assert "merge-base" not in asked
    fresh = history.read(root)
    monkeypatch.setattr(history, "_log", None)  # each read left the cache that serves it alone
    assert _same_history(history.read(root, use_cache=True), fresh)


def test_a_newer_file_read_with_trailers_never_joins_a_first_file_read_without(repo, monkeypatch):
    """The two files serve together only when both were read alike: a first file written again
    at its head without the Certified-by trailers (a run whose school.yaml did not ask for them)
    would lend the newer file's trailer-reading run commits whose trailers were never read."""
    root = repo.root
    monkeypatch.setattr(known, "NEWER_SHARE", 0)
    _git(root, "commit", "-q", "--allow-empty", "-m", "認證\n\nCertified-by: 黃淑芬 <huang.shufen@example.edu.tw>")
    first = history.read(root, trailers=True, use_cache=True).head  # history.json, with trailers
    _git(root, "commit", "-q", "--allow-empty", "-m", "之後")
    later = history.read(root, trailers=True, use_cache=True).head  # history-new.json beside it
    _git(root, "checkout", "-q", first)
    history.read(root, trailers=False, use_cache=True)  # history.json again, at the same head, without
    assert cache.read(root, known.NAME, known.Stored).head == first
    _git(root, "checkout", "-q", later)
    assert history.read(root, trailers=True, use_cache=True).commits[first].certified_by == (
        "huang.shufen@example.edu.tw",)
    assert _same_history(history.read(root, trailers=True, use_cache=True), history.read(root, trailers=True))


def test_a_large_file_decoded_while_its_signature_is_checked_is_used_only_when_it_matches(repo):
    import threading

    root = repo.root
    value = {"files": {f"{i:040x}:records/x.yaml": [0, 1, "k", 2, "值" * 20] for i in range(20000)}}
    cache.write(root, "big.json", value)
    path = cache.directory(root) / "big.json"
    assert path.stat().st_size > cache.BESIDE_FROM
    assert cache.read(root, "big.json") == value
    raw = path.read_bytes()
    at = raw.rindex("值".encode())
    path.write_bytes(raw[:at] + "直".encode() + raw[at + 3:])  # one character changed: still JSON
    assert cache.read(root, "big.json") is None
    assert threading.active_count() == 1  # (the signing thread has ended: the run may fork)


def test_a_revision_s_new_parses_are_cached_so_the_next_revision_parses_only_what_differs(repo, monkeypatch):
    """A teacher's batch checks several requests, each a revision: with no cached parse yet (a first
    run, a new licheng), the first parses every record and the next only the files that differ;
    the working tree's cached attachment heads spare reading those blobs. Same reports as without the cache."""
    from generator.records import loader

    def at(rev, use_cache):
        return sorted((f.rule, f.path, f.line) for f in validate(repo.root, NOW, rev=rev, use_cache=use_cache)[1].findings)

    repo.edit(STUDENT, "J125493395", "J125493396")
    _git(repo.root, "commit", "-qam", "錯誤")
    expected = {rev: at(rev, False) for rev in ("HEAD~1", "HEAD")}
    parses, blobs_read = [], []
    real_parse, real_read = loader.load_bytes, loader.objects.read_blobs
    monkeypatch.setattr(loader, "load_bytes", lambda raw: parses.append(raw) or real_parse(raw))
    monkeypatch.setattr(loader.objects, "read_blobs", lambda root, shas: blobs_read.extend(shas) or real_read(root, shas))
    records = sum(1 for p in subprocess.run(["git", "ls-files", "records", "schedules"], cwd=repo.root, check=True,
                                            capture_output=True, text=True).stdout.split() if p.endswith(".yaml"))
    assert at("HEAD~1", True) == expected["HEAD~1"] and len(parses) == records > 1
    parses.clear()
    assert at("HEAD", True) == expected["HEAD"] and len(parses) == 1
    blobs_read.clear()
    assert at("HEAD", True) == expected["HEAD"] and len(parses) == 1  # nothing new: nothing parsed
    chart = index.blob_ids(repo.root)[CHART]
    assert chart in blobs_read
    report(repo.root)  # main's run caches the attachments' heads
    blobs_read.clear()
    assert at("HEAD", True) == expected["HEAD"] and chart not in blobs_read


def test_the_history_cache_is_messagepack_and_one_of_the_json_format_before_it_is_ignored(repo, monkeypatch):
    """history.json's body is MessagePack (FORMAT 3). The JSON body of FORMAT 2 that licheng wrote
    before, even signed with the cache's own key, serves nothing: the history is logged anew."""
    root = repo.root
    fresh = history.read(root)
    history.read(root, use_cache=True)
    raw = (cache.directory(root) / known.NAME).read_bytes()
    assert raw.split(b"\n", 1)[1][:1] not in b"{[" and cache.read(root, known.NAME, known.Stored).format == 3
    with monkeypatch.context() as patched:
        patched.setattr(history, "_log", None)  # served from the cache alone: no git log
        assert _same_history(history.read(root, use_cache=True), fresh)
    old = msgspec.structs.replace(cache.read(root, known.NAME, known.Stored), format=2)
    cache.write(root, known.NAME, old, plain=True)  # as the JSON licheng wrote before
    assert (cache.directory(root) / known.NAME).read_bytes().split(b"\n", 1)[1][:1] == b"{"
    logged, log = [], history._log
    monkeypatch.setattr(history, "_log", lambda *a, **kw: logged.append(a) or log(*a, **kw))
    assert _same_history(history.read(root, use_cache=True), fresh) and logged
