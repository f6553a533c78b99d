"""Deployment checks of sigap's own (`sigap check --deploy`), next to Django's."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from sigap import keys


@register(Tags.security, deploy=True)
def keys_present(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    names = keys.missing()
    if not names:
        return []
    return [Error(keys.explain(names), id="sigap.E001")]


@register(Tags.security, deploy=True)
def https_switch(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    # Django's own warnings (W004, W008, W012, W016) name its settings; this names sigap's.
    if getattr(settings, "HTTPS", False):
        return []
    return [
        Warning(
            "SIGAP_HTTPS is off: cookies are sent over plain HTTP, no HSTS, no redirect.",
            hint="Serve sigap behind a TLS reverse proxy that sets X-Forwarded-Proto and set "
            "SIGAP_HTTPS=true (docs/security.md, “Deployment settings”).",
            id="sigap.W001",
        )
    ]
