"""`sigap backup` / `sigap restore`: one archive with everything an installation needs.

The archive is a tar file:

- `manifest.json`: format version, the database engine, and the SHA-256 and size of every other
  member; `manifest.seal`: an HMAC-SHA256 of the manifest under a key derived from the
  operator's passphrase. Restore checks the seal, then every member against the manifest, and
  refuses the archive before touching anything if one byte differs (a wrong passphrase looks
  the same as a tampered archive, and the message says so).
- `database.pgdump` (PostgreSQL: `pg_dump --format=custom`, one consistent snapshot) or
  `database.sqlite3` (SQLite: the online backup API, consistent while the site runs).
- `analytics/...`: the analytics store (`VAR_DIR/analytics`, Parquet files and the watermark;
  the link to the generation in use is put back on restore).
- `media/...`: uploaded files, when `MEDIA_ROOT` is set (sigap keeps none on disk today: WBS
  evidence is encrypted in the database).
- `keys.enc`: the WBS master key, the audit chain key and the Django secret key, as read by
  sigap itself (`sigap.keys`: the environment, or the demo's labelled file), encrypted with
  AES-256-GCM under a key derived from the passphrase (scrypt, n=2^15, r=8, p=1, random salt).
  Without the passphrase the archive holds the database (whose WBS content is encrypted with
  the master key) but not the keys.

Restore goes into an EMPTY database only (no table), so it never merges into or overwrites a
live installation. The archive is written under a temporary name and renamed when complete: a
full disk or a killed backup leaves no half-written archive behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import connection

from sigap import keys as sigap_keys
from sigap.analytics.refresh import restore_pointer

FORMAT = "sigap-backup"
VERSION = 1
MANIFEST = "manifest.json"
SEAL = "manifest.seal"
KEYS = "keys.enc"
KEYS_AAD = b"sigap-backup keys v1"
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
MIN_PASSPHRASE = 12
CHUNK = 1 << 20


class BackupError(Exception):
    """A clear, operator-facing reason why a backup or restore did not happen."""


# Where things live -----------------------------------------------------------------------------


def analytics_dir() -> Path:
    from sigap.performance.services import store_dir

    return store_dir()


def media_dir() -> Path | None:
    root = getattr(settings, "MEDIA_ROOT", "")
    return Path(root) if root else None


def read_keys() -> dict[str, str]:
    """The installation's keys, read through sigap.keys, the one place that reads them."""
    return {
        "wbs_master_key": sigap_keys.wbs_master_key().hex(),
        "audit_key": sigap_keys.audit_key().decode(),
        "secret_key": str(settings.SECRET_KEY),
    }


# Where a restored key is written (the key files sigap.keys.LEGACY_FILES names, which
# `sigap keys generate` turns into the environment file of a real installation and the demo
# adopts), and the variable that overrides that file.
KEY_HOMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "wbs_master_key": ("SIGAP_WBS_MASTER_KEY", ("keys", "wbs_master_key")),
    "audit_key": ("SIGAP_AUDIT_KEY", ("keys", "audit_key")),
    "secret_key": ("SIGAP_SECRET_KEY", ("secret_key",)),
}


def forget_cached_keys() -> None:
    sigap_keys.forget()


# Passphrase-derived keys ----------------------------------------------------------------------


def _derive(passphrase: str, salt: bytes, params: dict[str, int]) -> tuple[bytes, bytes]:
    """(AES key of keys.enc, HMAC key of the manifest seal)."""
    raw = Scrypt(salt=salt, length=64, **params).derive(passphrase.encode())
    return raw[:32], raw[32:]


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(f"the passphrase must have at least {MIN_PASSPHRASE} characters")


# Backup ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    members: int
    engine: str


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"backup supports PostgreSQL and SQLite, not {vendor}")
    return vendor


def _pg_env() -> dict[str, str]:
    s = connection.settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if s.get(key):
            env[var] = str(s[key])
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])  # in the environment, never on the command line
    if sslmode := (s.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(sslmode)
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client) in the server's major version or newer"
        )
    return path


def _dump_database(engine: str, out: Path) -> None:
    if engine == "postgresql":
        result = subprocess.run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
             "--file", str(out), str(connection.settings_dict["NAME"])],
            env=_pg_env(), capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return
    if connection.in_atomic_block:
        # SQLite's backup would wait forever for this connection's own write lock.
        raise BackupError("a backup cannot run inside a database transaction")
    connection.ensure_connection()
    target = sqlite3.connect(out)
    try:
        connection.connection.backup(target)  # consistent while other processes write
    finally:
        target.close()


