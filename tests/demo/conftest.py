"""One small demo kabupaten per test module, built outside the tests' transactions.

Tests that change it (rebuilds) run inside their own transaction, which rolls back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.test import override_settings

from sigap.demo.build import DemoBuilder, Options, fingerprint, wipe

UNTIL = date(2026, 10, 31)
SMALL = Options(seed=7, until=UNTIL, requests=2_000, appraisals=False)


@pytest.fixture(scope="module")
def small_demo(django_db_setup: None, django_db_blocker, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The demo with 2,000 requests (seed 7, period ending 2026-10-31); yields its fingerprint.
    Its documents are stored in a folder of the module's own."""
    documents = tmp_path_factory.mktemp("documents")
    with django_db_blocker.unblock(), override_settings(DOCUMENTS_DIR=documents):
        wipe()
        DemoBuilder(SMALL).run()
        yield fingerprint()
        wipe()
