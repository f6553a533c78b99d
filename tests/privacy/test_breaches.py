"""The breach register: the 3 × 24-hour written notice (UU 27/2022 Pasal 46), prepared."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sigap.audit.models import AuditEntry
from sigap.privacy import services
from sigap.privacy.models import Breach, DataProtectionOfficer


def _facts(**kw):  # type: ignore[no-untyped-def]
    values = {
        "title": "Ekspor daftar pemohon terkirim ke alamat salah",
        "discovered_at": timezone.now() - timedelta(hours=10),
        "how": "Berkas ekspor dikirim lewat surel ke alamat di luar instansi.",
        "data_categories": "Nama dan nomor telepon pemohon KTP-el",
        "subjects_count": 214,
        "measures": "Penerima diminta menghapus berkas; akses ekspor dibatasi.",
    }
    values.update(kw)
    return services.BreachFacts(**values)


@pytest.fixture
def breach(world):
    DataProtectionOfficer.objects.create(
        agency=world.agency, name="PPDP Kabupaten Contoh", email="ppdp@contoh.go.id"
    )
    return services.breach_record(unit=world.counter_a, user=world.users["admin"], facts=_facts())


def test_recording_a_breach_sets_the_72_hour_deadline_and_is_audited(client, world):
    client.force_login(world.users["admin"])
    response = client.post(
        "/privasi/insiden/baru/",
        {
            "unit": world.counter_a.pk,
            "title": "Laptop hilang",
            "discovered_at": "2026-01-05T08:30",
            "how": "Laptop petugas hilang di angkutan umum.",
            "data_categories": "Nama, NIK tersamar",
            "subjects_count": "40",
            "measures": "Kata sandi diganti.",
        },
    )
    assert response.status_code == 302
    b = Breach.objects.get()
    assert b.notice_due - b.discovered_at == timedelta(hours=72)
    entry = AuditEntry.objects.get(action="privacy.breach")
    assert entry.data["subjects"] == 40
    page = client.get(response["Location"]).content.decode()
    assert "late by" in page  # discovered in January: the deadline passed long ago


def test_the_countdown_shows_the_time_left(client, world, breach):
    client.force_login(world.users["admin"])
    page = client.get(f"/privasi/insiden/{breach.pk}/").content.decode()
    assert "61 h" in page or "62 h" in page  # 72 h − 10 h, give or take the running minute
    assert "left" in page


def test_a_breach_cannot_be_discovered_in_the_future(world):
    with pytest.raises(ValidationError):
        services.breach_record(
            unit=world.counter_a,
            user=world.users["admin"],
            facts=_facts(discovered_at=timezone.now() + timedelta(days=1)),
        )


def test_the_letters_are_filled_from_the_record_in_indonesian(client, world, breach):
    client.force_login(world.users["admin"])
    for recipient in ("subjects", "authority"):
        response = client.get(f"/privasi/insiden/{breach.pk}/surat/{recipient}/?format=txt")
        assert response["Content-Type"].startswith("text/plain")
        assert "attachment" in response["Content-Disposition"]
        text = response.content.decode()
        assert "Pasal 46" in text and "Undang-Undang Nomor 27 Tahun 2022" in text
        assert "Nama dan nomor telepon pemohon KTP-el" in text
        assert "Berkas ekspor dikirim" in text and "akses ekspor dibatasi" in text
        assert "214" in text and "ppdp@contoh.go.id" in text
        assert "&amp;" not in text and "&#x27;" not in text
    authority = client.get(f"/privasi/insiden/{breach.pk}/surat/authority/?format=txt")
    assert "Lembaga Pelindungan Data Pribadi" in authority.content.decode()
    page = client.get(f"/privasi/insiden/{breach.pk}/surat/subjects/").content.decode()
    assert 'data-testid="breach-letter"' in page and "Pasal 46" in page
    assert client.get(f"/privasi/insiden/{breach.pk}/surat/other/").status_code == 404


def test_the_letters_write_numbers_and_times_in_indonesian(client, world):
    big = services.breach_record(
        unit=world.counter_a, user=world.users["admin"], facts=_facts(subjects_count=12500)
    )
    client.force_login(world.users["admin"])
    client.cookies["django_language"] = "en"  # the letter stays Indonesian
    for recipient in ("subjects", "authority"):
        text = client.get(f"/privasi/insiden/{big.pk}/surat/{recipient}/?format=txt").content
        assert "12.500 orang" in text.decode()
        # Dates and times through the formatting layer: "2 Desember 2026 14.30 WIB".
        assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4} \d{2}\.\d{2} WIB", text.decode())


def test_marking_the_notices_sent_is_audited_once(client, world, breach):
    client.force_login(world.users["admin"])
    client.post(f"/privasi/insiden/{breach.pk}/diberitahu/subjects/")
    client.post(f"/privasi/insiden/{breach.pk}/diberitahu/subjects/")  # a second click
    client.post(f"/privasi/insiden/{breach.pk}/diberitahu/authority/")
    breach.refresh_from_db()
    assert breach.fully_notified
    entries = AuditEntry.objects.filter(action="privacy.breach_notified")
    assert sorted(e.data["recipient"] for e in entries) == ["authority", "subjects"]
    assert not any(e.data["late"] for e in entries)
    page = client.get("/privasi/insiden/").content.decode()
    assert "notified" in page


def test_only_the_admin_of_the_unit_sees_the_register(client, world, breach):
    from sigap.accounts.models import Role
    from tests import factories

    other = factories.user("admin_dinkes", Role.ADMIN, world.dinkes)
    client.force_login(other)
    assert client.get(f"/privasi/insiden/{breach.pk}/").status_code == 404
    assert breach.title not in client.get("/privasi/insiden/").content.decode()
    client.force_login(world.users["inspector"])
    assert client.get(f"/privasi/insiden/{breach.pk}/surat/subjects/").status_code == 403
