"""The leadership pages: scoping (a unit head sees only the unit), drill-down links, exports,
roadmap status changes through the page, and a bound on queries."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from sigap.leadership.models import RoadmapAction
from sigap.leadership.refresh import leadership_refresh
from tests.leadership.conftest import AS_OF, Recorded

pytestmark = pytest.mark.django_db


@pytest.fixture
def refreshed(recorded: Recorded) -> Recorded:
    leadership_refresh(as_of=AS_OF, min_sample=1)
    return recorded


def _login(client: Any, recorded: Recorded, persona: str) -> None:
    client.force_login(recorded.world.users[persona])


def test_public_is_sent_to_log_in(client: Any, refreshed: Recorded) -> None:
    response = client.get("/pimpinan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_unit_head_sees_only_the_unit(client: Any, refreshed: Recorded) -> None:
    w = refreshed.world
    _login(client, refreshed, "head_a")
    html = client.get("/pimpinan/?kind=month&period=2025-07").content.decode()
    assert 'data-unit="loket-a"' in html
    assert 'data-unit="pkm-b"' not in html
    assert client.get(f"/pimpinan/unit/{w.puskesmas_b.pk}/").status_code == 404
    assert (
        client.get(f"/pimpinan/unit/{w.puskesmas_b.pk}/layanan/{w.rujukan.pk}/").status_code == 404
    )
    assert client.get(f"/pimpinan/peta-jalan/unit/{w.puskesmas_b.pk}/").status_code == 404
    roadmap = client.get("/pimpinan/peta-jalan/").content.decode()
    assert roadmap.count('data-testid="roadmap-row"') == 3  # counter A's three, not B's
    # The unit's own page and service page
    unit = client.get(f"/pimpinan/unit/{w.counter_a.pk}/?kind=month&period=2025-07")
    assert unit.status_code == 200
    assert f"/pimpinan/unit/{w.counter_a.pk}/layanan/{w.ktp.pk}/" in unit.content.decode()


def test_leadership_sees_the_subtree(client: Any, refreshed: Recorded) -> None:
    _login(client, refreshed, "leadership")
    html = client.get("/pimpinan/?kind=month&period=2025-07").content.decode()
    assert 'data-unit="loket-a"' in html and 'data-unit="pkm-b"' in html
    assert (
        client.get("/pimpinan/peta-jalan/").content.decode().count('data-testid="roadmap-row"') == 4
    )


def test_officers_and_other_roles_are_refused(client: Any, refreshed: Recorded) -> None:
    for persona in ("officer_a", "hr", "inspector", "norole"):
        _login(client, refreshed, persona)
        assert client.get("/pimpinan/").status_code == 403
        assert 'href="/pimpinan/"' not in client.get("/").content.decode()
    _login(client, refreshed, "head_a")
    assert 'href="/pimpinan/"' in client.get("/").content.decode()  # the nav link


def test_scorecard_shows_figures_rank_and_trend(client: Any, refreshed: Recorded) -> None:
    _login(client, refreshed, "leadership")
    html = client.get("/pimpinan/?kind=month&period=2025-07").content.decode()
    assert "66.7%" in html  # counter A's SLA compliance, 2 of 3
    assert "rank 2 of 2" in html
    assert "Disdukcapil" in html and "Dinas Kesehatan" in html  # the OPD above each unit
    assert "▼" in html  # SLA compliance fell from June's 100 %
    assert "worse than the previous period" in html
    # All units shown, pooled from the counts: SLA 3 of 4, complaints on time 1 of 2.
    pooled = html[html.index('data-testid="scorecard-pooled"') :]
    assert "75.0%" in pooled and "50.0%" in pooled


def test_period_defaults_to_the_latest_complete_one(client: Any, refreshed: Recorded) -> None:
    _login(client, refreshed, "leadership")
    response = client.get("/pimpinan/")
    assert response.context["kind"] == "quarter"
    assert response.context["period"] == "2025-Q3"  # 2025-Q4 has only begun on 1 Oct
    # An unknown period or kind falls back rather than failing.
    response = client.get("/pimpinan/?kind=decade&period=1999")
    assert (response.status_code, response.context["period"]) == (200, "2025-Q3")


def test_service_page_drills_down_to_officer_and_case(client: Any, refreshed: Recorded) -> None:
    w = refreshed.world
    _login(client, refreshed, "head_a")
    html = client.get(
        f"/pimpinan/unit/{w.counter_a.pk}/layanan/{w.ktp.pk}/?kind=month&period=2025-07"
    ).content.decode()
    # R4 is open past its due date: a link to its request page.
    assert f"/permohonan/{refreshed.requests['r4'].receipt_code}/" in html
    # R3 (5 working days, SLA 3) was closed beyond the SLA; R2 was within it, net of its pause.
    late = html[html.index('data-testid="service-late"') :]
    assert refreshed.requests["r3"].receipt_code in late
    assert refreshed.requests["r2"].receipt_code not in late
    assert refreshed.requests["r1"].receipt_code not in late
    assert 'data-testid="service-sla"' in html


def test_exports(client: Any, refreshed: Recorded) -> None:
    _login(client, refreshed, "head_a")
    response = client.get("/pimpinan/?kind=month&period=2025-07&export=csv&table=scorecard")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Unit", "Period", "Requests"]
    assert len(rows) == 2  # the header and counter A only
    assert rows[1][:5] == ["Loket A", "2025-07", "4", "3", "2"]
    # The same table for Excel set to Indonesian: semicolons, decimal comma.
    indonesian = client.get("/pimpinan/?kind=month&period=2025-07&export=csv-id&table=scorecard")
    assert indonesian.content.startswith(b"\xef\xbb\xbf")
    id_rows = list(csv.reader(io.StringIO(indonesian.content.decode("utf-8-sig")), delimiter=";"))
    assert [r[:5] for r in id_rows] == [r[:5] for r in rows]
    assert [[c.replace(".", ",") for c in r] for r in id_rows] == [
        [c.replace(".", ",") for c in r] for r in rows
    ]
    assert any("," in c for c in id_rows[1])  # shares have a decimal comma
    assert [c for c in id_rows[1] if "." in c and c[0].isdigit()] == []  # no decimal point
    xlsx = client.get("/pimpinan/?kind=month&period=2025-07&export=xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.cell(2, 1).value == "Loket A"
    # Counts are number cells; shares are numbers with a percent format, never text.
    header = [c.value for c in sheet[1]]
    volume = sheet.cell(2, header.index("Requests") + 1)
    sla = sheet.cell(2, header.index("SLA compliance") + 1)
    assert (volume.data_type, volume.value) == ("n", 4)
    assert (sla.data_type, sla.number_format) == ("n", "0.0%") and 0 <= sla.value <= 1
    assert client.get("/pimpinan/?export=pdf").status_code == 400
    assert client.get("/pimpinan/?export=csv&table=nope").status_code == 400
    w = refreshed.world
    services = client.get(
        f"/pimpinan/unit/{w.counter_a.pk}/?kind=month&period=2025-07&export=csv&table=services"
    )
    assert "Penerbitan KTP-el" in services.content.decode("utf-8-sig")
    roadmap = client.get("/pimpinan/peta-jalan/?export=csv&table=roadmap")
    lines = list(csv.reader(io.StringIO(roadmap.content.decode("utf-8-sig"))))
    assert [r[0] for r in lines[1:]] == ["Loket A"] * 3


def test_roadmap_status_through_the_page(client: Any, refreshed: Recorded) -> None:
    w = refreshed.world
    mine = RoadmapAction.objects.filter(unit=w.counter_a).first()
    theirs = RoadmapAction.objects.get(unit=w.puskesmas_b)
    assert mine is not None
    _login(client, refreshed, "head_a")
    url = f"/pimpinan/peta-jalan/aksi/{mine.pk}/status/"
    response = client.post(url, {"status": "accepted", "next": "/pimpinan/peta-jalan/"})
    assert (response.status_code, response["Location"]) == (302, "/pimpinan/peta-jalan/")
    assert RoadmapAction.objects.get(pk=mine.pk).status == "accepted"
    # Bad input: shown as a message naming the field, nothing changes.
    response = client.post(url, {"status": "dismissed"}, follow=True)
    assert "Note (needed to dismiss): Say why the action is dismissed." in response.content.decode()
    assert RoadmapAction.objects.get(pk=mine.pk).status == "accepted"
    # An open redirect is not followed.
    response = client.post(url, {"status": "done", "next": "https://example.com/"})
    assert response["Location"] == f"/pimpinan/peta-jalan/unit/{w.counter_a.pk}/"
    # Another unit's action: the same answer as one that does not exist.
    response = client.post(f"/pimpinan/peta-jalan/aksi/{theirs.pk}/status/", {"status": "accepted"})
    assert response.status_code == 404
    assert RoadmapAction.objects.get(pk=theirs.pk).status == "open"


def test_pages_read_few_queries(
    client: Any, refreshed: Recorded, django_assert_max_num_queries: Any
) -> None:
    w = refreshed.world
    _login(client, refreshed, "leadership")
    for url in (
        "/pimpinan/",
        f"/pimpinan/unit/{w.counter_a.pk}/",
        f"/pimpinan/unit/{w.counter_a.pk}/layanan/{w.ktp.pk}/",
        "/pimpinan/peta-jalan/",
    ):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
