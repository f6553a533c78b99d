from __future__ import annotations

import pytest

from sigap.surveys import lookup


@pytest.fixture(autouse=True)
def _fresh_memory():
    """Services are looked up through a short-lived memory; each test starts without it."""
    lookup.forget()
    yield
    lookup.forget()
