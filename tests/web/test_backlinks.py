"""A request reached from a list goes back to that list (filters kept); else to a default
that fits the reader's role; never off-site."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tests import factories


def back(client, sr, referer: str = ""):  # type: ignore[no-untyped-def]
    headers = {"HTTP_REFERER": referer} if referer else {}
    return client.get(reverse("request_detail", args=[sr.receipt_code]), **headers).context["back"]


def test_the_request_goes_back_to_the_list_it_was_reached_from(client, world):
    sr = factories.submit(world, at=timezone.now())
    client.force_login(world.users["head_a"])
    got = back(client, sr, "http://testserver/permohonan/?status=returned&page=2")
    assert got.url == "/permohonan/?status=returned&page=2" and str(got.label) == "Service requests"
    assert back(client, sr, "http://testserver/beranda/").url == "/beranda/"
    assert back(client, sr, "http://testserver/antrian/?status=submitted").url == (
        "/antrian/?status=submitted"
    )


def test_without_a_known_list_the_default_fits_the_role(client, world):
    sr = factories.submit(world, at=timezone.now())
    client.force_login(world.users["officer_a"])
    assert back(client, sr).url == reverse("queue")
    client.force_login(world.users["inspector"])
    assert back(client, sr).url == reverse("request_list")  # no queue for the Inspektorat


def test_another_site_or_an_unknown_page_is_never_the_way_back(client, world):
    sr = factories.submit(world, at=timezone.now())
    client.force_login(world.users["officer_a"])
    assert back(client, sr, "https://evil.example/permohonan/").url == reverse("queue")
    assert back(client, sr, "http://testserver/admin/").url == reverse("queue")


def test_a_complaint_goes_back_to_the_filtered_list_or_the_signal(client, world):
    from sigap.complaints import services as complaints

    c = complaints.complaint_submit(
        category="lambat", description="Lama", service=world.ktp,
        reporter=complaints.Reporter(anonymous=True),
    )  # fmt: skip
    client.force_login(world.users["inspector"])
    url = reverse("complaint_detail", args=[c.receipt_code])
    assert client.get(url).context["back"].url == reverse("complaint_list")
    got = client.get(url, HTTP_REFERER="http://testserver/inspektorat/sinyal/7/?page=2")
    assert got.context["back"].url == "/inspektorat/sinyal/7/?page=2"
    got = client.get(url, HTTP_REFERER="http://testserver/pengaduan/?overdue=on")
    assert got.context["back"].url == "/pengaduan/?overdue=on"
