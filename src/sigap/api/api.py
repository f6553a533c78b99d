"""The JSON API, version 1, mounted at /api/v1/ (OpenAPI at /api/v1/openapi.json).

Explicit input and output schemas per operation; every error has the shape of `errors.Error`.
"""

from __future__ import annotations

from ninja import NinjaAPI

from sigap.api import errors
from sigap.api.complaints import router as complaints_router
from sigap.api.surveys import router as surveys_router

api = NinjaAPI(
    title="sigap API",
    version="1",
    description="Citizen voice: SKM surveys (PermenPANRB 14/2017), IKM, complaints "
    '(SP4N-LAPOR!). Errors: {"error": {"code", "message", "fields"}}.',
    urls_namespace="api_v1",
    docs_url=None,
    parser=errors.JsonOnlyParser(),
)
errors.install(api)
api.add_router("/", surveys_router)
api.add_router("/", complaints_router)