def _tree(root: Path | None, prefix: str) -> Iterator[tuple[str, Path]]:
    if root is None or not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        # Temporary files of a running refresh (".events.parquet.xyz") are not part of it.
        if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
            yield f"{prefix}/{path.relative_to(root).as_posix()}", path


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def backup(out: Path, passphrase: str) -> BackupResult:
    """Write the archive to `out` (a file name, or a directory to name it in)."""
    check_passphrase(passphrase)
    engine = _engine()
    out = Path(out)
    if out.is_dir():
        out = out / f"sigap-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.tar"
    if out.exists():
        raise BackupError(f"{out} exists already; a backup never overwrites another")
    salt = os.urandom(16)
    aes_key, seal_key = _derive(passphrase, salt, SCRYPT)
    with tempfile.TemporaryDirectory(prefix="sigap-backup-") as work_dir:
        work = Path(work_dir)
        members: list[tuple[str, Path]] = []
        db_name = "database.pgdump" if engine == "postgresql" else "database.sqlite3"
        _dump_database(engine, work / db_name)
        members.append((db_name, work / db_name))
        nonce = os.urandom(12)
        sealed = nonce + AESGCM(aes_key).encrypt(nonce, json.dumps(read_keys()).encode(), KEYS_AAD)
        (work / KEYS).write_bytes(sealed)
        members.append((KEYS, work / KEYS))
        members += _tree(analytics_dir(), "analytics")
        members += _tree(media_dir(), "media")
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "engine": engine,
            "kdf": {"name": "scrypt", "salt": salt.hex(), **SCRYPT},
            "files": {
                name: {"sha256": _digest(path), "size": path.stat().st_size}
                for name, path in members
            },
        }
        manifest_bytes = json.dumps(manifest, indent=1, sort_keys=True).encode()
        seal = hmac.new(seal_key, manifest_bytes, hashlib.sha256).hexdigest().encode()
        _write_atomically(out, manifest_bytes, seal, members)
    return BackupResult(out, out.stat().st_size, len(members), engine)


def _write_atomically(
    out: Path, manifest: bytes, seal: bytes, members: list[tuple[str, Path]]
) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), 0o600)
            with tarfile.open(fileobj=fh, mode="w", format=tarfile.PAX_FORMAT) as tar:
                for name, data in ((MANIFEST, manifest), (SEAL, seal)):
                    info = tarfile.TarInfo(name)
                    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
                    tar.addfile(info, io.BytesIO(data))
                for name, path in members:
                    info = tar.gettarinfo(str(path), arcname=name)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    info.mode = 0o600
                    with path.open("rb") as src:
                        tar.addfile(info, src)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise BackupError(
            f"could not write {out}: {exc.strerror or exc}; nothing was written "
            "(free some space or choose another place)"
        ) from exc
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


# Restore --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    manifest: dict[str, Any]
    keys: dict[str, str]
    work: Path


