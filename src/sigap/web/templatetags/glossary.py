"""`{% explain "key" %}`: "what does this mean" for one figure; `{% glossary "a" "b" ... %}`:
the explanations of the figures of a table, under it. Both are <details> elements: they open
with a click or the keyboard without JavaScript (sigap.web.glossary holds the words)."""

from __future__ import annotations

from typing import Any

from django import template

from sigap.web.glossary import entry

register = template.Library()


@register.inclusion_tag("web/_explain.html")
def explain(key: str) -> dict[str, Any]:
    return {"entry": entry(key)}


@register.inclusion_tag("web/_glossary.html")
def glossary(*keys: str) -> dict[str, Any]:
    return {"entries": [e for key in keys if (e := entry(key)) is not None]}
