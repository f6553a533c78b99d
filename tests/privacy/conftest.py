from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _rate_limits_off(settings):  # type: ignore[no-untyped-def]
    """The public forms' limits are tested on their own (test_requests)."""
    from sigap.api import ratelimit

    ratelimit._parse.cache_clear()
    yield
    ratelimit._parse.cache_clear()