@contextlib.contextmanager
def opened(archive: Path, passphrase: str) -> Iterator[Opened]:
    """Check the archive completely (seal, every member's size and hash, the keys' tag) and
    yield its members extracted into a private temporary directory."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such archive")
    try:
        tar = tarfile.open(archive, mode="r:")  # noqa: SIM115 - closed by the `with` below
    except tarfile.TarError as exc:
        raise BackupError(f"{archive} is not a sigap backup archive ({exc})") from exc
    with tar, tempfile.TemporaryDirectory(prefix="sigap-restore-") as work_dir:
        work = Path(work_dir)
        manifest_bytes, seal = _member(tar, MANIFEST), _member(tar, SEAL)
        try:
            manifest = json.loads(manifest_bytes)
            kdf = manifest["kdf"]
            params = {k: int(kdf[k]) for k in ("n", "r", "p")}
            salt = bytes.fromhex(kdf["salt"])
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupError(f"{archive}: the manifest is unreadable") from exc
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise BackupError(f"{archive}: not a sigap backup of version {VERSION}")
        if params != SCRYPT:
            # A tampered manifest could otherwise ask for a ruinously expensive derivation.
            raise BackupError(f"{archive}: unexpected key-derivation parameters")
        aes_key, seal_key = _derive(passphrase, salt, params)
        expected = hmac.new(seal_key, manifest_bytes, hashlib.sha256).hexdigest().encode()
        if not hmac.compare_digest(expected, seal.strip()):
            raise BackupError(
                f"{archive}: the manifest's seal does not match — wrong passphrase, or the "
                "archive was altered. Nothing was restored."
            )
        files: dict[str, dict[str, Any]] = manifest["files"]
        seen: set[str] = set()
        for info in tar:
            if info.name in (MANIFEST, SEAL):
                continue
            unsafe = info.name.startswith("/") or ".." in Path(info.name).parts
            if info.name not in files or not info.isfile() or info.name in seen or unsafe:
                raise BackupError(
                    f"{archive}: unexpected member {info.name!r} (not in the manifest); "
                    "the archive was altered. Nothing was restored."
                )
            seen.add(info.name)
            target = work / "files" / info.name
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(info)
            assert source is not None
            h = hashlib.sha256()
            with target.open("wb") as fh:
                while chunk := source.read(CHUNK):
                    h.update(chunk)
                    fh.write(chunk)
            want = files[info.name]
            if h.hexdigest() != want["sha256"] or target.stat().st_size != want["size"]:
                raise BackupError(
                    f"{archive}: {info.name} does not match its checksum in the manifest; "
                    "the archive is damaged or was altered. Nothing was restored."
                )
        if missing := sorted(set(files) - seen):
            raise BackupError(f"{archive}: members missing: {', '.join(missing)}")
        blob = (work / "files" / KEYS).read_bytes()
        try:
            keys = json.loads(AESGCM(aes_key).decrypt(blob[:12], blob[12:], KEYS_AAD))
        except InvalidTag as exc:
            raise BackupError(f"{archive}: the key material does not decrypt") from exc
        yield Opened(manifest, keys, work / "files")


def _member(tar: tarfile.TarFile, name: str) -> bytes:
    try:
        fh = tar.extractfile(name)
    except KeyError:
        fh = None
    if fh is None:
        raise BackupError(f"{tar.name!s}: {name} is missing; not a sigap backup archive")
    return fh.read()


@dataclass(frozen=True)
class RestoreResult:
    engine: str
    created: str
    files: int
    keys_written: list[str]
    set_aside: list[str]


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _restore_database(engine: str, files: Path) -> None:
    if engine == "postgresql":
        result = subprocess.run(
            [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", "--dbname", str(connection.settings_dict["NAME"]),
             str(files / "database.pgdump")],
            env=_pg_env(), capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        return
    target = str(connection.settings_dict["NAME"])
    connection.close()
    source = sqlite3.connect(files / "database.sqlite3")
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        source.close()
        dest.close()


def _set_aside(path: Path, stamp: str, moved: list[str]) -> None:
    """Never destroy what is there: an older key or store is renamed, not overwritten."""
    if path.exists():
        aside = path.with_name(f"{path.name}.replaced-{stamp}")
        path.rename(aside)
        moved.append(str(aside))


def _restore_tree(source: Path, target: Path, stamp: str, moved: list[str]) -> int:
    if not source.is_dir():
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    shutil.copytree(source, staging, dirs_exist_ok=True)
    if target.exists() and any(target.iterdir()):
        _set_aside(target, stamp, moved)
    elif target.exists():
        target.rmdir()
    staging.rename(target)
    return sum(1 for p in target.rglob("*") if p.is_file())


def _write_keys(keys: dict[str, str], stamp: str, moved: list[str]) -> list[str]:
    written = []
    for name, (_var, parts) in KEY_HOMES.items():
        path = Path(settings.VAR_DIR).joinpath(*parts)
        if name not in keys:
            continue
        with contextlib.suppress(FileNotFoundError):
            if path.read_text().strip() == keys[name]:
                continue
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _set_aside(path, stamp, moved)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(keys[name])
        written.append(str(path))
    forget_cached_keys()
    return written


def key_conflicts(keys: dict[str, str]) -> list[str]:
    """Environment variables that would override a restored key with a different one (a
    different secret key only logs everyone out, so it may stay)."""
    out = []
    for name, (var, _parts) in KEY_HOMES.items():
        value = os.environ.get(var)
        if name == "secret_key":
            continue
        if value is not None and name in keys and value.strip() != keys[name]:
            out.append(var)
    return out


def restore(archive: Path, passphrase: str) -> RestoreResult:
    """Restore the archive into this installation's (empty) database and VAR_DIR."""
    with opened(archive, passphrase) as arc:
        engine = arc.manifest["engine"]
        if engine != _engine():
            raise BackupError(
                f"the archive holds a {engine} database; this installation uses "
                f"{connection.vendor} (set SIGAP_DATABASE_URL)"
            )
        if conflicts := key_conflicts(arc.keys):
            raise BackupError(
                f"{', '.join(conflicts)} is set to a different key than the archive's: unset it "
                "(then `sigap keys generate` turns the restored key files under VAR_DIR into the "
                "service's environment file), or set it to the archived key. Nothing was restored."
            )
        if not _database_is_empty():
            raise BackupError(
                f"the database {connection.settings_dict['NAME']} is not empty: restore only "
                "into a new, empty database. Nothing was restored."
            )
        _restore_database(engine, arc.work)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        moved: list[str] = []
        files = _restore_tree(arc.work / "analytics", analytics_dir(), stamp, moved)
        # The archive keeps the store's files, not its `events.parquet` link to the generation
        # in use: put the link back so the restored store reads as it did.
        restore_pointer(analytics_dir())
        media = media_dir()
        if media is not None:
            files += _restore_tree(arc.work / "media", media, stamp, moved)
        written = _write_keys(arc.keys, stamp, moved)
        return RestoreResult(engine, arc.manifest["created"], files, written, moved)


def keys_to(archive: Path, passphrase: str, out: Path) -> list[Path]:
    """Write only the archived keys, one 0600 file each, into the new or empty folder `out`
    (to move them into the environment file of a new server)."""
    with opened(archive, passphrase) as arc:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True, mode=0o700)
        if any(out.iterdir()):
            raise BackupError(f"{out} is not empty; choose a new folder for the keys")
        written = []
        for name, value in sorted(arc.keys.items()):
            var = KEY_HOMES[name][0] if name in KEY_HOMES else name
            fd = os.open(out / var, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(value + "\n")
            written.append(out / var)
        return written


def verify(archive: Path, passphrase: str) -> dict[str, Any]:
    """Check an archive completely without restoring it; its manifest."""
    with opened(archive, passphrase) as arc:
        return arc.manifest
