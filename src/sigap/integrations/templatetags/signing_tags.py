"""The officer's form for the last step of a service whose product is signed."""

from __future__ import annotations

from typing import Any

from django import template

from sigap.integrations import services, signing
from sigap.service_requests.models import ServiceRequest

register = template.Library()


@register.simple_tag
def signing_needed(sr: ServiceRequest) -> bool:
    return services.signing_needed(sr)


@register.inclusion_tag("integrations/_signing_form.html", takes_context=True)
def signing_form(context: dict[str, Any], sr: ServiceRequest) -> dict[str, Any]:
    conf = signing.conf()
    enabled = signing.configured_signer() is not None
    return {
        "sr": sr,
        "enabled": enabled,
        "ask_nik": enabled and conf.identity == "nik",
        "csrf_token": context.get("csrf_token"),
    }
