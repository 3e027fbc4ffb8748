"""`licheng init`: a new school's two repositories, portfolio and registry, each a Git repository
on branch main with one first commit (the import: the audit starts after it).

Nothing here needs a configured git identity or git-lfs: the first commit names "licheng init"
itself, and the LFS attributes only take effect once git-lfs is installed.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import __version__, dates, resources
from ..errors import UsageError
from ..layout import modeline, schema_files
from ..records.repositories import INIT_IDENTITY
from .skeleton import skeleton_yaml

LFS_SUFFIXES = ("pdf", "jpg", "jpeg", "png", "mp3", "mp4")
CODE = re.compile(r"^\d{6}$")

# which files each schema describes, for editors (VS Code's YAML extension and any yaml-language-server)
SCHEMA_GLOBS = {
    "school": ["records/school.yaml"], "staff": ["records/staff.yaml"], "delegates": ["records/delegates.yaml"],
    "working-group": ["records/working-group/*.yaml"], "courses": ["records/courses/*.yaml"],
    "roster": ["records/roster/*.yaml"], "registry": ["records/registry.yaml"],
    "student": ["records/students/*.yaml"], "grades": ["records/grades/*/*.yaml"],
    "counseling": ["records/counseling/*/*.yaml"], "cadres": ["records/cadres/*.yaml"],
    "outcome": ["records/outcomes/*/*/*.yaml"], "performance": ["records/performances/*/*/*.yaml"],
    "selection": ["records/selections/*/*.yaml"], "submissions": ["records/submissions/*.yaml"],
    "schedule": ["schedules/*.yaml"],
}


@dataclass
class InitReport:
    portfolio: Path
    registry: Path
    semester: str
    files: dict[str, list[str]] = field(default_factory=dict)  # repository -> paths committed


# what each repository's CI files are made from (project files, see generator.resources): the portfolio's
# publish the public site; the registry's clone the portfolio read-only and build the staff site
CI_TEMPLATES = {
    "portfolio": {".github/workflows/licheng.yml": ".github/workflows/licheng.yml", ".gitlab-ci.yml": ".gitlab-ci.yml"},
    "registry": {".github/workflows/licheng.yml": ".github/registry/licheng.yml",
                 ".gitlab-ci.yml": ".gitlab/registry/.gitlab-ci.yml"},
}


def pinned_ci(text: str) -> str:
    """A CI template with licheng installed at this version instead of from a source checkout."""
    text = text.replace("licheng==VERSION", f"licheng=={__version__}")
    return re.sub(r"pip install (?:-e )?['\"]?\.(?:\[[^\]\s]*\])?['\"]?", f'pip install "licheng=={__version__}"', text)


def _school_yaml(name: str, code: str, today: date) -> str:
    return (modeline("records/school.yaml", "school")
            + "# 學校基本設定：名稱、代碼、稽核起始日、認證方式、協作平臺\n"
            + f"name: {json.dumps(name, ensure_ascii=False)}\n"
            + _commented(f'code: "{code}"', "學校代碼")
            + "timezone: Asia/Taipei\n"
            + _commented(f"audit_since: {today.isoformat()}", "開始以 licheng 管理的日子；第一次提交的值為準，之後不得更改")
            + "certification:\n"
            + _commented("  evidence: merge-author", "任課教師以「合併」學生的合併請求作為認證")
            + "  trailer: Certified-by\n"
            + "platform:\n"
            + _commented("  kind: github", "github | gitlab")
            + _commented("  url: null", "例如 https://github.com/學校帳號/portfolio（填寫後報告會附上合併請求連結）")
            + _commented(f'licheng: "{__version__}"', "學校 CI 安裝的 licheng 版本"))


def _commented(line: str, comment: str) -> str:
    """A line and its comment, the comments of a file in one column whatever the value's length."""
    return f"{line:<30} # {comment}\n"


