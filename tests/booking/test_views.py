"""The pages: the applicant's form without JavaScript, errors next to the field, the honeypot,
the rate limit; the officer's day list (masked contact) and no-show; the unit head's plan."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone

from sigap.booking.models import Booking, BookingStatus, Slot, SlotPlan
from tests import factories
from tests.booking.conftest import CONTACT, next_working_day, slot
from tests.conftest import local

URL = "/antrian-loket/"


@pytest.fixture
def sr(presence):
    return factories.submit(presence, at=local(2025, 3, 27))


@pytest.fixture
def future_slot(presence):
    return slot(presence, next_working_day(presence, timezone.localdate() + timedelta(days=2)))


def test_the_empty_form_has_the_notice_and_a_hidden_honeypot(client, presence):
    html = client.get(URL).content.decode()
    assert 'name="situs_web"' in html and 'class="honeypot"' in html
    assert "privacy" in html.lower()
    assert "<script" not in html


def test_a_stranger_sees_one_answer_next_to_the_receipt_field(client, presence, sr, future_slot):
    texts = []
    for receipt, contact in [("ZZZZZZZZZZ", CONTACT), (sr.receipt_code, "0899")]:
        response = client.post(URL, {"receipt": receipt, "contact": contact, "action": "find"})
        assert response.status_code == 400
        html = response.content.decode()
        assert 'id="id_receipt-error"' in html
        assert "does not match any request" in html
        assert "09:00" not in html  # no times offered
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
        texts.append(html.replace(receipt, "").replace(contact, ""))
    assert texts[0] == texts[1]


def test_find_book_move_and_cancel_without_javascript(client, presence, sr, future_slot):
    later = slot(presence, future_slot.day, at=time(10))
    data = {"receipt": sr.receipt_code, "contact": "+6281234567890"}
    response = client.post(URL, {**data, "action": "find"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{future_slot.pk}"' in html and f'value="{later.pk}"' in html
    response = client.post(URL, {**data, "action": "book"})
    assert response.status_code == 400
    assert "Choose a time." in response.content.decode()
    response = client.post(URL, {**data, "action": "book", "slot": future_slot.pk})
    assert response.status_code == 200
    assert "is booked" in response.content.decode()
    response = client.post(URL, {**data, "action": "book", "slot": later.pk})
    assert "is released" in response.content.decode()
    booking = Booking.objects.get(request=sr)
    assert booking.slot == later
    response = client.post(URL, {**data, "action": "cancel"})
    assert "is cancelled" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_a_full_slot_is_named_next_to_the_times(client, presence, sr, future_slot):
    Slot.objects.filter(pk=future_slot.pk).update(booked=future_slot.capacity)
    other = slot(presence, future_slot.day, at=time(11))
    response = client.post(
        URL,
        {"receipt": sr.receipt_code, "contact": CONTACT, "action": "book", "slot": future_slot.pk},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This time is full; choose another." in html
    assert f'value="{other.pk}"' in html and f'value="{future_slot.pk}"' not in html
    assert not Booking.objects.exists()


def test_the_honeypot_books_nothing(client, presence, sr, future_slot):
    response = client.post(
        URL,
        {
            "receipt": sr.receipt_code,
            "contact": CONTACT,
            "situs_web": "http://spam.example",
            "action": "book",
            "slot": future_slot.pk,
        },
    )
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_the_form_is_rate_limited_per_client(client, presence, sr, settings):
    settings.SIGAP = {**settings.SIGAP, "RATE_LIMITS": "booking=2/3600"}
    data = {"receipt": "ZZZZ", "contact": "0812", "action": "find"}
    assert client.post(URL, data).status_code == 400
    assert client.post(URL, data).status_code == 400
    response = client.post(URL, data)
    assert response.status_code == 429 and response["Retry-After"]
    other = client.post(URL, data, REMOTE_ADDR="10.0.0.9")  # another client still may
    assert other.status_code == 400


def test_the_form_and_its_errors_read_in_indonesian(client, presence, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = client.get(URL).content.decode()
    assert "Pesan waktu di loket" in html and "Kode tanda terima" in html
    response = client.post(URL, {"receipt": "ZZZZ", "contact": "0812", "action": "find"})
    assert "tidak cocok dengan permohonan mana pun" in response.content.decode()


# --- staff -------------------------------------------------------------------------------------


def test_the_day_list_shows_codes_and_masked_contacts_and_marks_no_shows(client, presence, sr):
    from sigap.booking import services

    today = timezone.localdate()
    past = Slot.objects.create(
        unit=presence.counter_a, day=today - timedelta(days=1), start=time(9), capacity=2
    )
    booking = Booking.objects.create(
        slot=past, request=sr, unit=presence.counter_a, created_at=timezone.now(),
        changed_at=timezone.now(),
    )  # fmt: skip
    Slot.objects.filter(pk=past.pk).update(booked=1)
    client.force_login(presence.users["officer_a"])
    response = client.get(
        "/antrian-loket/harian/", {"unit": presence.counter_a.pk, "tanggal": past.day.isoformat()}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert sr.receipt_code in html and "•••7890" in html
    assert "0812-3456-7890" not in html
    response = client.post(f"/antrian-loket/pemesanan/{booking.pk}/tidak-hadir/")
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW
    html = client.get(
        "/antrian-loket/harian/", {"unit": presence.counter_a.pk, "tanggal": past.day.isoformat()}
    ).content.decode()
    assert "<td>1</td><td>1</td>" in html.replace("\n", "")  # booked 1, no-shows 1
    assert services.mask_contact(CONTACT) in html
    # Another unit's officer cannot see that booking to mark it.
    client.force_login(presence.users["officer_b"])
    assert client.post(f"/antrian-loket/pemesanan/{booking.pk}/tidak-hadir/").status_code == 404


def test_the_unit_head_plans_and_creates_slots(client, presence):
    client.force_login(presence.users["head_a"])
    unit = presence.counter_a.pk
    response = client.post(
        "/antrian-loket/jadwal/",
        {"unit": unit, "action": "add", "weekday": 0, "start": "08:00", "capacity": 0},
    )
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    for weekday in range(5):
        response = client.post(
            "/antrian-loket/jadwal/",
            {"unit": unit, "action": "add", "weekday": weekday, "start": "08:00", "capacity": 4},
        )
        assert response.status_code == 302
    assert SlotPlan.objects.filter(unit=unit).count() == 5
    first = timezone.localdate()
    response = client.post(
        "/antrian-loket/jadwal/",
        {
            "unit": unit,
            "action": "generate",
            "first": first.isoformat(),
            "last": (first + timedelta(days=13)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert 0 < Slot.objects.filter(unit=unit).count() <= 10
    assert client.get("/antrian-loket/jadwal/").status_code == 200
