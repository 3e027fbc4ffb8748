"""`licheng demo`: a fictional school repository with a realistic Git history.

    create_demo(Path("demo"), students=300, seed=1)

builds a NEW repository: records/ and schedules/ of a school of `students` students,
and a history from February 2026 to 2026-11-27 — the offices' direct commits, students'
merge requests (outcomes, performances, selections) merged by their teachers in
GitHub's and GitLab's styles, a few open requests, and a handful of every history
finding planted among them (returned in the summary). Same seed, same repository, down
to the commit ids. The history is written by one `git fast-import` stream.
"""

from __future__ import annotations

import random
import subprocess
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from .. import resources
from ..errors import UsageError
from ..layout import schema_files
from ..git import lfs as lfs_files
from . import split
from .attachments import Attachments
from .content import pdf_bytes, png_bytes
from .history import Direct, Request, write_history
from .people import make_students
from .plants import Planter
from .records import office_events
from .requests import (make_outcomes, make_performances, make_selections, number_requests, outcome_event,
                            performance_event, selection_event)
from .school import build_school

MIN_STUDENTS = 40  # the planted cases each take students of their own
GIT = ["git", "-c", "core.autocrlf=false", "-c", "gc.auto=0", "-c", "checkout.workers=0"]


def create_demo(target: Path, students: int = 300, seed: int = 1, *, lfs: bool = False,
                attachment_mb: tuple[float, float] | None = None, layout: str = "single") -> dict:
    """Create the demo school at `target` (absent or empty); return a summary.
    `layout` "single": one repository at `target`; "split": `target`/portfolio, which every
    student reads, and `target`/registry, which only staff read (records/registry.yaml names
    ../portfolio). `lfs`: attachments in Git LFS (needs git-lfs); `attachment_mb`: a distinct
    attachment of a size in this range per path (benchmarks), instead of one small shared file."""
    started = time.perf_counter()
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FileExistsError(f"{target} exists and is not empty")
    if students < MIN_STUDENTS:  # (the one place that decides; `licheng demo` says it as its usage error)
        raise UsageError(f"--students {students}: 示範學校至少需要 {MIN_STUDENTS} 位學生",
                         en=f"--students {students}: the demo needs at least {MIN_STUDENTS} students")
    if layout not in ("single", "split"):
        raise ValueError(f"layout {layout!r}: single or split")
    rng = random.Random(seed)
    school = build_school(rng, make_students(rng, students))
    outcomes, performances = make_outcomes(school, rng), make_performances(school, rng)
    planter = Planter(school, rng, outcomes, performances)
    planter.plant_outcomes()
    planter.plant_performances()
    selections = make_selections(school, rng, outcomes, performances)
    extra = planter.plant_selections(selections)

    events: list = list(planter.events)
    for item, make in ([(o, outcome_event) for o in outcomes] + [(p, performance_event) for p in performances]):
        item.event = make(school, item)
        events.append(item.event)
    for sel in selections:
        sel.event = selection_event(school, sel, extra.get(sel.student.id, ()))
        events.append(sel.event)
    counts = {"outcomes": sum(1 for o in outcomes if o.semester == "114-2" and o.mode == "merge" and o.merge),
              "performances": sum(1 for p in performances if p.year == 114 and p.merge)}
    office, office_cases = office_events(school, rng, counts, _project_files())
    events += office
    number_requests(events)

    if layout == "single":
        repos = {"single": (target, events, copies_of(events, "single"))}
    else:
        portfolio, registry, copies = split.divide(events, ZoneInfo("Asia/Taipei"),
                                                      {s.name: s.id for s in school.students})
        repos = {"portfolio": (target / "portfolio", portfolio, {k: v.get("portfolio") for k, v in copies.items()}),
                 "registry": (target / "registry", registry, {k: v.get("registry") for k, v in copies.items()})}
    shared = {"pdf": pdf_bytes(), "png": png_bytes()}
    cases, written = [], {}
    for name, (root, repo_events, copy) in repos.items():
        attachments = Attachments(root, shared, lfs=lfs and name != "registry", sizes=attachment_mb, seed=seed)
        first = split.first_files() if name == "registry" else (
            {".gitattributes": lfs_files.ATTRIBUTES.encode()} if lfs else {})
        first = {**first, **schema_files()}
        written[name] = _write(root, repo_events, shared, attachments, first, lfs and name != "registry")
        for case in planter.cases + office_cases:  # a case is in the repository that holds its file
            if (name == "registry") == split.is_registry(case.path) or name == "single":
                event = copy.get(id(getattr(case.event, "event", case.event)))
                if event is not None:
                    cases.append({"code": case.code, "label": case.label, "path": case.path, "repository": name,
                                  "commit": written[name].shas[_mark(event)]})

    planted: dict[str, list[str]] = {}
    for case in cases:
        planted.setdefault(case["code"], []).append(case["path"])
    main = written.get("single") or written["portfolio"]
    return {
        "layout": layout,
        "students": len(school.students),
        "staff": len(school.staff),
        "commits": sum(w.commits for w in written.values()),
        "merges": sum(w.merges for w in written.values()),
        "requests": sum(1 for e in events if isinstance(e, Request)),
        "pending": main.pending,
        "planted": planted,
        "cases": cases,
        "head": main.head,
        "repositories": {name: {"path": str(root), "head": written[name].head, "commits": written[name].commits}
                         for name, (root, _, _) in repos.items()},
        "seconds": round(time.perf_counter() - started, 2),
    }


def copies_of(events: list, name: str) -> dict[int, object]:
    """Every event is its own copy in the single layout."""
    return {id(e): e for e in events}


def _write(root: Path, events: list, shared: dict, attachments: Attachments, first: dict | None, lfs: bool):
    root.mkdir(parents=True, exist_ok=True)
    _git(root, "init", "-q", "-b", "main")
    written = write_history(root, events, shared, attachments, first)
    _git(root, "pack-refs", "--all")
    if lfs:
        _git(root, "lfs", "install", "--local")
    _git(root, "reset", "-q", "--hard", "main")
    written.head = _git(root, "rev-parse", "main").strip()
    return written


def _mark(event) -> int:
    """The commit that carries a case: the landing commit, else the open request's tip."""
    if isinstance(event, Direct):
        return event.commit.mark
    return event.mark or event.commits[-1].mark


def _project_files() -> dict[str, bytes]:
    """mkdocs.yml of this project, when present, for the demo's site (the templates come with licheng)."""
    files = {}
    if resources.path("mkdocs.yml").is_file():
        files["mkdocs.yml"] = resources.read_bytes("mkdocs.yml")
    files[".gitignore"] = b"site/\n__pycache__/\n"
    return files


def _git(target: Path, *args: str) -> str:
    return subprocess.run(GIT + list(args), cwd=target, check=True, capture_output=True, text=True).stdout
