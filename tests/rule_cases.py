"""The rule corpus: for every rule code, one edit of the sample school that triggers it and
one near miss that must not. Each case is data: a list of edits applied to a fresh copy.

Edits: ("edit", path, old, new) · ("write", path, text|bytes) · ("append", path, text)
       ("remove", path) · ("symlink", path, target)
"""

from __future__ import annotations

import hashlib

from dataclasses import dataclass, field

OUT = "records/outcomes/115-1/1150101/book-review.yaml"
OUT_TEXT = """course: "115999999H001010A010211"
title: 英文讀本《Wonder》閱讀報告
summary: 以英文摘要小說情節，並分析主角面對同儕眼光時的心境轉變。
files: [book-review.pdf]
"""
STUDENT = "records/students/1150101.yaml"
S1 = "schedules/115-1.yaml"
SUB = "records/submissions/114-2.yaml"
POETRY = "records/outcomes/114-2/1130101/poetry-notes.yaml"
POETRY_TEXT = """course: "113999999H001010A010122"
title: 唐詩意象整理筆記
summary: 整理李白與杜甫詩作中的月亮意象。
files: [notes.pdf]
"""
PERFORMANCE = """category: service
title: 淨灘志工
summary: 參與社區淨灘活動。
date: 2026-05-10
"""
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
LFS_OID = hashlib.sha256(PDF).hexdigest()
LFS_POINTER = f"version https://git-lfs.github.com/spec/v1\noid sha256:{LFS_OID}\nsize {len(PDF)}\n".encode()


def _alias_bomb() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi"):
        text += f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
    return text


def _summary(chars: int) -> str:
    return OUT_TEXT.replace("以英文摘要小說情節，並分析主角面對同儕眼光時的心境轉變。", "字" * chars)


@dataclass
class Case:
    code: str
    trigger: list
    near_miss: list
    now: str | None = None  # None: the fixture's fixed "now"
    near_now: str | None = None
    why: str = ""
    tags: list = field(default_factory=list)


ACKS = "records/acknowledgements.yaml"


def _ack(by: str = "huang-shufen", rule: str = "schema.unknown-key") -> str:
    return f"- {{rule: {rule}, path: {OUT}, reason: 已檢視, by: {by}, at: 2026-11-20}}\n"


