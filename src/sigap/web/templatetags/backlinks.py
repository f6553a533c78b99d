"""`{% from_here %}`: the query that lets the page a link opens lead back here (web.backlinks)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template

from sigap.web.backlinks import PARAM

register = template.Library()


@register.simple_tag(takes_context=True)
def from_here(context: dict[str, Any]) -> str:
    request = context.get("request")
    if request is None:
        return ""
    return "?" + urlencode({PARAM: request.get_full_path()})
