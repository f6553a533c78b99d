"""How an import file names things that already exist: one rule for every importer.

A unit is named by its SIASN UNOR id, its sigap code or its exact name (without case or spacing
differences), in that order; a service by its code or its name within the agency. Names are a
convenience for hand-made files: when two units share a name, the name finds none (the file
must use the id or code), never a guess.
"""

from __future__ import annotations

import re

from sigap.catalogue.models import Service
from sigap.organisation.models import Agency, Unit


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


class UnitIndex:
    """The agency's units by id, code and name, read once per import."""

    def __init__(self, agency: Agency, extra: list[Unit] | None = None) -> None:
        units = list(Unit.objects.filter(agency=agency)) + list(extra or [])
        self.by_siasn = {u.siasn_id: u for u in units if u.siasn_id}
        self.by_code = {u.code.casefold(): u for u in units}
        names: dict[str, list[Unit]] = {}
        for u in units:
            names.setdefault(_key(u.name), []).append(u)
        self.by_name = {k: v[0] for k, v in names.items() if len(v) == 1}

    def find(self, reference: str) -> Unit | None:
        ref = reference.strip()
        if not ref:
            return None
        return (
            self.by_siasn.get(ref)
            or self.by_code.get(ref.casefold())
            or self.by_name.get(_key(ref))
        )


class ServiceIndex:
    """The agency's services by code and by name."""

    def __init__(self, agency: Agency) -> None:
        services = list(Service.objects.filter(unit__agency=agency).select_related("unit"))
        self.by_code = {s.code.casefold(): s for s in services}
        names: dict[str, list[Service]] = {}
        for s in services:
            names.setdefault(_key(s.name), []).append(s)
        self.by_name = {k: v[0] for k, v in names.items() if len(v) == 1}

    def find(self, reference: str) -> Service | None:
        ref = reference.strip()
        if not ref:
            return None
        return self.by_code.get(ref.casefold()) or self.by_name.get(_key(ref))


def root_unit(agency: Agency) -> Unit | None:
    """The agency's top unit (the one without a parent), where onboarding rights are held."""
    return Unit.objects.filter(agency=agency, parent__isnull=True).order_by("path").first()
