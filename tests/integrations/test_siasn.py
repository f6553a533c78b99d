"""The SIASN adapter against a local fake SIASN (tests/integrations/fake_siasn.py): no network."""

from __future__ import annotations

import base64
import json
import logging
from datetime import date
from decimal import Decimal
from io import StringIO
from urllib.parse import parse_qs

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from sigap.appraisals.models import Appraisal, PerformancePlan
from sigap.competency.models import TrainingRecord
from sigap.competency.records import training_record
from sigap.integrations import siasn
from sigap.integrations.models import Exchange
from sigap.integrations.siasn import (
    SiasnClient,
    SiasnError,
    SiasnRefused,
    siasn_import_training,
    siasn_push_skp,
    siasn_push_training,
    siasn_read_person,
)
from tests.integrations import fake_siasn
from tests.integrations.fake_siasn import NIP_1, PNS_ID_1, FakeSiasn

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake():  # type: ignore[no-untyped-def]
    siasn.forget_tokens()
    server = FakeSiasn().start()
    yield server
    server.stop()
    siasn.forget_tokens()


@pytest.fixture
def on(settings, fake):  # type: ignore[no-untyped-def]
    """SIASN switched on, pointed at the fake; writes still off."""
    settings.SIGAP = {**settings.SIGAP, **fake.settings()}
    return settings


@pytest.fixture
def budi(world):  # type: ignore[no-untyped-def]
    """Officer A as the fake's NIP 1, onboarded with a PNS ID, rated by head A."""
    employee = world.officer_a
    employee.nip, employee.pns_id, employee.supervisor = NIP_1, PNS_ID_1, world.head_a
    employee.save()
    return employee


def ops(fake: FakeSiasn) -> list[tuple[str, str]]:
    return [(s.method, s.path) for s in fake.seen]


def exchanges() -> list[tuple[str, str, bool, int | None]]:
    return [
        (e.operation, e.object_ref, e.ok, e.status_code)
        for e in Exchange.objects.order_by("at", "pk")
    ]


# --- switched off -----------------------------------------------------------------------------


def test_off_by_default_nothing_is_called(settings, fake, budi, world):
    assert settings.SIGAP.get("SIASN_ENABLED") is False  # the shipped default
    settings.SIGAP = {**settings.SIGAP, **fake.settings(), "SIASN_ENABLED": False}
    with pytest.raises(SiasnError) as read:
        siasn_read_person(NIP_1)
    with pytest.raises(SiasnError):
        siasn_import_training(budi, world.users["hr"])
    assert read.value.message == "The connection to SIASN is switched off on this installation."
    assert fake.seen == []
    assert Exchange.objects.count() == 0


def test_missing_credentials_refuse_before_any_call(on, fake):
    on.SIGAP = {**on.SIGAP, "SIASN_CONSUMER_SECRET": ""}
    with pytest.raises(SiasnError, match="lacks the agency's credentials"):
        siasn_read_person(NIP_1)
    assert fake.seen == []


# --- tokens and headers -----------------------------------------------------------------------


def test_data_utama_with_both_tokens_and_headers_as_documented(on, fake):
    person = siasn_read_person(NIP_1)

    assert ops(fake) == [
        ("POST", "/oauth2/token"),
        ("POST", "/sso/token"),
        ("GET", f"/apisiasn/1.0/pns/data-utama/{NIP_1}"),
    ]
    token, sso, api = fake.seen
    basic = base64.b64encode(b"ck-test-key:cs-test-secret-9f3a").decode()
    assert token.headers["Authorization"] == f"Basic {basic}"
    assert parse_qs(token.body.decode()) == {"grant_type": ["client_credentials"]}
    assert parse_qs(sso.body.decode()) == {
        "grant_type": ["password"],
        "client_id": ["sigap-test"],
        "username": ["199001012015011001"],
        "password": ["sso-pass-7c1e"],
    }
    assert api.headers["Authorization"] == "Bearer apim-token-1"
    assert api.headers["Auth"] == "bearer sso-token-2"

    assert person.pns_id == PNS_ID_1
    assert (person.nip, person.name, person.gelar_belakang) == (NIP_1, "BUDI SANTOSO", "S.Kom.")
    assert person.birth_date == date(1986, 7, 21)
    assert (person.golongan, person.tmt_golongan) == ("III/b", date(2018, 4, 1))
    assert person.unor_name == "Seksi Pelayanan Identitas"
    assert person.lokasi_kerja_id == "A5EB03E2421DF6A0E040640A040252AD"
    assert not hasattr(person, "nik") and not hasattr(person, "phone")
    assert exchanges() == [
        ("oauth2/token", "", True, 200),
        ("sso/token", "", True, 200),
        ("pns/data-utama", f"nip:{NIP_1}", True, 200),
    ]


