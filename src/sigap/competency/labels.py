"""Words for people: the JPM bands, the route groups and a JPM as a reader says it.

The rules (`sigap.rules.competency`) return codes ("cukup_optimal", "nonklasikal"); pages and
exports show these labels instead, in the reader's language. A band code an agency adds in its
own settings (COMPETENCY_MAPPING_BANDS) has no label here and is shown as its words
("sangat_optimal" → "Sangat optimal"), never as the raw code.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sigap.competency import conf
from sigap.rules.competency import Band, Jpm, RouteGroup, band
from sigap.web import formatting

BAND_LABELS: dict[str, Promise] = {
    # mapping (pemetaan)
    "optimal": _("Optimal"),
    "cukup_optimal": _("Fairly optimal"),
    "kurang_optimal": _("Less than optimal"),
    # selection (seleksi)
    "memenuhi_syarat": _("Meets the requirements"),
    "masih_memenuhi_syarat": _("Still meets the requirements"),
    "kurang_memenuhi_syarat": _("Does not fully meet the requirements"),
}

ROUTE_GROUP_LABELS: dict[str, Promise] = {
    RouteGroup.PENDIDIKAN: _("Formal education (pendidikan)"),
    RouteGroup.KLASIKAL: _("Classroom training (pelatihan klasikal)"),
    RouteGroup.NONKLASIKAL: _("Non-classroom training (pelatihan nonklasikal)"),
}


def band_label(code: str | None) -> str:
    """The label of a band code in the active language; never the code itself (a band an
    agency defines without a label here is humanised). No band (no standard): ""."""
    if not code:
        return ""
    label = BAND_LABELS.get(code)
    if label is not None:
        return str(label)
    return code.replace("_", " ").replace("-", " ").capitalize()


def route_group_label(code: str) -> str:
    label = ROUTE_GROUP_LABELS.get(code)
    return str(label) if label is not None else code.replace("_", " ").capitalize()


def jpm_words(result: Jpm, bands: tuple[Band, ...] | None = None) -> str:
    """A JPM as a reader says it: "92,59 % (Optimal)"; above the standard the figure is shown
    capped at 100 % with the surplus: "100 % (Optimal), 7,41 poin di atas standar".

    `bands` default to the agency's mapping bands (the setting); pass `conf.selection_bands()`
    for a selection.
    """
    code = band(result.percent, bands if bands is not None else conf.mapping_bands())
    words = gettext("%(percent)s (%(band)s)") % {
        "percent": formatting.percent_points(result.shown, _places(result.shown)),
        "band": band_label(code),
    }
    if result.surplus > 0:
        words = gettext("%(words)s, %(surplus)s points above the standard") % {
            "words": words,
            "surplus": formatting.decimal(result.surplus, 2),
        }
    return words


def _places(value: Decimal) -> int:
    return 0 if value == value.to_integral_value() else 2
