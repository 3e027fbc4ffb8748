"""Codes the loader and the schema checker report (no check function of their own)."""

from ..rule import WARNING, declare

declare(
    "yaml.syntax",
    "§5",
    {
        "": "YAML 語法錯誤，這一行附近的寫法無法解讀；請檢查冒號後的空格、縮排與引號是否成對",
        "fullwidth-colon": "第 {at} 行用了全形冒號「：」；鍵與值之間請改用半形冒號加一個空格（例：title: 我的報告）",
        "tab": "第 {at} 行用 Tab 鍵縮排；YAML 只能用空格縮排，請把 Tab 換成空格",
        "indent": "縮排不一致：同一層的鍵要對齊，下一層要比上一層多縮排幾個空格，清單項目「- 」也要對齊",
        "value-colon": "值裡有「: 」（冒號加空格）；含冒號的文字請用引號括起來（例：title: \"主題: 植物\"）",
        "unclosed": "引號或括號沒有成對：以 ' 或 \" 開頭的文字要用同一種引號結尾",
        "after-quote": "引號結束後同一行還有文字：整個值要放在一對引號內，引號不要重複（例：title: \"主題 植物\"）",
        "brackets": "方括號「[ ]」或大括號沒有成對，或項目之間少了逗號",
        "character": "值不可用 @、` 等符號開頭；請用引號把整個值括起來",
        "alias": "用了「*名稱」參照，卻找不到對應的「&名稱」；請直接寫出值",
        "documents": "一個檔案只能有一份資料；請刪除多出的「---」分隔線與其後的內容",
        "tag": "紀錄不使用 YAML 標記「{tag}」；請刪除「!」開頭的標記，直接寫值",
        "number": "數字太長（{digits} 位數）；若是代碼或編號，請用引號括起來",
        "nesting": "巢狀層次太深，不像是一筆紀錄",
        "key": "鍵必須是簡單的文字，不能是清單或對照",
    },
    {
        "": "YAML syntax error: {detail}",
        "fullwidth-colon": "line {at} has a full-width colon '：'; separate a key from its value with ': ' (e.g. title: my report)",
        "tab": "line {at} is indented with a tab; YAML indents with spaces only",
        "indent": "inconsistent indentation ({detail}): keys of one level must line up, the next level is indented further",
        "value-colon": "a value contains ': '; put text with a colon in quotes (e.g. title: \"Topic: plants\")",
        "unclosed": "a quote or bracket is not closed ({detail})",
        "after-quote": "text follows the closing quote on the same line: put the whole value in one pair of quotes, not doubled (e.g. title: \"Topic plants\")",
        "brackets": "a bracket [ ] or a brace is not closed, or a comma is missing between items",
        "character": "a value cannot start with @ or `; put the whole value in quotes",
        "alias": "an alias '*name' has no matching anchor '&name'; write the value itself",
        "documents": "a file holds one document; remove the extra '---' and what follows",
        "tag": "records use no YAML tag '{tag}'; remove the tag and write the value",
        "number": "a number of {digits} digits; put a code or number in quotes",
        "nesting": "nested too deeply for a record",
        "key": "a key must be plain text, not a list or mapping",
    },
)
declare(
    "yaml.duplicate-key",
    "§5",
    "重複的鍵「{key}」（第 {first} 行已出現）；整個檔案因此未讀取（不知道該用哪一個），請刪除其中之一",
    "duplicate key '{key}' (already on line {first}); the whole file is not read (which one is meant?): remove one of them",
)
declare(
    "yaml.encoding",
    "§5",
    {"": "檔案不是 UTF-8 編碼（看起來是 {encoding}）；請用 UTF-8 另存新檔",
     "unknown": "檔案不是 UTF-8 編碼（從這一行起有 UTF-8 無法讀取的位元組）；請用 UTF-8 另存新檔"},
    {"": "the file is not UTF-8 (it looks like {encoding}); save it again as UTF-8",
     "unknown": "the file is not UTF-8 (from this line on it holds bytes UTF-8 cannot read); save it again as UTF-8"},
)
declare(
    "yaml.aliases",
    "§5",
    "別名（alias）展開後超過 {limit} 個節點，可能是惡意的「billion laughs」檔案，未讀取",
    "aliases expand to more than {limit} nodes (a 'billion laughs' file?); not read",
)
declare(
    "yaml.too-large",
    "§5",
    "檔案超過 {limit_kb} KB，不像是一筆紀錄，未讀取",
    "the file is larger than {limit_kb} KB, which no record is; not read",
)
declare(
    "file.filtered",
    "§5",
    "Git 取出這個紀錄檔時會改寫其內容（屬性 {attribute}），讀到的不是 Git 存的內容，因此未讀取；"
    "紀錄必須以純文字存在 Git 中：請從 .gitattributes 刪除對這個檔案設定的這個屬性",
    "Git rewrites this record when it checks it out (attribute {attribute}): the file on disk is not what Git "
    "holds, so it is not read; a record is plain text in Git: remove that attribute for it from .gitattributes",
)
declare("yaml.unreadable", "§5", "無法讀取檔案：{detail}", "cannot read the file: {detail}")
declare(
    "schema.invalid",
    "§5",
    {
        "": "{where}：{detail}",
        "empty": "檔案是空的",
        "type": "{where} 應為{zh_type}",
        "required": "{where} 缺少必填欄位「{field}」",
        "enum": "{where} 的值「{value}」不在允許的選項中（{limit}）",
        "pattern": "{where} 的值「{value}」格式不符",
        "form": "{where} 的值「{value}」格式不符，應為{form}",
        "format": "{where} 的值「{value}」不是可辨識的日期或時間（例：2026-09-01、115-09-01 08:00）",
        "date": "{where} 的值「{value}」不是可辨識的日期（例：2026-09-01 或民國 115/09/01）",
        "minLength": "{where} 不可為空",
        "maxLength": "{where} 太長（至多 {limit} 字）",
        "range": "{where} 的值 {value} 超出範圍（{limit}）",
        "minItems": "{where} 至少要有 {limit} 項",
        "uniqueItems": "{where} 有重複的項目",
    },
    {
        "": "{where}: {detail}",
        "empty": "the file is empty",
        "type": "{where} must be {en_type}",
        "required": "{where} lacks the required key '{field}'",
        "enum": "{where}: '{value}' is not one of the allowed values ({limit})",
        "pattern": "{where}: '{value}' is not in the expected form",
        "form": "{where}: '{value}' is not in the expected form: {form}",
        "format": "{where}: '{value}' is not a date or time (e.g. 2026-09-01, 115-09-01 08:00)",
        "date": "{where}: '{value}' is not a date (e.g. 2026-09-01, or ROC 115/09/01)",
        "minLength": "{where} must not be empty",
        "maxLength": "{where} is too long (at most {limit} characters)",
        "range": "{where}: {value} is out of range ({limit})",
        "minItems": "{where} needs at least {limit} item(s)",
        "uniqueItems": "{where} has duplicate items",
    },
)
declare(
    "schema.unknown-key",
    "§5",
    "未知的欄位「{key}」，將被忽略（拼字錯誤？）",
    "unknown key '{key}' is ignored (a typo?)",
    severity=WARNING,
)
_OWN_FOLDER = ("放在這裡不會被讀取、也不會被計入：請移到學生自己的資料夾 {where}/學號/ 裡，"
               "成為 {where}/學號/{file}（各類紀錄的位置與格式：{formats}）")
