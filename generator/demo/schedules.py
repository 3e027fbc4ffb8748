"""Demo school: school.yaml and the three semesters' schedules — the sample school's own, which
satisfy the schedule rules (the demo's history is dated inside their windows). Only audit_since
differs: the demo's whole history is audited."""

from __future__ import annotations

import re
from pathlib import Path

import generator

PROJECT = Path(generator.__file__).resolve().parents[1]


def _sample(path: str) -> str:
    return (PROJECT / path).read_text("utf-8")


SCHEDULES = {semester: _sample(f"schedules/{semester}.yaml") for semester in ("114-2", "115-1", "115-2")}
SCHOOL_YAML = re.sub(r"(?m)^audit_since: .*$", "audit_since: 2025-08-01        # 此日前的 git 歷史不稽核",
                     _sample("records/school.yaml"))
