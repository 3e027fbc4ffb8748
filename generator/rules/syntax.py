"""Codes the loader and the schema checker report (no check function of their own)."""

from ..rule import WARNING, declare

declare("yaml.syntax", "§5", "YAML 語法錯誤：{detail}", "YAML syntax error: {detail}")
declare(
    "yaml.duplicate-key",
    "§5",
    "重複的鍵「{key}」（第 {first} 行已出現）；YAML 只會保留最後一個，請刪除其中之一",
    "duplicate key '{key}' (already on line {first}); YAML keeps only the last one, remove one of them",
)
declare(
    "yaml.encoding",
    "§5",
    "檔案不是 UTF-8 編碼（看起來是 {encoding}）；請用 UTF-8 另存新檔",
    "the file is not UTF-8 (it looks like {encoding}); save it again as UTF-8",
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
        "format": "{where} 的值「{value}」不是可辨識的日期或時間（例：2026-09-01、115-09-01 08:00）",
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
        "format": "{where}: '{value}' is not a date or time (e.g. 2026-09-01, 115-09-01 08:00)",
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
declare(
    "layout.unknown-file",
    "§5",
    "這個位置不應有這個檔案（見 DESIGN.md 的目錄結構；YAML 副檔名請用 .yaml）",
    "no record belongs at this path (see the layout in DESIGN.md; YAML files end in .yaml)",
    severity=WARNING,
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
