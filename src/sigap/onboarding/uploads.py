"""The uploaded file between the dry run and the apply: kept on the server, never sent back.

Each upload lives in VAR_DIR/onboarding/<token>/ (`data`, the bytes; `meta.json`, who uploaded
it for which agency and import, and the plan shown). The token is random (never a name or path
from the client), listed in the uploader's session and checked against the uploader: another
user, another session or a token that is not ours finds nothing. A kept upload is deleted once
applied, and any older than 24 hours at the next upload.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest

KEEP_SECONDS = 24 * 3600
SESSION_KEY = "onboarding_uploads"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def max_bytes() -> int:
    """SIGAP_ONBOARDING_MAX_MB (default 200): the largest file the page accepts."""
    return int(getattr(settings, "SIGAP", {}).get("ONBOARDING_MAX_MB", 200)) * 1024 * 1024


def root() -> Path:
    return Path(settings.VAR_DIR) / "onboarding"


@dataclass(frozen=True)
class Kept:
    token: str
    path: Path
    meta: dict[str, Any]

    def data(self) -> bytes:
        return (self.path / "data").read_bytes()


def sweep(now: float | None = None) -> int:
    """Delete the kept uploads older than 24 hours; returns how many."""
    base = root()
    if not base.is_dir():
        return 0
    limit = (now if now is not None else time.time()) - KEEP_SECONDS
    removed = 0
    for entry in base.iterdir():
        if entry.is_dir() and entry.stat().st_mtime < limit:
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed


def keep(request: HttpRequest, chunks: Iterable[bytes], meta: dict[str, Any]) -> Kept:
    """Write the upload under a new token bound to this user and session."""
    sweep()
    token = secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-]
    path = root() / token
    path.mkdir(parents=True, mode=0o700)
    with (path / "data").open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
    meta = {**meta, "user": request.user.pk, "created": time.time()}
    (path / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    tokens = list(request.session.get(SESSION_KEY, []))
    request.session[SESSION_KEY] = [*tokens[-19:], token]
    return Kept(token, path, meta)


def save_meta(kept: Kept) -> None:
    (kept.path / "meta.json").write_text(json.dumps(kept.meta, ensure_ascii=False), "utf-8")


def find(request: HttpRequest, token: str) -> Kept | None:
    """The kept upload of this token if it is this user's, in this session, and still here."""
    if not _TOKEN.fullmatch(token) or token not in request.session.get(SESSION_KEY, []):
        return None
    path = root() / token
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("user") != request.user.pk or time.time() - meta.get("created", 0) > KEEP_SECONDS:
        return None
    return Kept(token, path, meta)


def discard(request: HttpRequest, kept: Kept) -> None:
    shutil.rmtree(kept.path, ignore_errors=True)
    request.session[SESSION_KEY] = [
        t for t in request.session.get(SESSION_KEY, []) if t != kept.token
    ]