def test_tokens_are_reused_until_they_expire(on, fake):
    now = [1000.0]
    fake.token_seconds = 90  # kept 90 - 30 (the margin) = 60 s
    client = SiasnClient(clock=lambda: now[0])
    siasn_read_person(NIP_1, client=client)
    now[0] += 59
    siasn_read_person(NIP_1, client=client)
    assert [p for _m, p in ops(fake)].count("/oauth2/token") == 1
    now[0] += 2  # past the 60 s
    siasn_read_person(NIP_1, client=client)
    assert [p for _m, p in ops(fake)] == [
        "/oauth2/token",
        "/sso/token",
        f"/apisiasn/1.0/pns/data-utama/{NIP_1}",
        f"/apisiasn/1.0/pns/data-utama/{NIP_1}",
        "/oauth2/token",
        "/sso/token",
        f"/apisiasn/1.0/pns/data-utama/{NIP_1}",
    ]
    assert fake.seen[-1].headers["Authorization"] == "Bearer apim-token-3"


def test_a_401_fetches_fresh_tokens_and_tries_once_more(on, fake):
    siasn_read_person(NIP_1)
    fake.expire_tokens()
    person = siasn_read_person(NIP_1)
    assert person.pns_id == PNS_ID_1
    assert [p for _m, p in ops(fake)][2:] == [
        f"/apisiasn/1.0/pns/data-utama/{NIP_1}",
        f"/apisiasn/1.0/pns/data-utama/{NIP_1}",  # 401: the tokens were expired
        "/oauth2/token",
        "/sso/token",
        f"/apisiasn/1.0/pns/data-utama/{NIP_1}",
    ]
    assert fake.seen[-1].headers["Auth"] == "bearer sso-token-4"
    last = Exchange.objects.filter(operation="pns/data-utama").order_by("-pk").first()
    assert last is not None and last.ok
    assert last.summary == "HTTP 200. Tokens renewed after HTTP 401."


def test_wrong_credentials_are_a_clear_failure(on, fake):
    on.SIGAP = {**on.SIGAP, "SIASN_CONSUMER_SECRET": "not-the-secret"}
    with pytest.raises(SiasnError) as err:
        siasn_read_person(NIP_1)
    assert err.value.message == "The SIASN gateway refused the agency's credentials (HTTP 401)."
    assert exchanges() == [
        ("oauth2/token", "", False, 401),
        ("pns/data-utama", f"nip:{NIP_1}", False, 401),  # not sent: no token
    ]


# --- failures ---------------------------------------------------------------------------------


def test_a_server_error_is_a_siasn_error_and_a_failed_exchange(on, fake):
    fake.fail_with = 500
    with pytest.raises(SiasnError) as err:
        siasn_read_person(NIP_1)
    assert err.value.message == "SIASN answered with an error (HTTP 500); try again later."
    assert err.value.status_code == 500
    failed = Exchange.objects.get(operation="pns/data-utama")
    assert (failed.ok, failed.status_code, failed.direction) == (False, 500, "pull")
    assert failed.summary == "SIASN answered with an error (HTTP 500); try again later."


def test_an_unknown_nip_is_refused_in_words(on, fake):
    with pytest.raises(SiasnError) as err:
        siasn_read_person("199912312020121001")
    assert err.value.message == "SIASN did not accept it: Data tidak ditemukan"


def test_a_slow_siasn_is_a_timeout_not_a_hang(on, fake):
    on.SIGAP = {**on.SIGAP, "SIASN_TIMEOUT_SECONDS": "0.3"}
    fake.delay = 1.0
    with pytest.raises(SiasnError) as err:
        siasn_read_person(NIP_1)
    assert err.value.message == "SIASN did not answer within 0.3 seconds."
    assert exchanges() == [
        ("oauth2/token", "", False, None),
        ("pns/data-utama", f"nip:{NIP_1}", False, None),
    ]


def test_an_unreachable_siasn_is_a_siasn_error(on, fake):
    fake.stop()
    with pytest.raises(SiasnError, match="SIASN could not be reached"):
        siasn_read_person(NIP_1)


