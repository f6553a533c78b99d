"""Back links that fit the role (issue #14 point 8): a detail page goes back to the list it was
opened from, with its filters, and only to a page of this site that lists such things."""

from __future__ import annotations

from urllib.parse import quote

from sigap.web.backlinks import origin
from tests import factories
from tests.conftest import local


def _back(html: str) -> str:
    start = html.index('data-testid="back-link"')
    link = html.rfind("<a ", 0, start)
    return html[link : html.index("</a>", start)]


def test_only_pages_of_this_site_that_list_things_are_accepted():
    assert origin("/antrian/?status=in_progress&page=2") is not None
    assert origin("/permohonan/?unit=3") is not None
    for hostile in ("https://contoh.invalid/antrian/", "//contoh.invalid/antrian/", "/masuk/",
                    "antrian/", "/\\contoh.invalid", "/tidak-ada/"):  # fmt: skip
        assert origin(hostile) is None, hostile


def test_a_request_opened_from_the_filtered_list_goes_back_to_it(client, world):
    sr = factories.submit(world, at=local(2025, 3, 27))
    client.force_login(world.users["officer_a"])
    came_from = "/permohonan/?status=submitted&page=1"
    url = f"/permohonan/{sr.receipt_code}/"
    html = client.get(f"{url}?dari={quote(came_from)}").content.decode()
    assert 'href="/permohonan/?status=submitted&amp;page=1"' in _back(html)
    # Remembered for that page (its own forms redirect to the bare address).
    assert 'href="/permohonan/?status=submitted&amp;page=1"' in _back(
        client.get(url).content.decode()
    )
    # Another site, or a page that is no list: the default, the officer's queue.
    other = factories.submit(world, at=local(2025, 3, 27))
    bad = client.get(f"/permohonan/{other.receipt_code}/?dari=https://contoh.invalid/")
    assert 'href="/antrian/"' in _back(bad.content.decode())


def test_without_a_queue_the_request_goes_back_to_my_work(client, world):
    sr = factories.submit(world, at=local(2025, 3, 27))
    client.force_login(world.users["leadership"])  # reads every request, has no queue
    response = client.get(f"/permohonan/{sr.receipt_code}/")
    assert response.status_code == 200
    assert 'href="/beranda/"' in _back(response.content.decode())


def test_a_complaint_goes_back_to_the_list_as_filtered(client, world):
    from sigap.complaints.services import Reporter, complaint_submit

    complaint = complaint_submit(
        category="lambat",
        description="Sudah lewat janji",
        reporter=Reporter(name="Ahmad Fauzi", contact="0812"),
        unit=world.counter_a,
    )
    client.force_login(world.users["inspector"])
    came_from = "/pengaduan/?status=baru"
    url = f"/pengaduan/{complaint.receipt_code}/?dari={quote(came_from)}"
    assert 'href="/pengaduan/?status=baru"' in _back(client.get(url).content.decode())
    plain = client.get(f"/pengaduan/{complaint.receipt_code}/").content.decode()
    assert 'href="/pengaduan/?status=baru"' in _back(plain)  # remembered


def test_an_employees_skp_goes_back_to_the_calibration_or_the_overview(client, world):
    client.force_login(world.users["hr"])
    employee = world.officer_a.pk
    url = f"/kinerja/pegawai/{employee}/2025/"
    came_from = "/kinerja/kalibrasi/?tahun=2025"
    html = client.get(f"{url}?dari={quote(came_from)}").content.decode()
    assert 'href="/kinerja/kalibrasi/?tahun=2025"' in _back(html)
    other = world.officer_b.pk
    plain = client.get(f"/kinerja/pegawai/{other}/2025/").content.decode()
    assert 'href="/kinerja/?tahun=2025"' in _back(plain)


def test_the_skm_plan_goes_back_to_the_results_as_filtered(client, world):
    client.force_login(world.users["head_a"])
    unit = world.counter_a.pk
    came_from = "/skm/hasil/?period=quarter&group=unit&year=2025"
    html = client.get(f"/skm/rencana/{unit}/2025-Q1/?dari={quote(came_from)}").content.decode()
    assert 'href="/skm/hasil/?period=quarter&amp;group=unit&amp;year=2025"' in _back(html)
