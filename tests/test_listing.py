"""The working tree's files, listed early (`find`, started by generator.git.prefetch) or walked by
the loader itself: every kind of entry gives the same documents, attachments and findings."""

from __future__ import annotations

import os
import subprocess

import pytest

from generator import layout
from generator.git import prefetch
from generator.records import listing, loader

FOLDER = "records/outcomes/115-1/1150101"


def _git(root, *args):
    subprocess.run(["git", "-c", "user.name=黃淑芬", "-c", "user.email=huang.shufen@example.edu.tw", *args],
                   cwd=root, check=True, capture_output=True)


def _loaded(root, listed: bool):
    if listed:
        prefetch.validation(root, layout.ROOTS, cached=False)
        key = (str(root), ("find", "-P", *prefetch.folders_of(root, layout.ROOTS), *prefetch.LISTING))
        assert key in prefetch._started
    records, findings = loader.load(root)
    assert not prefetch._started  # the listing was taken
    return ([(d.path, d.kind, d.keys, d.data, d.valid) for d in records.documents], records.files, records.heads,
            sorted((f.rule, f.path, f.line, str(f.params)) for f in findings))


@pytest.fixture
def odd(school, tmp_path):
    """The sample school in Git with every kind of entry a working tree can hold."""
    root = school.root
    (root / ".gitignore").write_text("*.tmp\n")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "匯入")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.yaml").write_text("title: 外面\n")
    os.symlink(outside / "leak.yaml", school.path(f"{FOLDER}/leak.yaml"))  # a link to a file
    os.symlink(outside, school.path("records/outcomes/115-1/9990001"))  # a link to a folder
    os.symlink("nowhere", school.path(f"{FOLDER}/broken.pdf"))  # a dangling link
    os.mkfifo(school.path(f"{FOLDER}/pipe.pdf"))
    school.write("records/draft.tmp", "ignored by Git\n")
    school.write(f"{FOLDER}/new-essay.yaml", "title: 未提交\n")  # untracked
    school.write(f"{FOLDER}/我的作文.yaml", "title: 命名不合\n")
    school.write(f"{FOLDER}/.git", "gitdir: nowhere\n")  # a name Git itself never lists
    school.write("records/outcomes/115-1/1150102/.hidden.pdf", "%PDF-1.4\n")
    school.write("records/notes/readme.txt", "不是紀錄\n")
    nested = school.path("records/vendor")
    nested.mkdir()
    _git(nested, "init", "-q")
    school.write("records/vendor/school.yaml", "name: 另一個\n")
    school.write("records/outcomes/115-1/1150101/big.pdf", b"%PDF-1.4\n" + b"0" * 3000)
    school.write("records/outcomes/115-1/1150101/tiny.pdf", b"%PDF-1.4\n")
    school.write(b"records/outcomes/115-1/1150101/\xff\xfe.pdf".decode("utf-8", "surrogateescape"), b"GIF89a")
    for odd_name in ("tab\there.pdf", "line\nbreak.yaml", "-rf.yaml", "--help.pdf", "dir\tx/a.pdf"):
        school.write(f"{FOLDER}/{odd_name}", b"%PDF-1.4\n")
    school.remove("records/students/1150103.yaml")  # tracked, deleted
    return school


def test_the_listing_and_the_walk_see_every_kind_of_entry_alike(odd):
    walked = _loaded(odd.root, listed=False)
    assert _loaded(odd.root, listed=True) == walked
    found = {(rule, path) for rule, path, _, _ in walked[3]}
    assert {("file.symlink", f"{FOLDER}/leak.yaml"), ("file.symlink", "records/outcomes/115-1/9990001"),
            ("file.symlink", f"{FOLDER}/broken.pdf"), ("layout.unknown-file", "records/draft.tmp"),
            ("layout.unknown-file", "records/notes/readme.txt"), ("layout.unknown-file", "records/vendor/school.yaml"),
            ("layout.unknown-file", "records/vendor/.git/HEAD"), ("layout.misnamed", f"{FOLDER}/我的作文.yaml")} <= found
    assert not any(path.endswith("pipe.pdf") for _, path in found)
    assert {f"{FOLDER}/tab\there.pdf", f"{FOLDER}/--help.pdf"} <= set(walked[1])
    assert ("layout.misnamed", f"{FOLDER}/line\nbreak.yaml") in found
    files = walked[1]
    assert files[f"{FOLDER}/big.pdf"] == 3009 and files[f"{FOLDER}/tiny.pdf"] == 9
    assert f"{FOLDER}/.git" in {path for _, path in found} or f"{FOLDER}/.git" in files
    assert any(d[0] == f"{FOLDER}/new-essay.yaml" for d in walked[0])
    assert not any(d[0] == "records/students/1150103.yaml" for d in walked[0])


def test_a_listing_that_complains_or_does_not_parse_is_not_used(school):
    """find that could not read a folder says so (a folder gone, unreadable, a find without
    -printf): the loader walks instead, as it does when no listing was started."""
    root = school.root
    argv = ("find", "-P", "records", "gone", *prefetch.LISTING)
    prefetch._launch((str(root), argv), argv, cwd=root)
    assert prefetch.listing(root, ("records", "gone")) is None
    argv = ("find", "-P", "records", *prefetch.LISTING)
    prefetch._launch((str(root), argv), argv, cwd=root)
    assert prefetch.listing(root, ("records",)).startswith(b"f\t")
    assert listing.from_listing(b"f\t12\trecords/a.pdf\0", ("records",)) == {"records": [("records/a.pdf", "f", 12)]}
    for junk in (b"f 12 records/a.pdf\0", b"f\tmany\trecords/a.pdf\0", b"f\t1\telsewhere/a.pdf\0"):
        assert listing.from_listing(junk, ("records",)) is None, junk
    assert _loaded(root, listed=False) == _loaded(root, listed=True)


def test_a_find_in_the_repository_never_runs(school, tmp_path, monkeypatch):
    """The listing runs inside the repository: a PATH with a relative folder ("." or an empty
    entry, as a trailing colon gives) must not make a `find` a student committed run there."""
    root = school.root
    marker = tmp_path / "ran"
    school.write("find", f"#!/bin/sh\ntouch '{marker}'\n")
    school.path("find").chmod(0o755)
    monkeypatch.setenv("PATH", os.pathsep.join(["", ".", os.environ["PATH"]]))
    prefetch.validation(root, layout.ROOTS, cached=False)
    output = prefetch.listing(root, prefetch.folders_of(root, layout.ROOTS))
    assert not marker.exists()
    assert output is not None and b"\trecords/school.yaml\0" in output
