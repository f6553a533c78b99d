from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits():  # type: ignore[no-untyped-def]
    """The parsed limits are cached per spec; tests that override SIGAP start from a clean
    cache (the counters themselves live in the database and roll back with each test)."""
    from sigap.throttling import ratelimit

    ratelimit._parse.cache_clear()
    yield
    ratelimit._parse.cache_clear()
