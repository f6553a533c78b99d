"""The public transparency pages, on the test world with scorecard rows of hand-known figures.

The rows are written here as `sigap leadership refresh` would store them (its computation has
its own tests in tests/leadership): these tests are about what the public sees.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils.http import http_date
from openpyxl import load_workbook

from sigap.catalogue.models import Service
from sigap.leadership.models import ScorecardRefresh, ServiceScorecard, UnitScorecard
from sigap.leadership.scoring import bounds
from tests import factories
from tests.conftest import local

REFRESHED = datetime(2025, 7, 2, 1, 30, tzinfo=ZoneInfo("Asia/Jakarta"))


def scorecard(refresh, unit, label, **figures) -> UnitScorecard:  # type: ignore[no-untyped-def]
    start, end = bounds(label)
    kind = "year" if "-" not in label else "quarter" if "Q" in label else "month"
    return UnitScorecard.objects.create(
        refresh=refresh,
        unit=unit,
        peer_group=unit.kind,
        period_kind=kind,
        period_start=start,
        period_end=end,
        period_label=label,
        **figures,
    )


@pytest.fixture
def published(world):  # type: ignore[no-untyped-def]
    """Loket A: 2025-Q1 and 2025-Q2 figures (Q2: 45 of 50 within the SLA, IKM 80.50 B from
    120 respondents, 7 of 8 complaints on time); Puskesmas B: only 2025-Q2, SLA on 4 cases
    (a small sample), no survey; the refresh ran on 2 July 2025 with data up to 30 June."""
    refresh = ScorecardRefresh.objects.create(finished_at=REFRESHED, as_of=date(2025, 6, 30))
    scorecard(
        refresh, world.counter_a, "2025-Q1",
        volume=40, sla_cases=40, sla_met=30, sla_share=0.75,
        skm_responses=90, ikm=77.25, ikm_mutu="B",
        complaints=5, complaints_on_time=5, complaints_on_time_share=1.0,
    )  # fmt: skip
    scorecard(
        refresh, world.counter_a, "2025-Q2",
        volume=60, sla_cases=50, sla_met=45, sla_share=0.9,
        skm_responses=120, ikm=80.5, ikm_mutu="B",
        complaints=8, complaints_on_time=7, complaints_on_time_share=0.875,
    )  # fmt: skip
    scorecard(
        refresh, world.puskesmas_b, "2025-Q2",
        volume=4, sla_cases=4, sla_met=2, sla_share=0.5,
    )  # fmt: skip
    scorecard(
        refresh, world.counter_a, "2025", volume=100, sla_cases=90, sla_met=75, sla_share=75 / 90
    )
    ServiceScorecard.objects.create(
        refresh=refresh, unit=world.counter_a, service=world.ktp,
        period_kind="quarter", period_start=date(2025, 4, 1), period_end=date(2025, 6, 30),
        period_label="2025-Q2", volume=60, sla_cases=50, sla_met=45, sla_share=0.9,
    )  # fmt: skip
    return refresh


def page(client, url: str, **query: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url, query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- The index ---------------------------------------------------------------------------


def test_the_index_lists_every_unit_with_services_and_its_figures_for_the_newest_quarter(
    client, world, published
):
    html = page(client, "/transparansi/")
    assert "Figures for <strong>Q2 2025</strong>" in html
    assert 'href="/transparansi/loket-a/2025-Q2/"' in html
    assert "Puskesmas B" in html
    assert "Disdukcapil" not in html  # no service of its own: not a public unit
    assert "<strong>90.0%</strong>" in html and "45 of 50" in html
    assert "<strong>80.50</strong> (B · Baik)" in html and "120 respondents" in html
    assert "<strong>87.5%</strong>" in html and "7 of 8" in html
    # Puskesmas B: SLA on 4 cases is shown as a small sample; no survey, no complaints.
    assert "<strong>50.0%</strong>" in html and "2 of 4" in html and "small sample" in html
    assert html.count("No data yet") == 2
    # The list of services links to each standard.
    assert 'href="/transparansi/loket-a/#layanan-ktp-el"' in html
    assert 'href="/transparansi/pkm-b/#layanan-rujukan"' in html


def test_the_index_of_an_earlier_period_has_its_permalink(client, world, published):
    html = page(client, "/transparansi/periode/2025-Q1/")
    assert "Figures for <strong>Q1 2025</strong>" in html
    assert "<strong>75.0%</strong>" in html and "30 of 40" in html
    assert 'href="/transparansi/periode/2025-Q2/" rel="next"' in html
    assert 'rel="prev"' not in html  # nothing before 2025-Q1
    assert 'data-testid="permalink">http://testserver/transparansi/periode/2025-Q1/<' in html
    assert 'href="/transparansi/periode/2025/">By year</a>' in html


def test_before_any_refresh_the_index_lists_the_services_and_says_there_are_no_figures(
    client, world
):
    html = page(client, "/transparansi/")
    assert "No performance figures have been computed yet" in html
    assert "Penerbitan KTP-el" in html and "Surat Rujukan" in html
    assert 'href="/transparansi/loket-a/"' in html


# --- A unit's page -------------------------------------------------------------------------


def test_the_unit_page_shows_the_maklumat_and_the_standard_in_force(client, world, published):
    html = page(client, "/transparansi/loket-a/")
    assert "<h1>Loket A</h1>" in html
    assert "We, Loket A, pledge to deliver our services" in html
    assert 'id="layanan-ktp-el"' in html
    assert "<li>Fotokopi KK</li>" in html  # requirements
    steps = ["Penerimaan berkas", "Verifikasi", "Pencetakan", "Penyerahan"]
    positions = [html.index(f"<li>{s}</li>") for s in steps]
    assert positions == sorted(positions)  # the procedure in its order
    assert '<dd data-testid="standard-sla">3 working days</dd>' in html
    assert "Free (no charge)" in html
    assert "Loket pengaduan, SP4N-LAPOR!" in html  # the complaint channel
    assert "Service standard version 1, in force since 1 January 2024." in html


def test_the_unit_page_shows_the_newest_version_in_force_not_an_old_or_future_one(client, world):
    ServiceStandardVersions = world.ktp_standard  # version 1 from 2024-01-01
    ServiceStandardVersions.valid_until = date(2025, 1, 31)
    ServiceStandardVersions.save()
    factories.standard(world.ktp, version=2, valid_from=date(2025, 2, 1), sla=2, tariff=15000)
    factories.standard(world.ktp, version=3, valid_from=date(2999, 1, 1), sla=1)
    html = page(client, "/transparansi/loket-a/")
    assert "Service standard version 2" in html
    assert "version 1," not in html and "version 3" not in html
    assert '<dd data-testid="standard-sla">2 working days</dd>' in html
    assert "Rp 15,000" in html


def test_a_service_without_a_standard_in_force_says_so(client, world):
    Service.objects.create(unit=world.counter_a, code="akta", name="Akta Kelahiran")
    html = page(client, "/transparansi/loket-a/")
    assert 'id="layanan-akta"' in html
    assert "No service standard is in force for this service." in html


def test_the_unit_page_shows_the_figures_with_their_period_and_sample(client, world, published):
    html = page(client, "/transparansi/loket-a/")
    assert "Performance in Q2 2025" in html
    assert '<span data-testid="unit-sla-value">90.0%</span>' in html
    assert "45 of 50 requests closed in the period" in html
    assert '<span data-testid="unit-ikm-value">80.50</span>' in html
    assert "mutu B · Baik" in html and "120 respondents" in html
    assert '<span data-testid="unit-complaints-value">87.5%</span>' in html
    assert "7 of 8 complaints judged" in html
    # 120 respondents (more than the 60 requests) need a Krejcie–Morgan sample of 92: enough.
    # 8 complaints are fewer than the 10 a figure needs to be more than a small sample.
    figures = html[html.index('data-testid="unit-sla"') : html.index('id="trends-heading"')]
    assert figures.count('class="small-sample"') == 1
    assert figures.index('class="small-sample"') > figures.index('data-testid="unit-complaints"')


def test_the_trends_are_charts_with_their_tables(client, world, published):
    html = page(client, "/transparansi/loket-a/")
    for chart in ("sla", "ikm", "complaints"):
        assert f'<div class="chart" data-chart="{chart}" hidden></div>' in html
        assert f'<script id="chart-{chart}-option" type="application/json">' in html
    assert '<th scope="row">Q1 2025</th>' in html and '<th scope="row">Q2 2025</th>' in html
    assert '<td class="num">75.0%</td>' in html and '<td class="num">30 of 40</td>' in html
    assert '<td class="num">77.25</td>' in html and '<td class="num">80.50</td>' in html
    assert "vendor/echarts/echarts.min.js" in html and "sigap/charts.js" in html


@pytest.mark.parametrize(
    ("lang", "sla", "ikm", "complaints", "period"),
    [
        ("id", "90,0 %", "80,50", "87,5 %", "Triwulan II 2025"),
        ("en", "90.0%", "80.50", "87.5%", "Q2 2025"),
    ],
)
def test_one_figure_reads_the_same_in_the_headline_the_chart_and_its_table(
    client, world, published, lang, sla, ikm, complaints, period
):
    """The figure of the period, in the page's language: the same string at the top of the
    page, in the table under the trend chart and in the label the chart draws on its point."""
    client.cookies["django_language"] = lang
    html = page(client, "/transparansi/loket-a/")
    assert f'<span data-testid="unit-sla-value">{sla}</span>' in html
    assert f'<span data-testid="unit-ikm-value">{ikm}</span>' in html
    for chart, figure in (("sla", sla), ("ikm", ikm), ("complaints", complaints)):
        start = html.index(f'id="chart-{chart}-option"')
        option = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
        table = html[start : html.index("</table>", start)]
        assert option["xAxis"]["data"][-1] == period
        assert option["sigap"]["labels"][0][-1] == figure
        assert f'<th scope="row">{period}</th>\n          <td class="num">{figure}</td>' in table


def test_a_small_survey_sample_is_marked_with_the_sample_needed(client, world, published):
    UnitScorecard.objects.filter(unit=world.counter_a, period_label="2025-Q2").update(
        skm_responses=12
    )
    html = page(client, "/transparansi/loket-a/")
    assert "12 respondents" in html
    assert "small sample: 52 needed for 60 requests (Krejcie–Morgan)" in html


def test_a_unit_without_figures_says_no_data_yet_for_each(client, world, published):
    html = page(client, "/transparansi/pkm-b/")
    assert '<span data-testid="unit-sla-value">50.0%</span>' in html
    assert "2 of 4 requests closed in the period" in html and "small sample" in html
    ikm = html[html.index('data-testid="unit-ikm"') :]
    assert ikm.index("No data yet") < ikm.index('data-testid="unit-complaints"')
    assert 'data-testid="chart-ikm-empty"' in html
    assert 'data-testid="chart-complaints-empty"' in html


def test_the_unit_page_for_a_period_shows_that_period_and_its_trend_up_to_it(
    client, world, published
):
    html = page(client, "/transparansi/loket-a/2025-Q1/")
    assert "Performance in Q1 2025" in html
    assert '<span data-testid="unit-sla-value">75.0%</span>' in html
    assert '<th scope="row">Q2 2025</th>' not in html
    assert 'href="/transparansi/loket-a/2025-Q2/" rel="next"' in html
    year = page(client, "/transparansi/loket-a/2025/")
    assert "Performance in 2025" in year and "75 of 90 requests closed in the period" in year
    assert "The period is not over yet" in year  # data only up to 30 June 2025


def test_a_period_without_figures_is_a_page_saying_so(client, world, published):
    html = page(client, "/transparansi/loket-a/2024-Q4/")
    assert "Performance in Q4 2024" in html
    assert html.count("No data yet") >= 3


@pytest.mark.parametrize(
    "url",
    [
        "/transparansi/tidak-ada/",
        "/transparansi/dukcapil/",  # a unit with no service of its own
        "/transparansi/loket-a/2025-Q5/",
        "/transparansi/loket-a/2025-S1/",
        "/transparansi/periode/kemarin/",
    ],
)
def test_unknown_units_and_periods_get_a_friendly_404(client, world, published, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert 'href="/transparansi/"' in html
    assert '<meta name="robots" content="noindex">' in html


def test_an_unknown_code_is_shown_escaped(client, world):
    html = client.get("/transparansi/%3Cb%3E/").content.decode()
    assert "<b>" not in html


# --- Public, shareable, printable, fast -------------------------------------------------------


def test_no_personal_data_on_the_public_pages(client, world, published):
    from sigap.complaints.services import Reporter, complaint_submit

    sr = factories.submit(world, at=local(2025, 5, 6))
    complaint_submit(
        category="lambat",
        description="Lama sekali",
        reporter=Reporter(name="Rina Marlina", contact="0813-1111-2222"),
        receipt_code=sr.receipt_code,
    )
    private = [
        "Ahmad Fauzi", "0812-3456-7890", "3201011703850001", "320101", "Cibeureum",
        "Rina Marlina", "0813-1111-2222", sr.receipt_code,
        "Siti Rahmawati", "Bambang Wijaya", "Dewi Lestari",  # officers are not named either
        world.officer_a.nip, world.head_a.nip,
    ]  # fmt: skip
    for url in ("/transparansi/", "/transparansi/loket-a/", "/transparansi/pkm-b/"):
        html = page(client, url)
        for text in private:
            assert text not in html, (url, text)


def test_pages_are_shareable(client, world, published):
    html = page(client, "/transparansi/loket-a/2025-Q2/")
    assert '<link rel="canonical" href="http://testserver/transparansi/loket-a/2025-Q2/">' in html
    assert '<meta property="og:title" content="Loket A">' in html
    assert (
        '<meta property="og:url" content="http://testserver/transparansi/loket-a/2025-Q2/">' in html
    )
    description = (
        "Loket A: service standards (Penerbitan KTP-el); 2025-Q2: SLA compliance 90.0%, "
        "IKM 80.50 (mutu B), complaints followed up on time 87.5%."
    )
    assert f'<meta name="description" content="{description}">' in html
    assert f'<meta property="og:description" content="{description}">' in html
    assert '<html lang="en">' in html


def test_pages_are_printable(client, world, published):
    html = page(client, "/transparansi/loket-a/")
    assert 'href="/static/sigap/print.css" media="print"' in html
    assert '<p class="print-url">http://testserver/transparansi/loket-a/</p>' in html


def test_anonymous_visitors_get_a_publicly_cacheable_page_dated_by_the_refresh(
    client, world, published
):
    for url in ("/transparansi/", "/transparansi/loket-a/"):
        response = client.get(url)
        assert response["Cache-Control"] == "public, max-age=300"
        assert response["Last-Modified"] == http_date(REFRESHED.timestamp())
        assert response["Last-Modified"] == "Tue, 01 Jul 2025 18:30:00 GMT"


def test_a_logged_in_persons_page_is_not_stored_by_shared_caches(client, world, published):
    client.force_login(world.users["head_a"])
    response = client.get("/transparansi/loket-a/")
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_before_any_refresh_there_is_no_last_modified(client, world):
    assert "Last-Modified" not in client.get("/transparansi/")


def _more_units_and_services(world) -> None:  # type: ignore[no-untyped-def]
    from sigap.organisation.models import Unit

    for i in range(5):
        unit = Unit.objects.create(
            agency=world.agency, parent=world.dinkes, code=f"pkm-{i}", name=f"Puskesmas {i}",
            kind="unit_layanan",
        )  # fmt: skip
        for j in range(3):
            service = Service.objects.create(unit=unit, code=f"s-{i}-{j}", name=f"Layanan {j}")
            factories.standard(service)
    for j in range(4):
        factories.standard(
            Service.objects.create(unit=world.counter_a, code=f"a-{j}", name=f"Layanan A{j}")
        )


def test_the_index_reads_a_few_rows_whatever_the_number_of_units(
    client, world, published, django_assert_max_num_queries
):
    _more_units_and_services(world)
    # period ranges, services with their units, the period's scorecards, the refresh, and the
    # agency's IKM of the period (one aggregate, then cached with the public IKM page).
    with django_assert_max_num_queries(5):
        page(client, "/transparansi/")


def test_the_unit_page_reads_a_few_rows_whatever_the_number_of_services(
    client, world, published, django_assert_max_num_queries
):
    _more_units_and_services(world)
    # unit, period ranges, trend, services, standards in force, their steps, the period's
    # service rows, the refresh.
    with django_assert_max_num_queries(8):
        html = page(client, "/transparansi/loket-a/")
    assert html.count('class="card standard"') == 5


# --- Exports -----------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_sla_trend_exports_as_csv(client, world, published):
    response = client.get("/transparansi/loket-a/2025-Q2/", {"export": "csv", "table": "sla"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="transparansi-loket-a-sla-2025-q2.csv"'
    )
    assert response["Cache-Control"] == "public, max-age=300"
    assert read_csv(response) == [
        ["Period", "Judged against the SLA", "Within the SLA", "SLA compliance (%)"],
        ["2025-Q1", "40", "30", "75.0"],
        ["2025-Q2", "50", "45", "90.0"],
    ]


def test_the_sla_trend_exports_for_excel_set_to_indonesian(client, world, published):
    """The symptom of issue #14: Excel set to Indonesian misread the comma-separated file."""
    response = client.get("/transparansi/loket-a/2025-Q2/", {"export": "csv-id", "table": "sla"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="transparansi-loket-a-sla-2025-q2.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    text = response.content.decode("utf-8-sig")
    assert text.splitlines(keepends=True)[1] == "2025-Q1;40;30;75,0\r\n"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows == [
        ["Period", "Judged against the SLA", "Within the SLA", "SLA compliance (%)"],
        ["2025-Q1", "40", "30", "75,0"],
        ["2025-Q2", "50", "45", "90,0"],
    ]
    # The same figures as the international file, only the separators differ.
    international = client.get("/transparansi/loket-a/2025-Q2/", {"export": "csv", "table": "sla"})
    assert [[c.replace(".", ",") for c in r] for r in read_csv(international)] == rows


def test_the_services_table_exports_for_excel_set_to_indonesian(client, world, published):
    response = client.get("/transparansi/loket-a/", {"export": "csv-id", "table": "services"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Service" and len(rows[0]) == 11
    ktp = rows[1]
    assert ktp[0] == "Penerbitan KTP-el" and ktp[1] == "1" and ktp[3] == "3"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", ktp[2])  # the date in force, ISO in both dialects
    assert ktp[6:] == ["2025-Q2", "60", "50", "45", "90,0"]


def test_the_ikm_and_complaints_trends_export(client, world, published):
    ikm = read_csv(client.get("/transparansi/loket-a/", {"export": "csv", "table": "ikm"}))
    assert ikm[0] == [
        "Period", "Requests", "SKM respondents", "Sample needed (Krejcie–Morgan)", "IKM", "Mutu",
    ]  # fmt: skip
    # 120 respondents for 60 requests: the population is taken as 120 (92 needed).
    assert ikm[2] == ["2025-Q2", "60", "120", "92", "80.5", "B"]
    complaints = client.get("/transparansi/loket-a/", {"export": "csv", "table": "complaints"})
    assert read_csv(complaints)[2] == ["2025-Q2", "8", "7", "87.5"]


def test_the_services_table_exports_as_xlsx(client, world, published):
    response = client.get("/transparansi/loket-a/", {"export": "xlsx", "table": "services"})
    assert response["Content-Disposition"] == (
        'attachment; filename="transparansi-loket-a-layanan-2025-q2.xlsx"'
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][:5] == [
        "Service", "Standard version", "In force since", "Time limit (working days)",
        "Tariff (rupiah)",
    ]  # fmt: skip
    assert rows[1][0] == "Penerbitan KTP-el" and rows[1][1] == 1 and rows[1][3] == 3
    assert rows[1][6:] == ["2025-Q2", 60, 50, 45, 90.0]


def test_the_index_tables_export(client, world, published):
    units = read_csv(client.get("/transparansi/", {"export": "csv", "table": "units"}))
    assert units[0][:3] == ["Unit", "Period", "Requests submitted"]
    assert units[1] == [
        "Loket A",
        "2025-Q2",
        "60",
        "50",
        "45",
        "90.0",
        "120",
        "80.5",
        "B",
        "8",
        "7",
        "87.5",
    ]
    assert units[2][:6] == ["Puskesmas B", "2025-Q2", "4", "4", "2", "50.0"]
    services = read_csv(client.get("/transparansi/", {"export": "csv", "table": "services"}))
    assert services[1:] == [
        ["Loket A", "Penerbitan KTP-el", ""],
        ["Puskesmas B", "Surat Rujukan", ""],
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"export": "pdf", "table": "sla"},
        {"export": "csv-en", "table": "sla"},
        {"export": "csv", "table": "nope"},
        {"export": "csv-id", "table": "nope"},
    ],
)
def test_a_bad_export_is_a_400(client, world, published, query):
    assert client.get("/transparansi/loket-a/", query).status_code == 400


def test_every_table_on_the_pages_has_export_links(client, world, published):
    html = page(client, "/transparansi/loket-a/2025-Q2/")
    for table in ("sla", "ikm", "complaints", "services"):
        assert f'href="?export=csv-id&amp;table={table}"' in html
        assert f'href="?export=csv&amp;table={table}"' in html
        assert f'href="?export=xlsx&amp;table={table}"' in html
    index = page(client, "/transparansi/")
    for table in ("units", "services"):
        assert f'href="?export=csv-id&amp;table={table}"' in index
        assert f'href="?export=csv&amp;table={table}"' in index


# --- Reached from the home page and the footer ---------------------------------------------------


def test_the_home_page_and_the_footer_link_to_the_transparency_pages(client, world):
    html = page(client, "/")
    assert html.count('href="/transparansi/"') == 2
    assert 'href="/transparansi/"' in page(client, "/lacak/")  # the footer, on any page
