"""The public page "Inovasi pelayanan" and the leadership sections that show the same
measured effects."""

from __future__ import annotations

import html
import re
from datetime import date

from sigap.catalogue.models import Service
from sigap.organisation.models import Unit
from tests.innovation import loop_data as data

URL = "/transparansi/inovasi/"


def _text(response) -> str:  # type: ignore[no-untyped-def]
    """What a reader sees: the body without tags, scripts and attributes."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _headlines(response) -> list[str]:  # type: ignore[no-untyped-def]
    found = re.findall(r'data-testid="effect-headline">([^<]*)<', response.content.decode())
    return [html.unescape(h) for h in found]


def _registry(world):  # type: ignore[no-untyped-def]
    applied = data.innovation(
        world.agency,
        "Cek berkas daring",
        [world.counter_a],
        [world.ktp],
        initiator_name="Budi Santoso",
    )
    data.effect(
        innovation=applied, kpi="lead_time", conclusion="improved", estimate=-2.1, ci=(-3.0, -1.2)
    )
    data.effect(innovation=applied, kpi="ikm", conclusion="no_conclusion")
    data.innovation(world.agency, "Kios swalayan", [world.counter_a], [world.ktp], stage="trial")
    data.innovation(world.agency, "Ide layanan malam", [world.puskesmas_b], stage="initiative")
    return applied


def test_the_public_page_lists_applied_innovations_with_their_effect(client, world):  # type: ignore[no-untyped-def]
    _registry(world)
    client.cookies["django_language"] = "id"
    response = client.get(URL)
    assert response.status_code == 200
    text = _text(response)
    assert "Cek berkas daring" in text
    assert "Kios swalayan" not in text and "Ide layanan malam" not in text  # not in application
    assert "Loket A" in text and "Penerbitan KTP-el" in text
    assert "1 Maret 2025" in text  # in application since
    assert "Aparatur Sipil Negara (ASN)" in text  # the initiator by type
    assert "Pelayanan publik" in text
    assert "Mempercepat penerbitan dokumen." in text
    assert _headlines(response) == [
        "Setelah inovasi diterapkan, waktu penyelesaian turun 2,1 hari kerja (IK 95 % 1,2–3,0) "
        "dibanding layanan pembanding.",
        "Belum dapat disimpulkan apakah Indeks Kepuasan Masyarakat (IKM) berubah.",
    ]


def test_the_primary_indicator_is_marked_first_and_judges_the_innovation(client, world):  # type: ignore[no-untyped-def]
    """An innovation aimed at the lead time, which did not move; the IKM improved, judged at the
    Bonferroni-adjusted 98,75 %: the public page marks the lead time line as the primary one and
    prints each line's own level, and "what worked" does not count it as a success."""
    aimed = data.innovation(
        world.agency, "Pra-periksa berkas", [world.counter_a], [world.ktp], target_kpi="lead_time"
    )
    data.effect(
        innovation=aimed,
        kpi="ikm",
        conclusion="improved",
        estimate=3.46,
        ci=(1.2, 5.7),
        confidence=0.9875,
    )
    data.effect(
        innovation=aimed,
        kpi="lead_time",
        conclusion="no_effect",
        estimate=-0.3,
        ci=(-0.9, 0.3),
        primary=True,
    )
    client.cookies["django_language"] = "id"
    response = client.get(URL)
    text = _text(response)
    assert "Indikator yang hendak diperbaiki" in text and "Waktu penyelesaian (hari kerja)" in text
    assert _headlines(response) == [
        "Setelah inovasi diterapkan, waktu penyelesaian tidak berubah secara terukur dibanding "
        "layanan pembanding (perubahan -0,3 hari kerja, IK 95 % -0,9 hingga 0,3).",
        "Setelah inovasi diterapkan, Indeks Kepuasan Masyarakat (IKM) naik 3,46 poin "
        "(IK 98,75 % 1,20–5,70) dibanding layanan pembanding.",
    ]
    body = response.content.decode()
    assert body.count('data-testid="effect-primary"') == 1
    assert body.index('data-testid="effect-primary"') < body.index("IK 95 %")
    client.force_login(world.users["leadership"])
    client.cookies["django_language"] = "id"
    scorecard = client.get("/pimpinan/").content.decode()
    assert 'data-verdict="no_effect" data-subject="innovation"' in scorecard
    assert 'data-verdict="improved"' not in scorecard


def test_the_public_page_names_no_person(client, world):  # type: ignore[no-untyped-def]
    _registry(world)
    text = _text(client.get(URL))
    for name in ("Budi Santoso", world.officer_a.name, world.head_a.name, world.officer_b.name):
        assert name not in text
    assert world.officer_a.nip not in text


def test_the_indonesian_page_has_no_internal_names_or_english(client, world):  # type: ignore[no-untyped-def]
    _registry(world)
    client.cookies["django_language"] = "id"
    text = _text(client.get(URL))
    assert "Inovasi pelayanan" in text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    english_words = ("Service innovations", "Measured effect", "lead time", "No conclusion", "CI ")
    for english in (*english_words, "Civil servant", "Public service", "In application"):
        assert english not in text


def test_the_public_page_is_cacheable(client, world):  # type: ignore[no-untyped-def]
    _registry(world)
    data.refresh(date(2025, 10, 5))
    response = client.get(URL)
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]
    assert response.has_header("Last-Modified")


def test_the_index_links_to_the_innovation_page(client, world):  # type: ignore[no-untyped-def]
    assert f'href="{URL}"' in client.get("/transparansi/").content.decode()


