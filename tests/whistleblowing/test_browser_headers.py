"""What a real browser's CSRF headers and cookies meet on the anonymous routes.

Django's test client sends no Origin and no Referer unless told, so these tests send what a
browser sends: Chromium posts a same-origin form with `Origin: <site>` under the `same-origin`
referrer policy, and with `Origin: null` under `no-referrer` (tests/browser/test_public_forms.py
drives Chromium itself). Over HTTPS, a client that sends no Origin is checked on its Referer.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sigap.whistleblowing import services
from sigap.whistleblowing.models import Message, Report
from tests.whistleblowing.conftest import PDF


def _token(client: Client, path: str, **extra: str) -> str:
    page = client.get(path, **extra).content.decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _report(client: Client, world, *, secure: bool = False, **headers: str):
    token = _token(client, "/lapor/", secure=secure)
    return client.post(
        "/lapor/",
        {"unit": world.counter_a.pk, "what": "Ada pungli", "csrfmiddlewaretoken": token},
        secure=secure,
        **headers,
    )


@pytest.fixture
def browser_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_the_anonymous_routes_ask_for_a_same_origin_referrer_policy(client, db):
    # `no-referrer` made Chromium send `Origin: null`, which Django's CSRF check refuses.
    for path in ("/lapor/", "/lapor/tindak-lanjut/"):
        assert client.get(path)["Referrer-Policy"] == "same-origin"


def test_what_chromium_sends_now_passes_over_http(browser_client, world):
    response = _report(browser_client, world, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 200 and "receipt" in response.context
    assert Report.objects.count() == 1


def test_an_origin_of_null_or_another_site_is_still_refused(browser_client, world):
    for origin in ("null", "https://evil.example"):
        assert _report(browser_client, world, HTTP_ORIGIN=origin).status_code == 403
    assert not Report.objects.exists()


def test_over_https_a_post_with_the_sites_origin_passes(browser_client, world):
    response = _report(browser_client, world, secure=True, HTTP_ORIGIN="https://testserver")
    assert response.status_code == 200 and "receipt" in response.context


def test_over_https_a_client_without_origin_passes_on_a_same_site_referer(browser_client, world):
    """The middleware cuts the Referer to this site's origin instead of blanking it, so the
    HTTPS Referer check of a client that sends no Origin still passes."""
    response = _report(browser_client, world, secure=True, HTTP_REFERER="https://testserver/lapor/")
    assert response.status_code == 200 and "receipt" in response.context
    assert response.wsgi_request.META["HTTP_REFERER"] == "https://testserver/"


def test_over_https_another_sites_referer_is_blanked_and_refused(browser_client, world):
    response = _report(
        browser_client, world, secure=True, HTTP_REFERER="https://news.example/artikel?id=7"
    )
    assert response.status_code == 403
    assert response.wsgi_request.META["HTTP_REFERER"] == ""
    assert "news.example" not in response.content.decode()


def test_the_referer_keeps_only_this_sites_origin(rf):
    from sigap.whistleblowing.privacy import own_origin_or_blank

    request = rf.get("/lapor/")
    assert own_origin_or_blank(request, "http://testserver/lapor/?a=1") == "http://testserver/"
    assert own_origin_or_blank(request, "https://testserver/lapor/") == ""  # another scheme
    assert own_origin_or_blank(request, "http://testserver.evil/lapor/") == ""
    assert own_origin_or_blank(request, "http://[::1") == ""  # malformed
    assert own_origin_or_blank(request, "") == ""


def test_a_referer_from_an_origin_the_site_trusts_is_kept_as_that_origin(rf, settings):
    from sigap.whistleblowing.privacy import own_origin_or_blank

    settings.CSRF_TRUSTED_ORIGINS = ["https://wbs.example.go.id"]
    request = rf.get("/lapor/")
    kept = own_origin_or_blank(request, "https://wbs.example.go.id/lapor/")
    assert kept == "https://wbs.example.go.id/"
    assert own_origin_or_blank(request, "https://example.go.id/lapor/") == ""


# --- sigap's own CSRF failure page ------------------------------------------------------------


def test_a_refused_form_gets_sigaps_page_in_indonesian(browser_client, world, settings):
    settings.LANGUAGE_CODE = "id"
    response = browser_client.post("/lapor/", {"unit": world.counter_a.pk, "what": "x"})
    assert response.status_code == 403
    assert response.templates[0].name == "web/csrf_failure.html"
    page = response.content.decode()
    assert 'lang="id"' in page
    assert "Formulir tidak dapat dikirim" in page
    assert 'href="/lapor/"' in page  # the way back: the form, opened afresh
    assert 'data-testid="csrf-wbs-note"' in page  # no report was received: send it again
    assert "CSRF" not in page and "Referer" not in page  # no technical reason shown
    # Still an anonymous route: not kept, not referred off-site, no lasting cookie.
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert not Report.objects.exists()


def test_the_failure_page_never_links_off_site(rf):
    from django.contrib.auth.models import AnonymousUser

    from sigap.web.csrf import csrf_failure

    request = rf.post("/x/")
    request.path = "//evil.example/lapor/"
    request.user = AnonymousUser()
    page = csrf_failure(request).content.decode()
    assert 'href="//evil.example' not in page and 'href="/"' in page


def test_other_forms_get_the_page_without_the_whistleblowing_note(world, settings):
    settings.LANGUAGE_CODE = "id"
    response = Client(enforce_csrf_checks=True).post("/pengaduan/baru/", {})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Formulir tidak dapat dikirim" in page
    assert 'data-testid="csrf-wbs-note"' not in page


# --- no lasting cookie (finding 7c) -------------------------------------------------------------


def _lasting(response) -> list[str]:
    return [
        name
        for name, morsel in response.cookies.items()
        if morsel["expires"] or morsel["max-age"] not in ("", None)
    ]


def test_no_response_under_lapor_sets_a_lasting_cookie(world, settings):
    # Even if the CSRF cookie were given an age again, the anonymous routes make it a
    # session cookie.
    settings.CSRF_COOKIE_AGE = 60 * 60 * 24 * 365
    report, receipt = services.report_submit(unit=world.counter_a, what="Ada pungli")
    responses = []
    browser = Client(enforce_csrf_checks=True)
    responses.append(browser.get("/lapor/"))
    token = browser.cookies["csrftoken"].value
    form = _token(browser, "/lapor/")
    responses.append(browser.post("/lapor/", {"csrfmiddlewaretoken": form}))  # with errors
    responses.append(
        browser.post(
            "/lapor/",
            {"unit": world.counter_a.pk, "what": "Lagi", "csrfmiddlewaretoken": form},
        )
    )
    responses.append(browser.get("/lapor/tindak-lanjut/"))
    responses.append(
        browser.post(
            "/lapor/tindak-lanjut/",
            {"receipt": "1" * 16, "csrfmiddlewaretoken": form},
        )
    )
    responses.append(
        browser.post(
            "/lapor/tindak-lanjut/",
            {"receipt": receipt, "text": "Tambahan", "csrfmiddlewaretoken": form},
        )
    )
    responses.append(Client(enforce_csrf_checks=True).post("/lapor/", {}))  # refused: 403
    assert token
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 200, 200, 403]
    assert Message.objects.filter(report=report).count() == 1
    for response in responses:
        assert _lasting(response) == [], response.wsgi_request.path


def test_a_cookie_deletion_on_an_anonymous_route_stays_a_deletion(client):
    from django.http import HttpResponse

    from sigap.whistleblowing.privacy import session_scoped

    response = HttpResponse()
    response.set_cookie("a", "1", max_age=3600)
    response.delete_cookie("b")
    session_scoped(response)
    assert not response.cookies["a"]["max-age"] and not response.cookies["a"]["expires"]
    assert str(response.cookies["b"]["max-age"]) == "0"
    assert "1970" in response.cookies["b"]["expires"]


@pytest.mark.django_db  # the home page's privacy notice reads the agency's data-protection officer
def test_the_csrf_cookie_is_a_session_cookie_on_every_page(client):
    response = client.get("/")
    assert "csrftoken" in response.cookies
    assert _lasting(response) == []


def test_evidence_posted_from_a_browser_is_kept(browser_client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    token = _token(browser_client, "/lapor/")
    response = browser_client.post(
        "/lapor/",
        {
            "unit": world.counter_a.pk,
            "what": "Ada pungli",
            "evidence": [SimpleUploadedFile("bukti.pdf", PDF)],
            "csrfmiddlewaretoken": token,
        },
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 200 and "receipt" in response.context
