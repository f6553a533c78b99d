"""`{% siasn_flags employee as siasn %}`: which SIASN buttons a page may show.

A template tag, so the competency pages show the buttons without importing the integrations
(which build on the competency records: an import the other way would be a cycle)."""

from __future__ import annotations

from typing import Any

from django import template

from sigap.integrations.siasn import siasn_conf

register = template.Library()


@register.simple_tag
def siasn_flags(employee: Any) -> dict[str, bool]:
    conf = siasn_conf()
    return {
        "pull": conf.enabled,
        "push": conf.enabled and conf.write_training and bool(getattr(employee, "pns_id", "")),
    }
