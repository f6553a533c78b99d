"""The import of a request history (kind "history"): the sample file, hand-checked cases, the
re-runs, and every refusal with its file, row and column."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sigap.onboarding import plan as onboarding
from sigap.onboarding.models import HistoryCase, ImportRun
from sigap.onboarding.samples import DEFAULT_OPTIONS, history_csv
from sigap.service_requests.models import (
    Outcome,
    RequestFact,
    ServiceEvent,
    ServiceRequest,
    Status,
)
from tests.conftest import local
from tests.onboarding.sample_world import SampleWorld, build_sample_world

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "docs/onboarding/samples/riwayat-permohonan.csv"
HEADER = "no_permohonan,layanan,aktivitas,waktu,nip_petugas,hasil"
BUDI, SITI, AGUS = "198503152010011002", "199001222015032001", "197806102005011003"
OPTIONS: dict[str, Any] = {"source": "simpel-sukamaju"}


@pytest.fixture
def world() -> SampleWorld:
    return build_sample_world()


def csv_bytes(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def dry(world: SampleWorld, data: bytes, options: dict[str, Any] | None = None) -> Any:
    return onboarding.dry_run(
        "history", data, "riwayat.csv", agency=world.agency, options=options or OPTIONS
    )


def run(world: SampleWorld, data: bytes, options: dict[str, Any] | None = None) -> Any:
    return onboarding.apply(
        "history", data, "riwayat.csv", agency=world.agency, options=options or OPTIONS
    )


def request_of(case: str) -> ServiceRequest:
    return HistoryCase.objects.get(case_id=case).request


def where(plan: Any) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in plan.errors]


# --- the sample file ----------------------------------------------------------------------------


def test_the_committed_sample_is_what_the_generator_makes() -> None:
    assert SAMPLE.read_text() == history_csv()


def test_sample_imports_every_case_and_event(world: SampleWorld) -> None:
    rows = list(csv.DictReader(io.StringIO(SAMPLE.read_text())))
    cases = {r["no_permohonan"] for r in rows}
    data = SAMPLE.read_bytes()
    plan = onboarding.dry_run("history", data, SAMPLE.name, agency=world.agency,
                              options=DEFAULT_OPTIONS)  # fmt: skip
    assert plan.ok, plan.problems[:3]
    assert plan.counts()["create"] == len(cases) == 300
    assert ServiceRequest.objects.count() == 0  # a dry run writes nothing

    applied = onboarding.apply("history", data, SAMPLE.name, agency=world.agency,
                               options=DEFAULT_OPTIONS)  # fmt: skip
    assert applied.counts["create"] == 300
    assert ServiceRequest.objects.count() == 300
    assert ServiceEvent.objects.count() == len(rows) == 1624
    assert RequestFact.objects.count() == 300
    assert HistoryCase.objects.count() == 300
    statuses = Counter(ServiceRequest.objects.values_list("status", flat=True))
    assert statuses == {"completed": 285, "rejected": 11, "in_progress": 2, "returned": 1,
                        "submitted": 1}  # fmt: skip
    # the returns of the file are the returns of the facts
    returned_cases = {r["no_permohonan"] for r in rows if r["hasil"] == "dikembalikan"}
    assert RequestFact.objects.filter(returned=True).count() == len(returned_cases)
    # every event of a step has its step; the submission has none
    assert not ServiceEvent.objects.filter(seq__gt=1, step__isnull=True).exists()
    assert set(ServiceEvent.objects.filter(seq=1).values_list("activity", "outcome")) == {
        ("Pengajuan", Outcome.SUBMITTED)
    }
    # applicant data is not invented
    sr = ServiceRequest.objects.first()
    assert sr is not None
    assert sr.applicant_name == "(riwayat simpel-sukamaju)"
    assert (sr.applicant_contact, sr.applicant_nik_masked) == ("", "")


def test_sample_rerun_is_unchanged_and_writes_nothing(world: SampleWorld) -> None:
    data = SAMPLE.read_bytes()
    onboarding.apply("history", data, SAMPLE.name, agency=world.agency, options=DEFAULT_OPTIONS)
    with CaptureQueriesContext(connection) as queries:
        again = onboarding.apply("history", data, SAMPLE.name, agency=world.agency,
                                 options=DEFAULT_OPTIONS)  # fmt: skip
    assert again.counts["unchanged"] == 300
    assert again.counts["create"] == again.counts["update"] == 0
    writes = [
        q["sql"] for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]  # fmt: skip
    assert len(writes) == 1 and "onboarding_importrun" in writes[0]
    assert ServiceEvent.objects.count() == 1624


# --- hand-checked cases -------------------------------------------------------------------------


def test_completed_within_sla(world: SampleWorld) -> None:
    # KK, standard version 1 (SLA 3): Monday 3 March 2025 to Thursday 6 March = 3 working days.
    run(world, csv_bytes(
        f"K1,sukamaju-kk,Pengajuan,2025-03-03 09:00,{BUDI},diajukan",
        f"K1,sukamaju-kk,Verifikasi berkas,2025-03-04 09:00,{SITI},selesai",
        f"K1,sukamaju-kk,Entri data,2025-03-05 09:00,{SITI},selesai",
        f"K1,sukamaju-kk,Persetujuan,2025-03-05 13:00,{AGUS},selesai",
        f"K1,sukamaju-kk,Pencetakan dokumen,2025-03-06 10:00,{BUDI},",
    ))  # fmt: skip
    sr = request_of("K1")
    assert sr.standard == world.standards[("sukamaju-kk", 1)]
    assert sr.unit == world.units["A8ACA7397AF53912E040640A040269BB"]
    assert sr.status == Status.COMPLETED and sr.current_step is None
    assert sr.submitted_at == local(2025, 3, 3, 9)
    assert sr.finished_at == sr.last_event_at == local(2025, 3, 6, 10)
    assert sr.due_date == date(2025, 3, 6)
    assert sr.event_count == 5 and sr.assigned_officer == world.employees[SITI]
    assert list(sr.events.values_list("seq", "outcome")) == [
        (1, "submitted"),
        (2, "done"),
        (3, "done"),
        (4, "done"),
        (5, "done"),
    ]
    fact = RequestFact.objects.get(request=sr)
    assert (fact.submitted_on, fact.closed_on) == (date(2025, 3, 3), date(2025, 3, 6))
    assert (fact.lead_working_days, fact.sla_working_days, fact.within_sla) == (3, 3, True)
    assert fact.first_time_right is True
    assert fact.last_officer == world.employees[BUDI]


def test_the_standard_in_force_on_the_first_day_judges(world: SampleWorld) -> None:
    # KK version 2 (SLA 1) since 2026: Monday 2 to Wednesday 4 February 2026 = 2 days, late.
    run(world, csv_bytes(
        f"K2,sukamaju-kk,Pengajuan,2026-02-02 10:00,{BUDI},diajukan",
        f"K2,sukamaju-kk,Verifikasi berkas,2026-02-02 11:00,{BUDI},selesai",
        f"K2,sukamaju-kk,Entri data,2026-02-03 09:00,{BUDI},selesai",
        f"K2,sukamaju-kk,Persetujuan,2026-02-03 14:00,{AGUS},selesai",
        f"K2,sukamaju-kk,Pencetakan dokumen,2026-02-04 08:30,{BUDI},selesai",
    ))  # fmt: skip
    sr = request_of("K2")
    assert sr.standard == world.standards[("sukamaju-kk", 2)]
    assert sr.due_date == date(2026, 2, 3)
    fact = RequestFact.objects.get(request=sr)
    assert (fact.lead_working_days, fact.sla_working_days, fact.within_sla) == (2, 1, False)


@pytest.mark.parametrize("explicit_resume", [True, False])
def test_a_return_pauses_the_clock(world: SampleWorld, explicit_resume: bool) -> None:
    # Akta (SLA 5), submitted Monday 7 July 2025, returned Tuesday 8, back Thursday 10: paused
    # 2 working days (9, 10); completed Tuesday 15: lead 6, net 4 <= 5. Due 5 + 2 working days
    # after the 7th: the 16th. Old applications often log no resumption: the next step is it.
    resume = ["A1,sukamaju-akta-lahir,Verifikasi berkas,2025-07-10 09:00,,dilanjutkan"]
    run(world, csv_bytes(
        f"A1,sukamaju-akta-lahir,Pengajuan,2025-07-07 09:00,{BUDI},diajukan",
        f"A1,sukamaju-akta-lahir,Verifikasi berkas,2025-07-08 10:00,{SITI},dikembalikan",
        *(resume if explicit_resume else []),
        f"A1,sukamaju-akta-lahir,Verifikasi berkas,2025-07-10 11:00,{SITI},selesai",
        f"A1,sukamaju-akta-lahir,Entri data,2025-07-11 09:00,{SITI},selesai",
        f"A1,sukamaju-akta-lahir,Persetujuan,2025-07-14 09:00,{AGUS},selesai",
        f"A1,sukamaju-akta-lahir,Pencetakan dokumen,2025-07-15 09:00,{BUDI},selesai",
    ))  # fmt: skip
    sr = request_of("A1")
    assert sr.status == Status.COMPLETED
    assert (sr.paused_working_days, sr.paused_since) == (2, None)
    assert sr.due_date == date(2025, 7, 16)
    fact = RequestFact.objects.get(request=sr)
    assert (fact.lead_working_days, fact.paused_working_days, fact.within_sla) == (6, 2, True)
    assert (fact.returned, fact.first_time_right) == (True, False)


def test_open_cases(world: SampleWorld) -> None:
    run(world, csv_bytes(
        "P1,sukamaju-pbg,Pengajuan,2026-11-02 09:00,,diajukan",
        "P1,sukamaju-pbg,Verifikasi berkas,2026-11-03 09:00,198811092014022004,selesai",
        "P2,Persetujuan Bangunan Gedung,Pengajuan,2026-11-02 09:00,,diajukan",
        "P2,Persetujuan Bangunan Gedung,Verifikasi berkas,2026-11-04 09:00,"
        "198811092014022004,menunggu",
    ))  # fmt: skip
    p1, p2 = request_of("P1"), request_of("P2")
    assert (p1.status, p1.current_step.name) == (Status.IN_PROGRESS, "Pemeriksaan teknis")  # type: ignore[union-attr]
    assert p1.finished_at is None and p1.event_count == 2
    assert (p2.status, p2.paused_since) == (Status.WAITING, local(2026, 11, 4, 9))
    assert p2.current_step.name == "Verifikasi berkas"  # type: ignore[union-attr]
    assert p2.service.code == "sukamaju-pbg"  # found by its name
    fact = RequestFact.objects.get(request=p1)
    assert (fact.closed_on, fact.lead_working_days, fact.within_sla) == (None, None, None)


def test_events_are_sorted_by_time_like_sigap_analyze(world: SampleWorld) -> None:
    run(world, csv_bytes(
        f"S1,sukamaju-kk,Entri data,2025-03-05 09:00,{SITI},selesai",
        f"S1,sukamaju-kk,Pengajuan,2025-03-03 09:00,{BUDI},diajukan",
        f"S1,sukamaju-kk,Verifikasi berkas,2025-03-04 09:00,{SITI},selesai",
    ))  # fmt: skip
    sr = request_of("S1")
    assert list(sr.events.values_list("seq", "activity")) == [
        (1, "Pengajuan"),
        (2, "Verifikasi berkas"),
        (3, "Entri data"),
    ]
    assert sr.current_step.name == "Persetujuan"  # type: ignore[union-attr]


def test_an_unknown_activity_is_kept_without_a_step_with_a_warning(world: SampleWorld) -> None:
    data = csv_bytes(
        f"U1,sukamaju-kk,Pengajuan,2025-03-03 09:00,{BUDI},diajukan",
        f"U1,sukamaju-kk,Cetak ulang,2025-03-03 10:00,{BUDI},selesai",
        f"U1,sukamaju-kk,verifikasi  BERKAS,2025-03-04 09:00,{SITI},selesai",
    )
    plan = dry(world, data)
    assert plan.ok
    assert [(w.row, w.column) for w in plan.warnings] == [(3, "aktivitas")]
    run(world, data)
    sr = request_of("U1")
    assert list(sr.events.values_list("activity", "step__name")) == [
        ("Pengajuan", None),
        ("Cetak ulang", None),
        ("verifikasi  BERKAS", "Verifikasi berkas"),
    ]
    assert sr.current_step.name == "Entri data"  # type: ignore[union-attr]


# --- re-runs ------------------------------------------------------------------------------------

FIRST = (
    f"R1,sukamaju-kk,Pengajuan,2025-03-03 09:00,{BUDI},diajukan",
    f"R1,sukamaju-kk,Verifikasi berkas,2025-03-04 09:00,{SITI},selesai",
)
MORE = (
    f"R1,sukamaju-kk,Entri data,2025-03-05 09:00,{SITI},selesai",
    f"R1,sukamaju-kk,Persetujuan,2025-03-05 13:00,{AGUS},selesai",
    f"R1,sukamaju-kk,Pencetakan dokumen,2025-03-06 10:00,{BUDI},selesai",
)


def test_appended_events_are_added_to_the_request(world: SampleWorld) -> None:
    run(world, csv_bytes(*FIRST))
    sr = request_of("R1")
    first_ids = list(sr.events.values_list("pk", flat=True))
    assert sr.status == Status.IN_PROGRESS
    applied = run(world, csv_bytes(*FIRST, *MORE))
    assert (applied.counts["update"], applied.counts["create"]) == (1, 0)
    sr.refresh_from_db()
    assert ServiceRequest.objects.count() == 1
    assert (sr.status, sr.event_count, sr.finished_at) == (Status.COMPLETED, 5,
                                                           local(2025, 3, 6, 10))  # fmt: skip
    assert list(sr.events.values_list("pk", flat=True))[:2] == first_ids
    assert list(sr.events.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    assert HistoryCase.objects.get(case_id="R1").events == 5
    fact = RequestFact.objects.get(request=sr)
    assert (fact.lead_working_days, fact.within_sla) == (3, True)


def test_changed_earlier_events_are_refused(world: SampleWorld) -> None:
    run(world, csv_bytes(*FIRST))
    changed = FIRST[1].replace("2025-03-04 09:00", "2025-03-04 09:30")
    plan = dry(world, csv_bytes(FIRST[0], changed, *MORE))
    assert where(plan) == [(2, "no_permohonan")]
    assert "differ from those imported before" in plan.errors[0].message


def test_a_request_continued_in_sigap_cannot_be_extended(world: SampleWorld) -> None:
    run(world, csv_bytes(*FIRST))
    ServiceRequest.objects.update(event_count=3)  # as if an officer had recorded a step since
    plan = dry(world, csv_bytes(*FIRST, *MORE))
    assert where(plan) == [(2, "no_permohonan")]


# --- refusals, each where it is -----------------------------------------------------------------

GOOD = f"G1,sukamaju-kk,Pengajuan,2025-03-03 09:00,{BUDI},diajukan"


@pytest.mark.parametrize(
    ("rows", "expected", "says"),
    [
        ((GOOD, f"B1,sukamaju-ktp,Pengajuan,2025-03-03 09:00,{BUDI},diajukan"),
         [(3, "layanan")], "Unknown service"),
        ((GOOD, f"B1,sukamaju-kk,Pengajuan,3 Maret 2025,{BUDI},diajukan"),
         [(3, "waktu")], "unparseable timestamp"),
        ((GOOD, f"B1,sukamaju-kk,Pengajuan,2031-03-03 09:00,{BUDI},diajukan"),
         [(3, "waktu")], "in the future"),
        ((GOOD, "B1,sukamaju-kk,Pengajuan,2025-03-03 09:00,196001011990031001,diajukan"),
         [(3, "nip_petugas")], "196001011990031001 is not an employee"),
        ((GOOD, f"B1,sukamaju-kk,Pengajuan,2025-03-03 09:00,{BUDI},beres"),
         [(3, "hasil")], "Unknown result"),
        ((GOOD, f"B1,sukamaju-kk,Entri data,2025-03-03 09:00,{BUDI},selesai"),
         [(3, "aktivitas")], "not the submission"),
        ((GOOD, f"B1,sukamaju-kk,Pengajuan,2025-03-03 09:00,{BUDI},diajukan",
          f"B1,sukamaju-kk,Verifikasi berkas,2025-03-04 09:00,{BUDI},ditolak",
          f"B1,sukamaju-kk,Entri data,2025-03-05 09:00,{BUDI},selesai"),
         [(5, "aktivitas")], "already ended"),
        ((GOOD, f"B1,sukamaju-kk,Pengajuan,2024-06-03 09:00,{BUDI},diajukan"),
         [(3, "waktu")], "No service standard"),
        ((GOOD, f"B1,sukamaju-kk,Pengajuan,2025-03-03 09:00,{BUDI},diajukan",
          f"B1,sukamaju-pbg,Verifikasi berkas,2025-03-04 09:00,{BUDI},selesai"),
         [(4, "layanan")], "another service"),
        ((GOOD, f",sukamaju-kk,Pengajuan,2025-03-03 09:00,{BUDI},diajukan"),
         [(3, "no_permohonan")], "empty value"),
        # A step the file lists after the submission but dated before it: the case goes back
        # in time, and its first event in time is not the submission.
        ((GOOD, f"B1,sukamaju-kk,Pengajuan,2025-03-03 09:00,{BUDI},diajukan",
          f"B1,sukamaju-kk,Verifikasi berkas,2025-03-02 09:00,{BUDI},selesai"),
         [(4, "waktu")], "goes back in time: this event (2025-03-02 09:00) is dated before its "
         "submission at row 3 (2025-03-03 09:00)"),
    ],
)  # fmt: skip
def test_bad_rows_are_refused_where_they_are(
    world: SampleWorld, rows: tuple[str, ...], expected: list[tuple[int, str]], says: str
) -> None:
    data = csv_bytes(*rows)
    plan = dry(world, data)
    assert where(plan) == expected
    assert plan.errors[0].file == "riwayat.csv"
    assert says in plan.errors[0].message
    with pytest.raises(onboarding.ImportRefused) as refused:
        run(world, data)
    assert [(p.row, p.column) for p in refused.value.problems] == expected
    # all or nothing: the good case was not written either
    assert ServiceRequest.objects.count() == ServiceEvent.objects.count() == 0
    assert HistoryCase.objects.count() == 0
    assert not ImportRun.objects.filter(applied=True).exists()


def test_bad_options_are_refused(world: SampleWorld) -> None:
    assert dry(world, csv_bytes(GOOD), {"source": ""}).errors[0].message.startswith("Name the")
    plan = dry(world, csv_bytes(GOOD), {"source": "x", "mapping": {"timestamp": "tanggal"}})
    assert where(plan) == [(0, "tanggal")]
    assert "no such column (mapped as timestamp)" in plan.errors[0].message


# --- after the import, the analyses count the requests -------------------------------------------


def test_the_analytics_refresh_counts_the_imported_requests(
    world: SampleWorld, tmp_path: Path
) -> None:
    from sigap.performance.models import UnitServicePerformance
    from sigap.performance.services import performance_refresh

    onboarding.apply("history", SAMPLE.read_bytes(), SAMPLE.name, agency=world.agency,
                     options=DEFAULT_OPTIONS)  # fmt: skip
    performance_refresh(tmp_path / "store", min_cases=1)
    kk = world.services["sukamaju-kk"]
    row = UnitServicePerformance.objects.get(unit=kk.unit, service=kk)
    assert row.volume == ServiceRequest.objects.filter(service=kk).count() > 100