def test_no_secret_or_token_in_any_summary_or_log(on, fake, budi, world, caplog):
    caplog.set_level(logging.DEBUG)
    siasn_read_person(NIP_1)
    fake.expire_tokens()
    siasn_import_training(budi, world.users["hr"])
    fake.fail_with = 500
    with pytest.raises(SiasnError):
        siasn_read_person(NIP_1)
    on.SIGAP = {**on.SIGAP, "SIASN_CONSUMER_SECRET": "wrong-secret-value"}
    siasn.forget_tokens()
    with pytest.raises(SiasnError):
        siasn_read_person(NIP_1)
    summaries = " ".join(Exchange.objects.values_list("summary", flat=True))
    assert Exchange.objects.count() == 10  # 3 + 4 (401, renewal) + 1 + 2
    tokens = fake.apim_tokens | fake.sso_tokens | {"apim-token-1", "sso-token-2"}
    for secret in [
        fake_siasn.KEY,
        fake_siasn.SECRET,
        fake_siasn.SSO_PASSWORD,
        "wrong-secret-value",
        *tokens,
    ]:
        assert secret not in summaries
        assert secret not in caplog.text
    assert "siasn pns/data-utama" in caplog.text  # the log does say what was called


# --- training import --------------------------------------------------------------------------


def test_training_import_creates_records_then_is_idempotent(on, fake, budi, world):
    hr = world.users["hr"]
    result = siasn_import_training(budi, hr)
    assert (result.read, result.created, result.already, result.matched) == (3, 3, 0, 0)
    rows = list(
        TrainingRecord.objects.filter(employee=budi)
        .order_by("starts_on")
        .values_list("title", "route", "starts_on", "ends_on", "hours", "jp", "source",
                     "source_file", "provider", "certificate_number")
    )  # fmt: skip
    assert rows == [
        ("Pelatihan Kepemimpinan Pengawas", "struktural_kepemimpinan", date(2023, 8, 1),
         date(2023, 10, 30), Decimal("120.00"), Decimal("160.00"), "siasn",
         "SIASN rw-diklat diklat-0001", "BPSDM Provinsi", "PKP/2023/041"),
        # 24 JP of 45 minutes = 18 clock hours, counted back to 24 JP.
        ("Bimtek Pelayanan Adminduk", "bimbingan_teknis", date(2024, 2, 5), date(2024, 2, 7),
         Decimal("18.00"), Decimal("24.00"), "siasn", "SIASN rw-kursus kursus-0001",
         "Ditjen Dukcapil", "DK/2024/117"),
        # A seminar counts 4 JP a day whatever SIASN says (one day: no end date).
        ("Seminar Pelayanan Publik", "seminar", date(2024, 3, 12), date(2024, 3, 12),
         Decimal("6.00"), Decimal("4.00"), "siasn", "SIASN rw-kursus kursus-0002",
         "Ombudsman RI", ""),
    ]  # fmt: skip
    again = siasn_import_training(budi, hr)
    assert (again.read, again.created, again.already, again.matched) == (3, 0, 3, 0)
    assert TrainingRecord.objects.filter(employee=budi).count() == 3
    assert [op for op, _r, _ok, _s in exchanges()].count("pns/rw-kursus") == 2


def test_a_record_entered_by_hand_is_matched_not_doubled(on, fake, budi, world):
    hr = world.users["hr"]
    training_record(
        employee=budi, title="Bimtek Pelayanan Adminduk", route="bimbingan_teknis",
        starts_on=date(2024, 2, 5), ends_on=date(2024, 2, 7), hours=Decimal(18), actor=hr,
    )  # fmt: skip
    result = siasn_import_training(budi, hr)
    assert (result.created, result.already, result.matched) == (2, 0, 1)
    assert TrainingRecord.objects.filter(employee=budi).count() == 3


def test_one_unreadable_riwayat_refuses_the_whole_import(on, fake, budi, world, monkeypatch):
    odd = {**fake_siasn.RW_KURSUS[NIP_1][1], "id": "kursus-0009", "jenisKursusNama": "Arisan"}
    monkeypatch.setitem(fake_siasn.RW_KURSUS, NIP_1, [*fake_siasn.RW_KURSUS[NIP_1], odd])
    with pytest.raises(SiasnRefused) as err:
        siasn_import_training(budi, world.users["hr"])
    assert [(p.source, p.ref, p.field) for p in err.value.problems] == [
        ("rw-kursus", "kursus-0009", "jenisKursusNama")
    ]
    assert "Unknown kind of training “Arisan”" in err.value.message
    assert TrainingRecord.objects.filter(employee=budi).count() == 0


