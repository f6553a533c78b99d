"""`sigap backup` / `sigap restore`: a small world with a WBS report, audit entries and an
analytics store, backed up, restored into an EMPTY database (a fresh PostgreSQL database or a
new SQLite file) by a separate `sigap` process that has none of the original keys; then
`sigap audit verify` passes and the report opens for its inspector with the restored keys."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from sigap import keys as sigap_keys
from sigap.audit.chain import verify_chain
from sigap.operations import backup as ops
from sigap.performance.services import performance_refresh
from sigap.whistleblowing import services as wbs
from sigap.whistleblowing.files import Evidence
from tests import factories
from tests.conftest import local

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "kuda-benar-baterai-staples"
SECRET = "Petugas loket A meminta uang Rp150.000 di luar tarif resmi"
PDF = b"%PDF-1.4\n% bukti rahasia\n"
# Keys only this test knows: the restoring process gets them from the archive or not at all.
MASTER = os.urandom(32).hex()
AUDIT = os.urandom(32).hex()

OPEN_REPORT = """
import django, json, sys
django.setup()
from django.contrib.auth.models import User
from sigap.whistleblowing.models import Report
from sigap.whistleblowing import services
report = Report.objects.get()
inspector = User.objects.get(username="inspector")
view = services.inspector_read(report=report, user=inspector)
name, mime, body = services.attachment_read(attachment=report.attachments.get(), user=inspector)
print(json.dumps({"what": view.what, "file": name, "body": body.decode()}))
"""


@pytest.fixture
def known_keys(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.VAR_DIR = tmp_path / "var"
    settings.SIGAP = {
        **settings.SIGAP,
        "WBS_ARGON2": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
    }
    monkeypatch.setenv("SIGAP_WBS_MASTER_KEY", MASTER)
    monkeypatch.setenv("SIGAP_AUDIT_KEY", AUDIT)
    ops.forget_cached_keys()
    yield
    monkeypatch.delenv("SIGAP_WBS_MASTER_KEY")
    monkeypatch.delenv("SIGAP_AUDIT_KEY")
    ops.forget_cached_keys()


@pytest.fixture
def empty_target(tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of the same engine: a new SQLite file, or a PostgreSQL
    database created for this test next to the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    s = connection.settings_dict
    name = f"{s['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    user = s.get("USER") or "postgres"
    auth = f"{user}:{s['PASSWORD']}" if s.get("PASSWORD") else user
    server = f"postgresql://{auth}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _sigap_env(db_url: str, var_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SIGAP_WBS_MASTER_KEY", "SIGAP_AUDIT_KEY", "SIGAP_SECRET_KEY")
        and not k.startswith("PYTEST")
    }
    env.update(
        SIGAP_DATABASE_URL=db_url,
        SIGAP_VAR_DIR=str(var_dir),
        SIGAP_BACKUP_PASSPHRASE=PASSPHRASE,
        DJANGO_SETTINGS_MODULE="sigap.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]),
    )
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def _small_world() -> wbs.Report:
    world = factories.build_world()
    for day in (7, 8):
        factories.submit(world, at=local(2025, 7, day, 9))
    report, _receipt = wbs.report_submit(
        unit=world.counter_a,
        what=SECRET,
        when="Maret 2025",
        files=[Evidence("bukti.pdf", "application/pdf", PDF)],
    )
    wbs.inspector_read(report=report, user=world.users["inspector"])  # an audit entry
    wbs.inspector_reply(report=report, user=world.users["inspector"], text="Terima kasih.")
    performance_refresh()  # the analytics store under VAR_DIR, and its result tables
    return report


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_its_keys(
    known_keys: None, empty_target: str, tmp_path: Path
) -> None:
    _small_world()
    assert verify_chain().ok
    store = ops.analytics_dir()
    store_files = _store_files(store)
    assert any(name.startswith("events-") for name in store_files)  # the generation's files
    in_use = os.readlink(store / "events.parquet")

    (tmp_path / "backups").mkdir()
    result = ops.backup(tmp_path / "backups", PASSPHRASE)
    assert result.path.parent == tmp_path / "backups" and result.members >= 4
    assert not list((tmp_path / "backups").glob(".*partial"))
    raw = result.path.read_bytes()
    for secret in (MASTER, AUDIT, SECRET):  # keys encrypted; WBS content sealed in the DB
        assert secret.encode() not in raw

    var = tmp_path / "restored-var"
    env = _sigap_env(empty_target, var)
    restored = _run(env, "-m", "sigap.cli", "restore", str(result.path))
    assert restored.returncode == 0, restored.stderr
    assert "key written" in restored.stdout
    assert (var / "keys" / "wbs_master_key").read_text() == MASTER
    assert oct((var / "keys" / "wbs_master_key").stat().st_mode & 0o777) == "0o600"
    assert _store_files(var / "analytics") == store_files
    assert os.readlink(var / "analytics" / "events.parquet") == in_use  # the link is back

    # As an operator does (docs/deploy.md): the restored key files become the service's
    # environment through `sigap keys generate`, which keeps them.
    made = _run(env, "-m", "sigap.cli", "keys", "generate")
    assert made.returncode == 0, made.stderr
    restored_keys = sigap_keys.parse(made.stdout)
    assert restored_keys["SIGAP_WBS_MASTER_KEY"] == MASTER
    env |= restored_keys
    verified = _run(env, "-m", "sigap.cli", "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("OK: ")
    opened = _run(env, "-c", OPEN_REPORT)
    assert opened.returncode == 0, opened.stderr
    assert json.loads(opened.stdout.splitlines()[-1]) == {
        "what": SECRET,
        "file": "bukti.pdf",
        "body": PDF.decode(),
    }
    # Restoring again is refused: the database is no longer empty.
    again = _run(env, "-m", "sigap.cli", "restore", str(result.path))
    assert again.returncode != 0 and "not empty" in again.stderr


def _store_files(store: Path) -> dict[str, bytes]:
    """Every regular file of an analytics store by its path in the store (links left out)."""
    return {
        p.relative_to(store).as_posix(): p.read_bytes()
        for p in store.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


def _rewrite(archive: Path, change: dict[str, bytes], extra: str = "") -> Path:
    """A copy of the archive with some members' bytes replaced (the rest kept as they were),
    and an `extra` member added."""
    out = archive.with_name("altered.tar")
    with tarfile.open(archive) as src, tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as dst:
        for info in src:
            fh = src.extractfile(info)
            assert fh is not None
            data = change.get(info.name, fh.read())
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
        if extra:
            info = tarfile.TarInfo(extra)
            info.size = 4
            dst.addfile(info, io.BytesIO(b"evil"))
    return out


def _member(archive: Path, name: str) -> bytes:
    with tarfile.open(archive) as tar:
        fh = tar.extractfile(name)
        assert fh is not None
        return fh.read()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_altered_archive_or_a_wrong_passphrase(
    known_keys: None, tmp_path: Path, settings: Any
) -> None:
    factories.build_world()
    archive = ops.backup(tmp_path / "b.tar", PASSPHRASE).path
    assert ops.verify(archive, PASSPHRASE)["engine"] == connection.vendor
    db_name = "database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3"
    dump = bytearray(_member(archive, db_name))
    dump[len(dump) // 2] ^= 0x01

    with pytest.raises(ops.BackupError, match="does not match its checksum"):
        ops.restore(_rewrite(archive, {db_name: bytes(dump)}), PASSPHRASE)

    # Re-computing the checksum in the manifest breaks the manifest's seal instead.
    manifest = json.loads(_member(archive, ops.MANIFEST))
    manifest["files"][db_name]["sha256"] = hashlib.sha256(bytes(dump)).hexdigest()
    forged = json.dumps(manifest, indent=1, sort_keys=True).encode()
    with pytest.raises(ops.BackupError, match="seal does not match"):
        ops.restore(_rewrite(archive, {db_name: bytes(dump), ops.MANIFEST: forged}), PASSPHRASE)

    keys = ops.keys_to(archive, PASSPHRASE, tmp_path / "keys")
    assert {p.name: p.read_text().strip() for p in keys} == {
        "SIGAP_WBS_MASTER_KEY": MASTER,
        "SIGAP_AUDIT_KEY": AUDIT,
        "SIGAP_SECRET_KEY": str(settings.SECRET_KEY),
    }
    assert {oct(p.stat().st_mode & 0o777) for p in keys} == {"0o600"}

    with pytest.raises(ops.BackupError, match="unexpected member"):
        ops.restore(_rewrite(archive, {}, extra="analytics/../../keys/wbs_master_key"), PASSPHRASE)

    with pytest.raises(ops.BackupError, match="wrong passphrase"):
        ops.restore(archive, "not-the-passphrase")
    with pytest.raises(ops.BackupError, match="at least 12"):
        ops.backup(tmp_path / "short.tar", "short")


def test_the_restore_command_explains_a_tampered_archive(tmp_path: Path) -> None:
    """The operator sees one clear line and exit status 1, not a traceback."""
    archive = tmp_path / "x.tar"
    with tarfile.open(archive, "w") as tar:
        for name, data in ((ops.MANIFEST, b"{}"), (ops.SEAL, b"00")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    env = _sigap_env(f"sqlite:///{tmp_path / 'empty.sqlite3'}", tmp_path / "var")
    result = _run(env, "-m", "sigap.cli", "restore", str(archive))
    assert result.returncode == 1
    assert "restore refused" in result.stderr and "Traceback" not in result.stderr
