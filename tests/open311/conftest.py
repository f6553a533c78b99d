from __future__ import annotations

import pytest

from sigap.api.keys import api_key_create


@pytest.fixture
def api_key(world) -> str:
    """A partner system allowed to post Open311 requests."""
    _, raw = api_key_create(name="Aplikasi kecamatan", scopes=["open311.post"])
    return raw


@pytest.fixture(autouse=True)
def _fresh_memory():
    """Services are looked up through a short-lived memory; each test starts without it."""
    from sigap.surveys import lookup

    lookup.forget()
    yield
    lookup.forget()