CASES = [
    Case("yaml.syntax",
         [("edit", OUT, "title: 英文讀本", "title: [英文讀本")],
         [("edit", OUT, "title: 英文讀本《Wonder》閱讀報告", 'title: "[英文讀本]《Wonder》閱讀報告"')]),
    Case("yaml.duplicate-key",
         [("append", OUT, "title: 另一個標題\n")],
         [("append", OUT, "links: []\n")]),
    Case("yaml.encoding",
         [("write", OUT, OUT_TEXT.replace("《Wonder》", "").encode("big5"))],
         [("write", OUT, b"\xef\xbb\xbf" + OUT_TEXT.encode("utf-8"))],
         why="Big5 is refused by name; a UTF-8 BOM is tolerated"),
    Case("yaml.aliases",
         [("write", OUT, _alias_bomb())],
         [("edit", OUT, "title: 英文讀本《Wonder》閱讀報告\nsummary: 以英文摘要小說情節，並分析主角面對同儕眼光時的心境轉變。",
           "title: &t 英文讀本《Wonder》閱讀報告\nsummary: *t")]),
    Case("yaml.too-large",
         [("write", OUT, OUT_TEXT + "# 註解\n" * 200_000)],
         [("write", OUT, OUT_TEXT + "# 註解\n" * 20_000)]),
    Case("schema.invalid",
         [("edit", OUT, "summary: 以英文摘要小說情節，並分析主角面對同儕眼光時的心境轉變。\n", "")],
         [("edit", OUT, "summary: 以英文摘要小說情節", "summary: 用英文摘要小說情節")]),
    Case("schema.unknown-key",
         [("append", OUT, "note: 備註\n")],
         [("append", OUT, "links: [https://example.edu.tw/wonder]\n")]),
    Case("layout.unknown-file",
         [("write", "records/notes.txt", "備忘")],
         [("write", "records/outcomes/115-1/1150101/draft.pdf", PDF)],
         why="loose files beside an outcome are attachments"),
    Case("layout.misnamed",
         [("write", "records/outcomes/115-1/1150101/我的作文.yaml", OUT_TEXT)],
         [("write", "records/outcomes/115-1/1150101/my-essay.yaml", OUT_TEXT)],
         why="a record the naming rule would not count is an error; a well-named one counts"),
    Case("layout.missing",
         [("remove", "records/staff.yaml")],
         [("remove", "records/delegates.yaml")]),
    Case("file.symlink",
         [("symlink", "records/outcomes/115-1/1150101/secret.yaml", "/etc/passwd")],
         [("write", "records/outcomes/115-1/1150101/secret.pdf", PDF)]),
    Case("ref.unknown",
         [("edit", "records/cadres/115-1.yaml", '{student: "1150101"', '{student: "1159999"')],
         [("edit", "records/cadres/115-1.yaml", '{student: "1150101"', '{student: "1150102"')]),
    Case("ref.unchecked",
         [("edit", "records/staff.yaml", "  name: 林志遠\n", "  name: 林志遠\n  name: 林志遠\n")],
         [("edit", "records/staff.yaml", "  name: 林志遠\n", "  name: 林志遠\n  office: 校長室\n")],
         why="a duplicate key leaves the staff list unread; an unknown key is a warning, the list is read"),
    Case("ref.course-class",
         [("edit", OUT, "115999999H001010A010211", "114999999H001010A010121")],
         [("edit", OUT, "115999999H001010A010211", "115999999H001010A010111")]),
    Case("course.duplicate-code",
         [("edit", "records/courses/115-1.yaml", '- code: "115999999H001010A010211"', '- code: "115999999H001010A010111"')],
         [("edit", "records/courses/115-2.yaml", '- code: "115999999H001010A010212"', '- code: "115999999H001010A010211"')],
         why="the near miss: one code in two semesters' files"),
    Case("id.national-id",
         [("edit", STUDENT, "J125493395", "J125493396")],
         [("edit", STUDENT, "J125493395", "A900000007")],
         why="the near miss is a valid resident-certificate number"),
    Case("id.mismatch",
         [("edit", STUDENT, 'student_no: "1150101"', 'student_no: "1150102"')],
         [("edit", STUDENT, 'student_no: "1150101"', "student_no: '1150101'")]),
    Case("enrollment.not-enrolled",
         [("write", "records/outcomes/115-1/1130110/late.yaml",
           OUT_TEXT.replace("files: [book-review.pdf]", "files: []"))],
         [("write", "records/outcomes/114-2/1130110/early.yaml",
           POETRY_TEXT.replace("files: [notes.pdf]", "files: []"))],
         why="1130110 transferred out on 2026-02-15: enrolled for part of 114-2, not in 115-1"),
    Case("retention.expired", [], [], now="2031-03-01", near_now="2031-02-01",
         why="1130110 left on 2026-02-15; five years end on 2031-02-15"),
    Case("text.too-long",
         [("write", OUT, _summary(101))],
         [("write", OUT, _summary(100))]),
    Case("file.missing",
         [("edit", OUT, "files: [book-review.pdf]", "files: [book-review.pdf, missing.pdf]")],
         [("write", "records/outcomes/115-1/1150101/more.pdf", PDF),
          ("edit", OUT, "files: [book-review.pdf]", "files: [book-review.pdf, more.pdf]")]),
    Case("file.type",
         [("write", "records/outcomes/115-1/1150101/photo.pdf", JPEG),
          ("edit", OUT, "files: [book-review.pdf]", "files: [photo.pdf]")],
         [("write", "records/outcomes/115-1/1150101/photo.jpg", JPEG),
          ("edit", OUT, "files: [book-review.pdf]", "files: [photo.jpg]")],
         why="type is judged by content: JPEG bytes named .pdf are refused"),
    Case("file.size",
         [("write", "records/outcomes/115-1/1150101/big.pdf", PDF + b"\0" * int(4.2 * 1024 * 1024)),
          ("edit", OUT, "files: [book-review.pdf]", "files: [big.pdf]")],
         [("write", "records/outcomes/115-1/1150101/big.pdf", PDF + b"\0" * int(3.9 * 1024 * 1024)),
          ("edit", OUT, "files: [book-review.pdf]", "files: [big.pdf]")]),
    Case("lfs.missing",
         [("write", "records/outcomes/115-1/1150101/scan.pdf", LFS_POINTER),
          ("edit", OUT, "files: [book-review.pdf]", "files: [scan.pdf]")],
         [("write", "records/outcomes/115-1/1150101/scan.pdf", PDF),
          ("edit", OUT, "files: [book-review.pdf]", "files: [scan.pdf]")],
         why="outside Git every pointer must have its content (tests/test_lfs.py: in a repository)"),
    Case("quota.outcomes-per-semester",
         [("write", "records/outcomes/114-2/1130101/seventh.yaml", POETRY_TEXT)],
         [("write", "records/outcomes/114-2/1130101/seventh.yaml",
           POETRY_TEXT + 'transfer_from: "999888"\n'),
          ("edit", "records/students/1130101.yaml", "{date: 2024-08-01, type: admitted}",
           '{date: 2026-03-01, type: transfer_in, school: "999888"}')],
         why="1130101 has 6 outcomes in 114-2; one a transferred-in student earned at the school before (§9, in a "
             "semester that began before the transfer) is not counted"),
    Case("quota.performances-per-year",
         [("write", "records/performances/114/1130101/eleventh.yaml", PERFORMANCE)],
         [("write", "records/performances/115/1130101/eleventh.yaml", PERFORMANCE.replace("2026-05-10", "2026-10-10"))],
         why="1130101 has 10 performances in year 114 and 3 in 115"),
    Case("quota.outcome-selections",
         [("edit", "records/selections/114/1130101.yaml", "114-2/old-street-survey]",
           "114-2/old-street-survey, 114-2/seventh]"),
          ("write", "records/outcomes/114-2/1130101/seventh.yaml", POETRY_TEXT + 'transfer_from: "999888"\n')],
         [("write", "records/outcomes/114-2/1130101/seventh.yaml", POETRY_TEXT + 'transfer_from: "999888"\n')]),
    Case("quota.performance-selections",
         [("write", "records/performances/114/1130101/eleventh.yaml", PERFORMANCE),
          ("edit", "records/selections/114/1130101.yaml", "beach-cleanup]", "beach-cleanup, eleventh]")],
         [("edit", "records/selections/114/1130101.yaml", "beach-cleanup]", "beach-cleanup]  # 10 件，剛好")]),
    Case("schedule.missing-operation",
         [("edit", S1, "  grade_entry:\n", "  grade_entry_typo:\n")],
         [("edit", S1, "  performance_upload:              # 115學年度多元表現上傳（上學期段，下學期續開）\n"
                       "    {start: 115-08-01, end: 2027-01-29 17:00, self_check: 2027-01-15, owner: 招生組}\n", "")],
         why="a yearly operation may live in the other semester's file"),
    Case("schedule.order",
         [("edit", S1, "{start: 2027-01-04, end: 2027-01-29 17:00", "{start: 2027-01-30, end: 2027-01-29 17:00")],
         [("edit", S1, "{start: 2027-01-04, end: 2027-01-29 17:00", "{start: 2027-01-25, end: 2027-01-29 17:00")]),
    Case("schedule.self-check",
         [("edit", S1, "self_check: 2027-01-25, owner: 註冊組", "self_check: 2027-02-25, owner: 註冊組")],
         [("edit", S1, "self_check: 2027-01-25, owner: 註冊組", "self_check: 2027-01-29, owner: 註冊組")]),
    Case("schedule.authority-deadline",
         [("edit", S1, "authority_deadline: 2027-02-10\n", "authority_deadline: 2027-02-04\n")],
         [("edit", S1, "authority_deadline: 2027-02-10\n", "authority_deadline: 2027-02-05\n")],
         why="a date-only deadline lasts to the end of its day"),
    Case("schedule.upload-grace",
         [("edit", S1, "end: 2027-02-05 17:00", "end: 2027-02-02 17:00")],
         [("edit", S1, "end: 2027-02-05 17:00", "end: 2027-02-03 17:00")],
         why="休業式 2027-01-20 + 14 days = 2027-02-03"),
    Case("schedule.weekend",
         [("edit", S1, "self_check: 2027-01-13", "self_check: 2027-01-16"),
          ("edit", S1, "end: 2027-01-22 17:00", "end: 2027-01-01 17:00")],
         [("edit", S1, "self_check: 2027-01-13", "self_check: 2027-01-16"),
          ("append", "records/holidays.yaml", "- {date: 2027-01-16, name: 補班, workday: true}\n")],
         why="2027-01-16 is a Saturday unless holidays.yaml makes it a make-up workday (補班); 2027-01-01 is a holiday"),
    Case("schedule.receipt-days",
         [("edit", "schedules/114-2.yaml", "    start: 2026-03-09\n    end: 2026-08-31 17:00\n    self_check: 2026-08-24",
           "    start: 2026-08-29 09:00\n    end: 2026-08-31 17:00\n    self_check: 2026-08-30")],
         [("edit", "schedules/114-2.yaml", "    start: 2026-03-09\n    end: 2026-08-31 17:00\n    self_check: 2026-08-24",
           "    start: 2026-08-29\n    end: 2026-08-31\n    self_check: 2026-08-30")],
         why="date-only 08-29 to 08-31 is three whole days"),
    Case("schedule.planner",
         [("edit", S1, "planned_by: huang-shufen", "planned_by: chen-yijun")],
         [("edit", S1, "planned_by: huang-shufen", "planned_by: chen-yijun"),
          ("edit", "records/staff.yaml", "roles: [teaching_chief]", "roles: [teaching_chief, academic_director]")]),
    Case("group.meeting",
         [("edit", S1, "working_group_meeting, date: 2026-09-10", "other, date: 2026-09-10"),
          ("edit", S1, "working_group_meeting, date: 2026-12-17", "other, date: 2026-12-17")],
         [("edit", S1, "working_group_meeting, date: 2026-09-10", "other, date: 2026-09-10")],
         why="the semester is not over: a planned meeting is enough"),
    Case("training.missing",
         [("edit", S1, "  - {type: parent_session,", "  - {type: other,")],
         [("edit", S1, "  - {type: parent_session,", "  - {type: other,"),
          ("append", "schedules/115-2.yaml", "  - {type: parent_session, date: 2027-03-20, title: 學校日說明}\n")]),
    Case("cadre.missing",
         [("remove", "records/cadres/115-1.yaml")],
         [("remove", "records/cadres/115-1.yaml")], now="2027-02-01", near_now="2026-11-28",
         why="the 115-1 cadre window ends 2027-01-22"),
    Case("schedule.missing",
         [], [("remove", "schedules/114-2.yaml")], now="2027-08-15",
         why="116-1 has no schedule yet; an old semester's file is not the current one"),
    Case("group.missing",
         [], [("remove", "records/working-group/114.yaml")], now="2027-08-15",
         why="academic year 116 has no working group; last year's is not needed now"),
    Case("group.seat",
         [("edit", "records/working-group/115.yaml", "  - {seat: teacher_rep, staff: lai-zhiwei, nominated_by: 教師會}\n", "")],
         [("edit", "records/working-group/115.yaml", "{seat: parent_rep, name: 許文雄", "{seat: parent_rep, name: 許文德")]),
    Case("counseling.fields",
         [("edit", "records/counseling/115-1/yang-ziqing.yaml", 'time: "12:15-12:55", place: 輔導室, ', 'time: "12:15-12:55", ')],
         [("edit", "records/counseling/115-1/yang-ziqing.yaml", 'time: "12:15-12:55", place: 輔導室, ', 'time: "12:15-12:55", place: 圖書館, ')]),
    Case("counseling.recorder",
         [("write", "records/counseling/115-1/lai-zhiwei.yaml", '- {student: "1150101", date: 2026-10-01, time: "12:10-12:50", place: 輔導室, content: 選課討論}\n')],
         [("write", "records/counseling/115-2/zhou-jiahao.yaml", '- {student: "1150101", date: 2027-03-01, time: "12:10-12:50", place: 輔導室, content: 選課討論}\n')]),
    Case("submission.unit",
         [("edit", SUB, "by: xu-huiwen\n  at: 2026-03-12 10:20", "by: xie-jiarong\n  at: 2026-03-12 10:20")],
         [("edit", SUB, "by: xu-huiwen\n  at: 2026-03-12 10:20", "by: wang-yating\n  at: 2026-03-12 10:20")],
         why="enrollment data is the registration section's (§6.1)"),
    Case("delegate.order",
         [("edit", SUB, "by: xu-huiwen\n  at: 2026-03-12 10:20", "by: huang-shufen\n  at: 2026-03-12 10:20")],
         [("edit", SUB, "by: xu-huiwen\n  at: 2026-03-12 10:20", "by: chen-yijun\n  at: 2026-03-12 10:20"),
          ("edit", "records/staff.yaml", "roles: [registration_chief]\n",
           "roles: [registration_chief]\n  unavailable: [{from: 2026-03-01, until: 2026-03-31, reason: 公假}]\n"),
          ("edit", "records/staff.yaml", "roles: [registration_staff]\n",
           "roles: [registration_staff]\n  unavailable: [{from: 2026-03-10, until: 2026-03-13, reason: 病假}]\n")],
         why="the first delegate acts while the whole registration section is away"),
    Case("window.submission",
         [("edit", SUB, "at: 2026-03-12 10:20", "at: 2026-03-25 10:20")],
         [("edit", SUB, "at: 2026-03-12 10:20", "at: 2026-03-20 16:59")]),
    Case("submission.receipt",
         [("edit", SUB, "  count: 20\n  receipt:\n    by: wang-yating\n    at: 2026-03-16 09:30\n", "  count: 20\n")],
         [("edit", SUB, "    at: 2026-03-16 09:30\n", "    at: 2026-03-12 10:20\n")],
         why="a receipt at the very minute of the submission is not before it"),
    Case("submission.count",
         [("edit", SUB, "  count: 72\n", "  count: 70\n")],
         [("edit", SUB, "  count: 72\n", "  count: 72  # 與匯出筆數相符\n")],
         why="114-2's grades export has 72 rows"),
    Case("receipt.open-discrepancy",
         [("edit", SUB, ", resolved_by: xie-jiarong, resolved_at: 2026-08-06 11:00}", "}")],
         [("edit", SUB, "resolved_by: xie-jiarong", "resolved_by: cai-mingzhe")],
         why="the admissions chief resolves for the admissions section"),
    Case("ack.stale",
         [("write", ACKS, _ack())],
         [("write", ACKS, _ack()), ("append", OUT, "colour: 綠\n")],
         why="an acknowledgement that matches a finding is in use"),
    Case("ack.invalid",
         [("write", ACKS, _ack(by="chen-yijun")), ("append", OUT, "colour: 綠\n")],
         [("write", ACKS, _ack()), ("append", OUT, "colour: 綠\n")],
         why="only the academic director or the principal acknowledges"),
    Case("codeowners.stale",
         [("write", ".github/CODEOWNERS", "* huang.shufen@example.edu.tw\n")],
         [("write", ".github/OWNERS.md", "* huang.shufen@example.edu.tw\n")],
         why="only the platforms' CODEOWNERS locations are compared with the records"),
]

