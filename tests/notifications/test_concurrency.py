"""Parallel senders (cron runs that overlap) never send one message twice."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection

from sigap.notifications.channels import GatewayChannel
from sigap.notifications.models import Outbox, State
from sigap.notifications.sender import drain
from tests import factories
from tests.conftest import local
from tests.notifications.fake_gateway import running


@pytest.mark.django_db(transaction=True)
def test_parallel_senders_each_take_other_messages(settings):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite claims one after another (IMMEDIATE)")
    world = factories.build_world()
    for n in range(120):
        factories.submit(world, at=local(2025, 3, 3, 8) + timedelta(minutes=n))
    errors: list[BaseException] = []
    counts: list[Counter[str]] = []
    with running() as gateway:
        gateway.plan.extend(["500", "ok", "ok", "timeout", "ok"] * 6)  # some failures, early
        gateway.slow_seconds = 0.4
        start = threading.Barrier(3)

        def sender() -> None:
            try:
                channel = GatewayChannel(url=gateway.url, token=gateway.token, timeout=0.2)
                start.wait()
                counts.append(drain(channels={"whatsapp": channel}, batch=7))
            except BaseException as exc:  # reported below, in the test's thread
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=sender) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        # Every message went to the gateway exactly once in this round, failures included.
        keys = [m["message"] for m in gateway.received]
        assert len(keys) == len(set(keys)) == 120
        assert sum(c["sent"] + c["retrying"] for c in counts) == 120
        assert sum(1 for c in counts if c["sent"]) >= 2, counts  # they really ran side by side
        delivered = [m["message"] for m in gateway.delivered]
        assert len(delivered) == len(set(delivered))
    states = Counter(Outbox.objects.values_list("state", flat=True))
    assert states[State.SENT] == len(delivered) and states[State.SENDING] == 0
    assert states[State.SENT] + states[State.RETRYING] == 120
