"""licheng's cache: parse results (and small attachments' first bytes) keyed by Git blob id, the
commits of the history pass keyed by commit id, and files parsed as they stood at a commit
(generator.git.committed) — inputs only, never a rule's finding (every rule runs on every
validation). The one judgment it keeps is a blob's own schema verdict when it is clean: the kinds
whose schema the blob's parse matched without a finding (checking one blob against a schema is
type-checked parsing); a blob with schema errors is checked afresh every run.

It lives outside the repository ($LICHENG_CACHE_DIR, else $XDG_CACHE_HOME/licheng or
~/.cache/licheng), one folder per repository. A cache file is JSON (the history's body is
MessagePack, through msgspec: quicker to decode), formats that cannot run code, and is ignored —
the run validates from scratch, just as right — when it is

- corrupt or truncated, or not signed with this cache directory's own key (a crafted file);
- written by another version of licheng (its code or schemas), beside another PyYAML or
  fastjsonschema (whose parses and clean verdicts it keeps), or for another repository;
- in a folder inside the repository (a committed cache would be a stranger's), or in a folder
  that is read-only, writable by others, or not the user's own.

What a file claims is checked against Git before it is used: a parse result only serves a file
whose blob id Git reports for its working copy (an attachment's first bytes only one of the size
they were read at, from a file that was its blob byte for byte), and a cached history only serves a head that
descends from the head it was read at and holds exactly that head's commit count.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import math
import os
import stat
from pathlib import Path

import msgspec

from .yaml import Mapping, Sequence

_PACKAGE = Path(__file__).resolve().parent
FORMAT = 2


def base() -> Path:
    return Path(os.environ.get("LICHENG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "licheng"))


# (project variable, checkout folder variable) of the CI services that check a project out to a
# folder that changes from job to job (GitLab: /builds/<runner>/<concurrent job>/<group>/<project>)
CI_PROJECTS = (("CI_PROJECT_PATH", "CI_PROJECT_DIR"), ("GITHUB_REPOSITORY", "GITHUB_WORKSPACE"))


def repository_key(root: Path, environ=os.environ) -> str:
    """Which repository a cache belongs to: its folder on this machine, or in CI the project and
    the folder within its checkout (a job's checkout moves, so its path alone would never find the
    cache the job before it saved; the registry's job also checks out its portfolio within it)."""
    where = str(Path(root).resolve())
    for project, folder in CI_PROJECTS:
        name, top = environ.get(project), environ.get(folder)
        if name and top:
            try:
                inside = Path(where).relative_to(Path(top).resolve())
            except ValueError:
                continue
            where = f"{project}={name}:{inside.as_posix()}"
            break
    return hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def directory(root: Path) -> Path:
    return base() / repository_key(root)


# the libraries whose output the cache keeps: PyYAML's parses, fastjsonschema's clean verdicts (a
# checkout compiles the schemas with it at the run; a wheel's generated validators are licheng's)
LIBRARIES = ("yaml", "fastjsonschema")


@functools.lru_cache(maxsize=1)
def version_key() -> str:
    """Changes whenever licheng's code or schemas change, or the libraries whose output it keeps."""
    digest = hashlib.sha256()
    files = []
    for folder, dirs, names in os.walk(_PACKAGE):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        rel = Path(folder).relative_to(_PACKAGE).as_posix()
        files += [(rel, name) for name in names if name.endswith((".py", ".json"))]
    for rel, name in sorted(files):
        digest.update(f"{rel}/{name}".encode())
        with open(os.path.join(_PACKAGE, rel, name), "rb") as fh:
            digest.update(fh.read())
    _libraries(digest)
    return digest.hexdigest()[:16]


def _libraries(digest) -> None:
    """Each library of LIBRARIES as its files say (found, not imported: a warm run imports neither):
    its modules' text, the name and size of its other files (libyaml's compiled parser)."""
    import importlib.util

    for library in LIBRARIES:
        try:
            spec = importlib.util.find_spec(library)
        except (ImportError, ValueError):
            spec = None
        top = os.path.dirname(spec.origin) if spec is not None and spec.origin else None
        digest.update(f"\0{library}:{top}".encode("utf-8", "surrogateescape"))
        try:
            names = sorted(os.listdir(top)) if top else []
        except OSError:
            names = []
        for name in names:
            path = os.path.join(top, name)
            try:
                if name.endswith(".py"):
                    with open(path, "rb") as fh:
                        digest.update(f"\0{name}\0".encode("utf-8", "surrogateescape") + fh.read())
                elif os.path.isfile(path):
                    digest.update(f"\0{name}\0{os.path.getsize(path)}".encode("utf-8", "surrogateescape"))
            except OSError:
                digest.update(f"\0{name}\0?".encode("utf-8", "surrogateescape"))


def _own_private_dir(path: Path) -> bool:
    """A directory of this user's that only they can write to, and that they can write to."""
    try:
        st = path.lstat()
    except OSError:
        return False
    return (stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid()
            and not st.st_mode & 0o022 and bool(st.st_mode & stat.S_IWUSR))


def usable_directory(root: Path) -> Path | None:
    """This repository's cache folder (made if absent), or None where it must not be used."""
    folder = directory(root)
    try:
        resolved, repo = folder.resolve(), Path(root).resolve()
    except OSError:
        return None
    if resolved == repo or repo in resolved.parents:
        return None  # inside the repository: anyone who can commit could plant it
    if not folder.exists():
        try:
            folder.mkdir(parents=True, mode=0o700)
        except OSError:
            return None
    return folder if _own_private_dir(folder) and _own_private_dir(folder.parent) else None


def _key(folder: Path) -> bytes | None:
    """The signing key of the cache base directory, made on first use (readable by its user only)."""
    path = folder.parent / "key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "w") as fh:
            import secrets  # (made once per cache folder: no run but the first pays its import)

            fh.write(secrets.token_hex(32))
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            key = fh.read(200).strip()
    except OSError:
        return None
    if st.st_uid != os.geteuid() or st.st_mode & 0o077 or len(key) < 32:
        return None
    return key


def _header(root: Path, name: str) -> dict:
    return {"format": FORMAT, "licheng": version_key(), "repository": repository_key(root), "name": name}


BESIDE_FROM = 1 << 20  # body bytes from which its signature is checked in a thread, beside the decoding


def read(root: Path, name: str, type=None):
    """The body of cache file `name` (a dict, or an instance of `type`: a msgspec Struct the
    body is decoded into), or None when it is absent, or must be ignored."""
    folder = usable_directory(root)
    key = folder and _key(folder)
    if not key:
        return None
    try:
        with open(folder / name, "rb") as fh:
            raw = fh.read()
        end = raw.find(b"\n")
        if end < 0:
            return None
        header = json.loads(raw[:end])
        body = memoryview(raw)[end + 1:]  # (not a copy: the history is 23 MB at 3,000 students)
        mac = header.pop("mac")
        if not isinstance(mac, str) or header != _header(root, name):
            return None
        if len(body) < BESIDE_FROM:
            if not hmac.compare_digest(mac, _mac(key, header, body)):
                return None
            value = _loads(body, type)
        else:
            value = _verified_beside(key, header, body, mac, type)
    except (OSError, ValueError, KeyError, AttributeError, TypeError, RecursionError):
        return None  # (msgspec's errors, a body that does not fit `type` too, are ValueErrors)
    return value if isinstance(value, type or dict) else None


def _verified_beside(key: bytes, header: dict, body: bytes, mac: str, type=None):
    """The decoded body, its signature computed meanwhile in a thread (hashing a large buffer
    releases the GIL: at 1,000 students the 7.7 MB history costs ~0.012 s to sign and ~0.03 s to
    decode). What was decoded is used only when the signature matches; the thread has ended when
    this returns (no thread may be running when the run forks its children)."""
    import threading

    signed: list[str] = []
    signer = threading.Thread(target=lambda: signed.append(_mac(key, header, body)))
    signer.start()
    try:
        value = _loads(body, type)
    finally:
        signer.join()
    if not signed or not hmac.compare_digest(mac, signed[0]):
        return None
    return value


def _loads(body: bytes, type=None):
    """JSON, through msgspec (twice as fast) where it can read it; the standard library reads
    what msgspec refuses (NaN and the lone surrogates of a file name that is no UTF-8). A body
    that is no JSON object or array is MessagePack (`write`'s `binary`)."""
    if bytes(body[:1]) not in (b"{", b"["):
        return msgspec.msgpack.decode(body) if type is None else msgspec.msgpack.decode(body, type=type)
    try:
        return msgspec.json.decode(body) if type is None else msgspec.json.decode(body, type=type)
    except msgspec.ValidationError:
        raise
    except msgspec.DecodeError:
        value = json.loads(bytes(body))
        return value if type is None else msgspec.convert(value, type)


def _dumps(value, plain: bool) -> bytes:
    if plain:  # strings, integers, lists, mappings and Structs of them: msgspec writes them as json would
        try:
            return msgspec.json.encode(value)
        except (TypeError, UnicodeEncodeError, OverflowError):
            value = msgspec.to_builtins(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def _binary(value) -> bytes | None:
    try:
        return msgspec.msgpack.encode(value)
    except (TypeError, UnicodeEncodeError, OverflowError):
        return None


def _mac(key: bytes, header: dict, body: bytes) -> str:
    signer = hmac.new(key, json.dumps(header, sort_keys=True).encode() + b"\n", hashlib.sha256)
    signer.update(body)  # (not joined to the header first: a copy of the whole body)
    return signer.hexdigest()


def write(root: Path, name: str, value, *, plain: bool = False, binary: bool = False) -> None:
    """`value`: a dict, or (`plain` or `binary` only) a msgspec Struct. `plain`: the value holds no
    NaN or infinity (msgspec would write them as null), so msgspec may write it. `binary`: written as
    MessagePack (a value that holds no NaN either), or as JSON where that cannot hold it (a string
    that is no UTF-8)."""
    folder = usable_directory(root)
    key = folder and _key(folder)
    if not key:
        return  # a read-only or unsafe place: validation still runs, only without a cache
    try:
        body = _binary(value) if binary else None
        if body is None:
            body = _dumps(value, plain or binary)
    except (TypeError, ValueError, UnicodeError):
        return
    header = _header(root, name)
    header["mac"] = _mac(key, header, body)
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(json.dumps(header).encode() + b"\n" + body)
        os.replace(tmp, folder / name)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass


# -- parse results: YAML trees with their line numbers, as JSON ----------------------------


def pack(data):
    """A parsed YAML tree as JSON lists: [0, line, key, key line, value, …] for a mapping,
    [1, line, item lines, item, …] for a sequence; scalars as they are. TypeError when the
    tree holds something JSON cannot (bytes, sets) or that msgspec would not write as itself (a
    NaN or an infinity, from YAML's `.nan` and `.inf`): such a file is simply not cached, and
    what is cached msgspec writes exactly."""
    if isinstance(data, Mapping):
        out = [0, getattr(data, "line", None)]
        lines = getattr(data, "key_lines", None) or {}
        for key, value in data.items():
            if not _scalar(key):
                raise TypeError(key)
            out += (key, lines.get(key), pack(value))
        return out
    if isinstance(data, Sequence):
        return [1, getattr(data, "line", None), list(getattr(data, "item_lines", None) or ()), *map(pack, data)]
    if _scalar(data):
        return data
    raise TypeError(type(data).__name__)


def _scalar(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, (str, int, bool))


def unpack(value):
    if not isinstance(value, list):
        return value
    # (scalars, most of a tree, are taken as they are rather than through a call each)
    if value[0] == 0:
        data = Mapping()
        data.line, lines = value[1], {}
        data.key_lines = lines
        for i in range(2, len(value), 3):
            key, line, item = value[i], value[i + 1], value[i + 2]
            data[key] = unpack(item) if type(item) is list else item
            if line is not None:
                lines[key] = line
        return data
    data = Sequence([unpack(v) if type(v) is list else v for v in value[3:]])
    data.line, data.item_lines = value[1], value[2]
    return data
