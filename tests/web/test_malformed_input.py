"""Finding 6 of issue #11: malformed input is a clear 4xx naming what is wrong, never a 500.

Each case here answered 500 before; the fuzzers (tests/web/test_form_fuzz.py,
tests/api/test_schemathesis.py) hold the general line.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def client(client):  # type: ignore[no-untyped-def]
    client.raise_request_exception = False  # a 500 is an answer to assert on, not a crash
    return client


@pytest.mark.parametrize("kode", ["'", "'; --", "--", "²"])
def test_a_receipt_code_without_letters_or_digits_is_a_form_error_when_tracking(
    client, world, kode
):
    response = client.get("/lacak/", {"kode": kode})
    assert response.status_code == 200
    assert "letters and digits only" in response.content.decode()


def test_a_tracking_path_without_letters_or_digits_is_the_unknown_code_page(client, world):
    assert client.get("/lacak/'/").status_code == 404


@pytest.mark.parametrize("kode", ["'", "'; --"])
def test_a_receipt_code_without_letters_or_digits_is_a_form_error_for_complaints(
    client, world, kode
):
    response = client.get("/pengaduan/status/", {"kode": kode})
    assert response.status_code == 200
    assert "letters and digits only" in response.content.decode()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_an_audit_trail_date_at_year_1_or_9999_is_a_form_error(client, world, day):
    client.force_login(world.users["inspector"])
    for field in ("since", "until"):
        response = client.get("/inspektorat/jejak-audit/", {field: day})
        assert response.status_code == 200
        assert "Enter a date between the years 1900 and 2100." in response.content.decode()


def test_a_20_digit_unit_on_the_appraisal_pages_is_no_crash(client, world):
    client.force_login(world.users["hr"])
    assert client.get("/kinerja/", {"unit": "9" * 20}).status_code == 200
    assert client.get("/kinerja/", {"unit": "²"}).status_code == 200
    assert client.get("/kinerja/rekap.xlsx", {"unit": "9" * 20}).status_code == 404
    assert client.get("/kinerja/", {"tahun": "²"}).status_code == 200


@pytest.mark.parametrize("path", ["/skm/ktp-el/", "/pengaduan/baru/", "/masuk/", "/lapor/"])
def test_a_form_post_in_utf16_is_a_clear_400_in_indonesian(client, world, settings, path):
    settings.LANGUAGE_CODE = "id"  # the site's language (the tests run in English)
    body = "comment=halo&kode=X".encode("utf-16")
    response = client.generic(
        "POST", path, body, content_type="application/x-www-form-urlencoded; charset=utf-16"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Permintaan tidak dapat dibaca" in page and "UTF-8" in page


@pytest.mark.parametrize(
    ("persona", "path"), [("hr", "/kinerja/"), ("hr", "/pegawai/"), (None, "/lacak/")]
)
def test_a_nul_in_the_query_string_is_a_400_not_a_database_error(client, world, persona, path):
    """Found by the form fuzzer on PostgreSQL (text cannot hold NUL): ?q=%00 was a 500."""
    if persona:
        client.force_login(world.users[persona])
    assert client.get(path, {"q": "a\x00b"}).status_code == 400
    assert client.get(path, {"q\x00": "a"}).status_code == 400
    assert client.get(path, {"q": ["ok", "\x00"]}).status_code == 400
