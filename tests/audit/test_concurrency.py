"""Concurrent writers queue on the chain head: the chain never forks."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from sigap.audit.chain import verify_chain
from sigap.audit.models import AuditEntry
from sigap.audit.services import audit_record


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("the row lock is PostgreSQL's; SQLite serialises writers (BEGIN IMMEDIATE)")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(20):
                with transaction.atomic():
                    audit_record(actor=f"writer-{n}", action="test.concurrent", data={"i": i})
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEntry.objects.count() == 120
    assert len(set(AuditEntry.objects.values_list("prev_hash", flat=True))) == 120
    assert verify_chain().ok
