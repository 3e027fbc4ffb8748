"""`licheng codeowners`: write CODEOWNERS so the platform asks the people the rules name.

The text comes from generator.git.codeowners; `licheng validate` warns (codeowners.stale) when
the committed file no longer matches the records.
"""

from __future__ import annotations

import sys

from ..git.codeowners import committed, generate  # noqa: F401  (generate: its old home)


def add_arguments(parser) -> None:
    parser.add_argument("--out", help="輸出路徑，- 為標準輸出（預設為現有的 CODEOWNERS，或依平臺 .github/ 或 .gitlab/）"
                                      " / path, or - for stdout")


def run(args) -> bool:
    from ..errors import UsageError
    from .common import out_folder, refuse_links, say, school_records, school_root

    root = school_root(args.repo)
    records = school_records(root, args.now, with_history=False)
    text = generate(records)
    out = args.out
    if out is None:
        existing = committed(root)
        kind = (records.school.get("platform") or {}).get("kind")
        out = existing[0] if existing else (".gitlab/CODEOWNERS" if kind == "gitlab" else ".github/CODEOWNERS")
    if out == "-":
        sys.stdout.write(text)
    else:
        target = root / out
        if target.is_dir():
            raise UsageError(f"--out {out}: 是資料夾，請給檔名", en=f"--out {out}: is a folder; give a file name")
        out_folder(str(target.parent), root=root)
        refuse_links(root, target, "--out")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        say(args, f"{target}: {text.count(chr(10))} 行", f"{target}: {text.count(chr(10))} lines")
    return True
