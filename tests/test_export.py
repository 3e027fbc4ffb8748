"""The export for the central database (§5.5, §6): real files from the sample school under Git.

The sample is committed in the audit start commit (GitSchool), so every committed outcome counts as
certified (imported); the export takes the selected ones only.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest

from generator.papers.export import export
from generator.records.books import BOOKS, export_counts
from generator.validate import validate
from gitschool import sample_repo

NOW = "2026-11-28 12:00"


def make_school(root):
    return sample_repo(root)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    repo = make_school(tmp_path_factory.mktemp("export") / "school")
    records, result = validate(repo.root, NOW)
    return repo, records, result


@pytest.fixture
def repo(tmp_path):
    return make_school(tmp_path / "school")


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel"
    body = raw[3:]
    assert b"\n" not in body.replace(b"\r\n", b""), "every line ends with CRLF"
    return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))


def test_books_manifest_and_counts(sample, tmp_path):
    repo, records, result = sample
    assert result.errors == 0
    report = export(records, "114-2", tmp_path, findings=result.findings)
    assert report.written and not report.blocking
    assert report.counts == export_counts(records, "114-2") == {
        "enrollment": 20, "grades": 72, "cadres": 12, "outcomes": 11, "performances": 17}
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert (manifest["school_code"], manifest["semester"]) == ("999999", "114-2")
    assert manifest["generated_at"].startswith("2026-11-28T12:00")
    assert {f["file"] for f in manifest["files"]} == {b.file for b in BOOKS}
    for entry in manifest["files"]:
        path = tmp_path / entry["file"]
        rows = read_csv(path)
        assert rows[0][:4] == ["學年度", "學期", "學校代碼", "身分證號"]
        assert len(rows) - 1 == entry["rows"] == report.rows[entry["file"]]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]


def test_rows_hold_the_records(sample, tmp_path):
    repo, records, result = sample
    export(records, "114-2", tmp_path, findings=result.findings)
    left = {r[3]: r for r in read_csv(tmp_path / "enrollment.csv")[1:]}["B268969679"]  # 1130110
    assert left[:4] == ["114", "2", "999999", "B268969679"]
    assert left[-2:] == ["轉出", "1150215"] and left[4] == "0980309" and left[5] == "2"
    grades = read_csv(tmp_path / "grades.csv")
    row = next(r for r in grades[1:] if r[3] == "T171106652" and r[4] == "113999999H001010A010122")
    assert row[5:10] == ["國語文", "2", "4", "82", "1"]
    cadre = next(r for r in read_csv(tmp_path / "cadres.csv")[1:] if r[3] == "T171106652")
    assert cadre[4:] == ["班聯會", "1150211", "1150630", "會長", "1"]
    outcomes = read_csv(tmp_path / "outcomes.csv")
    header = outcomes[0]
    by_id = [r for r in outcomes[1:] if r[3] == "T171106652"]
    assert len(by_id) == 6  # 1130101 selected all six
    assert not any(r[3] == records.students["1130104"]["national_id"] for r in outcomes[1:])  # selected none
    essay = next(r for r in by_id if "essay.pdf" in r[header.index("附件檔名")])
    names = essay[header.index("附件檔名")].split(";")
    digests = essay[header.index("附件SHA256")].split(";")
    for name, digest in zip(names, digests):
        raw = (repo.root / "records/outcomes/114-2/1130101" / name).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == digest


def test_no_counseling_value_in_any_exported_byte(sample, tmp_path):
    """§5.5: counseling records never leave the school."""
    repo, records, result = sample
    values = set()
    for doc in records.valid("counseling"):
        for _, entry in doc.items():
            values.update(str(entry[k]) for k in ("content", "place", "time", "date"))
            values.add(entry["content"][:12])
    assert len(values) > 20
    semesters = sorted({doc.keys["semester"] for doc in records.valid("counseling")})
    for sem in semesters:
        out = tmp_path / sem
        report = export(records, sem, out, findings=result.findings)
        assert report.written and sum(report.counts.values()) > 0
        for path in out.iterdir():
            text = path.read_bytes().decode("utf-8-sig")
            found = [v for v in values if v in text]
            assert not found, f"{path.name} carries counseling data: {found}"


def test_only_selected_and_certified_outcomes(repo, tmp_path):
    # 1130102's working tree gets an outcome that nothing certified, and selects it
    repo.write("records/outcomes/114-2/1130102/draft-essay.yaml",
               'course: "113999999H001010A010122"\ntitle: 未認證草稿\nsummary: 尚未經老師認證的草稿成果。\n')
    repo.write("records/selections/114/1130102.yaml",
               "outcomes: [114-2/interview-essay, 114-2/draft-essay]\nperformances: [cadre-114-2]\n")
    records, result = validate(repo.root, NOW)
    assert records.certification.outcomes["records/outcomes/114-2/1130102/draft-essay.yaml"].state == "uploaded"
    blocked = export(records, "114-2", tmp_path / "blocked", findings=result.findings)
    assert not blocked.written and not (tmp_path / "blocked").exists()
    assert {b["rule"] for b in blocked.blocking} == {"selection.uncertified"}
    assert {"rule", "severity", "path", "line", "message"} <= set(blocked.blocking[0])
    forced = export(records, "114-2", tmp_path / "forced", force=True, findings=result.findings)
    assert forced.written and forced.counts["outcomes"] == 11
    assert "未認證草稿" not in (tmp_path / "forced/outcomes.csv").read_text("utf-8-sig")
    manifest = json.loads((tmp_path / "forced/manifest.json").read_text("utf-8"))
    assert manifest["forced"] and manifest["blocking"][0]["rule"] == "selection.uncertified"


def test_errors_elsewhere_do_not_block(repo, tmp_path):
    repo.append("records/cadres/115-1.yaml", '- {student: "9999999", level: class, unit: 101班, position: 班長, '
                                              "from: 2026-09-01, until: 2027-01-20}\n")
    repo.edit("records/grades/114-2/113999999H001010A010122.yaml", '"1130101": 82', '"1130101": 82\n  "7777777": 60')
    records, result = validate(repo.root, NOW)
    paths = {f.path for f in result.findings if f.severity == "error"}
    assert "records/cadres/115-1.yaml" in paths
    report = export(records, "114-2", tmp_path / "a", findings=result.findings)
    assert {b["path"] for b in report.blocking} == {"records/grades/114-2/113999999H001010A010122.yaml"}
    assert export(records, "114-1", tmp_path / "b", findings=result.findings).blocking == []


def test_export_validates_when_not_given_findings(repo, tmp_path):
    repo.edit("records/school.yaml", 'code: "999999"', "code: 999999")  # a number: schema error
    records, _ = validate(repo.root, NOW)
    report = export(records, "114-2", tmp_path)
    assert any(b["path"] == "records/school.yaml" for b in report.blocking) and not report.written


def test_reproducible(sample, tmp_path):
    repo, records, result = sample
    export(records, "114-2", tmp_path / "1", findings=result.findings)
    export(records, "114-2", tmp_path / "2", findings=result.findings)
    for book in BOOKS:
        assert (tmp_path / "1" / book.file).read_bytes() == (tmp_path / "2" / book.file).read_bytes()


# -- an export that cannot destroy, attachments that cannot hang it (issue 10, classes 3 and 4) --------

def test_only_regular_files_within_the_limit_are_read(tmp_path):
    import os

    from generator.records.books import regular_file_digest

    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4 x")
    os.mkfifo(tmp_path / "fifo.pdf")
    os.symlink("/dev/zero", tmp_path / "zero.pdf")
    os.symlink(tmp_path / "a.pdf", tmp_path / "link.pdf")
    (tmp_path / "big.pdf").write_bytes(b"x" * 2048)
    assert regular_file_digest(tmp_path / "a.pdf", 1024) == (10, hashlib.sha256(b"%PDF-1.4 x").hexdigest())
    for name in ("fifo.pdf", "zero.pdf", "link.pdf", "big.pdf", "none.pdf"):
        assert regular_file_digest(tmp_path / name, 1024) is None, name


def test_a_fifo_or_dev_zero_attachment_neither_hangs_nor_fills_memory(repo, tmp_path):
    import os
    import signal

    folder = repo.path("records/outcomes/114-2/1130101")
    (folder / "experiment.pdf").unlink()
    os.mkfifo(folder / "experiment.pdf")
    (folder / "essay.pdf").unlink()
    os.symlink("/dev/zero", folder / "essay.pdf")
    repo.write("records/outcomes/114-2/1130101/escape.yaml",
               'course: "113999999H001010A010122"\ntitle: 越界\nsummary: x\nfiles: [../../../school.yaml]\n')
    signal.alarm(60)  # a hang fails the test instead of the suite
    try:
        records, result = validate(repo.root, NOW)
        report = export(records, "114-2", tmp_path / "out", force=True, findings=result.findings)
    finally:
        signal.alarm(0)
    assert report.written
    assert {f.path for f in result.findings if f.rule == "file.symlink"} >= {"records/outcomes/114-2/1130101/essay.pdf"}


def test_export_refuses_a_folder_it_did_not_write_and_replaces_its_own(sample, tmp_path):
    import os

    from generator.papers.export import ExportRefused

    repo, records, result = sample
    out = tmp_path / "central"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"someone's work")
    with pytest.raises(ExportRefused):
        export(records, "114-2", out, findings=result.findings)
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]
    (out / "thesis.docx").unlink()
    first = export(records, "114-2", out, findings=result.findings)
    assert first.written and (out / "manifest.json").exists()
    again = export(records, "114-2", out, findings=result.findings)  # its own export of the same semester
    assert again.written and sorted(p.name for p in tmp_path.iterdir()) == ["central"]  # no temporary left
    with pytest.raises(ExportRefused, match="114-2"):
        export(records, "115-1", out, findings=result.findings)
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ExportRefused):
        export(records, "114-2", out, findings=result.findings)
    link = tmp_path / "link"
    os.symlink(tmp_path / "elsewhere", link)
    with pytest.raises(ExportRefused):
        export(records, "114-2", link, findings=result.findings)
    assert not (tmp_path / "elsewhere").exists()


def test_a_staff_list_that_cannot_be_read_blocks_the_export(repo, tmp_path):
    """Without staff.yaml no outcome's certification can be told (what follows from it is withheld
    behind one ref.unchecked): the export stops there instead of writing a submission without outcomes."""
    repo.edit("records/staff.yaml", "  name: 黃淑芬\n", "  name: 黃淑芬\n  name: 黃淑芬\n")
    records, result = validate(repo.root, NOW)
    report = export(records, "114-2", tmp_path / "out", findings=result.findings)
    assert "ref.unchecked" in {b["rule"] for b in report.blocking} and not report.written, report.blocking
    assert not (tmp_path / "out").exists()


def test_a_staff_list_that_cannot_be_read_withholds_the_outcomes_count(repo):
    """An outcome its teacher certified by merging is certified only while the staff list says she
    is the teacher: the submission's outcomes count is not judged without it (it is counted as withheld)."""
    diary = "records/outcomes/115-1/1150101/diary.yaml"
    repo.mr({diary: 'course: "115999999H001010A010211"\ntitle: 英文日記\nsummary: 每週一篇，整理成冊。\n',
             "records/selections/115/1150101.yaml": "outcomes: [115-1/diary]\n"},
            "1150101", "2026-11-20 20:00", "jiang-shuhui", "2026-11-21 10:00")
    records, _ = validate(repo.root, NOW)
    count = export_counts(records, "115-1")["outcomes"]
    assert count > 0
    repo.append("records/submissions/115-1.yaml", f"- {{category: outcomes, by: xie-jiarong, at: 2026-11-25 10:00, "
                                                  f"count: {count}}}\n")
    repo.edit("records/staff.yaml", "  name: 黃淑芬\n", "  name: 黃淑芬\n  name: 黃淑芬\n")
    _, result = validate(repo.root, NOW)
    assert "ref.unchecked" in {f.rule for f in result.findings}
    assert not [f.message("en") for f in result.findings if f.rule == "submission.count"]
