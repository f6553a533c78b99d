"""Make sure the PostgreSQL server for the test suite answers.

Exit 0: reachable (started here if it was down and this machine can start it).
Exit 3: not reachable, leg skipped (a developer machine without PostgreSQL).
Exit 1: not reachable under CI=true, where the PostgreSQL leg is required.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg


def reachable(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("select 1")
        return True
    except psycopg.OperationalError:
        return False


def try_start() -> None:
    """Start a Debian-packaged cluster (pg_ctlcluster), if this machine has one."""
    if not shutil.which("pg_ctlcluster") or not Path("/etc/postgresql").is_dir():
        return
    for version in sorted(os.listdir("/etc/postgresql")):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            check=False,
            capture_output=True,
        )


def main(url: str) -> int:
    if reachable(url):
        return 0
    try_start()
    for _ in range(20):
        if reachable(url):
            print("PostgreSQL was down and has been started.")
            return 0
        time.sleep(0.5)
    if os.environ.get("CI", "").lower() == "true":
        print(
            f"PostgreSQL is required under CI=true but does not answer at {url}.", file=sys.stderr
        )
        return 1
    print(
        f"SKIPPED the PostgreSQL leg: no server answers at {url}. "
        "Start PostgreSQL (or set PG_URL=...) to run the suite on it too."
    )
    return 3


if __name__ == "__main__":
    raise SystemExit(
        main(sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/test")
    )