def _shared_files(role: str) -> dict[str, str]:
    """Files both repositories carry: attributes, CI (each repository's own), editor schemas."""
    files = {
        ".gitattributes": "# 附件以 Git LFS 保存（需安裝 git-lfs；未安裝時照常提交）\n"
        + "".join(f"*.{s} filter=lfs diff=lfs merge=lfs -text\n*.{s.upper()} filter=lfs diff=lfs merge=lfs -text\n"
                  for s in LFS_SUFFIXES)
        + "*.yaml text eol=lf\n",
        ".gitignore": "site/\n__pycache__/\n" + ("staff-site/\n.portfolio/\n" if role == "registry" else ""),
        **{target: pinned_ci(resources.read_text(template)) for target, template in CI_TEMPLATES[role].items()},
    }
    settings = {"yaml.schemas": {}, "files.encoding": "utf8", "files.eol": "\n"}
    for path, schema in schema_files().items():
        files[path] = schema.decode("utf-8")
        kind = path.rsplit("/", 1)[1].removesuffix(".schema.json")
        if kind in SCHEMA_GLOBS:
            settings["yaml.schemas"][f"./{path}"] = SCHEMA_GLOBS[kind]
    files[".vscode/settings.json"] = json.dumps(settings, ensure_ascii=False, indent=2) + "\n"
    return files


def portfolio_files(name: str, code: str, today: date) -> dict[str, str]:
    semester = dates.semester_of(today)
    courses = f"records/courses/{semester}.yaml"
    schedule = f"schedules/{semester}.yaml"
    return {
        **_shared_files("portfolio"),
        "records/school.yaml": _school_yaml(name, code, today),
        "records/staff.yaml": modeline("records/staff.yaml", "staff")
        + "# 教職員：代號、姓名、提交身分（email）、平臺帳號、角色。例如：\n"
        + "# - {id: chen-yiling, name: 陳怡伶, git: [chen.yiling@example.edu.tw], github: chenyiling, roles: [teacher]}\n"
        + "[]\n",
        courses: modeline(courses, "courses")
        + f"# {semester} 開設課程：課程代碼、名稱、年級、學分、任課教師、班級（licheng import courses 可匯入）\n[]\n",
        "records/regulation.md": resources.read_text("records/regulation.md"),
        schedule: skeleton_yaml(semester, modeline=modeline(schedule, "schedule")),
    }


def registry_files() -> dict[str, str]:
    return {
        **_shared_files("registry"),
        "records/registry.yaml": modeline("records/registry.yaml", "registry")
        + "# 本儲存庫（學籍、成績、幹部、諮詢、提交紀錄，僅限行政人員）讀取的學生學習歷程儲存庫\n"
        + "portfolio: ../portfolio\nref: main\n",
    }


def _git(repo: Path, *args: str) -> None:
    name, email = INIT_IDENTITY
    subprocess.run(["git", "-c", f"user.name={name}", "-c", f"user.email={email}", "-c", "core.autocrlf=false",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, check=True, capture_output=True, text=True)


def _write_repo(repo: Path, files: dict[str, str], message: str) -> list[str]:
    repo.mkdir(parents=True)
    for rel, text in files.items():
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8", newline="\n")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--no-verify", "-m", message)
    return sorted(files)


def init_school(target: Path, name: str, code: str, today: date) -> InitReport:
    if not name.strip():
        raise UsageError("--name: 學校名稱不可空白", en="--name: the school's name is empty")
    if not CODE.match(code):
        raise UsageError(f"--code {code}: 學校代碼應為 6 位數字", en=f"--code {code}: a school code has 6 digits")
    target = Path(target)
    for repo in (target / "portfolio", target / "registry"):
        if repo.exists():
            raise UsageError(f"{repo}: 已存在，不覆寫", en=f"{repo}: already exists; nothing overwritten")
    semester = dates.semester_of(today)
    report = InitReport(target / "portfolio", target / "registry", semester)
    report.files["portfolio"] = _write_repo(report.portfolio, portfolio_files(name, code, today),
                                            f"licheng init：{name} 學習歷程儲存庫")
    report.files["registry"] = _write_repo(report.registry, registry_files(), f"licheng init：{name} 學籍儲存庫")
    return report


