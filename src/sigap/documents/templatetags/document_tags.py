"""`{% request_documents sr %}`: the documents of a request on its staff page."""

from __future__ import annotations

from typing import Any

from django import template

from sigap.access import Action, can
from sigap.documents.models import Document, Purpose
from sigap.service_requests.models import ServiceRequest, Status

register = template.Library()


@register.inclusion_tag("documents/_request_documents.html", takes_context=True)
def request_documents(context: dict[str, Any], sr: ServiceRequest) -> dict[str, Any]:
    user = context["request"].user
    docs = list(Document.objects.filter(request=sr).order_by("uploaded_at", "pk"))
    return {
        "sr": sr,
        "products": [d for d in docs if d.purpose == Purpose.PRODUCT],
        # A signed product comes with the last step (sigap.integrations), never on its own.
        "may_attach": sr.status != Status.REJECTED
        and not sr.standard.product_signed
        and can(user, Action.REQUEST_PROCESS, sr.unit),
        "csrf_token": context.get("csrf_token"),
    }
