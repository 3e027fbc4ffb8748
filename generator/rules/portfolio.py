"""Course learning outcomes (§5.3), diverse performances (§5.4) and selections."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath

from .. import dates
from ..git import lfs
from ..result import Said
from ..rule import WARNING, checks, hit, rule


def _portfolio_docs(records):
    return records.valid("outcome") + records.valid("performance")


@rule(
    "text.too-long",
    "§5.3.1",
    "簡述有 {count} 字，超過上限 {limit} 字",
    "the summary has {count} characters; the limit is {limit}",
)
def summary_length(records):
    limit = int(records.limits["summary_max_chars"])
    for doc in _portfolio_docs(records):
        summary = doc.data.get("summary") or ""
        if len(summary.strip()) > limit:
            yield hit(doc.path, doc.line("summary"), count=len(summary.strip()), limit=limit)


# extension -> (limit key, content test on the first bytes)
FILE_TYPES = {
    "pdf": ("document_max_mb", lambda b: b.startswith(b"%PDF-")),
    "jpg": ("document_max_mb", lambda b: b.startswith(b"\xff\xd8\xff")),
    "jpeg": ("document_max_mb", lambda b: b.startswith(b"\xff\xd8\xff")),
    "png": ("document_max_mb", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    "mp3": ("media_max_mb", lambda b: b.startswith(b"ID3") or (len(b) > 1 and b[0] == 0xFF and b[1] & 0xE0 == 0xE0)),
    "mp4": ("media_max_mb", lambda b: b[4:8] == b"ftyp"),
}


def _attachments(records) -> list:
    """(document, index in its files, attachment path, extension) for every listed file."""
    return records.memo("attachments", lambda: list(_each_attachment(records)))


def _each_attachment(records):
    for doc in _portfolio_docs(records):
        names = doc.data.get("files")
        if not names:
            continue
        folder = doc.path.rsplit("/", 1)[0]
        for index, name in enumerate(names):
            ext = name.rsplit(".", 1)[1].lower() if "." in name else ""
            yield doc, index, f"{folder}/{name}", ext


@rule("file.missing", "§5.3.1", "找不到附件「{name}」（應與此 YAML 放在同一資料夾）",
      "attachment '{name}' is missing (it belongs beside this YAML file)")
def missing_files(records):
    for doc, index, path, _ in _attachments(records):
        if path not in records.files:
            yield hit(doc.path, doc.line("files", index), name=PurePosixPath(path).name)


@rule(
    "file.type",
    "§5.3.1",
    {"": "附件「{name}」的內容不是 {ext} 檔（以檔案內容判斷，而非只看副檔名）",
     "extension": "附件「{name}」的類型不被接受；只收 pdf、jpg、png、mp3、mp4"},
    {"": "attachment '{name}' is not a {ext} file (judged by its content, not only its name)",
     "extension": "attachment '{name}' is of a type not accepted; only pdf, jpg, png, mp3, mp4"},
)
def file_types(records):
    for doc, index, path, ext in _attachments(records):
        if ext not in FILE_TYPES:
            yield hit(doc.path, doc.line("files", index), "extension", name=PurePosixPath(path).name)
        elif path in records.files and path not in records.lfs_missing:
            if not FILE_TYPES[ext][1](records.head(path)):
                yield hit(doc.path, doc.line("files", index), name=PurePosixPath(path).name, ext=ext.upper())


@rule("file.size", "§5.3.1", "附件「{name}」有 {size} MB，超過上限 {limit} MB",
      "attachment '{name}' is {size} MB; the limit is {limit} MB")
def file_sizes(records):
    for doc, index, path, ext in _attachments(records):
        if ext in FILE_TYPES and path in records.files:
            limit = float(records.limits[FILE_TYPES[ext][0]])
            size = records.files[path] / (1024 * 1024)
            if size > limit:
                yield hit(doc.path, doc.line("files", index), name=PurePosixPath(path).name, size=f"{size:.1f}",
                          limit=f"{limit:g}")


@rule("lfs.missing", "§5.3.1",
      "附件「{name}」存在 Git LFS，但這裡只有指標、沒有內容，無法檢查它的類型；"
      "請先取得內容：git lfs pull --include=\"{file}\"",
      "attachment '{name}' is stored in Git LFS but only its pointer is here, so its type cannot be "
      "checked; fetch it first: git lfs pull --include=\"{file}\"")
def lfs_missing(records):
    """Only attachments not yet on main must be here whole (CI fetches exactly those)."""
    if not records.lfs_missing:
        return
    required = records.request.paths if records.request is not None else \
        records.memo("lfs.unmerged", lambda: lfs.unmerged(records.root))  # in a merge-request check: its own
    for doc, index, path, _ in _attachments(records):
        if path in records.lfs_missing and (required is None or path in required):
            yield hit(doc.path, doc.line("files", index), name=PurePosixPath(path).name, file=_include(path))


# what `git lfs pull --include` reads as a pattern (gitignore's), splits on (commas), or a shell would expand in quotes
_NOT_LITERAL = re.compile(r'[,*?\[\]\\"$`]|^[!#]|\s$')


def _include(path: str) -> str:
    """The --include that fetches `path`: itself, or for a name that would not match itself (a comma,
    a glob character, a leading ! or #) its folder's files, a few more of the same record at most."""
    folder, _, name = path.rpartition("/")
    return f"{folder}/*" if _NOT_LITERAL.search(name) else path


def _added(records) -> dict[str, int]:
    """path -> position on main's first-parent chain of the commit that first added it."""
    order: dict[str, int] = {}
    for index, commit in enumerate(records.history.mainline if records.history else ()):
        for status, path in commit.changes:
            if status == "A":
                order.setdefault(path, index)
    return order


def _over_quota(records, groups, limit):
    """Each item beyond the limit, the newest ones: those on main by when they arrived, then
    those not yet on main (a merge request's, the working tree's)."""
    for key, docs in sorted(groups.items()):
        if len(docs) > limit:
            added = records.memo("added-order", lambda: _added(records))
            docs.sort(key=lambda d: (added.get(d.path, float("inf")), d.path))
            for doc in docs[limit:]:
                yield key, doc, len(docs)


@rule(
    "quota.outcomes-per-semester",
    "§5.3.1",
    "學生 {student} 在 {semester} 有 {count} 件課程學習成果，超過每學期 {limit} 件的上限",
    "student {student} has {count} course learning outcomes in {semester}; at most {limit} per semester",
)
def outcomes_per_semester(records):
    limit = int(records.limits["outcomes_per_semester"])
    groups = defaultdict(list)
    for doc in records.all("outcome"):
        if not records.transferred(doc):  # §9: earned at the school before
            groups[(doc.keys["student"], doc.keys["semester"])].append(doc)
    for (no, sem), doc, count in _over_quota(records, groups, limit):
        yield hit(doc.path, 1, student=no, semester=sem, count=count, limit=limit)


@rule(
    "quota.performances-per-year",
    "§5.4.1",
    "學生 {student} 在 {year} 學年度有 {count} 件多元表現，超過每學年 {limit} 件的上限",
    "student {student} has {count} diverse performances in academic year {year}; at most {limit} a year",
)
def performances_per_year(records):
    limit = int(records.limits["performances_per_year"])
    groups = defaultdict(list)
    for doc in records.all("performance"):
        groups[(doc.keys["student"], doc.keys["year"])].append(doc)
    for (no, year), doc, count in _over_quota(records, groups, limit):
        yield hit(doc.path, 1, student=no, year=year, count=count, limit=limit)


def _selection_quota(records, field, limit_key):
    limit = int(records.limits[limit_key])
    for doc in records.valid("selection"):
        chosen = doc.data.get(field) or ()
        if len(chosen) > limit:
            # on the first item beyond the limit (the newest choice), not on the list's first line
            yield hit(doc.path, doc.line(field, limit), student=doc.keys["student"], year=doc.keys["year"],
                      count=len(chosen), limit=limit)


@rule(
    "quota.outcome-selections",
    "§5.3.3",
    "學生 {student} 在 {year} 學年度勾選了 {count} 件課程學習成果，至多 {limit} 件",
    "student {student} selected {count} course learning outcomes in academic year {year}; at most {limit}",
)
def outcome_selections(records):
    return _selection_quota(records, "outcomes", "outcome_selections_per_year")


@rule(
    "quota.performance-selections",
    "§5.4.2",
    "學生 {student} 在 {year} 學年度勾選了 {count} 件多元表現，至多 {limit} 件",
    "student {student} selected {count} diverse performances in academic year {year}; at most {limit}",
)
def performance_selections(records):
    return _selection_quota(records, "performances", "performance_selections_per_year")


@checks("ref.unknown")
def selection_targets(records):
    existing = {doc.path for doc in records.documents}
    for doc in records.valid("selection"):
        no, year = doc.keys["student"], doc.keys["year"]
        for index, name in enumerate(doc.data.get("outcomes") or ()):
            semester, slug = name.split("/", 1)
            if f"records/outcomes/{semester}/{no}/{slug}.yaml" not in existing:
                yield hit(doc.path, doc.line("outcomes", index), "outcome", name=name)
            elif str(dates.academic_year(semester)) != year:
                yield hit(doc.path, doc.line("outcomes", index), "outcome-year", name=name, year=year)
        for index, slug in enumerate(doc.data.get("performances") or ()):
            if f"records/performances/{year}/{no}/{slug}.yaml" not in existing:
                yield hit(doc.path, doc.line("performances", index), "performance", name=slug, year=year, student=no)


@checks("ref.unknown")
def outcome_courses(records):
    for doc in records.valid("outcome"):
        if records.transferred(doc):
            continue
        sem, no, code = doc.keys["semester"], doc.keys["student"], doc.data.get("course")
        course = records.courses.get(sem, {}).get(code)
        if course is None:
            yield hit(doc.path, doc.line("course"), "course", semester=sem, name=code)


@rule(
    "ref.course-class",
    "§5.3.1",
    {"": "學生 {student} 在 {semester} 的班級「{klass}」不在課程「{course}」的開課班級中",
     "course": "課程「{course}」的開課班級「{klass}」在 {semester} 沒有任何學生（這學期的班級有：{known}）；"
               "班級名稱須與學籍資料的寫法相同，否則學生上傳這門課的成果都會被警告"},
    {"": "student {student}'s class '{klass}' in {semester} is not among the classes of course '{course}'",
     "course": "class '{klass}' of course '{course}' has no student in {semester} (its classes are: {known}); a class "
               "is named as the student records name it, else every outcome of this course is warned about"},
    severity=WARNING,
)
def outcome_course_classes(records):
    for doc in records.valid("outcome"):
        sem, no, code = doc.keys["semester"], doc.keys["student"], doc.data.get("course")
        course = records.courses.get(sem, {}).get(code)
        klass = (records.students.get(no, {}).get("classes") or {}).get(sem)
        if course and klass is not None and klass not in course.get("classes", ()):
            yield hit(doc.path, doc.line("course"), student=no, semester=sem, klass=klass, course=code)


@checks("ref.course-class")
def course_classes(records):
    """A course file's class that no student of that semester is in: most often a class written
    otherwise than the student records write it (101 against 1年1班, from two exports). A semester
    no student has a class in yet (a course file drafted before the roll-over) is left alone."""
    known: dict[str, set] = defaultdict(set)
    for student in records.students.values():
        for sem, klass in (student.get("classes") or {}).items():
            known[sem].add(str(klass))
    for doc in records.valid("courses"):
        sem = doc.keys["semester"]
        if not known.get(sem):
            continue
        shown, more = sorted(known[sem])[:8], "…" if len(known[sem]) > 8 else ""
        names = Said({"zh-TW": "、".join(shown) + more, "en": ", ".join(shown) + more})
        for index, course in doc.items():
            for i, klass in enumerate(course.get("classes") or ()):
                if str(klass) not in known[sem]:
                    yield hit(doc.path, doc.line(index, "classes", i), "course", course=course.get("code"),
                              klass=str(klass), semester=sem, known=names)


@rule(
    "course.duplicate-code",
    "§5.3.2",
    "課程代碼「{value}」在第 {first} 行（{first_name}）已經用過；同一學期每門課程的代碼必須不同，"
    "否則兩門課的成果會被當成同一門課（由錯誤的任課教師認證）",
    "course code '{value}' is already used on line {first} ({first_name}); each course of a semester needs a code "
    "of its own, else the outcomes of both are taken as one course's (and certified by the wrong teacher)",
)
def duplicate_course_codes(records):
    for doc in records.valid("courses"):
        seen: dict[str, tuple[int, str]] = {}
        for index, course in doc.items():
            code = str(course.get("code"))
            if code in seen:
                first, first_name = seen[code]
                yield hit(doc.path, doc.line(index, "code"), value=code, first=first, first_name=first_name)
            else:
                seen[code] = (doc.line(index, "code"), str(course.get("name") or ""))
