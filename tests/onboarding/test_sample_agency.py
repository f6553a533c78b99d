"""docs/onboarding.md, run: a small agency onboarded from the committed sample files into an
empty database, through the command line as the page says, until its pages show its history.

Every step runs as a dry run first (nothing written), then applied; then every file again
(nothing changes). The results are computed by the same commands the nightly jobs run, and the
pages are read as the people who will use them.
"""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from sigap.accounts.models import RoleAssignment
from sigap.accounts.services import seed_role_assignment
from sigap.catalogue.models import Service, ServiceStandard
from sigap.complaints.models import Complaint
from sigap.leadership.models import ServiceScorecard
from sigap.onboarding.models import HistoryCase, ImportRun
from sigap.organisation.models import Agency, Employee, Unit
from sigap.performance.models import UnitServicePerformance
from sigap.service_requests.models import RequestFact, ServiceEvent, ServiceRequest

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "onboarding" / "samples"
HISTORY_SOURCE = "simpel-dukcapil"

# (kind, sample file, extra options), in the order of docs/onboarding.md.
STEPS = [
    ("units", "unor.json", []),
    ("employees", "siasn-export-asn.csv", []),
    ("accounts", "akun.csv", []),
    ("standards", "standar-pelayanan.xlsx", []),
    ("history", "riwayat-permohonan.csv", ["--option", f"source={HISTORY_SOURCE}"]),
]


def onboard(*args: object) -> str:
    out = StringIO()
    call_command("onboard", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "employees": Employee.objects.count(),
        "users": get_user_model().objects.count(),
        "roles": RoleAssignment.objects.count(),
        "services": Service.objects.count(),
        "standards": ServiceStandard.objects.count(),
        "requests": ServiceRequest.objects.count(),
        "events": ServiceEvent.objects.count(),
        "complaints": Complaint.objects.count(),
    }


def sample_history() -> tuple[int, int, dict[str, int]]:
    """Cases, events and cases per service of the sample history, read with the csv module."""
    with (SAMPLES / "riwayat-permohonan.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    services: dict[str, set[str]] = {}
    for row in rows:
        services.setdefault(row["layanan"], set()).add(row["no_permohonan"])
    cases = {row["no_permohonan"] for row in rows}
    return len(cases), len(rows), {code: len(ids) for code, ids in services.items()}


@pytest.mark.django_db
def test_a_small_agency_goes_live_from_the_sample_files(tmp_path, settings, client):
    settings.VAR_DIR = tmp_path
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    assert set(counts().values()) == {0}  # an empty database

    out = onboard(
        "agency", "--code", "sukamaju", "--name", "Kabupaten Sukamaju",
        "--kind", "kabupaten", "--region-code", "32.19",
    )  # fmt: skip
    assert "Kabupaten Sukamaju" in out
    agency = Agency.objects.get(code="sukamaju")
    assert agency.region_code == "32.19"

    for kind, name, extra in STEPS:
        before = counts()
        dry = onboard(kind, SAMPLES / name, "--agency", "sukamaju", *extra)
        assert counts() == before, f"the dry run of {kind} wrote something"
        assert "--apply" in dry
        onboard(kind, SAMPLES / name, "--agency", "sukamaju", *extra, "--apply")
        assert counts() != before, f"{kind} wrote nothing"

    # The whole agency as the samples describe it (docs/onboarding/samples/README.md).
    assert Unit.objects.filter(agency=agency).count() == 7
    root = Unit.objects.get(agency=agency, parent__isnull=True)
    assert root.name == "Pemerintah Kabupaten Sukamaju"
    pelayanan = Unit.objects.get(siasn_id="A8ACA7397AF53912E040640A040269BB")
    assert pelayanan.parent.siasn_id == "A8ACA7397AF43912E040640A040269BB"
    assert Employee.objects.filter(unit__agency=agency).count() == 20
    agus = Employee.objects.get(nip="197806102005011003")
    assert agus.unit == pelayanan and agus.user is not None
    assert Employee.objects.filter(status="pppk").count() >= 2
    kk = Service.objects.get(code="sukamaju-kk")
    assert [s.sla_working_days for s in kk.standards.order_by("valid_from")] == [3, 1]
    assert all(s.product_signed for s in ServiceStandard.objects.all())

    cases, events, per_service = sample_history()
    assert ServiceRequest.objects.count() == HistoryCase.objects.count() == cases
    assert ServiceEvent.objects.count() == events
    assert RequestFact.objects.count() == cases
    for code, n in per_service.items():
        assert ServiceRequest.objects.filter(service__code=code).count() == n
    # Judged against the standard in force on its first day: KK version 1 in 2025, 2 in 2026.
    for request in ServiceRequest.objects.filter(service=kk).select_related("standard"):
        expected = 3 if request.submitted_at.year == 2025 else 1
        assert request.standard.sla_working_days == expected

    # Every file again: nothing changes.
    before = counts()
    for kind, name, extra in STEPS:
        onboard(kind, SAMPLES / name, "--agency", "sukamaju", *extra, "--apply")
        run = ImportRun.objects.filter(agency=agency, kind=kind, applied=True).first()
        assert run is not None and run.counts["unchanged"] > 0, kind
        assert (run.counts["create"], run.counts["update"], run.counts["deactivate"]) == (0, 0, 0)
    assert counts() == before
    assert ImportRun.objects.filter(agency=agency, applied=True).count() == 2 * len(STEPS)

    # Complaints from SP4N-LAPOR!, imported as the Inspektorat.
    inspector = get_user_model().objects.create_user("inspektur.sukamaju")
    seed_role_assignment(user=inspector, role="inspector", unit=root)
    onboard(
        "lapor", SAMPLES / "lapor-laporan.csv", "--agency", "sukamaju",
        "--as", "inspektur.sukamaju", "--apply",
    )  # fmt: skip
    lapor = Complaint.objects.exclude(lapor_tracking_id="")
    assert lapor.count() >= 10
    assert all(c.unit.agency_id == agency.id for c in lapor)

    # The nightly jobs.
    call_command("analytics", "refresh", "--store", tmp_path / "analytics", stdout=StringIO())
    call_command("leadership", "refresh", "--as-of", "2026-11-30", stdout=StringIO())

    # Service performance counts the imported history, the same requests the database holds.
    perf = UnitServicePerformance.objects.get(unit=pelayanan, service=kk)
    assert perf.volume == per_service["sukamaju-kk"]
    closed = ServiceRequest.objects.filter(service=kk, finished_at__isnull=False).count()
    assert perf.closed == closed
    assert perf.sla_cases > 0 and perf.bottlenecks.exists()
    assert ServiceScorecard.objects.filter(service=kk).exists()

    # The unit head reads the unit's service performance and the process of its service.
    client.force_login(agus.user)
    page = client.get("/kinerja-layanan/")
    assert page.status_code == 200
    assert "Penerbitan Kartu Keluarga" in page.content.decode()
    detail = client.get(f"/kinerja-layanan/{perf.pk}/")
    assert detail.status_code == 200
    assert "Verifikasi berkas" in detail.content.decode()
    scorecard = client.get(f"/pimpinan/unit/{pelayanan.pk}/")
    assert scorecard.status_code == 200
    assert "Penerbitan Kartu Keluarga" in scorecard.content.decode()

    # The public: the unit's transparency page and the open data.
    client.logout()
    public = client.get(f"/transparansi/{pelayanan.code}/")
    assert public.status_code == 200
    assert "Penerbitan Kartu Keluarga" in public.content.decode()
    catalogue = client.get("/data/api/3/action/package_list").json()
    assert "sukamaju-standar-pelayanan" in catalogue["result"]