_OWN_FOLDER_EN = ("is neither read nor counted here: move it into the student's own folder {where}/<student number>/, "
                  "as {where}/<student number>/{file} (where each kind goes: {formats})")
declare(
    "layout.unknown-file",
    "§5",
    {
        "": "這個位置不應有這個檔案；紀錄檔放在 records/ 的各類資料夾，副檔名用 .yaml（各類紀錄的位置與格式：{formats}）",
        "outcome": "課程學習成果" + _OWN_FOLDER,
        "performance": "多元表現" + _OWN_FOLDER,
    },
    {
        "": "no record belongs at this path; records live in the folders of records/ and end in .yaml (where each "
            "kind goes: {formats})",
        "outcome": "a course learning outcome " + _OWN_FOLDER_EN,
        "performance": "a diverse performance " + _OWN_FOLDER_EN,
    },
    severity=WARNING,
)
_RENAME = "；請改名，否則這個檔案不會被讀取、也不會被計入（各類紀錄的檔名規則：{formats}）"
_RENAME_EN = "; rename it, or it is neither read nor counted (the naming rules: {formats})"
declare(
    "layout.misnamed",
    "§5",
    {
        "": "檔名「{name}」不符命名規則：副檔名須為小寫 .yaml" + _RENAME,
        "outcome": "檔名「{name}」不符命名規則：成果的檔名只能用小寫英文字母、數字與連字號（-），以字母或數字開頭，"
                   "副檔名為小寫 .yaml，例如 plant-report.yaml" + _RENAME,
        "performance": "檔名「{name}」不符命名規則：多元表現的檔名只能用小寫英文字母、數字與連字號（-），以字母或數字開頭，"
                       "副檔名為小寫 .yaml，例如 beach-cleanup.yaml" + _RENAME,
        "student": "檔名「{name}」不符命名規則：檔名須為學號加 .yaml，例如 1150101.yaml" + _RENAME,
        "semester": "檔名「{name}」不符命名規則：檔名須為學期加 .yaml，例如 115-1.yaml" + _RENAME,
        "working-group": "檔名「{name}」不符命名規則：檔名須為學年度加 .yaml，例如 115.yaml" + _RENAME,
        "counseling": "檔名「{name}」不符命名規則：檔名須為課程諮詢教師的代號加 .yaml，例如 chen-yijun.yaml" + _RENAME,
    },
    {
        "": "the file name '{name}' breaks the naming rule: the extension is a lower-case .yaml" + _RENAME_EN,
        "outcome": "the file name '{name}' breaks the naming rule: an outcome's name has lower-case letters, digits "
                   "and hyphens, starts with a letter or digit and ends in .yaml, e.g. plant-report.yaml" + _RENAME_EN,
        "performance": "the file name '{name}' breaks the naming rule: a performance's name has lower-case letters, "
                       "digits and hyphens, starts with a letter or digit and ends in .yaml, e.g. beach-cleanup.yaml"
                       + _RENAME_EN,
        "student": "the file name '{name}' breaks the naming rule: the student number and .yaml, e.g. 1150101.yaml"
                   + _RENAME_EN,
        "semester": "the file name '{name}' breaks the naming rule: the semester and .yaml, e.g. 115-1.yaml" + _RENAME_EN,
        "working-group": "the file name '{name}' breaks the naming rule: the school year and .yaml, e.g. 115.yaml"
                         + _RENAME_EN,
        "counseling": "the file name '{name}' breaks the naming rule: the course counselor's id and .yaml, "
                      "e.g. chen-yijun.yaml" + _RENAME_EN,
    },
)
declare(
    "file.symlink",
    "§5",
    "符號連結（指向 {target}）不會被讀取；請放入實際檔案",
    "a symbolic link (to {target}) is never followed; commit the file itself",
)
declare(
    "internal.error",
    "§5",
    "licheng 檢查「{rule}」時發生內部錯誤（{detail}），請回報；其他檢查照常進行",
    "internal error in check '{rule}' ({detail}); please report it; the other checks ran",
)
