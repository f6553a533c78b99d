"""The codes inside a signal's summary and evidence, in the reader's words.

The analysis (sigap.analytics.integrity) stores its findings with codes: the kinds of signal
behind an officer's risk score, the attribute and the figure of an unequal-treatment test, the
evidence as "<kind>:<receipt>". The pages name them here and never show the codes.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from sigap.integrity.models import IntegritySignal
from sigap.service_requests.models import AgeBand, Gender

register = template.Library()


@register.filter
def signal_kind(code: str) -> str:
    """A kind of signal, or the complaints that count towards an officer's risk score."""
    if code == "complaint":
        return _("Complaints")
    return str(dict(IntegritySignal.Kind.choices).get(code, code))


@register.filter
def case_code(evidence: str) -> str:
    """The receipt code of one case ("overcharge:XCZN78Y4NK" → "XCZN78Y4NK")."""
    return str(evidence).rpartition(":")[2]


@register.filter
def fairness_attribute(code: str) -> str:
    names = {
        "gender": _("Gender"),
        "disability": _("Disability"),
        "region": _("Kecamatan"),
        "age_band": _("Age band"),
    }
    return str(names.get(code, code))


@register.filter
def fairness_group(value: str, attribute: str) -> str:
    if attribute == "gender":
        return str(dict(Gender.choices).get(value, value))
    if attribute == "age_band":
        return str(dict(AgeBand.choices).get(value, value))
    if attribute == "disability":
        return _("yes") if value == "yes" else _("no") if value == "no" else value
    return value


@register.filter
def fairness_metric(code: str) -> str:
    names = {
        "lead_time": _("lead time"),
        "rejection": _("share rejected"),
        "returns": _("share returned for correction"),
    }
    return str(names.get(code, code))
