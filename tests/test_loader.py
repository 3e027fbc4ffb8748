"""Bad input never crashes a run: each gets a finding with path and line, and every other
file is still checked (a broken national ID elsewhere is still reported)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time

OUT = "records/outcomes/115-1/1150101/book-review.yaml"
GOOD = 'course: "115999999H001010A010211"\ntitle: 報告\nsummary: 摘要。\nfiles: [book-review.pdf]\n'


def findings_with_other_file_checked(school, code: str):
    school.edit("records/students/1150102.yaml", "national_id: ", "national_id: X")
    result = school.validate()
    assert any(f.rule == "id.national-id" or f.rule == "schema.invalid" and "1150102" in f.path
               for f in result.findings), "the other files were not checked"
    return [f for f in result.findings if f.rule == code]


def test_syntax_error_names_its_line(school):
    school.write(OUT, GOOD.replace("title: 報告", "title: [報告"))
    [f] = findings_with_other_file_checked(school, "yaml.syntax")
    assert (f.path, f.severity) == (OUT, "error") and f.line in (2, 3)


def test_duplicate_key_names_both_lines(school):
    school.write(OUT, GOOD + "title: 又一個\n")
    [f] = findings_with_other_file_checked(school, "yaml.duplicate-key")
    assert f.line == 5 and "第 2 行" in f.message() and "line 2" in f.message("en")


def test_a_duplicate_key_in_staff_yaml_is_named_and_no_verb_reads_a_school_without_staff(school, capsys):
    """staff.yaml with a key written twice is not read at all: validate names the file and both
    lines; the verbs that read the school (codeowners, status, inbox, certify) stop and say so,
    where they worked from a school without staff (a CODEOWNERS with no teacher, ids for names)."""
    from generator.cli import main

    text = school.read("records/staff.yaml")
    name = text[text.index("  name:"):text.index("\n", text.index("  name:")) + 1]
    school.edit("records/staff.yaml", name, name + name)
    line = text[:text.index("  name:")].count("\n") + 2
    [f] = findings_with_other_file_checked(school, "yaml.duplicate-key")
    assert (f.path, f.line) == ("records/staff.yaml", line) and "整個檔案因此未讀取" in f.message(), f.message()
    assert main(["codeowners", "-C", str(school.root), "--out", "CODEOWNERS"]) == 2
    err = capsys.readouterr().err
    assert f"records/staff.yaml:{line}: 重複的鍵「name」（第 {line - 1} 行已出現）" in err and "請先修正" in err, err
    assert not school.path("CODEOWNERS").exists()
    assert main(["status", "-C", str(school.root), "--lang", "en"]) == 2
    assert f"records/staff.yaml:{line}: duplicate key 'name'" in capsys.readouterr().err


def test_big5_file_is_named(school):
    school.write(OUT, GOOD.encode("big5"))
    [f] = findings_with_other_file_checked(school, "yaml.encoding")
    assert "Big5" in f.message() and f.line == 2


def test_a_line_pasted_in_big5_into_a_utf8_file_is_named_big5(school):
    school.write(OUT, GOOD.encode() + "teacher_note: 好\n".encode("big5"))
    [f] = findings_with_other_file_checked(school, "yaml.encoding")
    assert "Big5" in f.message() and f.line == GOOD.count("\n") + 1, f.message()


def test_bom_is_tolerated(school):
    school.write(OUT, b"\xef\xbb\xbf" + GOOD.encode())
    assert [f for f in school.validate().findings if f.path == OUT] == []


def test_empty_file(school):
    school.write(OUT, "")
    [f] = [f for f in findings_with_other_file_checked(school, "schema.invalid") if f.path == OUT]
    assert f.path == OUT and f.line == 1 and "空" in f.message()


def test_list_where_a_mapping_belongs(school):
    school.write(OUT, "- course: x\n- title: y\n")
    found = [f for f in findings_with_other_file_checked(school, "schema.invalid") if f.path == OUT]
    assert found and "對照" in found[0].message()


def test_ten_megabytes_of_junk(school):
    rng = random.Random(7)
    school.write(OUT, bytes(rng.getrandbits(8) for _ in range(10 * 1024 * 1024)))
    start = time.monotonic()
    [f] = findings_with_other_file_checked(school, "yaml.too-large")
    assert f.path == OUT and time.monotonic() - start < 20


def test_junk_below_the_size_limit(school):
    rng = random.Random(8)
    school.write(OUT, bytes(rng.getrandbits(8) for _ in range(200_000)))
    found = findings_with_other_file_checked(school, "yaml.encoding")
    assert [f.path for f in found] == [OUT]
    assert "unknown" not in found[0].message() and "無法讀取的位元組" in found[0].message(), found[0].message()


def test_alias_bomb_neither_hangs_nor_exhausts_memory(school):
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi"):
        text += f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
    school.write(OUT, text)
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30));"
    proc = subprocess.run(
        [sys.executable, "-c", limit + "from generator.cli import main; raise SystemExit(main())",
         "validate", "-C", str(school.root), "--now", "2026-11-28", "--format", "json"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert '"yaml.aliases"' in proc.stdout


def test_symlink_out_of_the_repository_is_never_followed(school, tmp_path):
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "leak.yaml").write_text("course: 機密內容-不可讀取\n", "utf-8")
    os.symlink(secret / "leak.yaml", school.path("records/outcomes/115-1/1150101/leak.yaml"))
    os.symlink(secret, school.path("records/outcomes/115-1/9990001"))
    found = findings_with_other_file_checked(school, "file.symlink")
    assert sorted(f.path for f in found) == [
        "records/outcomes/115-1/1150101/leak.yaml", "records/outcomes/115-1/9990001"]
    everything = "".join(f.message() + f.message("en") for f in school.validate().findings)
    assert "機密內容" not in everything


def test_a_revision_whose_attachment_the_clone_lacks_is_named_not_a_traceback(tmp_path):
    """A request's head whose attachment object is missing (a broken or partial clone): Git's
    `ls-tree -l` sizes it "BAD"; the load stops naming the file (inbox shows it as the request's
    refusal, validate exits 2), where int("BAD") raised a traceback."""
    import pytest

    from generator.errors import RepositoryError
    from generator.records import loader

    pdf = tmp_path / "records/outcomes/115-1/1150101/x.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.4 only here\n")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.edu.tw"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "x"], check=True)
    blob = subprocess.run([*git, "rev-parse", "HEAD:records/outcomes/115-1/1150101/x.pdf"], check=True,
                          capture_output=True, text=True).stdout.strip()
    os.remove(tmp_path / ".git/objects" / blob[:2] / blob[2:])
    with pytest.raises(RepositoryError) as refused:
        loader.load_revision(tmp_path, "HEAD")
    assert "records/outcomes/115-1/1150101/x.pdf" in refused.value.text("en") and blob[:8] in str(refused.value)
