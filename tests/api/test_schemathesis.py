"""Fuzz the API against its own OpenAPI schema: no 5xx, every response as documented.

Bounded (a few examples per operation, about 200 requests in all) so the normal suite stays
fast; set `SIGAP_FUZZ_EXAMPLES` for a longer run in CI.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("SIGAP_FUZZ_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_connection():
    """Requests through the raw WSGI app would close the test's database connection at their
    end (PostgreSQL); Django's test client avoids it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_conforms_to_its_own_schema(world, settings, keep_connection):
    settings.SIGAP = {"RATE_LIMITS": "survey=0/60,complaint=0/60,status=0/60"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6
    calls = 0
    strategies = [
        operation.as_strategy(generation_mode=mode)
        for operation in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]
    for strategy in strategies:

        @given(case=strategy)
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):  # type: ignore[no-untyped-def]
            nonlocal calls
            calls += 1
            case.call_and_validate(checks=CHECKS)

        try:
            fuzz()
        except Unsatisfiable:  # no invalid input exists for an operation without parameters
            continue
    assert calls >= len(operations)