def test_a_riwayat_the_jp_rules_refuse_rolls_back_the_others(on, fake, budi, world, monkeypatch):
    # Ends before it starts: read fine, refused by training_record's own checks, after the
    # first two were written inside the import's transaction.
    odd = {
        **fake_siasn.RW_KURSUS[NIP_1][0], "id": "kursus-0010",
        "tanggalKursus": "10-06-2024", "tanggalSelesaiKursus": "08-06-2024",
    }  # fmt: skip
    monkeypatch.setitem(fake_siasn.RW_KURSUS, NIP_1, [*fake_siasn.RW_KURSUS[NIP_1], odd])
    with pytest.raises(SiasnRefused) as err:
        siasn_import_training(budi, world.users["hr"])
    assert [(p.source, p.ref, p.field) for p in err.value.problems] == [
        ("rw-kursus", "kursus-0010", "ends_on")
    ]
    assert TrainingRecord.objects.filter(employee=budi).count() == 0


def test_only_hr_over_the_employee_may_import(on, fake, budi, world):
    with pytest.raises(PermissionDenied):
        siasn_import_training(budi, world.users["head_a"])
    assert fake.seen == []


# --- SKP push ---------------------------------------------------------------------------------


def _yearly(employee, year=2025, **kw):  # type: ignore[no-untyped-def]
    plan = PerformancePlan.objects.create(
        employee=employee, unit=employee.unit, year=year, period_kind="triwulanan"
    )
    now = timezone.now()
    fields = {
        "hasil_kerja": "di_atas", "perilaku_kerja": "sesuai", "predikat": "baik",
        "status": Appraisal.Status.FINAL, "finalised_at": now,
    }  # fmt: skip
    return Appraisal.objects.create(
        plan=plan, unit=plan.unit, period=0, rated_at=now, **{**fields, **kw}
    )


def test_skp_push_sends_exactly_the_documented_body(on, fake, budi, world):
    on.SIGAP = {**on.SIGAP, "SIASN_WRITE_SKP": True}
    appraisal = _yearly(budi)
    reply = siasn_push_skp(appraisal, world.users["hr"])
    assert reply["mapData"] == {"rwSkp22Id": "rw-1"}
    post = fake.seen[-1]
    assert (post.method, post.path) == ("POST", "/apisiasn/1.0/skp22/save")
    assert post.headers["Content-Type"] == "application/json"
    assert post.headers["Authorization"] == "Bearer apim-token-1"
    assert post.headers["Auth"] == "bearer sso-token-2"
    assert json.loads(post.body) == {
        "tahun": 2025,
        "hasilKinerjaNilai": 1,
        "perilakuKerjaNilai": 2,
        "kuadranKinerjaNilai": 2,
        "pnsDinilaiOrang": "A8ACA7D5A3A93912E040640A040269BB",
        "penilaiNama": "Bambang Wijaya",
        "penilaiNipNrp": world.head_a.nip,
        "penilaiGolongan": "III/a",
        "penilaiJabatan": "Kepala Seksi",
        "penilaiUnorNama": "Loket A",
        "statusPenilai": "ASN",
        "path": [],
    }
    assert exchanges()[-1] == ("skp22/save", f"appraisal:{appraisal.pk}", True, 200)
    assert Exchange.objects.get(operation="skp22/save").direction == "push"


def test_rating_codes_are_one_table(on):
    assert siasn.RATING_CODE == {"di_atas": 1, "sesuai": 2, "di_bawah": 3}
    assert siasn.PREDIKAT_CODE == {
        "sangat_baik": 1, "baik": 2, "butuh_perbaikan": 3, "kurang": 4, "sangat_kurang": 5,
    }  # fmt: skip


def test_skp_push_refused_while_the_write_flag_is_off(on, fake, budi, world):
    appraisal = _yearly(budi)
    with pytest.raises(SiasnError) as err:
        siasn_push_skp(appraisal, world.users["hr"])
    assert err.value.message == (
        "Sending SKP results to SIASN is switched off on this installation."
    )
    assert fake.seen == [] and fake.posted == []


