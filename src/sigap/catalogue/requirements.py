"""The requirements (persyaratan) of a service standard, as the online form asks for them.

A standard lists its requirements in `ServiceStandard.requirements`. Each item is either a plain
string, a document the applicant hands in (an upload online, checked at the counter otherwise),
or an object saying which kind it is:

    {"name": "Nomor Induk Berusaha", "kind": "field"}
    {"name": "Telah berusia 17 tahun", "kind": "statement"}
    {"name": "Pas foto 3x4", "kind": "document", "optional": true}

- document: a file (PDF, JPEG or PNG) uploaded with the application;
- field: a short text the applicant types (a number, an address);
- statement: a condition the applicant declares true (a checkbox).

No Django here: the form, the write function and the officer's page all read this one parse.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    DOCUMENT = "document"
    FIELD = "field"
    STATEMENT = "statement"


@dataclass(frozen=True, slots=True)
class Requirement:
    key: str
    """A stable short key (from the name): the form field is `req_<key>`."""
    name: str
    kind: Kind
    optional: bool = False


class InvalidRequirements(ValueError):
    pass


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40] or "syarat"


def parse_requirements(raw: object) -> list[Requirement]:
    """The requirements of a standard, in their order; raises `InvalidRequirements` naming the
    item that cannot be read.

    >>> [r.kind.value for r in parse_requirements(["KTP-el", {"name": "NIB", "kind": "field"}])]
    ['document', 'field']
    """
    if not isinstance(raw, list):
        raise InvalidRequirements("the requirements must be a list")
    out: list[Requirement] = []
    seen: set[str] = set()
    for i, item in enumerate(raw, start=1):
        if isinstance(item, str):
            name, kind, optional = item, Kind.DOCUMENT, False
        elif isinstance(item, dict):
            name = item.get("name", "")
            try:
                kind = Kind(item.get("kind", Kind.DOCUMENT))
            except ValueError:
                raise InvalidRequirements(
                    f"requirement {i}: unknown kind {item.get('kind')!r}"
                ) from None
            optional = bool(item.get("optional", False))
        else:
            raise InvalidRequirements(f"requirement {i}: neither a text nor an object")
        if not isinstance(name, str) or not name.strip():
            raise InvalidRequirements(f"requirement {i}: no name")
        key = base = _key(name)
        n = 2
        while key in seen:
            key, n = f"{base}-{n}", n + 1
        seen.add(key)
        out.append(Requirement(key, name.strip(), kind, optional))
    return out
