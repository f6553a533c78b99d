"""A sentence of the message catalogue with its values (`Said`), stored as `[msgid, params]`, so
that each reader gets it in their own language. Used wherever a computed explanation is kept in
the database (roadmap evidence, competency gaps, training effects).

A figure in a sentence is stored plain and formatted when the sentence is read, in the reader's
language (2,5 / 2.5; 1.234 / 1,234; 14 Maret 2025 / 14 March 2025): wrap it with `count(n)`,
`decimal(x, places)`, `percent(ratio, places)` or `day(d)` and write `%(name)s` in the msgid.
The wrapped value is stored as a one-key JSON object ({"count": n}, {"decimal": x, "places": 1},
{"percent": r, "places": 1}, {"date": "2025-03-14"})."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext

from sigap.web import formatting


def count(n: int) -> dict[str, Any]:
    """A count, grouped in the reader's language (1.234 / 1,234)."""
    return {"count": n}


def decimal(x: float, places: int = 1) -> dict[str, Any]:
    """A number with exactly `places` decimals in the reader's language (2,5 / 2.5)."""
    return {"decimal": x, "places": places}


def percent(ratio: float, places: int = 1) -> dict[str, Any]:
    """A share shown as a percentage in the reader's language (12,5% / 12.5%)."""
    return {"percent": ratio, "places": places}


def day(d: date) -> dict[str, Any]:
    """A date written out in the reader's language (14 Maret 2025 / 14 March 2025)."""
    return {"date": d.isoformat()}


def shown(value: Any) -> Any:
    """A stored parameter as the sentence shows it: wrapped figures formatted for the active
    language, anything else as it is."""
    if not isinstance(value, dict):
        return value
    places = int(value.get("places", 1))
    if "count" in value:
        return formatting.integer(value["count"])
    if "decimal" in value:
        return formatting.decimal(value["decimal"], places)
    if "percent" in value:
        return formatting.percent(value["percent"], places)
    if "date" in value:
        return formatting.long_date(date.fromisoformat(str(value["date"])))
    return value


@dataclass(frozen=True)
class Said:
    """A sentence of the catalogue with its values, kept so that each reader gets it in their
    own language (the text stored beside it is in the site's language, for exports and search)."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        text = gettext(self.msgid)
        if not self.params:
            return text
        return text % {k: shown(v) for k, v in self.params.items()}

    def stored(self) -> list[Any]:
        return [self.msgid, self.params]


def said(sentences: Iterable[Said]) -> str:
    """The sentences in the active language, one after the other."""
    return " ".join(str(s) for s in sentences)


def from_stored(parts: object) -> list[Said]:
    """The sentences of a stored `[[msgid, params], ...]` list (anything else: none)."""
    if not isinstance(parts, list):
        return []
    return [Said(str(p[0]), dict(p[1] or {})) for p in parts if isinstance(p, list) and p]
