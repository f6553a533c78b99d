from __future__ import annotations

import pytest

from sigap.whistleblowing import receipts


@pytest.fixture(autouse=True)
def cheap_argon2(settings):
    """Real argon2 parameters cost ~0.1 s a hash; the tests check behaviour, not cost."""
    settings.SIGAP = {
        **settings.SIGAP,
        "WBS_ARGON2": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
    }
    receipts._DUMMY.clear()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n% evidence\n"
