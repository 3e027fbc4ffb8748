"""Files Git rewrites between its objects and the working tree (a `filter` such as Git LFS, `ident`,
`working-tree-encoding`, line endings): a cache entry is kept under a blob id, so it must hold what
that blob's bytes say whichever way the file was read (from the working tree or from a revision),
and a record Git rewrites is a finding, the same with or without the cache."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from conftest import NOW
from generator import cache
from generator.git import attributes, lfs
from generator.validate import validate
from generator.yaml import MAX_FILE_BYTES
from test_cache import CHART, STUDENT, _git, repo  # noqa: F401  (repo is a fixture)

OUTCOME = "records/outcomes/114-2/1130101/poetry-notes.yaml"
SUMMARY = "summary: 整理李白與杜甫詩作中的月亮意象，比較兩人風格差異並製作對照表。"


def _commit(root, message, *paths):
    """Commit `paths` (every change when none is named) as 黃淑芬 at a fixed date."""
    _git(root, "add", *(paths or ["-A"]))
    at = {"GIT_AUTHOR_DATE": "2026-11-20 10:00 +0800", "GIT_COMMITTER_DATE": "2026-11-20 10:00 +0800"}
    subprocess.run(["git", "-c", "user.name=黃淑芬", "-c", "user.email=huang.shufen@example.edu.tw", "commit", "-qm",
                    message], cwd=root, check=True, capture_output=True, env={**os.environ, **at})


def _checked_out_again(root, path):
    """`path` as a checkout writes it; its index entry then older than the index (not "racily
    clean"), so that Git calls it unchanged on its size and time alone, as in a lasting clone."""
    (root / path).unlink()
    _git(root, "checkout", "--", path)
    os.utime(root / path, (1_767_225_600, 1_767_225_600))  # 2026-01-01
    _git(root, "update-index", "-q", "--refresh")
    return (root / path).read_bytes()


def report(root, rev=None, use_cache=True, lang="zh-TW"):
    return sorted((f.rule, f.path, f.line, f.message(lang))
                  for f in validate(root, NOW, rev=rev, use_cache=use_cache)[1].findings)


def _both_orders(root):
    """The working tree's and HEAD's reports: without the cache, then with a cache filled by a
    revision read first, then by a working-tree read first; all must agree."""
    tree, head = report(root, use_cache=False), report(root, "HEAD", use_cache=False)
    assert report(root, "HEAD") == head and report(root) == tree
    shutil.rmtree(cache.base())
    assert report(root) == tree and report(root, "HEAD") == head
    return tree, head


@pytest.mark.parametrize("where", [".gitattributes", ".git/info/attributes"])
def test_a_record_git_rewrites_on_checkout_is_a_finding_and_never_a_cache_entry(repo, where):
    """`ident` expands $Id$ in the working copy: its summary grows past the limit there only. The
    parse of one must never serve the other under the blob id they share."""
    root = repo.root
    repo.edit(OUTCOME, SUMMARY, "summary: \"月亮意象 $Id$ " + "比" * 60 + "\"")
    _commit(root, "summary")
    (root / where).write_text(f"# 唯一的改寫屬性\n*.pdf filter=lfs -text\n{OUTCOME} ident\n")
    if where == ".gitattributes":
        _commit(root, "ident", where)
    assert b"$Id: " in _checked_out_again(root, OUTCOME)
    tree, head = _both_orders(root)
    said = "Git 取出這個紀錄檔時會改寫其內容（屬性 ident）"
    for found in (tree, head):
        assert [(rule, path, line) for rule, path, line, message in found if said in message] == \
            [("file.filtered", OUTCOME, 1)]
        assert not any(rule == "text.too-long" for rule, *_ in found)
    assert any("(attribute ident)" in message for *_, message in report(root, lang="en"))
    if where == ".gitattributes":  # taken out, not yet committed: the copy on disk is still rewritten
        (root / where).write_text("*.pdf filter=lfs -text\n")
        report(root, "HEAD~1")  # (the blob's own parse cached: no attribute there)
        assert report(root) == report(root, use_cache=False) != tree


def test_a_text_conversion_keeps_the_parse_the_blob_gives(repo):
    """Line endings Git converts on checkout (CRLF in the working copy) change no parse, and no
    verdict: a file over the size limit only with its CRs is read, from the cache or not."""
    root = repo.root
    (root / ".gitattributes").write_text("*.yaml text eol=crlf\n")
    text = (root / STUDENT).read_text() + "#\n" * 300
    text += "#" + "x" * (MAX_FILE_BYTES - len(text.encode()) - 2) + "\n"  # MAX_FILE_BYTES bytes in all
    (root / STUDENT).write_text(text)
    _commit(root, "crlf")
    on_disk = _checked_out_again(root, STUDENT)
    assert len(text) <= MAX_FILE_BYTES < len(on_disk) and on_disk.count(b"\r\n") == text.count("\n")
    tree, head = _both_orders(root)
    assert tree == head and not any(rule.startswith(("yaml.", "file.")) for rule, *_ in tree)


def test_which_attribute_lines_can_rewrite_a_record_or_an_attachment():
    """What decides whether `git check-attr` runs at all: only a line that could set a rewriting
    attribute on a record (any filter) or an attachment (any but Git LFS's)."""
    harmless = [b"", b"# ident filter working-tree-encoding\n", b"* text=auto\n*.sh eol=lf\n",
                b"*.pdf filter=lfs diff=lfs merge=lfs -text\n*.PNG filter=lfs -text\n",
                b"records/ filter=lfs\n", b"*.yaml -ident !filter\n", b"*.yml filter=lfs\n"]
    rewriting = [b"*.yaml filter=lfs\n", b"*.YAML filter=lfs\n", b"* filter=lfs\n", b"records/** filter=lfs\n",
                 b"*.pdf ident\n", b"*.png working-tree-encoding=UTF-16\n", b"*.pdf filter=crypt\n",
                 b"[attr]lfsish filter=lfs\n", b'"*.yaml" filter=lfs\n', b"*.ya[m]l filter=lfs\n", b"*ml filter=x\n",
                 b"*.pdf\tfilter=lfs\n*.yaml  ident\n"]
    assert [text for text in harmless if attributes.may_rewrite([text])] == []
    assert [text for text in rewriting if not attributes.may_rewrite([b"*.pdf filter=lfs\n", text])] == []


GIT_LFS = pytest.mark.skipif(not shutil.which("git-lfs"), reason="git-lfs is not installed "
                             "(apt-get install git-lfs; .ci/run installs it)")


@GIT_LFS
def test_a_record_in_git_lfs_is_a_finding_and_its_pointer_never_serves_the_object(repo):
    """Git holds a pointer, the working tree the record (by an attributes file in a record folder,
    the revision's as well as the working tree's): neither parse may serve the other."""
    root = repo.root
    _git(root, "lfs", "install", "--local")
    (root / ".gitattributes").write_text(lfs.ATTRIBUTES)
    (root / "records/outcomes/.gitattributes").write_text("114-2/1130101/*.yaml filter=lfs diff=lfs merge=lfs -text\n")
    _git(root, "add", ".gitattributes", "records/outcomes/.gitattributes")
    _git(root, "add", "--renormalize", ".")
    _commit(root, "lfs")
    blob = subprocess.run(["git", "cat-file", "-p", f"HEAD:{OUTCOME}"], cwd=root, capture_output=True).stdout
    assert blob.startswith(b"version https://git-lfs") and (root / OUTCOME).read_bytes().startswith(b"# yaml")
    tree, head = _both_orders(root)
    for found in (tree, head):
        assert ("file.filtered", OUTCOME) in {(rule, path) for rule, path, *_ in found}
        assert not any(rule.startswith("schema.") for rule, *_ in found)


NOTES = "records/outcomes/114-2/1130101/notes.pdf"


def test_an_attachment_git_rewrites_to_the_same_size_is_read_not_taken_from_the_cache(repo):
    """The cache keeps an attachment's first bytes by blob id, read from a file that was that blob.
    A working copy Git rewrites to the same size (UTF-16 of as many ASCII as CJK characters as
    UTF-8) and still calls unchanged must be read, as a run without the cache reads it."""
    root = repo.root
    text = "%PDF-1.4\n" + "唐詩意象整理筆記。" + "notes" * 20 + "月亮" * 50
    (root / NOTES).write_text(text)
    _commit(root, "notes")
    assert validate(root, NOW, use_cache=True)[0].heads[NOTES] == text.encode()[:64]  # kept by blob id
    (root / ".gitattributes").write_text("*.pdf working-tree-encoding=UTF-16LE\n")
    _commit(root, "utf-16", ".gitattributes")
    on_disk = _checked_out_again(root, NOTES)
    assert on_disk == text.encode("utf-16-le") and len(on_disk) == len(text.encode())
    assert report(root) == report(root, use_cache=False)
    assert validate(root, NOW, use_cache=True)[0].heads[NOTES] == on_disk[:64]
