"""Content-Security-Policy on every response: scripts, styles, images, forms only from sigap.

No page of sigap runs inline JavaScript: scripts are static files (`static/sigap/*.js`, the
vendored ECharts), behaviour is attached from them (`data-*` attributes, e.g. the print
buttons), chart data travels in `<script type="application/json">` blocks (data, never run),
and no template carries a `style=` attribute. So the policy needs no 'unsafe-inline' and no
'unsafe-eval' (ECharts draws on SVG and sets styles through the CSSOM, which CSP allows).

The one inline piece is Django's own: the admin's change list has a `<style>` block when a
model has no actions. It is allowed by its SHA-256, read from Django's template at start-up,
so it follows Django upgrades. tests/web/test_csp.py renders every page of the permission
matrix and the admin against this policy; the browser journeys fail on any CSP report.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


@cache
def django_admin_style_hashes() -> tuple[str, ...]:
    import django.contrib.admin

    template = Path(django.contrib.admin.__file__).parent / "templates/admin/change_list.html"
    try:
        text = template.read_text(encoding="utf-8")
    except OSError:
        return ()
    return tuple(
        "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"
        for block in re.findall(r"<style>(.*?)</style>", text, flags=re.S)
    )


@cache
def policy() -> str:
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": " ".join(("'self'", *django_admin_style_hashes())),
        "img-src": "'self' data:",  # data: for the SVG patterns ECharts draws on bars
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every response that has none (a view may set a stricter one)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(HEADER, self.header)
        return response
