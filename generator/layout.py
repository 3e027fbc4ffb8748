"""Where each kind of record lives in a school's repositories."""

from __future__ import annotations

import re
from pathlib import Path

SEMESTER = r"(?P<semester>\d{2,3}-[12])"
YEAR = r"(?P<year>\d{2,3})"
STUDENT = r"(?P<student>[0-9A-Za-z]+)"
SLUG = r"(?P<slug>[a-z0-9][a-z0-9-]*)"

KINDS: list[tuple[str, re.Pattern]] = [
    (kind, re.compile(pattern + r"\.yaml$"))
    for kind, pattern in [
        ("school", r"records/school"),
        ("staff", r"records/staff"),
        ("delegates", r"records/delegates"),
        ("acknowledgements", r"records/acknowledgements"),
        ("holidays", r"records/holidays"),
        ("working-group", rf"records/working-group/{YEAR}"),
        ("student", rf"records/students/{STUDENT}"),
        ("courses", rf"records/courses/{SEMESTER}"),
        ("grades", rf"records/grades/{SEMESTER}/(?P<course>[^/]+)"),
        ("counseling", rf"records/counseling/{SEMESTER}/(?P<staff>[a-z0-9][a-z0-9-]*)"),
        ("cadres", rf"records/cadres/{SEMESTER}"),
        ("outcome", rf"records/outcomes/{SEMESTER}/{STUDENT}/{SLUG}"),
        ("performance", rf"records/performances/{YEAR}/{STUDENT}/{SLUG}"),
        ("selection", rf"records/selections/{YEAR}/{STUDENT}"),
        ("submissions", rf"records/submissions/{SEMESTER}"),
        ("schedule", rf"schedules/{SEMESTER}"),
        ("roster", rf"records/roster/{SEMESTER}"),
        ("registry", r"records/registry"),
    ]
]

ROOTS = ("records", "schedules")
# the record formats' JSON Schemas: in the package, and copied into each of a school's repositories
# (SCHEMA_DIR), where every record's first line points editors (VS Code's YAML extension, any
# yaml-language-server) so that they check a file as it is typed. (Read as files, not through
# importlib.resources: importing that costs more than checking a thousand documents.)
SCHEMAS = Path(__file__).resolve().parent / "schemas"
SCHEMA_DIR = ".licheng/schemas"
TEXT_RECORDS = {"records/regulation.md"}  # the regulation text the site renders (§1–§12)
TEXT_MAX_BYTES = 1 << 20  # what is read of it (the site renders 256 KB after its front matter; privacy scans all of it)
# directories whose non-YAML files are attachments of the records beside them
ATTACHMENT_DIRS = re.compile(rf"^records/(outcomes/{SEMESTER}|performances/{YEAR})/{STUDENT}/[^/]+$")
YAML_SUFFIXES = (".yaml", ".yml")


def _section(path: str) -> str:
    """`records/outcomes` of `records/outcomes/115-1/...`, `records/school.yaml`, `schedules`."""
    parts = path.split("/", 2)
    return "/".join(parts[:2]) if parts[0] == "records" else parts[0]


_BY_SECTION: dict[str, list[tuple[str, re.Pattern]]] = {}
for _kind, _pattern in KINDS:
    _literal = _pattern.pattern.split("(", 1)[0].rstrip("/").replace("\\.yaml$", ".yaml")
    _BY_SECTION.setdefault(_section(_literal), []).append((_kind, _pattern))


def classify(path: str) -> tuple[str, dict[str, str]] | None:
    """The kind of record at repository-relative POSIX `path`, with the parts its path names."""
    for kind, pattern in _BY_SECTION.get(_section(path), ()):
        m = pattern.fullmatch(path)
        if m:
            return kind, m.groupdict()
    return None


def is_attachment(path: str) -> bool:
    return bool(ATTACHMENT_DIRS.match(path)) and not path.lower().endswith(YAML_SUFFIXES)


# a file in a semester's (a year's) folder itself, above every student's own folder: a student's upload
# made one folder too high (the web upload's folder is easy to miss)
_ABOVE_OWN = re.compile(rf"^(?P<where>records/(?:outcomes/{SEMESTER}|performances/{YEAR}))/(?P<file>[^/]+)$")


def above_own_folder(path: str) -> tuple[str, str, str] | None:
    """(kind, the folder, the file's name) for a file one level above the students' own folders
    (`records/outcomes/115-1/speech.yaml`); else None."""
    m = _ABOVE_OWN.match(path)
    if not m:
        return None
    return ("outcome" if m["where"].startswith("records/outcomes/") else "performance"), m["where"], m["file"]


_SAMPLE_NAMES = ("x", "115-1", "115")  # a valid name for each kind of file name (slug or number, semester, year)


def misnamed(path: str) -> str | None:
    """The kind of record whose folder holds `path`, a YAML file whose own name breaks that kind's
    naming rule (`我的作文.yaml`, `Report.YAML`, `.yml`), so it would silently not count; else None."""
    if not path.lower().endswith(YAML_SUFFIXES) or classify(path):
        return None
    folder = path.rsplit("/", 1)[0]
    for name in _SAMPLE_NAMES:
        found = classify(f"{folder}/{name}.yaml")
        if found:
            return found[0]
    return None


def is_semester(value: str) -> bool:
    """'115-1' and the like: an ROC academic year and its term."""
    return re.fullmatch(SEMESTER, value) is not None


def schema_files() -> dict[str, bytes]:
    """The schemas as a school's repository carries them: repository-relative path -> content."""
    return {f"{SCHEMA_DIR}/{path.name}": path.read_bytes() for path in sorted(SCHEMAS.glob("*.schema.json"))}


def modeline(path: str, kind: str) -> str:
    """The yaml-language-server line pointing the record at repository-relative `path` at the
    schema of `kind` in the same repository."""
    return f"# yaml-language-server: $schema={'../' * path.count('/')}{SCHEMA_DIR}/{kind}.schema.json\n"
