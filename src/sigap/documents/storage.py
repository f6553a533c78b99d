"""The folder of documents: written atomically, read by name, never reachable by URL."""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings


def root() -> Path:
    path = Path(settings.DOCUMENTS_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def path_of(stored_name: str) -> Path:
    if not stored_name.isalnum():  # a random hex name: never a path from outside
        raise ValueError("bad stored name")
    return root() / stored_name[:2] / stored_name


def write(data: bytes) -> str:
    """Store `data` under a new random name and return the name. The file appears whole or
    not at all (written to a temporary file in the same folder, then renamed)."""
    name = secrets.token_hex(16)
    target = path_of(name)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return name


def remove(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)


def stored_names(*, older_than_seconds: float = 0) -> set[str]:
    """Names of the stored files last written more than `older_than_seconds` ago."""
    limit = time.time() - older_than_seconds
    return {
        p.name
        for p in root().glob("*/*")
        if p.is_file() and not p.name.startswith(".") and p.stat().st_mtime <= limit
    }


# Other apps that keep files here (training certificates) name their live files, so that the
# sweep of orphan files keeps them. Registered from the app's AppConfig.ready.
_OWNERS: list[Callable[[], Iterable[str]]] = []


def register_owner(live_names: Callable[[], Iterable[str]]) -> None:
    """Let an app other than documents store files here: `live_names` returns its stored names
    that rows still refer to."""
    if live_names not in _OWNERS:
        _OWNERS.append(live_names)


def owned_elsewhere() -> set[str]:
    """The stored names the registered apps still refer to."""
    return {name for owner in _OWNERS for name in owner()}
