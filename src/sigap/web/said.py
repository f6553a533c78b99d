"""A sentence of the message catalogue with its values (`Said`), stored as `[msgid, params]`, so
that each reader gets it in their own language. Used wherever a computed explanation is kept in
the database (roadmap evidence, competency gaps, training effects)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext


@dataclass(frozen=True)
class Said:
    """A sentence of the catalogue with its values, kept so that each reader gets it in their
    own language (the text stored beside it is in the site's language, for exports and search)."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        text = gettext(self.msgid)
        return text % self.params if self.params else text

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
