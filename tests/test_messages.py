"""Messages a person can act on (issue 8, item 6): names instead of codes, misnamed files named as
errors with the naming rule, and a schema error in one entry that hides none of the others.
(Every rule case's messages are checked for codes, placeholders and libyaml's English in
test_rules.test_rule_triggers.)"""

from __future__ import annotations

import re

import pytest

OUT_DIR = "records/outcomes/115-1/1150101"
OUTCOME = 'course: "115999999H001010A010211"\ntitle: 英文日記\nsummary: 每週一篇英文日記。\n'


@pytest.mark.parametrize("name, variant", [
    ("我的作文.yaml", "outcome"), ("Report.YAML", "outcome"), ("diary.yml", "outcome"), ("-x.yaml", "outcome"),
])
def test_a_misnamed_record_is_an_error_that_states_the_rule(school, name, variant):
    school.write(f"{OUT_DIR}/{name}", OUTCOME)
    found = [f for f in school.validate().findings if f.path == f"{OUT_DIR}/{name}"]
    assert [(f.rule, f.severity, f.variant) for f in found] == [("layout.misnamed", "error", variant)]
    message = found[0].message("zh-TW")
    assert name in message and "小寫英文字母、數字與連字號" in message and "plant-report.yaml" in message
    assert "https://portfolio.example.edu.tw/formats/#outcome" in message


def test_a_misnamed_records_link_goes_to_the_site_wherever_its_address_is_set(school):
    """The site takes its address from mkdocs.yml or school.yaml: the link takes it from either; with
    neither, the message names the page instead of a link relative to nothing (`formats/#outcome`)."""
    school.write(f"{OUT_DIR}/Diary.yaml", OUTCOME)
    school.edit("records/school.yaml", "site_url: https://portfolio.example.edu.tw/\n", "")
    school.write("mkdocs.yml", "site_name: 示範高中\nsite_url: https://www.example.edu.tw/lc/\n")

    def message(lang):
        [found] = [f for f in school.validate().findings if f.path == f"{OUT_DIR}/Diary.yaml"]
        return found.message(lang)

    assert "（各類紀錄的檔名規則：https://www.example.edu.tw/lc/formats/#outcome）" in message("zh-TW")
    school.edit("mkdocs.yml", "site_url: https://www.example.edu.tw/lc/", "site_url: null")
    assert message("zh-TW").endswith("（各類紀錄的檔名規則：網站的「資料格式」頁）")
    assert message("en").endswith("(the naming rules: the record formats page (資料格式) of the site)")
    assert "formats/" not in message("zh-TW") + message("en")


@pytest.mark.parametrize("path, variant", [
    ("records/students/陳同學.yaml", "student"), ("schedules/115上.yaml", "semester"),
    ("records/working-group/115學年.yaml", "working-group"),
])
def test_every_record_folder_states_its_own_rule(school, path, variant):
    school.write(path, "x: 1\n")
    assert [(f.rule, f.variant) for f in school.validate().findings if f.path == path] == [("layout.misnamed", variant)]


def test_a_file_outside_any_record_folder_stays_a_warning(school):
    school.write("records/notes.txt", "備忘")
    found = [f for f in school.validate().findings if f.path == "records/notes.txt"]
    assert [(f.rule, f.severity) for f in found] == [("layout.unknown-file", "warning")]
    assert "formats/" in found[0].message("zh-TW") and "DESIGN" not in found[0].message("zh-TW")


def test_a_bad_entry_hides_none_of_the_files_other_findings(school):
    grades = "records/grades/114-2/113999999H001010A010122.yaml"
    school.edit(grades, '"1130102": 79', '"1130102": 七十九\n  "1139999": 80')
    found = {(f.rule, f.line) for f in school.validate().findings if f.path == grades}
    assert ("schema.invalid", 6) in found and ("ref.unknown", 7) in found


def test_an_error_about_the_whole_file_says_so_in_the_reports_language(school):
    school.write(f"{OUT_DIR}/short.yaml", 'course: "115999999H001010A010211"\ntitle: 英文日記\n')
    school.write(f"{OUT_DIR}/list.yaml", "- 英文日記\n")
    found = sorted((f for f in school.validate().findings if f.rule == "schema.invalid"), key=lambda f: f.path)
    assert [(f.path, f.message("en")) for f in found] == [
        (f"{OUT_DIR}/list.yaml", "the file must be a mapping of keys to values"),
        (f"{OUT_DIR}/short.yaml", "the file lacks the required key 'summary'")]
    assert [f.message("zh-TW") for f in found] == ["(整份檔案) 應為「鍵: 值」對照", "(整份檔案) 缺少必填欄位「summary」"]


def test_people_courses_and_operations_go_by_name(school):
    school.edit("schedules/115-1.yaml", "planned_by: huang-shufen", "planned_by: chen-yijun")
    school.edit("schedules/115-1.yaml", "  grade_entry:\n", "  grade_entry_old:\n")
    messages = [f.message("zh-TW") for f in school.validate().findings if f.path == "schedules/115-1.yaml"]
    assert any("陳怡君" in m and "chen-yijun" not in m for m in messages)
    assert any("學業成績登錄" in m for m in messages if "缺少作業" in m)


def test_a_seat_goes_by_the_name_the_site_gives_it(school):
    school.edit("records/working-group/115.yaml", "  - {seat: counselor, staff: luo-zhiming, nominated_by: 輔導室}\n", "")
    messages = [f.message("zh-TW") for f in school.validate().findings if f.rule == "group.seat"]
    assert messages and all("「輔導老師」" in m for m in messages), messages


