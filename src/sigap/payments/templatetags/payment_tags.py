"""`{% request_payments sr %}`: the payments of a request, as evidence, on the request page."""

from __future__ import annotations

from typing import Any

from django import template

from sigap.payments.models import EVIDENCE_SOURCES
from sigap.payments.selectors import request_payments as payments_of
from sigap.service_requests.models import ServiceRequest

register = template.Library()


@register.inclusion_tag("payments/_evidence.html")
def request_payments(sr: ServiceRequest) -> dict[str, Any]:
    payments = payments_of(sr)
    paid = sum(int(p.amount) for p in payments if p.source in EVIDENCE_SOURCES)
    tariff = int(sr.standard.tariff_rupiah or 0)
    return {
        "sr": sr,
        "payments": payments,
        "paid": paid,
        "tariff": tariff,
        "excess": max(0, paid - tariff),
    }
