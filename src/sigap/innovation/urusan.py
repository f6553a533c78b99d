"""The urusan pemerintahan of UU 23/2014 (Lampiran): the affairs an inovasi daerah belongs to.

32 concurrent affairs: 6 wajib pelayanan dasar (basic services: the IID counts how many of them
the agency's innovations cover), 18 wajib non-pelayanan dasar and 8 pilihan. Keys are stable,
simple and English; labels are translated. The `iid` helper defines the same list as
`sigap.rules.innovation.URUSAN`; at merge one of the two imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Urusan:
    key: str
    label: Promise
    basic_service: bool  # urusan wajib yang berkaitan dengan pelayanan dasar
    mandatory: bool  # wajib (basic or not); False: pilihan


def _basic(key: str, label: Promise) -> Urusan:
    return Urusan(key, label, basic_service=True, mandatory=True)


def _wajib(key: str, label: Promise) -> Urusan:
    return Urusan(key, label, basic_service=False, mandatory=True)


def _pilihan(key: str, label: Promise) -> Urusan:
    return Urusan(key, label, basic_service=False, mandatory=False)


URUSAN: tuple[Urusan, ...] = (
    # Wajib, pelayanan dasar (UU 23/2014 Pasal 12(1)).
    _basic("education", _("Education")),
    _basic("health", _("Health")),
    _basic("public_works", _("Public works and spatial planning")),
    _basic("housing", _("Public housing and settlement areas")),
    _basic("public_order", _("Peace, public order and protection of the community")),
    _basic("social", _("Social affairs")),
    # Wajib, non-pelayanan dasar (Pasal 12(2)).
    _wajib("labour", _("Labour")),
    _wajib("women_children", _("Women's empowerment and child protection")),
    _wajib("food", _("Food")),
    _wajib("land", _("Land")),
    _wajib("environment", _("Environment")),
    _wajib("civil_registration", _("Population administration and civil registration")),
    _wajib("community_villages", _("Community and village empowerment")),
    _wajib("family_planning", _("Population control and family planning")),
    _wajib("transport", _("Transport")),
    _wajib("communication", _("Communication and informatics")),
    _wajib("cooperatives_smes", _("Cooperatives and small and medium enterprises")),
    _wajib("investment", _("Investment")),
    _wajib("youth_sports", _("Youth and sports")),
    _wajib("statistics", _("Statistics")),
    _wajib("cryptography", _("Encryption (persandian)")),
    _wajib("culture", _("Culture")),
    _wajib("libraries", _("Libraries")),
    _wajib("archives", _("Archives")),
    # Pilihan (Pasal 12(3)).
    _pilihan("marine_fisheries", _("Marine affairs and fisheries")),
    _pilihan("tourism", _("Tourism")),
    _pilihan("agriculture", _("Agriculture")),
    _pilihan("forestry", _("Forestry")),
    _pilihan("energy_mineral", _("Energy and mineral resources")),
    _pilihan("trade", _("Trade")),
    _pilihan("industry", _("Industry")),
    _pilihan("transmigration", _("Transmigration")),
)
BY_KEY: dict[str, Urusan] = {u.key: u for u in URUSAN}
BASIC_SERVICE: frozenset[str] = frozenset(u.key for u in URUSAN if u.basic_service)


def choices() -> list[tuple[str, Promise]]:
    return [(u.key, u.label) for u in URUSAN]


def label(key: str) -> str:
    found = BY_KEY.get(key)
    return str(found.label) if found is not None else key
