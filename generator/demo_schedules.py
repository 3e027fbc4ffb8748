"""Demo school: school.yaml and the three semesters' schedules (the sample school's, which
satisfy the schedule rules; the demo's history is dated inside their windows)."""

SCHOOL_YAML = """# yaml-language-server: $schema=../generator/schemas/school.schema.json
# 學校基本設定（虛構示範學校）
name: 示範市立示範高級中學
code: "999999"                 # 學校代碼
timezone: Asia/Taipei
site_url: https://portfolio.example.edu.tw/
audit_since: 2025-08-01        # 此日前的 git 歷史不稽核
limits:                        # 本校補充規定與國教署規定之上限
  outcomes_per_semester: 6           # §5.3.1
  outcome_selections_per_year: 6     # §5.3.3
  performances_per_year: 10          # §5.4.1
  performance_selections_per_year: 10  # §5.4.2
  retention_years: 5                 # §8
  summary_max_chars: 100             # 簡述上限
  document_max_mb: 4                 # pdf/jpg/png
  media_max_mb: 10                   # mp3/mp4
certification:
  evidence: merge-author       # 以老師合併學生的合併請求作為認證
  trailer: Certified-by
"""

SCHEDULES = {
    "114-2": """# yaml-language-server: $schema=../generator/schemas/schedule.schema.json
# 114學年度第二學期 學習歷程檔案作業期程（教務處規劃，公告於學校網站）
# 114學年度的學年作業（勾選、多元表現、提交中央資料庫、收訖確認）皆列於本學期
semester: 114-2
term: {start: 2026-02-11, end: 2026-06-30}    # 開學日、休業式
planned_by: huang-shufen
operations:
  outcome_upload:
    {start: 2026-02-23, end: 2026-07-15 17:00, self_check: 2026-06-19, owner: 教學組, title: 課程學習成果上傳}
  outcome_certification:
    {start: 2026-02-23, end: 2026-07-22 17:00, self_check: 2026-07-17, owner: 教學組, title: 任課教師認證}
  cadre_entry:
    {start: 2026-03-02, end: 2026-07-10 17:00, self_check: 2026-06-30, owner: 訓育組, title: 幹部經歷登錄}
  grade_entry:
    {start: 2026-06-22, end: 115-07-10 17:00, self_check: 2026-07-06, owner: 註冊組, title: 學期成績登錄}
  outcome_selection:
    {start: 2026-07-23, end: 2026-08-05 17:00, self_check: 2026-08-01, owner: 教學組, title: 課程學習成果勾選}
  performance_upload:
    start: 2025-08-01
    end: 2026-08-05 17:00
    self_check: 2026-07-24
    owner: 招生組
    title: 多元表現上傳
    note: 全學年開放上傳，暑假期間請於截止日前完成
  performance_selection:
    {start: 2026-07-23, end: 2026-08-05 17:00, self_check: 2026-08-01, owner: 招生組, title: 多元表現勾選}
  submit_enrollment:
    start: 2026-03-02
    end: 2026-03-20 17:00
    self_check: 2026-03-13
    authority_deadline: 2026-03-31
    owner: 註冊組
    title: 學籍資料提交中央資料庫
  submit_grades:
    {start: 2026-07-13, end: 2026-07-31 17:00, self_check: 2026-07-24, authority_deadline: 2026-08-10, owner: 註冊組}
  submit_outcomes:
    start: 2026-07-23
    end: 2026-08-12 17:00
    self_check: 2026-08-07
    authority_deadline: 2026-08-15 17:00
    owner: 招生組
    note: 僅提交已認證之課程學習成果
  submit_performances:
    {start: 2026-08-06, end: 2026-08-20 17:00, self_check: 2026-08-17, authority_deadline: 2026-08-31 17:00, owner: 招生組}
  submit_cadres:
    {start: 2026-07-13, end: 2026-07-24 17:00, self_check: 2026-07-20, owner: 訓育組}
  receipt_confirmation:
    start: 2026-03-09
    end: 2026-08-31 17:00
    self_check: 2026-08-24
    owner: 註冊組
    title: 收訖明細確認
    note: 各類資料提交後，註冊組確認收訖明細；有疑義時與提交單位釐清
events:
  - {type: working_group_meeting, date: 2026-03-05 15:10, title: 114學年度第二學期工作小組會議, held: true}
  - {type: working_group_meeting, date: 2026-06-11 15:10, title: 學年期末檢討會議, held: true}
  - {type: student_training, date: 2026-03-18, title: 高一學習歷程檔案上傳說明（生涯規劃課）, by: counseling_director}
  - {type: teacher_workshop, date: 2026-04-15 13:30, title: 課程學習成果認證與合併請求操作研習}
  - {type: parent_session, date: 2026-05-09 10:00, title: 親職日學習歷程檔案說明}
""",
    "115-1": """# yaml-language-server: $schema=../generator/schemas/schedule.schema.json
# 115學年度第一學期 學習歷程檔案作業期程（教務處規劃，公告於學校網站）
semester: 115-1
term: {start: 2026-08-30, end: 2027-01-20}    # 開學日、休業式
planned_by: huang-shufen
operations:
  outcome_upload:
    start: 2026-09-01
    end: 2027-02-05 17:00          # 休業式後至少開放兩週
    self_check: 2027-01-13
    authority_deadline: 2027-02-10
    owner: 教學組
    title: 課程學習成果上傳
  outcome_certification:
    {start: 2026-09-01, end: 2027-02-12 17:00, self_check: 2027-01-29, owner: 教學組, title: 任課教師認證}
  cadre_entry:
    {start: 2026-09-14, end: 2027-01-22 17:00, self_check: 2027-01-08, owner: 訓育組, title: 幹部經歷登錄}
  grade_entry:
    {start: 2027-01-04, end: 2027-01-29 17:00, self_check: 2027-01-25, owner: 註冊組, title: 學期成績登錄}
  performance_upload:              # 115學年度多元表現上傳（上學期段，下學期續開）
    {start: 115-08-01, end: 2027-01-31 17:00, self_check: 2027-01-15, owner: 招生組}
  submit_enrollment:
    {start: 2026-09-14, end: 2026-10-02 17:00, self_check: 2026-09-25, authority_deadline: 2026-10-15, owner: 註冊組, title: 學籍資料提交中央資料庫}
  receipt_confirmation:
    start: 2026-09-21
    end: 2027-08-31 17:00
    self_check: 2027-08-24
    owner: 註冊組
    title: 收訖明細確認（全學年）
events:
  - {type: working_group_meeting, date: 2026-09-10 15:10, title: 115學年度第一次工作小組會議, held: true}
  - {type: student_training, date: 2026-09-23, title: 高一新生學習歷程系統操作說明（生涯規劃課）, by: counseling_director}
  - {type: teacher_workshop, date: 115/10/21 13:30, title: 新進教師學習歷程認證操作研習}
  - {type: parent_session, date: 2026-11-14 09:30, title: 親師座談會學習歷程檔案說明}
  - {type: working_group_meeting, date: 2026-12-17 15:10, title: 115學年度第二次工作小組會議}
""",
    "115-2": """# yaml-language-server: $schema=../generator/schemas/schedule.schema.json
# 115學年度第二學期 學習歷程檔案作業期程（暫定，依主管機關公告時程調整）
semester: 115-2
term: {start: 2027-02-11, end: 2027-06-30}    # 開學日、休業式
planned_by: huang-shufen
operations:
  outcome_upload:
    {start: 2027-02-22, end: 2027-07-16 17:00, self_check: 2027-06-18, owner: 教學組, title: 課程學習成果上傳}
  outcome_certification:
    {start: 2027-02-22, end: 2027-07-23 17:00, self_check: 2027-07-19, owner: 教學組, title: 任課教師認證}
  cadre_entry:
    {start: 2027-03-01, end: 2027-07-09 17:00, self_check: 2027-06-30, owner: 訓育組}
  grade_entry:
    {start: 2027-06-21, end: 2027-07-09 17:00, self_check: 2027-07-05, owner: 註冊組}
  outcome_selection:
    {start: 2027-07-26, end: 2027-08-06 17:00, self_check: 2027-08-02, owner: 教學組, title: 課程學習成果勾選}
  performance_upload:
    {start: 2027-02-01, end: 2027-08-06 17:00, self_check: 2027-07-30, owner: 招生組}
  performance_selection:
    {start: 2027-07-26, end: 2027-08-13 17:00, self_check: 2027-08-09, owner: 招生組, title: 多元表現勾選}
  submit_grades:
    {start: 2027-07-12, end: 2027-07-30 17:00, self_check: 2027-07-23, authority_deadline: 2027-08-06, owner: 註冊組}
  submit_outcomes:
    {start: 2027-07-26, end: 2027-08-13 17:00, self_check: 2027-08-10, owner: 招生組}
  submit_performances:
    {start: 2027-08-16, end: 2027-08-27 17:00, self_check: 2027-08-23, authority_deadline: 2027-08-31 17:00, owner: 招生組}
  submit_cadres:
    {start: 2027-07-12, end: 2027-07-23 17:00, self_check: 2027-07-20, owner: 訓育組}
events:
  - {type: working_group_meeting, date: 2027-03-11 15:10, title: 115學年度第三次工作小組會議}
  - {type: teacher_workshop, date: 2027-04-14 13:30, title: 學習歷程檔案勾選與提交流程研習}
  - {type: working_group_meeting, date: 2027-06-10 15:10, title: 學年期末檢討會議}
""",
}
