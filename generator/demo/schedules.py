"""Demo school: school.yaml and the three semesters' schedules — the sample school's own, which
satisfy the schedule rules (the demo's history is dated inside their windows). `history:` is never
copied (only the tool's own repository may skip the audit): the demo's audit starts at its own
first commit that sets audit_since, and everything after it is audited."""

from __future__ import annotations

import re

from .. import layout, resources


def _sample(path: str) -> str:
    """The sample's file, its schema line pointing where a school keeps the schemas."""
    return resources.read_text(path).replace("generator/schemas/", f"{layout.SCHEMA_DIR}/", 1)


SCHEDULES = {semester: _sample(f"schedules/{semester}.yaml") for semester in ("114-2", "115-1", "115-2")}
SCHOOL_YAML = re.sub(r"(?m)^history:.*\n?", "", re.sub(
    r"(?m)^audit_since: .*$", "audit_since: 2026-02-01        # 開始以本系統管理的日子；設定它的第一個提交之後的歷史皆受稽核",
    _sample("records/school.yaml")))