def test_skp_push_refuses_a_draft_and_an_employee_without_pns_id(on, fake, budi, world):
    on.SIGAP = {**on.SIGAP, "SIASN_WRITE_SKP": True}
    draft = _yearly(budi, status=Appraisal.Status.DRAFT, finalised_at=None)
    with pytest.raises(SiasnError, match="Only a final yearly appraisal"):
        siasn_push_skp(draft, world.users["hr"])
    other = _yearly(world.officer_b, year=2024)
    with pytest.raises(SiasnError, match="no SIASN PNS ID"):
        siasn_push_skp(other, world.users["hr"])
    assert fake.seen == []


def test_siasn_refusing_the_skp_is_a_failed_exchange(on, fake, budi, world):
    on.SIGAP = {**on.SIGAP, "SIASN_WRITE_SKP": True}
    head = world.head_a
    head.position.name = ""  # penilaiJabatan empty: the fake says it is required
    head.position.save()
    appraisal = _yearly(budi)
    with pytest.raises(SiasnError) as err:
        siasn_push_skp(appraisal, world.users["hr"])
    assert err.value.message == "SIASN did not accept it: penilaiJabatan wajib diisi"
    assert exchanges()[-1] == ("skp22/save", f"appraisal:{appraisal.pk}", False, 200)


# --- training push ----------------------------------------------------------------------------


def test_training_push_sends_the_documented_body(on, fake, budi, world):
    on.SIGAP = {**on.SIGAP, "SIASN_WRITE_TRAINING": True}
    record = training_record(
        employee=budi, title="Pelatihan Pelayanan Prima", route="teknis",
        starts_on=date(2025, 5, 19), ends_on=date(2025, 5, 21), hours=Decimal("22.5"),
        provider="BPSDM Provinsi", certificate_number="BP/2025/77", actor=world.users["hr"],
    )  # fmt: skip
    reply = siasn_push_training(record, world.users["hr"])
    assert reply["mapData"] == {"rwKursusId": "rw-1"}
    assert fake.posted == [
        (
            "/kursus/save",
            {
                "pnsOrangId": "A8ACA7D5A3A93912E040640A040269BB",
                "instansiId": "A5EB03E23C2FF6A0E040640A040252AD",
                "jenisDiklatId": "3",
                "jenisKursus": "Diklat Teknis",
                "jenisKursusSertipikat": "",
                "jumlahJam": 30,  # 22.5 hours of 60 minutes = 30 JP of 45
                "lokasiId": "A5EB03E2421DF6A0E040640A040252AD",
                "namaKursus": "Pelatihan Pelayanan Prima",
                "institusiPenyelenggara": "BPSDM Provinsi",
                "nomorSertipikat": "BP/2025/77",
                "tahunKursus": 2025,
                "tanggalKursus": "19-05-2025",
                "tanggalSelesaiKursus": "21-05-2025",
                "path": [],
            },
        )
    ]
    assert exchanges()[-1] == ("kursus/save", f"training:{record.pk}", True, 200)


def test_training_push_refused_while_off_and_for_records_from_siasn(on, fake, budi, world):
    hr = world.users["hr"]
    siasn_import_training(budi, hr)
    calls = len(fake.seen)
    record = TrainingRecord.objects.filter(employee=budi).first()
    assert record is not None
    with pytest.raises(SiasnError, match="Sending training records to SIASN is switched off"):
        siasn_push_training(record, hr)
    on.SIGAP = {**on.SIGAP, "SIASN_WRITE_TRAINING": True}
    with pytest.raises(SiasnError, match="came from SIASN"):
        siasn_push_training(record, hr)
    assert len(fake.seen) == calls and fake.posted == []


# --- the command ------------------------------------------------------------------------------


def test_command_check_training_and_push_skp(on, fake, budi, world):
    out = StringIO()
    call_command("siasn", "check", "--nip", NIP_1, stdout=out)
    assert out.getvalue().strip() == (
        f"SIASN check: tokens received; {NIP_1}: BUDI SANTOSO, III/b, "
        "Pengadministrasi Kependudukan, Seksi Pelayanan Identitas "
        f"(PNS ID {PNS_ID_1})"
    )
    out = StringIO()
    call_command("siasn", "training", "--agency", "contoh", "--as", "hr", stdout=out)
    assert out.getvalue().strip() == (
        "SIASN training contoh: 1 employees imported, 0 failed; 3 records created, "
        "0 already imported, 0 matched records entered before"
    )
    _yearly(budi)
    with pytest.raises(CommandError, match="WRITE_SKP"):
        call_command("siasn", "push-skp", "--year", "2025", "--agency", "contoh", "--as", "hr")
    on.SIGAP = {**on.SIGAP, "SIASN_WRITE_SKP": True}
    for expected in ("1 sent, 0 sent before", "0 sent, 1 sent before"):
        out = StringIO()
        call_command(
            "siasn", "push-skp", "--year", "2025", "--agency", "contoh", "--as", "hr", stdout=out
        )
        assert out.getvalue().strip() == f"SIASN SKP 2025 contoh: {expected}, 0 failed"
    assert len(fake.posted) == 1


