"""Production settings: the keys are required, HTTPS is one switch, `check --deploy` is clean.

The settings are read once per process, so what depends on the environment at start-up runs
in a subprocess with exactly the environment under test.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import sigap
from sigap import keys

SRC = str(Path(sigap.__file__).resolve().parents[1])
HOSTS = "sigap.example.go.id,.layanan.example.go.id"


def run(tmp_path: Path, code: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """`python <code>` with sigap's settings and only the SIGAP_* variables given."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SIGAP_", "DJANGO_"))}
    clean.update(
        DJANGO_SETTINGS_MODULE="sigap.settings",
        PYTHONPATH=os.pathsep.join([SRC, clean.get("PYTHONPATH", "")]),
        SIGAP_VAR_DIR=str(tmp_path / "var"),
        **env,
    )
    return subprocess.run(
        [sys.executable, *code], env=clean, cwd=tmp_path, capture_output=True, text=True
    )


def production(**extra: str) -> dict[str, str]:
    return {**keys.generate(), "SIGAP_HTTPS": "true", "SIGAP_ALLOWED_HOSTS": HOSTS, **extra}


def settings_of(tmp_path: Path, **env: str) -> dict[str, object]:
    names = [
        "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER", "CSRF_TRUSTED_ORIGINS",
    ]  # fmt: skip
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    done = run(tmp_path, ["-c", code], **env)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    done = run(
        tmp_path, ["-m", "django", "check", "--deploy", "--fail-level", "WARNING"], **production()
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_names_the_missing_keys(tmp_path):
    env = production()
    del env["SIGAP_WBS_MASTER_KEY"], env["SIGAP_AUDIT_KEY"]
    done = run(tmp_path, ["-m", "django", "check", "--deploy"], **env)
    assert done.returncode != 0
    assert "sigap.E001" in done.stderr
    assert "SIGAP_WBS_MASTER_KEY, SIGAP_AUDIT_KEY" in done.stderr
    assert "sigap keys generate" in done.stderr


def test_without_its_keys_the_application_does_not_start(tmp_path):
    done = run(tmp_path, ["-c", "import sigap.wsgi"], SIGAP_ALLOWED_HOSTS=HOSTS)
    assert done.returncode != 0
    for name in ("SIGAP_SECRET_KEY", "SIGAP_WBS_MASTER_KEY", "SIGAP_AUDIT_KEY"):
        assert name in done.stderr
    assert "sigap keys generate" in done.stderr
    # ... and nothing was made up on the spot, in the var folder or anywhere else
    assert not (tmp_path / "var" / "secret_key").exists()
    assert not (tmp_path / "var" / "keys").exists()
    assert not (tmp_path / "var" / keys.DEMO_FILE).exists()


def test_with_its_keys_the_application_starts(tmp_path):
    done = run(tmp_path, ["-c", "import sigap.wsgi"], **production())
    assert done.returncode == 0, done.stderr


def test_https_is_one_switch(tmp_path):
    on = settings_of(tmp_path, **production())
    assert on == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "CSRF_TRUSTED_ORIGINS": [
            "https://sigap.example.go.id",
            "https://*.layanan.example.go.id",
        ],
    }
    off = settings_of(tmp_path, **{**production(), "SIGAP_HTTPS": "false"})
    assert not any(
        off[n]
        for n in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
                  "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER", "CSRF_TRUSTED_ORIGINS")
    )  # fmt: skip


def test_the_demo_keys_are_made_once_labelled_and_private(tmp_path):
    env: dict[str, str] = {"SIGAP_SECRET_KEY": "from-the-environment"}
    path, taken = keys.use_demo_keys(tmp_path, env)
    assert path == tmp_path / "demo-keys.env"
    assert path.read_text().startswith("# DEMO KEYS — NOT FOR PRODUCTION")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert taken == ["SIGAP_WBS_MASTER_KEY", "SIGAP_AUDIT_KEY"]  # the environment wins
    assert env["SIGAP_SECRET_KEY"] == "from-the-environment" and keys.missing(env) == []
    again: dict[str, str] = {}
    keys.use_demo_keys(tmp_path, again)
    assert again["SIGAP_WBS_MASTER_KEY"] == env["SIGAP_WBS_MASTER_KEY"]  # kept, not remade
    assert len(bytes.fromhex(again["SIGAP_WBS_MASTER_KEY"])) == 32


def test_a_demo_made_by_an_earlier_version_keeps_its_keys(tmp_path):
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "wbs_master_key").write_text("ab" * 32)
    (tmp_path / "secret_key").write_text("older-secret")
    env: dict[str, str] = {}
    keys.use_demo_keys(tmp_path, env)
    assert env["SIGAP_WBS_MASTER_KEY"] == "ab" * 32 and env["SIGAP_SECRET_KEY"] == "older-secret"


