"""Shared pieces of the API schemas: bounded text without NUL characters."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, StringConstraints


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refuse it as invalid input instead of failing later.
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


NoNul = AfterValidator(_no_nul)
Code = Annotated[str, StringConstraints(min_length=1, max_length=60), NoNul]
ReceiptCode = Annotated[str, StringConstraints(max_length=20), NoNul]
Text200 = Annotated[str, StringConstraints(max_length=200), NoNul]
Text300 = Annotated[str, StringConstraints(max_length=300), NoNul]
Text4000 = Annotated[str, StringConstraints(max_length=4000), NoNul]
Description = Annotated[str, StringConstraints(min_length=1, max_length=4000), NoNul]
