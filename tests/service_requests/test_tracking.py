"""Tracking-page use: a citizen's look-up of a receipt is counted per day, nothing else kept."""

from __future__ import annotations

import logging
from datetime import date
from unittest import mock

import pytest
from django.db import DatabaseError
from django.db.models import QuerySet

from sigap.service_requests import services
from sigap.service_requests.models import TrackingLookup
from tests.conftest import local


def _counts(sr) -> list[tuple[date, int]]:  # type: ignore[no-untyped-def]
    return list(
        TrackingLookup.objects.filter(request=sr).order_by("day").values_list("day", "lookups")
    )


def test_a_look_up_is_counted_per_day(client, world, ktp_request):
    url = f"/lacak/{ktp_request.receipt_code}/"
    with mock.patch("django.utils.timezone.now", return_value=local(2025, 3, 28, 8)):
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=local(2025, 3, 31, 23, 30)):
        assert client.get(url).status_code == 200
    # 23:30 in Jakarta is still the 31st locally (16:30 UTC): the local day counts.
    assert _counts(ktp_request) == [(date(2025, 3, 28), 2), (date(2025, 3, 31), 1)]


def test_only_the_request_and_the_day_are_stored(client, world, ktp_request):
    client.get(
        f"/lacak/{ktp_request.receipt_code}/",
        HTTP_USER_AGENT="Mozilla/5.0 test-agent",
        REMOTE_ADDR="203.0.113.7",
    )
    fields = {f.name for f in TrackingLookup._meta.get_fields()}
    assert fields == {"id", "request", "day", "lookups"}
    row = TrackingLookup.objects.values().get()
    assert set(map(str, row.values())) == {
        str(row["id"]),
        str(ktp_request.pk),
        str(row["day"]),
        "1",
    }
    assert "203.0.113.7" not in str(row) and "test-agent" not in str(row)


def test_an_unknown_code_records_nothing(client, world, ktp_request):
    assert client.get("/lacak/ZZZZZZZZZZ/").status_code == 404
    assert not TrackingLookup.objects.exists()


def test_the_form_and_a_messy_code_count_once_on_the_page_itself(client, world, ktp_request):
    code = ktp_request.receipt_code
    messy = f" {code[:5].lower()}-{code[5:]} "
    response = client.get("/lacak/", {"kode": messy}, follow=True)
    assert response.status_code == 200
    assert TrackingLookup.objects.get().lookups == 1


@pytest.mark.parametrize("who", ["officer_a", "head_a", "inspector", "leadership", "ombudsman"])
def test_staff_who_can_read_the_request_are_not_counted(client, world, ktp_request, who):
    client.force_login(world.users[who])
    assert client.get(f"/lacak/{ktp_request.receipt_code}/").status_code == 200
    assert not TrackingLookup.objects.exists()


@pytest.mark.parametrize("who", ["officer_b", "norole"])
def test_a_logged_in_person_without_a_role_over_the_unit_counts(client, world, ktp_request, who):
    # An officer of another unit (or an account without a role) looking up their own receipt
    # is a citizen here.
    client.force_login(world.users[who])
    assert client.get(f"/lacak/{ktp_request.receipt_code}/").status_code == 200
    assert TrackingLookup.objects.get().lookups == 1


def _failing_model() -> mock.MagicMock:
    model = mock.MagicMock()
    model.objects.filter.return_value.update.side_effect = DatabaseError("database is locked")
    return model


def test_a_failed_write_is_logged_and_the_page_still_shows(client, world, ktp_request, caplog):
    with (
        mock.patch.object(services, "TrackingLookup", _failing_model()),
        caplog.at_level(logging.WARNING, logger="sigap.tracking"),
    ):
        stored = services.tracking_lookup_record(request_id=ktp_request.pk, day=date(2025, 3, 28))
        response = client.get(f"/lacak/{ktp_request.receipt_code}/")
    assert stored is False
    assert caplog.text.count("tracking look-up not recorded") == 2
    assert response.status_code == 200
    assert "Penerbitan KTP-el" in response.content.decode()
    assert not TrackingLookup.objects.exists()


def test_a_race_for_the_first_row_of_the_day_still_counts_both(world, ktp_request):
    day = date(2025, 3, 28)
    real_update = QuerySet.update
    calls = []

    def update_then_a_rival_inserts(self, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        if len(calls) == 1:
            # Our UPDATE finds no row; another worker inserts the day's row before our INSERT.
            found = real_update(self, **kwargs)
            TrackingLookup.objects.create(request=ktp_request, day=day, lookups=1)
            return found
        return real_update(self, **kwargs)

    with mock.patch.object(QuerySet, "update", update_then_a_rival_inserts):
        assert services.tracking_lookup_record(request_id=ktp_request.pk, day=day)
    assert len(calls) == 2  # the lost INSERT became the UPDATE
    assert _counts(ktp_request) == [(day, 2)]


def test_the_page_costs_the_same_queries_however_many_steps_are_done(
    client, world, ktp_request, django_assert_max_num_queries
):
    """The events are read in one query: none per event (a deferred key used to cost one each)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/lacak/{ktp_request.receipt_code}/"
    with CaptureQueriesContext(connection) as fresh:
        client.get(url)
    sr = services.service_request_receive(
        request=ktp_request, officer=world.officer_a, at=local(2025, 3, 27, 9, 5)
    )
    for minute in (10, 20, 30, 40):
        sr = services.service_request_complete_step(
            request=sr, officer=world.officer_a, at=local(2025, 3, 27, 10, minute)
        )
    assert sr.events.count() == 6
    with django_assert_max_num_queries(len(fresh)):
        assert client.get(url).status_code == 200


def test_the_public_page_keeps_the_officers_reason_for_the_applicant(client, world, ktp_request):
    """A receipt code may be known to strangers: the reason of a return (which can name the
    applicant's documents or family) is shown only on the applicant's own page."""
    sr = services.service_request_receive(request=ktp_request, officer=world.officer_a)
    services.service_request_return(
        request=sr, officer=world.officer_a, reason="Akta cerai atas nama Budi belum dilampirkan"
    )
    page = client.get(f"/lacak/{ktp_request.receipt_code}/").content.decode()
    assert "Akta cerai" not in page and "/permohonan-saya/kirim-ulang/" in page