def checklist(report: InitReport, lang: str = "zh-TW") -> list[str]:
    """What the school does next, in the run's language."""
    sem = report.semester
    year = dates.academic_year(sem)
    if lang == "en":
        return _checklist_en(report, sem, year)
    return [
        f"1. 把 {report.portfolio.name}/ 與 {report.registry.name}/ 推上學校的 GitHub 或 GitLab（兩個私有儲存庫），"
        f"在 {report.portfolio.name} 的 records/school.yaml 寫明 platform（kind: github 或 gitlab、url），"
        "設定 main 分支保護：須經合併請求、須通過 validate 檢查、只以合併提交合併（GitHub：Settings → General → "
        "Pull Requests 只勾選「Allow merge commits」；GitLab：Settings → Merge requests 的 Merge method 選「Merge commit」，"
        "Squash commits 選「Do not allow」）",
        "2. registry 只給行政人員讀取；portfolio 給全校師生讀取（學生以合併請求上傳）",
        "3. 在 portfolio 的 records/staff.yaml 填入教職員（角色、提交 email、平臺帳號），"
        f"並建立 records/working-group/{year}.yaml（工作小組名單）",
        f"4. 匯入學生：licheng import students 學生名冊.xlsx -C {report.registry.name} --semester {sem} --apply，"
        f"再以 licheng roster -C {report.registry.name} 寫入 {report.portfolio.name} 的名冊（由註冊組提交）；"
        f"課程：licheng import courses 課程.xlsx -C {report.portfolio.name} --semester {sem} --apply",
        f"5. 教務主任調整 schedules/{sem}.yaml 的日期，將 status 改為 published 後公告",
        f"6. licheng identities -C {report.portfolio.name} 列出尚未登記提交身分的人；"
        f"licheng validate -C {report.portfolio.name} 與 licheng validate -C {report.registry.name} 檢查兩個儲存庫",
        "7. registry 的 CI 以唯讀金鑰讀取 portfolio：GitHub 在 portfolio 加唯讀 deploy key，私鑰存為 registry 的 secret "
        "PORTFOLIO_DEPLOY_KEY；GitLab 在 portfolio 建 read_repository 的 deploy token，存為 registry 的變數 "
        "PORTFOLIO_DEPLOY_USER、PORTFOLIO_DEPLOY_TOKEN。教職員網站不放在公開的 Pages（GitHub：工作流程的 artifact；"
        "GitLab：開啟存取控制的 Pages）",
    ]


def _checklist_en(report: InitReport, sem: str, year: int) -> list[str]:
    portfolio, registry = report.portfolio.name, report.registry.name
    return [
        f"1. Push {portfolio}/ and {registry}/ to the school's GitHub or GitLab (two private repositories), name "
        f"the platform in {portfolio}'s records/school.yaml (platform: kind github or gitlab, url) and protect main: "
        "merge requests only, the validate check must pass, merge commits only (GitHub: Settings → General → Pull "
        "Requests, tick only \"Allow merge commits\"; GitLab: Settings → Merge requests, Merge method \"Merge "
        "commit\" and Squash commits \"Do not allow\")",
        "2. Only the administrative staff may read the registry; the whole school reads the portfolio (students "
        "upload through merge requests)",
        "3. Fill in the staff in the portfolio's records/staff.yaml (roles, commit emails, platform user names) and "
        f"write records/working-group/{year}.yaml (the working group)",
        f"4. Import the students: licheng import students FILE.xlsx -C {registry} --semester {sem} --apply, "
        f"then licheng roster -C {registry} writes {portfolio}'s roster (the registration office commits it); "
        f"courses: licheng import courses FILE.xlsx -C {portfolio} --semester {sem} --apply",
        f"5. The academic director sets the dates in schedules/{sem}.yaml and publishes it (status: published)",
        f"6. licheng identities -C {portfolio} lists who has no commit identity yet; "
        f"licheng validate -C {portfolio} and licheng validate -C {registry} check both repositories",
        "7. The registry's CI reads the portfolio with a read-only key: on GitHub a read-only deploy key on the "
        "portfolio, its private key saved as the registry's secret PORTFOLIO_DEPLOY_KEY; on GitLab a deploy token "
        "with read_repository on the portfolio, saved as the registry's variables PORTFOLIO_DEPLOY_USER and "
        "PORTFOLIO_DEPLOY_TOKEN. The staff site never goes to public Pages (GitHub: the workflow's artifact; "
        "GitLab: Pages with access control)",
    ]