def test_serve_refuses_to_start_without_keys(monkeypatch):
    for name in keys.REQUIRED:
        monkeypatch.delenv(name)
    monkeypatch.setattr(os, "execvp", _no_exec)
    with pytest.raises(CommandError, match="SIGAP_SECRET_KEY, SIGAP_WBS_MASTER_KEY"):
        call_command("serve")


def test_serve_demo_uses_the_labelled_demo_keys(monkeypatch, tmp_path, db):
    for name in keys.REQUIRED:
        monkeypatch.delenv(name)
    monkeypatch.setenv("SIGAP_VAR_DIR", str(tmp_path))
    started: list[list[str]] = []
    monkeypatch.setattr(os, "execvp", lambda _file, argv: started.append(argv))
    out = StringIO()
    call_command("serve", "--demo", stdout=out)
    assert started and "granian" in started[0]
    assert "DEMO MODE" in out.getvalue() and "NOT FOR PRODUCTION" in out.getvalue()
    assert "SIGAP_SECRET_KEY, SIGAP_WBS_MASTER_KEY, SIGAP_AUDIT_KEY" in out.getvalue()
    # the server processes inherit the environment: the demo file's keys are in it
    demo = keys.parse((tmp_path / "demo-keys.env").read_text())
    assert all(os.environ[name] == demo[name] for name in keys.REQUIRED)
    keys.forget()  # the next tests read the suite's own keys again


def test_the_cli_reads_demo_keys_only_in_demo_mode():
    from sigap.cli import is_demo

    assert is_demo(["demo"]) and is_demo(["serve", "--demo"]) and is_demo(["demo", "--rebuild"])
    assert not is_demo(["serve"]) and not is_demo(["migrate"]) and not is_demo([])


def test_keys_generate_prints_a_strong_set(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGAP_VAR_DIR", str(tmp_path))
    out = StringIO()
    call_command("keys", "generate", stdout=out)
    values = keys.parse(out.getvalue())
    assert set(values) == set(keys.REQUIRED)
    assert len(values["SIGAP_SECRET_KEY"]) >= 50 and len(set(values["SIGAP_SECRET_KEY"])) >= 5
    assert len(bytes.fromhex(values["SIGAP_WBS_MASTER_KEY"])) == 32
    assert len(bytes.fromhex(values["SIGAP_AUDIT_KEY"])) == 32
    second = StringIO()
    call_command("keys", "generate", stdout=second)
    assert keys.parse(second.getvalue())["SIGAP_SECRET_KEY"] != values["SIGAP_SECRET_KEY"]


def test_keys_generate_keeps_an_installations_older_keys(tmp_path, monkeypatch):
    """Reports encrypted under the master key an earlier version left in var/keys/ must stay
    readable: its keys are printed, not fresh ones (unless --fresh)."""
    monkeypatch.setenv("SIGAP_VAR_DIR", str(tmp_path))
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "wbs_master_key").write_text("cd" * 32)
    out = StringIO()
    call_command("keys", "generate", stdout=out)
    assert keys.parse(out.getvalue())["SIGAP_WBS_MASTER_KEY"] == "cd" * 32
    fresh = StringIO()
    call_command("keys", "generate", "--fresh", stdout=fresh)
    assert keys.parse(fresh.getvalue())["SIGAP_WBS_MASTER_KEY"] != "cd" * 32


def test_a_missing_or_malformed_master_key_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("SIGAP_WBS_MASTER_KEY")
    keys.forget()
    try:
        with pytest.raises(keys.KeysMissing, match="SIGAP_WBS_MASTER_KEY"):
            keys.wbs_master_key()
        monkeypatch.setenv("SIGAP_WBS_MASTER_KEY", "not hex")
        with pytest.raises(keys.KeysMissing, match="64 hex digits"):
            keys.wbs_master_key()
    finally:
        monkeypatch.undo()
        keys.forget()


def _no_exec(_file: str, argv: list[str]) -> None:
    raise AssertionError(f"the server was started: {argv}")


def test_the_settings_docstring_lists_every_environment_variable():
    """Every SIGAP_* name the code reads is documented where an operator looks first."""
    import re

    from sigap import settings as module

    package = Path(sigap.__file__).parent
    used = {
        name
        for path in package.rglob("*.py")
        if "migrations" not in path.parts
        for name in re.findall(r"\bSIGAP_[A-Z0-9_]+\b", path.read_text(encoding="utf-8"))
    }
    documented = set(re.findall(r"\bSIGAP_[A-Z0-9_]+\b", module.__doc__ or ""))
    assert used - documented == set()
    assert "SIGAP_HTTPS" in documented and "SIGAP_TRUSTED_PROXIES" in documented
