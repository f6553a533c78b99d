"""The innovation sections of other apps' pages, so those apps need not import this one (the
innovation app sits above leadership: its models point at roadmap actions).

On the leadership pages:
    {% load innovation_outcomes %}
    {% what_worked %}                       the units in the reader's scope (scorecard page)
    {% what_worked unit=unit %}             one unit and the units below it (unit page)
    {% action_effects_of items as effects %} the measured effects of the roadmap rows shown
    {% action_effect effects a.pk %}        one completed action's measured effect
On the innovation's own page (the registry's):
    {% innovation_effects innovation %}     reads its effects itself, or
    {% include "innovation/_effects.html" with effects=effects %}  (see `effects_context`)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template

from sigap.innovation import outcomes
from sigap.innovation.models import Innovation
from sigap.leadership.models import RoadmapAction
from sigap.organisation.models import Unit

register = template.Library()


@register.inclusion_tag("innovation/_what_worked.html", takes_context=True)
def what_worked(context: template.Context, unit: Unit | None = None) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"outcomes": [], "unit": unit}
    found = outcomes.with_candidates(outcomes.what_worked(user, unit), user)
    return {"outcomes": found, "unit": unit}


@register.simple_tag
def action_effects_of(items: Iterable[Mapping[str, Any]]) -> dict[int, list[outcomes.EffectLine]]:
    """The measured effects of the roadmap rows (`{"action": RoadmapAction, ...}`) shown."""
    actions: list[RoadmapAction] = [i["action"] for i in items]
    return outcomes.action_effects(actions)


@register.inclusion_tag("innovation/_action_effect.html")
def action_effect(effects: Mapping[int, list[outcomes.EffectLine]], pk: int) -> dict[str, Any]:
    return {"lines": effects.get(pk, []) if effects else []}


@register.inclusion_tag("innovation/_effects.html")
def innovation_effects(innovation: Innovation) -> dict[str, Any]:
    """The measured effects of one innovation (its detail page; the page checked access)."""
    return outcomes.effects_context(innovation)
