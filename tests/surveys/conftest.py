from __future__ import annotations

import pytest
from django.core.cache import cache

from sigap.surveys import lookup


@pytest.fixture(autouse=True)
def _fresh_memory():
    """The public IKM and the service look-up are kept in memory; each test starts without."""
    cache.clear()
    lookup.forget()
    yield
    cache.clear()
    lookup.forget()