def test_the_selection_quota_sits_on_the_first_choice_beyond_the_limit(school):
    path = "records/selections/114/1130101.yaml"
    school.edit(path, "114-2/old-street-survey]", "114-2/old-street-survey,\n  114-2/extra-one]")
    text = school.read(path)
    found = [f for f in school.validate().findings if f.rule == "quota.outcome-selections"]
    assert [f.line for f in found] == [text.splitlines().index("  114-2/extra-one]") + 1]


def test_the_json_report_is_what_json_dumps_writes_and_alike_findings_go_by_message():
    import json

    from generator import reporter
    from generator.result import Result, finding

    result = Result()
    result.extend([finding("schema.unknown-key", "records/school.yaml", 3, key="zeta"),
                   finding("layout.unknown-file", "records/a.pdf", None),
                   finding("schema.unknown-key", "records/school.yaml", 3, key="alpha")])
    assert [f.params.get("key") for f in result.sorted()] == [None, "alpha", "zeta"]
    for name in ("records/說明.txt", "records/x\udcff.txt"):  # the second is a name that is no UTF-8
        result.add(finding("layout.unknown-file", name, None))
        payload = {"findings": [f.as_dict("en") for f in result.sorted()],
                   "summary": {"errors": result.errors, "warnings": result.warnings}}
        written = json.dumps(payload, ensure_ascii=False, indent=2).replace("\udcff", "\\\\xff") + "\n"
        assert reporter.as_json(result, "en") == written  # the byte Git stored shown escaped: valid UTF-8
    read = json.loads(reporter.as_json(result, "en").encode("utf-8"))
    assert "records/x\\xff.txt" in {f["path"] for f in read["findings"]}


def test_a_schema_error_says_the_form_it_expects(school):
    """A value of the wrong form is told what the schema takes: a date field its date forms, an
    enum its values, a pattern in words and an example (it said "not in the expected form")."""
    school.edit("records/staff.yaml", "from: 2021-08-01", "from: 2025/13/01")
    school.edit("schedules/115-1.yaml", "planned_by: huang-shufen", "planned_by: Huang_Shufen")
    school.edit("records/school.yaml", 'code: "', 'code: "x')
    school.edit("records/staff.yaml", "roles: [principal]", "roles: [headmaster]")
    import json

    from generator.layout import SCHEMAS

    schema = json.loads((SCHEMAS / "staff.schema.json").read_text("utf-8"))
    roles = schema["$defs"]["person"]["properties"]["roles"]["items"]["enum"]
    findings = school.validate().findings
    found = {f.path: f for f in findings if f.rule == "schema.invalid"}
    said = {path: (f.message("zh-TW"), f.message("en")) for path, f in found.items()}
    assert said["schedules/115-1.yaml"] == (
        "planned_by 的值「Huang_Shufen」格式不符，應為小寫英文字母、數字與連字號（-），例如 chen-yiling",
        "planned_by: 'Huang_Shufen' is not in the expected form: lowercase letters, digits and -, e.g. chen-yiling")
    assert said["records/school.yaml"][1].endswith("is not in the expected form: a six-digit school code, e.g. 013301")
    staff = sorted((f for f in findings if f.path == "records/staff.yaml"), key=lambda f: f.line)
    assert [f.message("zh-TW") for f in staff] == [
        "[0].roles[0] 的值「headmaster」不在允許的選項中（" + "、".join(roles) + "）",
        "[0].from 的值「2025/13/01」不是可辨識的日期（例：2026-09-01 或民國 115/09/01）"]
    assert [f.message("en") for f in staff] == [
        "[0].roles[0]: 'headmaster' is not one of the allowed values (" + ", ".join(roles) + ")",
        "[0].from: '2025/13/01' is not a date (e.g. 2026-09-01, or ROC 115/09/01)"]


def test_every_pattern_of_the_schemas_has_its_form_in_words():
    import json

    from generator.layout import SCHEMAS
    from generator.records.schema import FORMS

    def patterns(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                yield node["pattern"]
            for value in node.values():
                yield from patterns(value)
        elif isinstance(node, list):
            for value in node:
                yield from patterns(value)

    found = {p for path in SCHEMAS.glob("*.schema.json") for p in patterns(json.loads(path.read_text("utf-8")))}
    assert len(found) > 10 and found <= set(FORMS), found - set(FORMS)


def test_an_upload_one_folder_too_high_says_which_folder_it_belongs_in(school):
    """A student's web upload into records/outcomes/115-1/ itself (the folder named by her number is
    easy to miss) was told only 'no file belongs here': now where it goes, in both languages."""
    paths = {"records/outcomes/115-1/speech.yaml": ("records/outcomes/115-1", "課程學習成果"),
             "records/outcomes/115-1/speech.pdf": ("records/outcomes/115-1", "課程學習成果"),
             "records/performances/115/cleanup.yaml": ("records/performances/115", "多元表現")}
    for path in paths:
        school.write(path, "course: x\n")
    found = {f.path: f for f in school.validate().findings if f.rule == "layout.unknown-file"}
    for path, (folder, kind) in paths.items():
        name = path.rsplit("/", 1)[1]
        zh, en = found[path].message("zh-TW"), found[path].message("en")
        # (a placeholder, never a real-looking student number a student would copy)
        assert zh.startswith(kind) and f"{folder}/學號/{name}" in zh and not re.search(r"/\d{7}/", zh), zh
        assert f"{folder}/<student number>/{name}" in en and not re.search(r"/\d{7}/", en), en
        assert found[path].severity == "warning"
