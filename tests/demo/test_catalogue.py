"""The public catalogue on the demo kabupaten: the search finds what people type, and the first
load of its pages stays within 100 KB (HTML + CSS + JS, no images; docs/front-door.md)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.weight import first_load

pytestmark = pytest.mark.django_db

PAGES = ["/layanan/", "/layanan/?q=akte+lahir", "/layanan/?peristiwa=kesehatan",
         "/layanan/dukcapil-akta-lahir/", "/layanan/dukcapil-akta-lahir/ajukan/",
         "/layanan/dpmptsp-pbg/", "/layanan/dukcapil-kia/"]  # fmt: skip


def _results(page: str) -> list[str]:
    return re.findall(r'data-testid="result-([a-z0-9-]+)"', page)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("akte lahir", "dukcapil-akta-lahir"),
        ("ktp hilang", "dukcapil-ktp-el"),
        ("izin usaha", "dpmptsp-nib"),
    ],
)
def test_the_search_finds_what_people_type(small_demo: str, query: str, first: str) -> None:
    response = Client().get("/layanan/", {"q": query})
    assert response.status_code == 200
    assert _results(response.content.decode())[:1] == [first]


@pytest.mark.parametrize("url", PAGES)
def test_first_load_of_the_catalogue_pages_is_at_most_100_kb(small_demo: str, url: str) -> None:
    client = Client()
    client.cookies["django_language"] = "id"
    response = client.get(url)
    assert response.status_code == 200
    weight = first_load(response.content)
    # read with -s for docs/front-door.md
    print(f"{url}: {weight.total} bytes, HTML {weight.html}, gzipped {weight.gzipped}")
    assert weight.total <= 100 * 1024


def test_the_demo_shows_a_draft_under_consultation_and_a_past_record(small_demo: str) -> None:
    page = Client().get("/layanan/dukcapil-kia/").content.decode()
    # The form shows while the consultation is open: two weeks after the demo's end date.
    assert 'data-testid="consultation"' in page
    assert page.count('data-testid="public-comment"') == 2  # the third awaits an answer
    assert "0813-2222-4545" not in page and "agus.s@contoh.id" not in page
    page = Client().get("/layanan/dukcapil-ktp-el/").content.decode()
    assert 'data-testid="consultation-record"' in page


def test_the_demo_draft_keeps_the_procedure_of_its_source_with_its_four_eyes_rules(
    small_demo: str,
) -> None:
    from sigap.catalogue.models import ServiceStandard

    draft = ServiceStandard.objects.get(service__code="dukcapil-kia", valid_from__isnull=True)
    source = ServiceStandard.objects.get(service__code="dukcapil-kia", version=draft.version - 1)

    def procedure(std: ServiceStandard) -> list[tuple[str, str | None]]:
        return [
            (s.name, s.other_officer_than.name if s.other_officer_than else None)
            for s in std.ordered_steps()
        ]

    assert procedure(draft) == procedure(source)
    assert any(other for _name, other in procedure(source))  # the source has a four-eyes rule
    assert all(
        s.other_officer_than.standard_id == draft.pk
        for s in draft.ordered_steps()
        if s.other_officer_than
    )