def test_without_innovations_the_page_says_so(client, world):  # type: ignore[no-untyped-def]
    response = client.get(URL)
    assert 'data-testid="no-innovations"' in response.content.decode()


def test_a_unit_coded_inovasi_keeps_its_page(client, world):  # type: ignore[no-untyped-def]
    unit = Unit.objects.create(
        agency=world.agency, parent=world.root, code="inovasi", name="Bagian Inovasi", kind="opd"
    )
    Service.objects.create(unit=unit, code="konsultasi", name="Konsultasi Inovasi")
    r = data.refresh(date(2025, 10, 5))
    data.unit_row(r, unit, "2025-Q3")
    page = client.get(URL).content.decode()
    # The path word wins; the unit's own page stays reachable at its period permalink.
    assert 'data-testid="shadowed-unit"' in page
    assert 'href="/transparansi/inovasi/2025-Q3/"' in page
    unit_page = client.get("/transparansi/inovasi/2025-Q3/")
    assert unit_page.status_code == 200
    assert "Bagian Inovasi" in unit_page.content.decode()


def test_no_unit_notice_without_such_a_unit(client, world):  # type: ignore[no-untyped-def]
    assert 'data-testid="shadowed-unit"' not in client.get(URL).content.decode()


def test_the_pages_agree(client, world):  # type: ignore[no-untyped-def]
    """The figure in the leadership section is the one on the public page, for the same
    effect and language."""
    _registry(world)
    client.cookies["django_language"] = "id"
    public = _headlines(client.get(URL))
    client.force_login(world.users["leadership"])
    client.cookies["django_language"] = "id"
    scorecard = client.get("/pimpinan/")
    unit = client.get(f"/pimpinan/unit/{world.counter_a.pk}/")
    assert public and _headlines(scorecard) == public and _headlines(unit) == public
    assert "Apa yang berhasil" in _text(scorecard)


def test_the_leadership_section_is_scoped(client, world):  # type: ignore[no-untyped-def]
    _registry(world)
    client.force_login(world.users["leadership"])
    assert "Cek berkas daring" in _text(client.get("/pimpinan/"))
    # Puskesmas B's page: the innovation runs at counter A only.
    page = client.get(f"/pimpinan/unit/{world.puskesmas_b.pk}/").content.decode()
    assert "Cek berkas daring" not in page
    assert 'data-testid="what-worked-empty"' in page


def test_a_completed_action_shows_its_effect_on_the_roadmap(client, world):  # type: ignore[no-untyped-def]
    done = data.action(world.counter_a, "Tambah loket sore")
    data.effect(
        action=done, kpi="sla_share", conclusion="improved", estimate=0.085, ci=(0.031, 0.139)
    )
    open_action = data.action(world.counter_a, "Perbaiki SOP", status="accepted")
    data.effect(
        action=open_action, kpi="lead_time", conclusion="improved", estimate=-1, ci=(-2, -0.5)
    )
    client.force_login(world.users["leadership"])
    page = client.get("/pimpinan/peta-jalan/")
    assert _headlines(page) == [
        "After the roadmap action was completed, the share of requests completed within the "
        "service standard's time rose by 8.5 percentage points (95% CI 3.1–13.9) compared with "
        "the comparison services."
    ]


def _section(response, testid: str) -> str:  # type: ignore[no-untyped-def]
    body = response.content.decode()
    start = body.index(f'data-testid="{testid}"')
    end = body.index("</section>", start)
    return html.unescape(re.sub(r"<[^>]+>", " ", body[start:end].partition(">")[2]))


def test_the_leadership_section_reads_in_indonesian(client, world):  # type: ignore[no-untyped-def]
    applied = _registry(world)
    done = data.action(world.counter_a, "Tambah loket sore")
    data.effect(
        action=done, kpi="sla_share", conclusion="no_effect", estimate=0.01, ci=(-0.02, 0.04)
    )
    data.effect(
        innovation=applied,
        kpi="sla_share",
        conclusion="worsened",
        estimate=-0.05,
        ci=(-0.08, -0.02),
    )
    client.force_login(world.users["leadership"])
    client.cookies["django_language"] = "id"
    text = _section(client.get("/pimpinan/"), "what-worked")
    assert "Apa yang berhasil" in text and "Aksi peta jalan transformasi" in text
    assert "Membaik" in text and "Memburuk" in text and "Belum dapat disimpulkan" in text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text
    for english in ("What worked", "Improved", "Worsened", "No conclusion", "Innovation ", "from "):
        assert english not in text, english


def test_the_innovation_page_include(world):  # type: ignore[no-untyped-def]
    from django.template.loader import render_to_string
    from django.utils import translation

    from sigap.innovation.outcomes import effects_context

    applied = _registry(world)
    with translation.override("id"):
        page = render_to_string("innovation/_effects.html", effects_context(applied))
        empty = render_to_string("innovation/_effects.html", {"effects": []})
    assert "Dampak terukur" in page and "Diukur sejak 1 Maret 2025" in page
    assert "waktu penyelesaian turun 2,1 hari kerja" in page
    assert page.index("waktu penyelesaian turun") < page.index("Belum dapat disimpulkan")
    assert "Belum diukur" in empty


def test_the_innovation_page_tag(world):  # type: ignore[no-untyped-def]
    from django.template import Context, Template

    applied = _registry(world)
    page = Template("{% load innovation_outcomes %}{% innovation_effects innovation %}").render(
        Context({"innovation": applied})
    )
    assert 'data-testid="innovation-effects"' in page
    assert "the lead time fell by 2.1 working days" in page
