"""How fast the sender drains the outbox to a local fake WhatsApp gateway, against a bare loop.

    PYTHONPATH=src .venv/bin/python bench/notify_drain.py [--messages 10000] [--database-url URL]

Default database: a fresh SQLite file in a temporary directory (a PostgreSQL URL works too; the
database is emptied of messages first, so never point it at real data). The fake gateway
(tests/notifications/fake_gateway.py, http.server, keep-alive) runs in its own process. Two
runs against the same gateway, in this order:

- bare: the same number of POSTs through the same adapter (`GatewayChannel.send`), no database;
- drain: `sigap.notifications.sender.drain` over N queued messages: claim in batches, send,
  record each outcome (what `sigap notify send` does).

Prints messages/s of each, the ratio drain/bare, and checks that the gateway got every message
exactly once (exit status 1 otherwise). Target (issue 13): drain ≥ 500 messages/s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-token"


def _setup(database_url: str) -> None:
    var = Path(tempfile.mkdtemp(prefix="sigap-bench-notify-"))
    os.environ["SIGAP_VAR_DIR"] = str(var)
    os.environ["SIGAP_DATABASE_URL"] = database_url or f"sqlite:///{var / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sigap.settings"
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    from sigap import keys

    keys.use_demo_keys(var)  # labelled demo keys, in the temporary directory
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _gateway() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.notifications.fake_gateway", TOKEN],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def _stats(url: str) -> dict[str, int]:
    with urllib.request.urlopen(url.rsplit("/", 1)[0] + "/stats", timeout=10) as reply:
        return json.load(reply)


def _queue(n: int) -> None:
    from django.utils import timezone

    from sigap.notifications.models import Outbox

    Outbox.objects.all().delete()
    now = timezone.now()
    rows = [
        Outbox(
            idempotency_key=f"bench:{i}", event="received", recipient=f"0812{i:08d}",
            channel="whatsapp", template_key="request.received", created_at=now,
            next_attempt_at=now,
            text=f"SIGAP: permohonan Penerbitan KTP-el Anda sudah terdaftar, kode B{i:09d}. "
            f"Pantau di: https://sigap.contoh.go.id/lacak/B{i:09d}/",
        )
        for i in range(n)
    ]  # fmt: skip
    Outbox.objects.bulk_create(rows, batch_size=1000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)
    _setup(args.database_url)
    from django.db import connection

    from sigap.notifications.channels import GatewayChannel
    from sigap.notifications.models import Outbox, State
    from sigap.notifications.sender import drain

    proc, url = _gateway()
    try:
        n = args.messages
        channel = GatewayChannel(url=url, token=TOKEN, timeout=10)
        start = time.perf_counter()
        for i in range(n):
            outcome = channel.send(f"0812{i:08d}", f"bare {i}")
            assert outcome.ok, outcome
        bare = time.perf_counter() - start
        _queue(n)
        before = _stats(url)
        start = time.perf_counter()
        counts = drain(channels={"whatsapp": channel})
        took = time.perf_counter() - start
        channel.close()
        after = _stats(url)
    finally:
        proc.terminate()
        proc.wait()
    sent = Outbox.objects.filter(state=State.SENT).count()
    got = after["delivered"] - before["delivered"]
    unique_new = after["unique"] - before["unique"]
    result = {
        "database": connection.vendor,
        "messages": n,
        "bare_per_s": round(n / bare),
        "drain_per_s": round(n / took),
        "ratio": round((n / took) / (n / bare), 2),
        "sent": sent,
        "gateway_got": got,
        "duplicates": got - unique_new,
        "counts": dict(counts),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "notify_drain.json").write_text(json.dumps(result, indent=2))
    ok = sent == n == got and result["duplicates"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
