"""Words for people of the IID rules (`sigap.rules.innovation` keeps English msgids and codes;
these translate them in the reader's language)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigap.rules.innovation import URUSAN, Change, ChangeKind, Frame, Predikat
from sigap.web import formatting

REASONS = {
    "not_applied": gettext_lazy("not in application"),
    "outside_window": gettext_lazy("applied outside the assessment window"),
    "missing_mandatory": gettext_lazy("mandatory evidence missing"),
}


def indicator_name(f: Frame, key: str) -> str:
    for i in f.sid:
        if i.key == key:
            return _(i.name)
    for s in f.spd:
        if s.key == key:
            return _(s.name)
    return key


def parameter_choices(f: Frame, key: str) -> list[tuple[int, str]]:
    """(0..3, words) of an SID indicator, for a select."""
    ind = f.indicator(key)
    return [(0, _("0 — no evidence"))] + [
        (n, f"{n} — {_(text)}") for n, text in enumerate(ind.parameters, start=1)
    ]


def urusan_name(key: str) -> str:
    found = URUSAN.get(key)
    return _(found[1]) if found else key


def predikat_label(p: Predikat) -> str:
    return p.official  # a proper name, printed the same in every language


def points(value: Decimal) -> str:
    return formatting.decimal(value, 2)


def change_text(f: Frame, change: Change, names: dict[object, str]) -> str:
    """One ranked change in words."""
    name = names.get(change.innovation, "")
    if change.kind is ChangeKind.RAISE:
        return _("%(innovation)s: raise “%(indicator)s” to parameter %(p)s") % {
            "innovation": name,
            "indicator": indicator_name(f, change.indicator),
            "p": change.parameter,
        }
    if change.kind is ChangeKind.MANDATORY:
        return _("%(innovation)s: add evidence for the mandatory “%(indicator)s”") % {
            "innovation": name,
            "indicator": indicator_name(f, change.indicator),
        }
    if change.kind is ChangeKind.SPD:
        return _("Regional indicator “%(indicator)s”: raise to parameter 3") % {
            "indicator": indicator_name(f, change.indicator)
        }
    if change.kind is ChangeKind.ADD_INNOVATION:
        return _(
            "One more innovation in application in the window, scoring %(rows)s like the "
            "average one"
        ) % {"rows": formatting.integer(change.parameter)}
    return _(
        "One more innovation in application in the basic affair “%(urusan)s”, scoring %(rows)s"
    ) % {"urusan": urusan_name(change.urusan), "rows": formatting.integer(change.parameter)}