CASES += [
    Case("roster.drift",
         [("write", "records/roster/115-1.yaml", '- {student: "1150101", class: "999", git: [], enrolled: [{from: 2025-08-01}]}\n')],
         [("edit", STUDENT, "J125493395", "J125493395  # 已核對")],
         why="a single repository without a roster reads its students directly"),
    Case("version.mismatch",
         [("append", "records/school.yaml", 'licheng: "9.9"\n')],
         [("append", "records/school.yaml", 'licheng: "0.1"\n')]),
    Case("staff.duplicate-id",
         [("append", "records/staff.yaml", "\n- id: lin-zhiyuan\n  name: 林志願\n  roles: [teacher]\n  from: 2021-08-01\n")],
         [("append", "records/staff.yaml", "\n- id: lin-zhiyuan2\n  name: 林志願\n  roles: [teacher]\n  from: 2021-08-01\n")]),
    Case("school.timezone",
         [("edit", "records/school.yaml", "timezone: Asia/Taipei", "timezone: Asia/Taipie")],
         [("edit", "records/school.yaml", "timezone: Asia/Taipei", "timezone: Asia/Tokyo")]),
    Case("school.timezone",  # a folder of the timezone database, not a zone: it stopped every verb
         [("edit", "records/school.yaml", "timezone: Asia/Taipei", "timezone: Asia")],
         [("edit", "records/school.yaml", "timezone: Asia/Taipei", "timezone: Etc/UTC")]),
    Case("privacy.public-text",
         [("edit", S1, "title: 新進教師學習歷程認證操作研習", "title: 新進教師研習（助教 1150101）")],
         [("edit", S1, "title: 新進教師學習歷程認證操作研習", "title: 新進教師研習（第 115010 場）")]),
]

# Codes no edit of the records can reach, and why.
UNREACHABLE = {
    "privacy.exposed": "needs a student's commit on main (tests/test_repositories.py makes one)",
    "layout.misplaced": "a single repository holds every kind (tests/test_repositories.py splits one)",
    "internal.error": "reported only when a check itself fails (a licheng bug)",
    "yaml.unreadable": "an OS read error; as root in a tmp dir no file refuses to be read",
    "file.filtered": "needs Git's attributes on a record (tests/test_cache_attributes.py, in real Git)",
}
