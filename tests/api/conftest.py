from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The public IKM is cached for ten minutes; each test starts without it."""
    cache.clear()
    yield
    cache.clear()
