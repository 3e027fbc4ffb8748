"""Signed certification (`certification.evidence: signed`): who signed each merge on main.

licheng writes an allowed-signers file from staff.yaml `signing_keys` (SSH keys; principal: the
staff id) and school.yaml `platform.signing_key`, in a temporary folder outside the repository,
and asks git once for the signature of every merge still unknown (`%G?`, `%GF`, `%GS` of one
`git log --no-walk --stdin`). GPG keys are named by fingerprint and need to be in the keyring
of whoever validates. Verdicts are cached by commit id, as JSON in the user's cache folder, for
as long as the signing keys stay the same.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

from .. import cache

PLATFORM = "platform@licheng"  # the platform key's principal: no staff id contains '@'
_SSH = re.compile(r"^(ssh-|ecdsa-|sk-)\S+ \S+")
_CACHE = "signatures.json"


def _keys(records) -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    """(principal, SSH key) pairs, and principal -> GPG fingerprints (upper case)."""
    ssh: list[tuple[str, str]] = []
    gpg: dict[str, set[str]] = {}
    platform_key = (records.school.get("platform") or {}).get("signing_key")
    owners = [(sid, p.get("signing_keys") or ()) for sid, p in records.staff.items()]
    owners.append((PLATFORM, [platform_key] if platform_key else []))
    for principal, keys in owners:
        for key in keys:
            key = " ".join(str(key).split())
            if _SSH.match(key):
                ssh.append((principal, " ".join(key.split()[:2])))
            elif re.fullmatch(r"[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40}", key):
                gpg.setdefault(principal, set()).add(key.upper())
    return ssh, gpg


def _signing_keys(records):
    """The school's signing keys, read once per run (every outcome's verdict asks for them)."""
    return records.memo("signing-keys", lambda: _keys(records))


def _allowed_signers(ssh: list[tuple[str, str]]) -> str:
    return "".join(f'{principal} namespaces="git" {key}\n' for principal, key in ssh)


def verdicts(records, shas: list[str]) -> dict[str, tuple[str, str, str]]:
    """commit id -> (%G?, fingerprint, SSH principal) for `shas`, from the cache or one git pass."""
    ssh, _ = _signing_keys(records)
    signers = _allowed_signers(ssh)
    digest = hashlib.sha256(signers.encode()).hexdigest()
    stored = cache.read(records.root, _CACHE) or {}
    known = stored.get("verdicts") if stored.get("signers") == digest else None
    known = known if isinstance(known, dict) else {}
    out = {sha: tuple(known[sha]) for sha in shas if isinstance(known.get(sha), list) and len(known[sha]) == 3}
    missing = [sha for sha in shas if sha not in out]
    if missing:
        out.update(_ask_git(records.root, signers, missing))
        known.update({sha: list(out[sha]) for sha in missing if sha in out})
        cache.write(records.root, _CACHE, {"signers": digest, "verdicts": known})
    return out


def _ask_git(root: Path, signers: str, shas: list[str]) -> dict[str, tuple[str, str, str]]:
    import tempfile  # only a school that signs needs it (its import is a tenth of a start-up)

    with tempfile.TemporaryDirectory(prefix="licheng-signers-") as tmp:
        allowed = Path(tmp) / "allowed_signers"
        allowed.write_text(signers or "\n", "utf-8")
        proc = subprocess.run(
            ["git", "-C", str(root), "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log", "--no-walk=unsorted",
             "--stdin", "--format=%H%x1f%G?%x1f%GF%x1f%GS%x1e"],
            input="\n".join(shas) + "\n", capture_output=True, text=True, errors="replace")
    out = {}
    for record in proc.stdout.split("\x1e"):
        parts = record.strip("\n").split("\x1f")
        if len(parts) == 4:
            out[parts[0]] = (parts[1], parts[2], parts[3])
    return out


def signed_by(records, commit, staff_id: str | None, verdict: tuple[str, str, str] | None) -> str | None:
    """'certifier' when the merge carries a good signature by `staff_id`'s key, 'platform' by the
    platform's key, else None."""
    if not verdict:
        return None
    status, fingerprint, principal = verdict
    if fingerprint.startswith("SHA256:"):  # SSH: good only with a key in the allowed signers
        if status != "G":
            return None
        return "platform" if principal == PLATFORM else ("certifier" if principal and principal == staff_id else None)
    if status not in ("G", "U") or not fingerprint:  # GPG: the key must be one the school listed
        return None
    _, gpg = _signing_keys(records)
    fpr = fingerprint.upper()
    for principal, listed in gpg.items():
        if any(fpr.endswith(k) for k in listed) and principal in (staff_id, PLATFORM):
            return "platform" if principal == PLATFORM else "certifier"
    return None
