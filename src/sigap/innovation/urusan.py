"""The urusan pemerintahan an innovation belongs to, for the registry's forms and pages.

One definition: `sigap.rules.innovation.URUSAN` (UU 23/2014: 6 wajib pelayanan dasar, 18 wajib
non-pelayanan dasar, 8 pilihan, and the supporting functions). This module only reads it for the
pages: choices and labels in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from sigap.rules.innovation import BASIC_URUSAN, UrusanGroup
from sigap.rules.innovation import URUSAN as RULES_URUSAN


@dataclass(frozen=True)
class Urusan:
    key: str
    label: Promise
    basic_service: bool  # urusan wajib yang berkaitan dengan pelayanan dasar
    mandatory: bool  # wajib (basic or not)


URUSAN: tuple[Urusan, ...] = tuple(
    Urusan(
        key,
        gettext_lazy(name),  # the rules' English msgid, translated when shown
        basic_service=group is UrusanGroup.BASIC,
        mandatory=group in (UrusanGroup.BASIC, UrusanGroup.MANDATORY),
    )
    for key, (group, name) in RULES_URUSAN.items()
)
BY_KEY: dict[str, Urusan] = {u.key: u for u in URUSAN}
BASIC_SERVICE: frozenset[str] = BASIC_URUSAN


def choices() -> list[tuple[str, Promise]]:
    return [(u.key, u.label) for u in URUSAN]


def label(key: str) -> str:
    found = BY_KEY.get(key)
    return str(found.label) if found is not None else key
