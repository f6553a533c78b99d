"""The public catalogue at /layanan/: search, browse by life event and unit, the service page
with the standard in force today, its figures from the registry, and the page weight."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from sigap.catalogue.models import LifeEvent, Service
from sigap.metrics.selectors import request_figures
from sigap.service_requests.models import RequestFact
from tests import factories
from tests.conftest import JAKARTA
from tests.weight import first_load

CATALOGUE = "/layanan/"


def _page(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _closed(world, service, leads, *, days_ago: int = 5):  # type: ignore[no-untyped-def]
    """Requests of `service` closed `days_ago` days ago with the given lead times, stored as the
    write functions store their case facts (the page reads them, it does not compute them)."""
    today = timezone.localdate()
    at = datetime.combine(today - timedelta(days=days_ago + 30), time(9), tzinfo=JAKARTA)
    for lead in leads:
        sr = factories.submit(world, at=at, service=service)
        RequestFact.objects.filter(request=sr).update(
            closed_on=today - timedelta(days=days_ago),
            lead_working_days=lead,
            within_sla=lead <= 3,
            first_time_right=True,
        )


def test_the_catalogue_opens_with_search_and_both_ways_to_browse(client, world):
    event = LifeEvent.objects.get(code="dokumen-kependudukan")  # seeded by the migration
    world.ktp.life_events.add(event)
    response = client.get(CATALOGUE)
    page = _page(response)
    assert '<form action="/layanan/" method="get"' in page
    assert '<label for="catalogue-q">' in page
    assert f'href="/layanan/?peristiwa={event.code}"' in page
    assert "kelahiran" not in page  # a life event without services is not offered
    assert f'href="/layanan/?unit={world.counter_a.pk}"' in page
    assert f'href="/layanan/?unit={world.puskesmas_b.pk}"' in page
    # No form posting personal data (the search is a GET): no privacy notice needed.
    assert 'method="post"' not in page.replace('action="/i18n/setlang/" method="post"', "")
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=300"}


def _results(page: str) -> list[str]:
    return re.findall(r'data-testid="result-([a-z0-9-]+)"', page)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The factory's standards both name "KTP-el" as their product: the name ranks first.
        ("ktp hilang", ["ktp-el", "rujukan"]),
        ("e-KTP", ["ktp-el", "rujukan"]),
        ("penerbitan ktpel", ["ktp-el", "rujukan"]),
        ("surat rujukn", ["rujukan"]),  # a typo
        ("Puskesmas", ["rujukan"]),  # the unit's name
        ("Fotokopi KK", ["ktp-el", "rujukan"]),  # a requirement of the standard in force
    ],
)
def test_search_forgives_everyday_words_and_typos(client, world, query, expected):
    assert _results(_page(client.get(CATALOGUE, {"q": query}))) == expected


def test_a_result_says_its_unit_time_limit_and_cost(client, world):
    page = _page(client.get(CATALOGUE, {"q": "ktp"}))
    item = page[page.index('data-testid="result-ktp-el"') :].split("</li>")[0]
    assert 'href="/layanan/ktp-el/"' in item
    assert "Loket A" in item
    assert "3 working days" in item
    assert "Free" in item


def test_nonsense_finds_nothing_and_says_so(client, world):
    page = _page(client.get(CATALOGUE, {"q": "xyzzy plugh"}))
    assert 'data-testid="no-results"' in page
    assert "result-" not in page.replace("catalogue-results", "")


def test_the_query_is_shown_escaped_and_cut_to_100_characters(client, world):
    page = _page(client.get(CATALOGUE, {"q": "<script>alert(1)</script>"}))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    page = _page(client.get(CATALOGUE, {"q": "ktp " + "x" * 200}))
    assert 'value="ktp ' + "x" * 96 + '"' in page


def test_browse_by_life_event_and_by_unit(client, world):
    birth = LifeEvent.objects.get(code="kelahiran")
    health = LifeEvent.objects.get(code="kesehatan")
    world.ktp.life_events.add(birth)
    world.rujukan.life_events.add(health, birth)
    page = _page(client.get(CATALOGUE, {"peristiwa": "kesehatan"}))
    assert 'data-testid="result-rujukan"' in page
    assert 'data-testid="result-ktp-el"' not in page
    page = _page(client.get(CATALOGUE, {"peristiwa": "kelahiran"}))
    assert 'data-testid="result-rujukan"' in page and 'data-testid="result-ktp-el"' in page
    page = _page(client.get(CATALOGUE, {"unit": world.counter_a.pk}))
    assert 'data-testid="result-ktp-el"' in page
    assert 'data-testid="result-rujukan"' not in page
    assert client.get(CATALOGUE, {"peristiwa": "tidak-ada"}).status_code == 404
    assert client.get(CATALOGUE, {"unit": "999999"}).status_code == 404
    assert client.get(CATALOGUE, {"unit": "abc"}).status_code == 404


def test_inactive_services_are_not_in_the_catalogue(client, world):
    Service.objects.filter(pk=world.rujukan.pk).update(is_active=False)
    page = _page(client.get(CATALOGUE, {"q": "rujukan"}))
    assert 'data-testid="result-rujukan"' not in page
    assert client.get("/layanan/rujukan/").status_code == 404
    assert client.get("/layanan/tidak-ada/").status_code == 404


def test_the_service_page_shows_the_standard_in_force_today_with_its_14_components(client, world):
    today = timezone.localdate()
    world.ktp_standard.valid_until = today - timedelta(days=11)
    world.ktp_standard.save()
    factories.standard(
        world.ktp, version=2, valid_from=today - timedelta(days=10), sla=2, tariff=50_000,
        steps=("Penerimaan berkas", "Verifikasi", "Perekaman biometrik", "Penyerahan"),
    )  # fmt: skip
    page = _page(client.get("/layanan/ktp-el/"))
    standard = page[page.index('data-testid="service-standard"') :]
    assert "Version 2, in force since" in standard
    assert re.search(r'data-testid="std-sla">2 working days<', standard)
    assert re.search(r'data-testid="std-cost">Rp 50,000<', standard)
    assert "Perekaman biometrik" in standard  # the procedure of version 2, step by step
    assert "Fotokopi KK" in standard
    assert "UU 24/2013" in standard
    numbered = re.findall(r"<dt>(\d+)\. ", standard)
    assert numbered == [str(n) for n in range(1, 15)]
    assert "Not stated" in standard  # the factory's standard leaves facilities etc. empty
    assert re.search(r'data-testid="service-sla">2 working days<', page)
    # How to apply: online (the form of issue 13) or at the counter.
    assert "Bring the requirements above to Loket A." in page
    assert f"/layanan/{world.ktp.code}/ajukan/" in page  # the online application form


def _retention(page: str) -> str:
    match = re.search(r'data-testid="service-retention">([^<]*)<', page)
    assert match, "the page does not say how long uploaded files are kept"
    return match.group(1)


def test_the_service_page_says_how_long_its_uploaded_files_are_kept(client, world, settings):
    Service.objects.filter(pk=world.ktp.pk).update(document_retention_days=90)
    assert _retention(_page(client.get("/layanan/ktp-el/"))) == (
        "The files you upload for this service are kept for 90 days after your request is "
        "finished, then deleted."
    )
    # A service without its own period states the agency default.
    assert "kept for 365 days" in _retention(_page(client.get("/layanan/rujukan/")))
    settings.LANGUAGE_CODE = "id"
    assert _retention(_page(client.get("/layanan/ktp-el/"))) == (
        "Berkas yang Anda unggah untuk layanan ini disimpan selama 90 hari setelah permohonan "
        "Anda selesai, lalu dihapus."
    )


def test_a_free_service_says_so(client, world):
    page = _page(client.get("/layanan/rujukan/"))
    assert re.search(r'data-testid="std-cost">Free<', page)


def test_the_service_page_links_to_the_survey_complaint_tracking_and_transparency(client, world):
    page = _page(client.get("/layanan/ktp-el/"))
    assert 'href="/skm/ktp-el/"' in page
    assert 'href="/pengaduan/baru/?layanan=ktp-el"' in page
    assert 'href="/lacak/"' in page
    assert 'href="/transparansi/loket-a/"' in page
    assert 'src="/static/sigap/print.js"' in page and "data-print" in page


def test_the_complaint_link_preselects_the_service(client, world):
    page = _page(client.get("/pengaduan/baru/", {"layanan": "ktp-el"}))
    assert re.search(rf'<option value="{world.ktp.pk}" selected>', page)
    page = _page(client.get("/pengaduan/baru/", {"layanan": "no-such-service"}))
    assert f'<option value="{world.ktp.pk}" selected>' not in page


def test_the_median_lead_time_is_hidden_below_the_minimum_sample(client, world):
    _closed(world, world.ktp, [1, 2, 3])
    page = _page(client.get("/layanan/ktp-el/"))
    assert 'data-testid="service-median-hidden"' in page
    assert "Not shown: 3 requests closed, at least 10 are needed for a median." in page


def test_the_median_lead_times_are_the_registrys_over_the_last_90_days(client, world):
    legalisir = Service.objects.create(unit=world.counter_a, code="legalisir", name="Legalisir")
    factories.standard(legalisir, sla=1)
    _closed(world, world.ktp, range(1, 12))  # 11 requests: median 6
    _closed(world, legalisir, [20])  # the unit: 12 requests, median 6.5
    _closed(world, world.ktp, [40, 40, 40], days_ago=120)  # outside the 90 days
    page = _page(client.get("/layanan/ktp-el/"))
    assert re.search(r'data-testid="service-median">6 working days<', page)
    assert "median of 11 requests closed" in page
    assert re.search(r'data-testid="unit-median">6.5 working days<', page)
    today = timezone.localdate()
    registry = request_figures(
        RequestFact.objects.filter(unit=world.counter_a), today - timedelta(days=89), today
    )[()]
    assert registry.lead_wd_median == 6.5 and registry.closed == 12


@override_settings(SIGAP={"RATE_LIMITS": "search=2/60"})
def test_searches_are_rate_limited_per_client_but_browsing_is_not(client, world):
    assert client.get(CATALOGUE, {"q": "ktp"}).status_code == 200
    assert client.get(CATALOGUE, {"q": "kk"}).status_code == 200
    refused = client.get(CATALOGUE, {"q": "akta"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert client.get(CATALOGUE).status_code == 200
    assert client.get("/layanan/ktp-el/").status_code == 200


def test_a_signed_in_visitor_gets_a_private_page(client, world):
    client.force_login(world.users["officer_a"])
    response = client.get("/layanan/ktp-el/")
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_home_and_navigation_lead_to_the_catalogue(client, world):
    page = _page(client.get("/"))
    assert page.count('href="/layanan/"') >= 2  # the navigation and the home page's card
    assert '<form action="/layanan/" method="get"' in page


def test_the_pages_are_in_indonesian(client, world):
    client.cookies["django_language"] = "id"
    page = _page(client.get("/layanan/ktp-el/"))
    for text in ("Katalog layanan", "Persyaratan", "3 hari kerja", "Gratis", "Cara mengajukan"):
        assert text in page, text
    for english in ("working day", "Requirements", "How to apply", "Free"):
        assert english not in page, english
    page = _page(client.get(CATALOGUE, {"q": "ktp"}))
    assert "Apa yang Anda perlukan?" in page and "Menurut peristiwa kehidupan" in page


@pytest.mark.parametrize(
    "url", [CATALOGUE, f"{CATALOGUE}?q=ktp", "/layanan/ktp-el/", "/layanan/ktp-el/ajukan/"]
)
def test_first_load_weight_is_at_most_100_kb(client, world, url):
    """HTML + CSS + JS of a first visit (nothing cached), without images."""
    assert first_load(_page(client.get(url)).encode()).total <= 100 * 1024
