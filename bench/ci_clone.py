"""Benchmark: what CI fetches for a merge request, with and without Git LFS, on demo schools
with realistic attachments (a distinct 0.5–2 MB file per attachment).

    python bench/ci_clone.py [--students 300] [--mb 0.5 2] [--dir DIR]

Makes two demo schools of the same seed — attachments in Git, and in Git LFS — and, in the same
run, clones each from a file:// remote the way the CI templates do:
  full      git clone (the whole history, every version of every attachment)
  partial   git clone --filter=blob:limit=256k (no LFS: the history without old attachment
            versions; the checkout fetches the current ones)
  lfs       GIT_LFS_SKIP_SMUDGE=1 git clone (pointers only), then `git lfs pull --include` of
            one open request's own files
and prints bytes received (the clone's .git/objects, plus .git/lfs) and seconds, then validate
times for the request in the LFS clone: with no cache, and with the cache a run on main wrote
(restored as CI restores it, into a fresh clone at the same path).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator import cache  # noqa: E402
from generator.demo import create_demo  # noqa: E402

NOW = "2026-11-28 12:00"
SKIP = {**os.environ, "GIT_LFS_SKIP_SMUDGE": "1"}


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def timed(command: list[str], env=None, cwd=None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=cwd)
    return time.perf_counter() - start


def clone(source: Path, target: Path, *extra: str, env=None) -> tuple[float, int]:
    shutil.rmtree(target, ignore_errors=True)
    seconds = timed(["git", "clone", "-q", *extra, f"file://{source}", str(target)], env=env)
    return seconds, size(target / ".git" / "objects") + size(target / ".git" / "lfs")


def validate(root: Path, *extra: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "generator", "validate", "-C", str(root), "--now", NOW,
                           "--format", "json", *extra], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr)
    return time.perf_counter() - start


def mb(n: int) -> str:
    return f"{n / 2**20:9.1f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--mb", type=float, nargs=2, default=(0.5, 2.0))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", help="keep the schools here (reused when present)")
    parser.add_argument("--lfs-only", action="store_true",
                        help="only the LFS school: a pointer clone does not depend on the attachments' sizes, so a"
                             " large school can be measured with small objects (e.g. --students 3000 --mb 0.001 0.002)")
    args = parser.parse_args()
    work = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="licheng-ci-"))
    os.environ["LICHENG_CACHE_DIR"] = str(work / "cache")
    schools = {}
    for kind in ("lfs",) if args.lfs_only else ("plain", "lfs"):
        root = schools[kind] = work / f"school-{kind}"
        if not (root / ".git").exists():
            s = create_demo(root, args.students, args.seed, lfs=kind == "lfs", attachment_mb=tuple(args.mb))
            print(f"demo {kind:5}: {s['students']} students, {s['commits']} commits, {s['seconds']:.0f} s, "
                  f"repository {mb(size(root / '.git'))}", flush=True)
    ci = work / "ci"
    if not args.lfs_only:
        subprocess.run(["git", "-C", str(schools["plain"]), "config", "uploadpack.allowFilter", "true"], check=True)
        files = [p for p in (schools["plain"] / "records").rglob("*") if p.suffix in (".pdf", ".png")]
        print(f"attachments in the working tree: {len(files)}, {mb(sum(p.stat().st_size for p in files))}")
        full = clone(schools["plain"], ci)
        partial = clone(schools["plain"], ci, "--filter=blob:limit=256k")
    pointers = clone(schools["lfs"], ci, env=SKIP)
    subprocess.run(["git", "-C", str(ci), "fetch", "-q", "origin", "+refs/pull/*/head:refs/pull/*/head",
                    "+refs/merge-requests/*/head:refs/merge-requests/*/head"], check=True, env=SKIP)
    pending = subprocess.run(["git", "-C", str(ci), "for-each-ref", "--no-merged", "main", "--format=%(refname)",
                              "refs/pull", "refs/merge-requests"], capture_output=True, text=True).stdout.split()
    ref = pending[0]
    own = subprocess.run(["git", "-C", str(ci), "diff", "--name-only", "--diff-filter=AM", f"main...{ref}"],
                         capture_output=True, text=True).stdout.split()
    print(f"\n{'clone':34} {'received':>12} {'seconds':>8}")
    if not args.lfs_only:
        print(f"{'full (no LFS)':34} {mb(full[1]):>12} {full[0]:8.2f}")
        print(f"{'partial --filter=blob:limit=256k':34} {mb(partial[1]):>12} {partial[0]:8.2f}")
    print(f"{'LFS pointers (GIT_LFS_SKIP_SMUDGE)':34} {mb(pointers[1]):>12} {pointers[0]:8.2f}")
    subprocess.run(["git", "-C", str(ci), "checkout", "-q", "--detach", ref], check=True, env=SKIP)
    before = size(ci / ".git" / "lfs")
    pull = timed(["git", "-C", str(ci), "lfs", "pull", "--include=" + ",".join(own)], env=SKIP)
    print(f"{'+ git lfs pull of the request':34} {mb(size(ci / '.git' / 'lfs') - before):>12} {pull:8.2f}"
          f"   ({len(own)} files of {ref})")
    if not args.lfs_only:
        print(f"ratio LFS clone / full clone:      bytes {pointers[1] / full[1]:6.1%}   time {pointers[0] / full[0]:6.1%}")
        print(f"ratio partial clone / full clone:  bytes {partial[1] / full[1]:6.1%}   time {partial[0] / full[0]:6.1%}")

    # the cache: a run on main writes it; CI saves it, and restores it into the next fresh clone
    shutil.rmtree(cache.base(), ignore_errors=True)
    subprocess.run(["git", "-C", str(ci), "checkout", "-q", "main"], check=True, env=SKIP)
    main_run = validate(ci)
    saved = work / "saved-cache"
    shutil.rmtree(saved, ignore_errors=True)
    shutil.copytree(cache.base(), saved)
    clone(schools["lfs"], ci, env=SKIP)
    subprocess.run(["git", "-C", str(ci), "fetch", "-q", "origin", f"+{ref}:{ref}"], check=True, env=SKIP)
    subprocess.run(["git", "-C", str(ci), "checkout", "-q", "--detach", ref], check=True, env=SKIP)
    subprocess.run(["git", "-C", str(ci), "lfs", "pull", "--include=" + ",".join(own)], check=True, env=SKIP)
    cold = validate(ci, "--no-cache", "--base", "origin/main")
    shutil.rmtree(cache.base(), ignore_errors=True)
    shutil.copytree(saved, cache.base())
    warm = validate(ci, "--base", "origin/main")
    print(f"\nvalidate on main, writing the cache:   {main_run:7.2f} s")
    print(f"check the request (--base), no cache:  {cold:7.2f} s")
    print(f"check the request, restored cache:     {warm:7.2f} s  = {warm / cold:.1%} of no cache")
    if not args.dir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
