"""Content-Security-Policy: every page of the permission matrix and of the admin, for every
persona, carries the policy and nothing in it that the policy would refuse.

Refused: an inline <script> that runs (a data block, type="application/json", is not run), an
event-handler attribute (onclick=...), a javascript: URL, a style= attribute, and a <style>
block whose SHA-256 is not in the policy. The browser journeys (tests/browser) check the same
thing from the other side: Chromium reports no CSP violation on the pages they visit.
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

import pytest
from django.test import Client

from sigap.web.csp import HEADER, policy
from tests import factories
from tests.conftest import local
from tests.test_permission_matrix import ADMIN_MODELS, MATRIX, PERSONAS, _url

DATA_TYPES = {"application/json", "application/ld+json", "text/template"}


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


class InlineCode(HTMLParser):
    """Collects what a page carries inline that a strict policy refuses."""

    def __init__(self, style_hashes: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.style_hashes = style_hashes
        self.problems: list[str] = []
        self._in: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}> inline style")
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}> javascript: URL")
        if tag == "script" and "src" not in values:
            kind = (values.get("type") or "").strip().lower()
            if kind not in DATA_TYPES:
                self._in, self._text = "script", []
        if tag == "style":
            self._in, self._text = "style", []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != self._in:
            return
        text = "".join(self._text)
        if tag == "script":
            self.problems.append(f"inline <script>: {text.strip()[:80]!r}")
        else:
            digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
            if f"'sha256-{digest}'" not in self.style_hashes:
                self.problems.append(f"<style> block not allowed by its hash: {text[:80]!r}")
        self._in = None


def problems_of(response, where: str) -> list[str]:  # type: ignore[no-untyped-def]
    header = response.get(HEADER)
    if not header:
        return [f"{where}: no {HEADER} header"]
    policy_ = directives(header)
    found = []
    if "'unsafe-inline'" in policy_.get("script-src", []) + policy_.get("style-src", []):
        found.append(f"{where}: 'unsafe-inline' in the policy")
    if response.streaming or "text/html" not in response.get("Content-Type", ""):
        return found
    parser = InlineCode(set(policy_.get("style-src", [])))
    parser.feed(response.content.decode(response.charset or "utf-8"))
    return found + [f"{where}: {problem}" for problem in parser.problems]


def test_the_policy_allows_no_inline_script_and_nothing_from_elsewhere():
    parsed = directives(policy())
    assert parsed["default-src"] == ["'self'"] and parsed["script-src"] == ["'self'"]
    assert parsed["object-src"] == ["'none'"] and parsed["frame-ancestors"] == ["'none'"]
    assert parsed["base-uri"] == ["'self'"] and parsed["form-action"] == ["'self'"]
    assert not any("unsafe" in v for values in parsed.values() for v in values)


def test_the_checker_sees_what_the_policy_refuses():
    """The detector itself, on a page with each kind of inline code (so a pass means
    something)."""
    page = (
        '<button onclick="window.print()">P</button><span style="width:3%"></span>'
        '<script>alert(1)</script><script type="application/json">{"a": 1}</script>'
        '<a href="javascript:alert(1)">x</a><style>p{}</style><script src="/s.js"></script>'
    )
    parser = InlineCode(set())
    parser.feed(page)
    kinds = " | ".join(parser.problems)
    for expected in ("event handler", "inline style", "inline <script>", "javascript:", "<style>"):
        assert expected in kinds
    assert len(parser.problems) == 5


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_of_the_matrix_keeps_to_the_policy(world, persona):
    sr = factories.submit(world, at=local(2025, 3, 27))
    problems: list[str] = []
    for view, (method, _expected) in sorted(MATRIX.items()):
        client = Client()
        if persona != "anon":
            client.force_login(world.users[persona])
        data = {"language": "en", "next": "/"} if view == "set_language" else {}
        response = getattr(client, method)(_url(view, sr.receipt_code), data)
        problems += problems_of(response, f"{view} ({response.status_code})")
        if response.status_code == 302 and method == "get":
            # where the page sends this persona (the log-in page, mostly)
            followed = client.get(response["Location"])
            problems += problems_of(followed, f"{view} → {response['Location']}")
    assert problems == []


def test_the_admin_keeps_to_the_policy(world):
    factories.submit(world, at=local(2025, 3, 27))
    client = Client()
    problems = problems_of(client.get("/admin/login/"), "admin login")
    client.force_login(world.users["admin"])
    pages = ["/admin/", "/admin/auth/user/", "/admin/auth/user/add/"]
    pages += [f"/admin/{model}/" for model in ADMIN_MODELS]
    pages += ["/admin/organisation/unit/add/", "/admin/accounts/roleassignment/add/"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        problems += problems_of(response, path)
    assert problems == []


def test_error_pages_keep_to_the_policy(client, db):
    problems = problems_of(client.get("/tidak-ada/"), "404")
    problems += problems_of(client.get("/lacak/", {"kode": "X" * 50}), "lacak")
    assert problems == []
