"""ref.unknown: one code for every name that points nowhere; its checks live beside their records."""

from ..rule import declare, hit, rule

declare(
    "ref.unknown",
    "§5",
    {
        "": "找不到{zh_what}「{name}」",
        "student": "找不到學生「{name}」（records/students/{name}.yaml）",
        "course": "{semester} 沒有開設課程「{name}」（records/courses/{semester}.yaml）",
        "staff": "找不到教職員「{name}」（records/staff.yaml）",
        "outcome": "勾選的課程學習成果「{name}」不存在（records/outcomes/ 下找不到此學生的檔案）",
        "outcome-year": "勾選的課程學習成果「{name}」不屬於 {year} 學年度",
        "performance": "勾選的多元表現「{name}」不存在（records/performances/{year}/{student}/{name}.yaml）",
    },
    {
        "": "no {en_what} '{name}'",
        "student": "no student '{name}' (records/students/{name}.yaml)",
        "course": "no course '{name}' in {semester} (records/courses/{semester}.yaml)",
        "staff": "no staff member '{name}' (records/staff.yaml)",
        "outcome": "selected outcome '{name}' does not exist (no such file of this student under records/outcomes/)",
        "outcome-year": "selected outcome '{name}' is not of academic year {year}",
        "performance": "selected performance '{name}' does not exist (records/performances/{year}/{student}/{name}.yaml)",
    },
    follows_staff=("staff",),
)


@rule(
    "layout.missing",
    "§5",
    "缺少必要的檔案 {file}",
    "the required file {file} is missing",
)
def required_files(records):
    for kind, path in (("school", "records/school.yaml"), ("staff", "records/staff.yaml")):
        if not records.all(kind):
            yield hit(path, None, file=path)
