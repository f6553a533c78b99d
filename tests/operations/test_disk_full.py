"""Fault test: the disk full while writing a file, on a real, tiny filesystem (a tmpfs).

Two places where sigap writes to disk:

- an uploaded file larger than Django's in-memory limit (2.5 MB) is spooled to
  FILE_UPLOAD_TEMP_DIR while the request is read (the HR potential-score CSV import; WBS
  evidence never touches the disk, see docs/security.md);
- `sigap backup` writes its archive.

A full disk gives a clear, retryable answer (503 + Retry-After and a message in both languages;
a one-line command error), and leaves no half-written file behind.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sigap.operations import backup as ops
from tests import factories

SIZE = 512 * 1024


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KiB tmpfs, filled to its last 64 KiB."""
    if os.geteuid() != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("the disk-full test mounts a tmpfs and must run as root under CI")
        pytest.skip("mounting a tmpfs needs root: disk-full test skipped")
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs", str(mount)],
        check=True,
        capture_output=True,
    )
    try:
        filler = mount / "filler"
        filler.write_bytes(b"\0" * (SIZE - 64 * 1024))
        yield mount
    finally:
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)  # a file is open
            pytest.fail("a file on the full disk was still open after the test")


def _left(mount: Path) -> list[str]:
    return sorted(p.name for p in mount.iterdir() if p.name != "filler")


@pytest.mark.django_db
def test_an_upload_on_a_full_disk_gets_a_clear_retryable_error(
    full_disk: Path, settings: object
) -> None:
    world = factories.build_world()
    settings.FILE_UPLOAD_TEMP_DIR = str(full_disk)  # type: ignore[attr-defined]
    client = Client(raise_request_exception=False)
    client.force_login(world.users["hr"])
    upload = ("nip,score,source\n" + "199001012015031001,3,uji\n" * 120_000).encode()
    assert len(upload) > 2_621_440  # beyond the in-memory limit: spooled to disk
    reply = client.post(
        "/kinerja/potensi/",
        {"year": 2025, "file": SimpleUploadedFile("potensi.csv", upload, "text/csv")},
    )
    assert reply.status_code == 503
    assert reply["Retry-After"] == "60"
    text = reply.content.decode()
    assert "Penyimpanan server sedang penuh" in text and "storage is full" in text
    assert _left(full_disk) == []


@pytest.mark.django_db(transaction=True)
def test_a_backup_on_a_full_disk_fails_clearly_and_leaves_no_partial_archive(
    full_disk: Path,
) -> None:
    factories.build_world()
    with pytest.raises(ops.BackupError, match=r"No space left on device.*nothing was written"):
        ops.backup(full_disk / "sigap.tar", "kuda-benar-baterai-staples")
    assert _left(full_disk) == []
