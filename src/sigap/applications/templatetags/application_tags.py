"""`{% request_requirements sr %}`: each requirement of a request's standard with what was
received: the uploaded file, the typed answer, the declaration, or "checked at the counter"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from sigap.applications.models import OnlineApplication
from sigap.catalogue.requirements import InvalidRequirements, Kind, parse_requirements
from sigap.documents.models import Document, Purpose
from sigap.service_requests.models import Channel, ServiceRequest

register = template.Library()


@dataclass(frozen=True)
class Received:
    name: str
    kind: str
    documents: list[Document]
    answer: str
    declared: bool
    at_counter: bool
    optional: bool


@register.inclusion_tag("applications/_requirements.html")
def request_requirements(sr: ServiceRequest) -> dict[str, Any]:
    try:
        requirements = parse_requirements(sr.standard.requirements)
    except InvalidRequirements:
        requirements = []
    online = OnlineApplication.objects.filter(request=sr).first()
    answers = online.answers if online is not None else {}
    docs = list(Document.objects.filter(request=sr, purpose=Purpose.REQUIREMENT).order_by("pk"))
    rows = [
        Received(
            name=r.name,
            kind=r.kind.value,
            documents=[d for d in docs if d.requirement == r.name],
            answer=str(answers.get(r.key, "")) if r.kind is Kind.FIELD else "",
            declared=bool(answers.get(r.key)) if r.kind is Kind.STATEMENT else False,
            at_counter=sr.channel == Channel.COUNTER,
            optional=r.optional,
        )
        for r in requirements
    ]
    return {"sr": sr, "rows": rows, "online": online}
