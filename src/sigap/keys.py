"""sigap's key material: which secrets there are, where they live, the one place reading them.

Three secrets, each from its environment variable (never from the database, never in the repo):

    SIGAP_SECRET_KEY      Django's SECRET_KEY: sessions, CSRF tokens, signed values, keyed hashes
    SIGAP_WBS_MASTER_KEY  64 hex digits: derives every WBS inspector's and escrow key
                          (sigap.whistleblowing.crypto); lose it and every report is unreadable
    SIGAP_AUDIT_KEY       the HMAC key of the audit chain (sigap.audit.chain)

Production (SIGAP_DEBUG off) must set all three: `sigap keys generate` prints a fresh set as an
environment file (for systemd's EnvironmentFile=, a container's env file or a secret store).
A missing key is a clear start-up error naming it (`require()`: `sigap serve`, the WSGI
application, `sigap check --deploy`, and each reader below), never a key made up on the spot.

The demo and development use `var/demo-keys.env` (headed "DEMO KEYS — NOT FOR PRODUCTION"),
created on first use and read only in demo mode (`sigap demo`, `sigap serve --demo`) or with
SIGAP_DEBUG on; variables already in the environment win over the file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import MutableMapping
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

SECRET_KEY = "SIGAP_SECRET_KEY"
WBS_MASTER_KEY = "SIGAP_WBS_MASTER_KEY"
AUDIT_KEY = "SIGAP_AUDIT_KEY"
REQUIRED = (SECRET_KEY, WBS_MASTER_KEY, AUDIT_KEY)

DEMO_FILE = "demo-keys.env"
DEMO_HEADER = (
    "# DEMO KEYS — NOT FOR PRODUCTION\n"
    "# Made by `sigap demo` for the demo database under this folder. A real installation sets\n"
    "# its own keys in the environment: `sigap keys generate` (see docs/security.md).\n"
)
# Before key material moved to the environment, sigap wrote these files under var/; an
# installation that has them keeps them (`sigap keys generate` and the demo adopt them), or
# the reports encrypted under the old master key could no longer be opened.
LEGACY_FILES = {
    SECRET_KEY: Path("secret_key"),
    WBS_MASTER_KEY: Path("keys") / "wbs_master_key",
    AUDIT_KEY: Path("keys") / "audit_key",
}


class KeysMissing(ImproperlyConfigured):
    pass


def var_dir() -> Path:
    """SIGAP_VAR_DIR, else ./var: where the embedded database and generated files live."""
    return Path(os.environ.get("SIGAP_VAR_DIR", Path.cwd() / "var")).resolve()


def generate() -> dict[str, str]:
    """A fresh set of keys: 256 bits each (the secret key in the URL-safe form Django expects,
    67 characters, so `check --deploy` finds it strong)."""
    return {
        SECRET_KEY: secrets.token_urlsafe(50),
        WBS_MASTER_KEY: secrets.token_hex(32),
        AUDIT_KEY: secrets.token_hex(32),
    }


def legacy(var: Path) -> dict[str, str]:
    """The keys an earlier version of sigap left under `var` (see LEGACY_FILES)."""
    found = {}
    for name, relative in LEGACY_FILES.items():
        with contextlib.suppress(FileNotFoundError):
            if value := (var / relative).read_text().strip():
                found[name] = value
    return found


def render(values: dict[str, str], header: str = "") -> str:
    return header + "".join(f"{name}={values[name]}\n" for name in REQUIRED if name in values)


def parse(text: str) -> dict[str, str]:
    """NAME=value lines of an environment file; comments and blank lines skipped."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.partition("=")
        values[name.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return values


def write_private(path: Path, text: str) -> str:
    """The text of `path`; created 0600 with `text` when missing. The file appears whole
    (written aside, then hard-linked into place), so a concurrent first start never reads a
    half-written key, and the first writer wins."""
    try:
        return path.read_text()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".new-key-")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.chmod(tmp, 0o600)
        with contextlib.suppress(FileExistsError):  # another process was first: theirs wins
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    return path.read_text()


def demo_file(var: Path | None = None) -> Path:
    return (var or var_dir()) / DEMO_FILE


def use_demo_keys(
    var: Path | None = None, environ: MutableMapping[str, str] | None = None
) -> tuple[Path, list[str]]:
    """Demo mode: fill the keys missing from the environment from var/demo-keys.env (created
    on first use, adopting an earlier version's key files). Returns the file and the names
    taken from it."""
    env = os.environ if environ is None else environ
    path = demo_file(var)
    if not path.exists():
        values = generate() | legacy(path.parent)
        write_private(path, render(values, DEMO_HEADER))
    taken = []
    for name, value in parse(path.read_text()).items():
        if name in REQUIRED and not env.get(name):
            env[name] = value
            taken.append(name)
    return path, taken


def missing(environ: MutableMapping[str, str] | None = None) -> list[str]:
    env = os.environ if environ is None else environ
    return [name for name in REQUIRED if not env.get(name, "").strip()]


def explain(names: list[str]) -> str:
    return (
        f"sigap needs its keys in the environment; missing: {', '.join(names)}. "
        "For a real installation run `sigap keys generate > /etc/sigap/keys.env` (keep it "
        "0600, back it up apart from the database) and load it into the service's "
        "environment (systemd EnvironmentFile=). For the demo run `sigap demo` and "
        "`sigap serve --demo`. See docs/security.md, “Deployment settings”."
    )


def require(environ: MutableMapping[str, str] | None = None) -> None:
    """Raise KeysMissing naming every missing key: the start-up check of a server."""
    if names := missing(environ):
        raise KeysMissing(explain(names))


def _value(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise KeysMissing(explain([name]))
    return value


@cache
def wbs_master_key() -> bytes:
    """The 32-byte WBS master key (SIGAP_WBS_MASTER_KEY, 64 hex digits)."""
    try:
        key = bytes.fromhex(_value(WBS_MASTER_KEY))
    except ValueError:
        key = b""
    if len(key) != 32:
        raise KeysMissing(f"{WBS_MASTER_KEY} must be 64 hex digits (32 bytes)")
    return key


@cache
def audit_key() -> bytes:
    """The HMAC key of the audit chain (SIGAP_AUDIT_KEY)."""
    return _value(AUDIT_KEY).encode()


def forget() -> None:
    """Read the keys again on next use (tests that swap a key)."""
    wbs_master_key.cache_clear()
    audit_key.cache_clear()
