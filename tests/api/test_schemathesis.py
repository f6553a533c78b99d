"""Fuzz the API against its own OpenAPI schema: no 5xx, every response as documented.

Bounded (a few examples per operation, about 200 requests in all) so the normal suite stays
fast; set `SIGAP_FUZZ_EXAMPLES` for a longer run in CI.
"""

from __future__ import annotations

import os

import schemathesis
from django.core.wsgi import get_wsgi_application
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


def test_the_api_conforms_to_its_own_schema(world, settings):
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
