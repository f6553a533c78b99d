"""The privacy notice (UU 27/2022): on every public form, and in full at /privasi/."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from sigap.privacy.categories import CATEGORIES
from sigap.privacy.models import DataProtectionOfficer
from tests import factories
from tests.conftest import local
from tests.test_permission_matrix import MATRIX, _url

MARKER = 'data-testid="privacy-notice"'


@pytest.fixture
def dpo(world):
    return DataProtectionOfficer.objects.create(
        agency=world.agency, name="PPDP Kabupaten Contoh", email="ppdp@contoh.go.id"
    )


def _public_form_urls(code: str) -> list[str]:
    return [
        "/skm/ktp-el/",
        "/pengaduan/baru/",
        "/pengaduan/status/",
        _url("complaint_status", code),
        "/lacak/",
        f"/lacak/{code}/",
        "/lacak/?kode=TIDAKADA99",
        "/lapor/",
        "/lapor/tindak-lanjut/",
        "/privasi/permintaan/",
        "/privasi/permintaan/status/",
        "/",
    ]


def test_every_public_form_shows_the_notice_with_the_dpo_contact(client, world, dpo):
    sr = factories.submit(world, at=local(2025, 3, 27))
    for url in _public_form_urls(sr.receipt_code):
        response = client.get(url, follow=True)
        page = response.content.decode()
        assert response.status_code in (200, 404), url
        assert MARKER in page, url
        assert "ppdp@contoh.go.id" in page, url
        assert 'href="/privasi/"' in page, url


def test_no_public_page_with_a_form_lacks_the_notice(client, world, dpo):
    """Guard for forms added later: every page an anonymous visitor can open (the permission
    matrix's public GET rows) that holds a form other than the language switch shows it."""
    sr = factories.submit(world, at=local(2025, 3, 27))
    checked = 0
    for view, (method, expected) in MATRIX.items():
        if method != "get" or expected[0] != 200 or view == "login":
            continue
        response = client.get(_url(view, sr.receipt_code))
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        # A search box (role="search": the catalogue) sends no personal data.
        forms = [
            f for f in re.findall(r"<form[^>]*>", page)
            if "lang-form" not in f and 'role="search"' not in f
        ]  # fmt: skip
        if forms:
            checked += 1
            assert MARKER in page, view
    assert checked >= 8


def test_the_full_notice_lists_every_category_with_purpose_basis_and_retention(client, world, dpo):
    page = client.get("/privasi/").content.decode()
    for category in CATEGORIES:
        assert str(category.name) in page
        assert str(category.purpose) in page
    assert "730 days after the request is finished" in page
    assert "Pasal 20" in page and "PPDP Kabupaten Contoh" in page


def test_the_notice_is_in_indonesian_by_default(client, world, dpo):
    client.cookies["django_language"] = "id"
    page = client.get("/pengaduan/baru/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "data pribadi" in page.lower()


@override_settings(SIGAP={"PRIVACY_DPO": "PPDP Setda|dpo@contoh.go.id|0211234|Jl. Merdeka 1"})
def test_without_an_agency_record_the_setting_names_the_officer(client, world):
    page = client.get("/lapor/").content.decode()
    assert "dpo@contoh.go.id" in page and "Jl. Merdeka 1" in page


def test_retention_settings_change_what_the_notice_promises(client, world):
    with override_settings(SIGAP={"PRIVACY_RETENTION": "survey_comment=90"}):
        page = client.get("/privasi/").content.decode()
    assert "90 days after the survey was answered" in page


def test_the_full_notice_gives_the_documents_default_and_says_services_may_differ(client, world):
    page = client.get("/privasi/").content.decode()
    assert (
        "365 days after the request is finished (by default: a service may set its own period, "
        "stated on its page)"
    ) in page


def test_setting_the_dpo_in_the_admin_is_audited(client, world):
    from sigap.audit.models import AuditEntry

    client.force_login(world.users["admin"])
    response = client.post(
        "/admin/privacy/dataprotectionofficer/add/",
        {"agency": world.agency.pk, "name": "PPDP", "email": "ppdp@contoh.go.id"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="privacy.dpo")
    assert entry.data == {"fields": ["agency", "email", "name"]}
    assert "ppdp@contoh.go.id" in client.get("/lacak/").content.decode()