def test_command_refuses_while_switched_off(settings, fake):
    with pytest.raises(CommandError, match="switched off"):
        call_command("siasn", "check", "--nip", NIP_1)
    assert fake.seen == []


# --- the buttons on the records page ----------------------------------------------------------


def test_hr_pulls_from_the_records_page_and_sends_an_entered_record(client, on, fake, budi, world):
    page = f"/kompetensi/pegawai/{budi.pk}/riwayat/"
    client.force_login(world.users["hr"])
    html = client.get(page).content.decode()
    assert 'data-testid="siasn-pull"' in html and 'data-testid="siasn-push"' not in html
    response = client.post(f"/kompetensi/pegawai/{budi.pk}/siasn/ambil/", follow=True)
    assert response.redirect_chain == [(page, 302)]
    assert (
        "From SIASN: 3 training records added, 0 imported before, 0 already recorded."
        in response.content.decode()
    )
    on.SIGAP = {**on.SIGAP, "SIASN_WRITE_TRAINING": True}
    record = training_record(
        employee=budi, title="Pelatihan Pelayanan Prima", route="teknis",
        starts_on=date(2025, 5, 19), ends_on=date(2025, 5, 21), hours=Decimal(6),
        actor=world.users["hr"],
    )  # fmt: skip
    html = client.get(page).content.decode()
    assert html.count('data-testid="siasn-push"') == 1  # the entered one, not the 3 from SIASN
    response = client.post(f"/kompetensi/pelatihan/{record.pk}/siasn/kirim/", follow=True)
    assert "The training record was sent to SIASN." in response.content.decode()
    assert [path for path, _body in fake.posted] == ["/kursus/save"]


def test_the_buttons_are_hidden_while_off_and_say_so_if_posted(client, settings, fake, budi, world):
    page = f"/kompetensi/pegawai/{budi.pk}/riwayat/"
    client.force_login(world.users["hr"])
    assert 'data-testid="siasn-pull"' not in client.get(page).content.decode()
    response = client.post(f"/kompetensi/pegawai/{budi.pk}/siasn/ambil/", follow=True)
    assert "The connection to SIASN is switched off" in response.content.decode()
    assert fake.seen == []


def test_hr_of_another_agency_gets_404(client, on, fake, budi, world):
    from sigap.organisation.models import Agency, Unit
    from tests import factories

    other = Agency.objects.create(code="lain", name="Kota Lain", kind="kota")
    root = Unit.objects.create(agency=other, code="pemkot", name="Pemkot", kind="pemda")
    client.force_login(factories.user("hr_lain", "hr", root))
    assert client.post(f"/kompetensi/pegawai/{budi.pk}/siasn/ambil/").status_code == 404
    assert fake.seen == []


def test_hr_of_another_agency_cannot_push_a_training_record(client, on, fake, budi, world):
    from sigap.organisation.models import Agency, Unit
    from tests import factories

    siasn_import_training(budi, world.users["hr"])
    record = TrainingRecord.objects.filter(employee=budi).first()
    assert record is not None
    calls = len(fake.seen)
    on.SIGAP = {**on.SIGAP, "SIASN_WRITE_TRAINING": True}
    other = Agency.objects.create(code="lain", name="Kota Lain", kind="kota")
    root = Unit.objects.create(agency=other, code="pemkot", name="Pemkot", kind="pemda")
    client.force_login(factories.user("hr_lain", "hr", root))
    assert client.post(f"/kompetensi/pelatihan/{record.pk}/siasn/kirim/").status_code == 404
    # A unit head of the employee's own unit holds no SIASN role: refused before any lookup.
    client.force_login(world.users["head_a"])
    assert client.post(f"/kompetensi/pelatihan/{record.pk}/siasn/kirim/").status_code == 403
    assert client.post(f"/kompetensi/pegawai/{budi.pk}/siasn/ambil/").status_code == 403
    assert len(fake.seen) == calls and fake.posted == []
