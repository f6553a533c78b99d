"""Reads of payments. `paid_by_request` is the one place that says what a request paid."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet, Sum

from sigap.access import Action, scoped
from sigap.payments.models import EVIDENCE_SOURCES, Payment

if TYPE_CHECKING:
    from sigap.access import AnyUser
    from sigap.service_requests.models import ServiceRequest


def paid_by_request(requests: Q | Iterable[int]) -> dict[int, int]:
    """What each request paid: the sum of its reconciled payments from a payment reference
    (e-retribusi, bank, QRIS, numbered cash receipt). Amounts typed at intake do not count.

    `requests` is a Q on ServiceRequest fields, prefixed `request__` (the integrity run passes
    its period), or request ids. Requests without a reconciled payment are absent (paid 0)."""
    qs = Payment.objects.filter(request__isnull=False, source__in=EVIDENCE_SOURCES)
    qs = qs.filter(requests) if isinstance(requests, Q) else qs.filter(request_id__in=requests)
    return {
        pk: int(total)
        for pk, total in qs.order_by().values_list("request_id").annotate(total=Sum("amount"))
    }


def paid_amount(request: ServiceRequest) -> int:
    return paid_by_request([request.pk]).get(request.pk, 0)


def request_payments(request: ServiceRequest) -> list[Payment]:
    """Every payment reconciled to the request, evidence or not, oldest first."""
    return list(request.payments.order_by("paid_at", "pk"))


def unreconciled(user: AnyUser) -> QuerySet[Payment]:
    """Payments in the cashier's units still waiting for their request, oldest first."""
    return (
        scoped(user, Action.PAYMENT_HANDLE, Payment.objects.filter(request__isnull=True))
        .exclude(source="intake")
        .select_related("unit")
        .order_by("paid_at", "pk")
    )


def recent(user: AnyUser) -> QuerySet[Payment]:
    return (
        scoped(user, Action.PAYMENT_HANDLE, Payment.objects.filter(request__isnull=False))
        .exclude(source="intake")
        .select_related("unit", "request")
        .order_by("-reconciled_at", "-pk")
    )
