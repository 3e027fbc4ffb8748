"""A student attacking what the CI job does around the check: files the job writes in the
checkout, which holds whatever the request committed."""

from __future__ import annotations

import json
import os

from conftest import NOW
from generator import cli

REPORT = "gl-code-quality-report.json"  # GitLab's job: --report codequality=gl-code-quality-report.json


def _validate(school, monkeypatch, capsys, *args) -> tuple[int, str]:
    monkeypatch.chdir(school.root)  # the job runs in the checkout
    code = cli.main(["validate", "-C", str(school.root), "--now", NOW, *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_a_committed_link_in_place_of_the_report_is_replaced_not_written_through(school, monkeypatch, capsys,
                                                                                 tmp_path):
    """A request can commit gl-code-quality-report.json as a link to any file the job may write
    (a runner's ~/.bashrc, another project's build): the report replaces the link."""
    victim = tmp_path / "victim"
    victim.write_text("runner's own file\n", "utf-8")
    os.symlink(victim, school.root / REPORT)
    code, out = _validate(school, monkeypatch, capsys, "--report", f"codequality={REPORT}")
    assert code == 0, out
    assert victim.read_text("utf-8") == "runner's own file\n"
    assert not (school.root / REPORT).is_symlink() and json.loads((school.root / REPORT).read_text("utf-8")) == []


def test_a_committed_link_on_the_reports_folder_is_refused(school, monkeypatch, capsys, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, school.root / "reports")
    code, out = _validate(school, monkeypatch, capsys, "--report", f"codequality=reports/{REPORT}")
    assert code == 2 and "reports" in out and "Traceback" not in out, out
    assert not list(elsewhere.iterdir())


def test_a_report_outside_the_checkout_is_written_where_the_operator_says(school, monkeypatch, capsys, tmp_path):
    """A link the operator made outside the repository is theirs to follow."""
    real = tmp_path / "real.json"
    os.symlink(real, tmp_path / "link.json")
    code, out = _validate(school, monkeypatch, capsys, "--report", f"codequality={tmp_path / 'link.json'}")
    assert code == 0 and json.loads(real.read_text("utf-8")) == [], out


def test_a_committed_site_link_is_never_emptied_by_a_build(school, capsys, tmp_path):
    """A request can commit `site` (or GitLab's `public`) as a link to a folder — relative, so it
    needs no knowledge of the reviewer's disk: MkDocs empties its output folder before it writes, so a
    teacher building a student's branch to look at it would lose that folder's files."""
    victim = tmp_path / "thesis"
    victim.mkdir()
    (victim / "chapter1.docx").write_text("precious", "utf-8")
    os.symlink("../thesis", school.root / "site")
    os.symlink("../thesis", school.root / "public")
    for args in ([], ["--site-dir", str(school.root / "public")]):
        code = cli.main(["build", "-C", str(school.root), "--now", NOW, "--lang", "en", *args])
        err = capsys.readouterr().err
        assert code == 2 and "symbolic link" in err and "Traceback" not in err, err
        assert [p.name for p in victim.iterdir()] == ["chapter1.docx"]


def test_a_committed_github_folder_link_does_not_carry_codeowners_elsewhere(school, capsys, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for folder in (".github", ".gitlab"):  # (the platform's own: GitLab's in the sample school)
        os.symlink(elsewhere, school.root / folder)
    code = cli.main(["codeowners", "-C", str(school.root), "--now", NOW, "--lang", "en"])
    assert code == 2 and "symbolic link" in capsys.readouterr().err
    assert not list(elsewhere.iterdir())


def test_a_checked_out_request_cannot_send_the_teachers_token_elsewhere(tmp_path, monkeypatch, capsys):
    """A teacher checks a student's request out to look at its files and asks for her queue: the
    request's school.yaml names the student's own server as the platform. Her token goes to the
    platform main names, never to the working tree's."""
    from platform_server import Platform
    from test_queue import BACK, ENGLISH, TOKENS, make_school, outcome

    at = "2026-10-10T12:30:00+08:00"
    with Platform("github", tmp_path / "remote.git", "example-school/portfolio", TOKENS, at) as real, \
            Platform("github", tmp_path / "trap.git", "example-school/portfolio", TOKENS, at) as trap:
        repo = make_school(tmp_path / "school", api=real.url)
        repo.git("clone", "-q", "--mirror", str(repo.root), str(real.bare))
        school_yaml = repo.read("records/school.yaml").replace(real.url, trap.url)
        repo.open_mr({"records/outcomes/115-1/1150103/essay.yaml": outcome(ENGLISH, "英文短文"),
                      "records/school.yaml": school_yaml}, "1150103", "2026-11-20 20:00", style="github")
        repo.git("checkout", "-q", "refs/pull/4/head")
        monkeypatch.setenv("LICHENG_TOKEN", "token-chen")
        for verb in (["inbox", "--as", "jiang-shuhui"], ["certify", "--as", "jiang-shuhui", "--all"]):
            main_args = [verb[0], "-C", str(repo.root), "--now", BACK, *verb[1:]]
            cli.main(main_args)
            capsys.readouterr()
        assert trap.calls == [] and real.calls, (trap.calls, real.calls)


def test_a_requests_title_reaches_the_teachers_terminal_escaped(tmp_path, capsys):
    """The queue prints the titles students wrote: an escape sequence in one (a hidden line, a link
    to elsewhere, a cleared screen) is shown as text in inbox and certify."""
    from test_queue import BACK, ENGLISH, make_school

    repo = make_school(tmp_path / "school")
    essay = f'course: "{ENGLISH}"\ntitle: "\\e]8;;https://trap.example/\\a請按此\\e]8;;\\a\\e[2J"\nsummary: 短文\n'
    repo.open_mr({"records/outcomes/115-1/1150101/essay.yaml": essay}, "1150101", "2026-11-20 20:00", style="github")
    for verb in (["inbox", "--as", "jiang-shuhui"], ["certify", "--as", "jiang-shuhui", "--all", "--via", "local"]):
        cli.main([verb[0], "-C", str(repo.root), "--now", BACK, *verb[1:]])
        out = capsys.readouterr()
        assert "請按此" in out.out and "\x1b" not in out.out + out.err and "\a" not in out.out, out


def test_a_checked_out_request_cannot_point_the_queues_links_elsewhere(tmp_path, capsys):
    """The queue's links to each request come from the platform main names: a request checked out
    to look at, whose school.yaml names a look-alike site, links nowhere else; nor does it with a tag
    `main` on its commit (git reads a name as a tag before a branch)."""
    from test_queue import BACK, ENGLISH, URL, make_school, outcome

    repo = make_school(tmp_path / "school")
    look_alike = "https://github.com.example.net/example-school/portfolio"
    school_yaml = repo.read("records/school.yaml").replace(URL, look_alike)
    repo.open_mr({"records/outcomes/115-1/1150103/essay.yaml": outcome(ENGLISH, "英文短文"),
                  "records/school.yaml": school_yaml}, "1150103", "2026-11-20 20:00", style="github")
    repo.git("checkout", "-q", f"refs/pull/{repo.mr_number}/head")
    repo.git("tag", "main", f"refs/pull/{repo.mr_number}/head")
    cli.main(["inbox", "-C", str(repo.root), "--now", BACK, "--as", "jiang-shuhui"])
    out = capsys.readouterr().out
    assert f"{URL}/pull/1" in out and "example.net" not in out, out  # (the other requests' links)


def test_a_committed_regulation_link_is_never_read(school, monkeypatch, capsys, tmp_path):
    """records/regulation.md committed as a link: the privacy scan read what it named (a file of
    the runner's or the teacher's disk, or /dev/zero, which took every byte of memory)."""
    outside = tmp_path / "outside.md"
    outside.write_text("# 別人的檔案\n\n1150101 s1150101@stu.example.edu.tw\n", "utf-8")
    (school.root / "records/regulation.md").unlink()
    os.symlink(outside, school.root / "records/regulation.md")
    code, out = _validate(school, monkeypatch, capsys, "--format", "json")
    found = {(f["rule"], f["path"]) for f in json.loads(out)["findings"]}
    assert ("file.symlink", "records/regulation.md") in found and code == 1, out
    assert ("privacy.public-text", "records/regulation.md") not in found, out


def test_certify_from_a_checked_out_request_builds_nothing_on_it(tmp_path, capsys):
    """A teacher looks at #4 (`gh pr checkout 4`) and then runs certify: the batch was built on the
    checkout, so it carried #4's commits — an outcome she never saw listed — and her one merge of the
    batch certified it. certify works from main (the base its checks judge against) only; with a
    clone's main behind the platform's, the batch starts at the platform's main."""
    from test_queue import ENGLISH, ON_LEAVE, make_school, outcome

    repo = make_school(tmp_path / "school")
    repo.open_mr({"records/outcomes/115-1/1150103/unseen.yaml": outcome(ENGLISH, "沒看過的成果")},
                 "1150103", "2026-10-09 20:00", style="github")
    repo.git("checkout", "-q", "--detach", "refs/pull/4/head")
    certify = ["certify", "-C", str(repo.root), "--as", "chen-yijun", "--all", "--via", "local", "--now", ON_LEAVE]
    assert cli.main(certify) == 2
    said = capsys.readouterr()
    assert "git switch main" in said.err and "Traceback" not in said.err, said
    assert repo.git("branch", "--list", "certify/*") == ""
    # a clone whose main is behind the platform's: the batch is made on the platform's main
    repo.git("checkout", "-q", "main")
    ahead = repo.direct({"records/holidays.yaml": repo.read("records/holidays.yaml") + "\n"}, "huang-shufen",
                        "2026-10-09 09:00")
    repo.git("update-ref", "refs/remotes/origin/main", ahead)
    repo.git("reset", "-q", "--hard", "HEAD~1")
    assert cli.main(certify) == 0, capsys.readouterr()
    batch = repo.git("branch", "--list", "--format=%(refname:short)", "certify/*")
    merges = repo.git("rev-list", "--first-parent", "--reverse", "--format=%P %s", "--no-commit-header",
                      f"{ahead}..{batch}").splitlines()
    assert merges[0].startswith(ahead) and [m.split()[-1] for m in merges] == [f"refs/pull/{n}/head" for n in "134"]
