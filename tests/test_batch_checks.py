"""A batch of merge-request checks (`licheng certify`) shares what its validations read — the
histories, the parses, the documents, the outcomes' judgments — and finds exactly what separate
full validations find; inbox, status and certify read the school with the cache and say the same
as without it.

Open requests on a real repository, in 115-1, GitHub- and GitLab-style: #1 1150101 英語文 (a new
outcome), #2 1150103 英語文 (a new outcome with its attachment), #3 1150104 英語文 with a key its
schema does not know, #4 1150101 數學 that also edits 1150103's certified outcome, #5 1150103
editing its own certified book review (a summary too long, a note of its own). After #1–#5 were opened, main moved on (a certified merge).
"""

from __future__ import annotations

import json

import pytest

from generator import cache
from generator.cli import main
from generator.commands.common import school_records
from generator.git import history, requests as mr
from generator.git.request import of_head
from generator.review.check import check
from generator.validate import Shared
from gitschool import sample_repo

ENGLISH, MATH = "115999999H001010A010211", "115999999H001010A020111"
NOW = "2026-11-28 12:00"


def outcome(course: str, title: str, extra: str = "") -> str:
    return f'course: "{course}"\ntitle: {title}\nsummary: {title}的紀錄與心得。\n{extra}'


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    repo = sample_repo(tmp_path_factory.mktemp("batch") / "school")
    review = "records/outcomes/115-1/1150103/book-review.yaml"
    repo.open_mr({"records/outcomes/115-1/1150101/diary.yaml": outcome(ENGLISH, "英文日記")},
                 "1150101", "2026-10-06 20:00", style="github")
    repo.open_mr({"records/outcomes/115-1/1150103/song.yaml": outcome(ENGLISH, "英文歌詞賞析", "files: [song.pdf]\n"),
                  "records/outcomes/115-1/1150103/song.pdf": "%PDF-1.4\n"}, "1150103", "2026-10-07 20:00")
    repo.open_mr({"records/outcomes/115-1/1150104/poem.yaml": outcome(ENGLISH, "英文詩", "rhyme: true\n")},
                 "1150104", "2026-10-08 20:00")
    repo.open_mr({"records/outcomes/115-1/1150101/graphs.yaml": outcome(MATH, "函數圖形"),
                  review: repo.read(review).replace("閱讀報告", "讀書心得")}, "1150101", "2026-10-09 20:00",
                 style="github")
    repo.open_mr({review: repo.read(review).replace("轉變。", "轉變。" + "我" * 100) + "teacher_note: 很好\n"},
                 "1150103", "2026-10-10 20:00")
    repo.mr({"records/outcomes/115-1/1150105/map.yaml": outcome(ENGLISH, "英文地圖")}, "1150105",
            "2026-10-11 20:00", "jiang-shuhui", "2026-10-12 09:00", style="gitlab")
    return repo


def _said(records, result, summary) -> str:
    """All a check says: its findings (marked introduced or not), notes, the merge's certification
    states and the request's summary, as JSON."""
    outcomes = {p: [o.state, o.certifier, o.commit and o.commit.sha, o.ref]
                for p, o in records.certification.outcomes.items()}
    return json.dumps([[f.as_dict() for f in result.findings], result.notes, outcomes, repr(summary)],
                      ensure_ascii=False, default=str)


def test_a_batch_of_checks_finds_what_separate_full_validations_find(school, monkeypatch, tmp_path):
    monkeypatch.setenv("LICHENG_CACHE_DIR", str(tmp_path / "cache"))
    records = school_records(school.root, NOW)
    requests = mr.pending_requests(records)
    assert len(requests) == 5
    alone = [_said(*check(school.root, NOW, of_head(school.root, r.head))) for r in requests]
    for attempt in ("cold", "warm"):  # the first batch fills licheng's cache, the second reads it
        shared = Shared()
        school_records(school.root, NOW, use_cache=True, shared=shared)
        batch = [_said(*check(school.root, NOW, of_head(school.root, r.head), use_cache=True, shared=shared))
                 for r in requests]
        assert batch == alone, attempt
        assert len(shared.histories) == 1 and len(shared.bases) == 1  # main's tip: read once, validated once
        assert shared.documents and shared.lasting
    errors = {r.ref.split("/")[-2]: sorted({f["rule"] for f in json.loads(said)[0] if f["severity"] == "error"
                                            and f["introduced"]}) for r, said in zip(requests, alone)}
    assert errors == {"1": [], "2": [], "3": ["quota.outcomes-per-semester"], "4": ["perm.denied"],
                      "5": ["perm.denied", "text.too-long"]}
    # what the batch took as it was is as it was read: no check changed a shared document
    parsed = cache.read(school.root, "records.json")["blobs"]
    for (_, path, blob), doc in shared.documents.items():
        assert cache.unpack(parsed[blob]) == doc.data, path


def _out(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_inbox_status_and_certify_say_the_same_with_the_cache_and_without(school, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LICHENG_CACHE_DIR", str(tmp_path / "cache"))
    root = str(school.root)
    for argv in (["certify", "--as", "jiang-shuhui"], ["certify", "--as", "lai-zhiwei", "--lang", "en"],
                 ["inbox", "--as", "jiang-shuhui", "--format", "json"], ["status"],
                 ["status", "--teacher", "jiang-shuhui", "--lang", "en"]):
        argv = [*argv, "-C", root, "--now", NOW]
        plain = _out(capsys, *argv, "--no-cache")
        assert _out(capsys, *argv) == plain == _out(capsys, *argv), argv  # cold, then warm
    code, said = _out(capsys, "certify", "-C", root, "--as", "jiang-shuhui", "--now", NOW)
    assert code == 1 and said.count("✗") == 3 and said.count("・") == 2, said


def test_each_reader_of_a_shared_history_gets_its_own(school):
    """A history read once serves the whole batch, but which pending commits stay (the requests still
    open, generator.git.openness) is each validation's own."""
    memo: dict = {}
    first, second = (history.read(school.root, "main", memo=memo) for _ in range(2))
    assert first is not second and first.commits is second.commits and first.mainline is second.mainline
    assert len(memo) == 1 and first.pending == second.pending and len(second.pending) == 5
    first.pending = []
    assert len(second.pending) == 5 and len(history.read(school.root, "main", memo=memo).pending) == 5
