"""Amounts officers typed at intake survive the removal of the field, as payments that are not
evidence (payments 0002, service_requests 0004)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sigap.payments.models import Payment
from sigap.payments.selectors import paid_amount
from tests import factories
from tests.conftest import local

BEFORE = [("payments", "0001_initial"), ("service_requests", "0003_tracking_lookup")]


@pytest.mark.django_db(transaction=True)
def test_typed_amounts_become_intake_payments_that_are_not_evidence(world):
    typed = factories.submit(world, at=local(2025, 3, 3))
    untyped = factories.submit(world, at=local(2025, 3, 4))
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("service_requests", "ServiceRequest").objects.filter(pk=typed.pk).update(
        amount_paid=50_000
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    (kept,) = Payment.objects.all()
    assert (kept.source, kept.reference, kept.amount) == (
        "intake",
        f"ENTRI-{typed.receipt_code}",
        50_000,
    )
    assert kept.request_id == typed.pk and kept.paid_at == typed.submitted_at
    assert paid_amount(typed) == 0 and paid_amount(untyped) == 0  # never evidence
