"""Every page of the permission matrix, as every demo role: `bench/pages.py --crawl`.

    .venv/bin/python bench/pages.py --crawl [--tries 3] [--only request_list]

On the full demo in var/ (`sigap demo`), in process through Django's test Client (the whole
middleware stack, the view, the templates; no socket): every GET view of the permission matrix
(tests/test_permission_matrix.py, so a new page is crawled as soon as it has its row there), with
the demo's own objects in its URL (the busiest counter, its busiest service, a request of that
counter with a complaint, the officer's SKP...), as an anonymous visitor and as each of the seven
demo log-ins. Each page is asked once to warm up, then `--tries` times; the median counts. The
home page, asked the same way as the same role in the same run, is the yardstick: each row
prints its ratio to it.

Whatever the status (200, or the 302/403/404 a role gets): the time is what that role waits.
Each request runs in a transaction that is rolled back, so the crawl leaves the demo as it was
(a tracking look-up, the session's last-seen stamp...).

Prints one row per page and role (median ms, ratio to home, HTTP status, SQL queries), then a
summary: pages, how many over 100 ms, p50, p95, the slowest. Exit status 1 when a page is over
100 ms or answers 5xx.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100.0
ANON = "(anonymous)"
ROLES = [
    ANON,
    "demo.petugas",
    "demo.kepala",
    "demo.bkpsdm",
    "demo.inspektur",
    "demo.ombudsman",
    "demo.pimpinan",
    "demo.admin",
]
MISSING = 999999  # an object that does not exist: the page's 404 for those who may look


@dataclass
class Row:
    role: str
    view: str
    path: str
    status: int = 0
    queries: int = 0
    median_ms: float = 0.0
    home_ms: float = 0.0


def matrix_get_views() -> list[str]:
    """The GET views of the permission matrix (the tests' own list)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.test_permission_matrix import MATRIX

    return sorted(name for name, (method, _) in MATRIX.items() if method == "get")


def _last_quarter(today: date) -> str:
    q = (today.month - 1) // 3  # the quarter before this one, 0 = last year's Q4
    return f"{today.year - 1}-Q4" if q == 0 else f"{today.year}-Q{q}"


def demo_urls() -> dict[str, str]:
    """Each GET view's URL with the demo's objects in it."""
    from django.utils import timezone

    from sigap.appraisals.models import PerformancePlan
    from sigap.complaints.models import Complaint
    from sigap.integrity.models import IntegritySignal
    from sigap.organisation.models import Employee
    from sigap.performance.models import UnitServicePerformance
    from sigap.privacy.models import Breach, PrivacyRequest
    from sigap.service_requests.models import ServiceRequest
    from sigap.whistleblowing.models import Report

    officer = Employee.objects.select_related("unit").filter(user__username="demo.petugas").first()
    if officer is None:
        sys.exit("crawl: no demo.petugas: build the demo (`sigap demo`)")
    unit = officer.unit
    complaint = (
        Complaint.objects.filter(service_request__unit=unit).order_by("-pk").first()
        or Complaint.objects.order_by("-pk").first()
    )
    request = (
        complaint.service_request
        if complaint is not None and complaint.service_request is not None
        else ServiceRequest.objects.filter(unit=unit).order_by("-submitted_at").first()
    )
    if request is None:
        sys.exit("crawl: no service request in the demo counter: build the demo (`sigap demo`)")
    code, service = request.receipt_code, request.service
    complaint_code = complaint.receipt_code if complaint is not None else "X" * 10
    year = (
        PerformancePlan.objects.filter(employee=officer)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
        or timezone.localdate().year
    )
    period = _last_quarter(timezone.localdate())

    def pk(model: Any, **filters: Any) -> int:
        found = model.objects.filter(**filters).order_by("-pk").values_list("pk", flat=True)
        return int(found.first() or MISSING)

    u, e = unit.pk, officer.pk
    return {
        "survey_form": f"/skm/{service.code}/",
        "survey_thanks": "/skm/terima-kasih/",
        "survey_for_receipt": f"/skm/kode/{code}/",
        "survey_qr": f"/skm/{service.code}/qr.svg",
        "survey_poster": f"/skm/{service.code}/poster/",
        "ikm_public": "/ikm/",
        "ikm_results": "/skm/hasil/",
        "skm_report": f"/skm/laporan/{u}/{period}.pdf",
        "skm_follow_up": f"/skm/rencana/{u}/{period}/",
        "complaint_new": "/pengaduan/baru/",
        "complaint_status_lookup": "/pengaduan/status/",
        "complaint_status": f"/pengaduan/status/{complaint_code}/",
        "complaint_list": "/pengaduan/",
        "complaint_detail": f"/pengaduan/{complaint_code}/",
        "openapi-json": "/api/v1/openapi.json",
        "api-root": "/api/v1/",
        "api_services": "/api/v1/services",
        "api_survey_elements": "/api/v1/surveys/elements",
        "api_ikm": "/api/v1/ikm",
        "api_complaint_status": f"/api/v1/complaints/{complaint_code}",
        "open311_discovery": "/open311/v2/discovery.xml",
        "open311_services": "/open311/v2/services.json",
        "open311_service_definition": f"/open311/v2/services/{service.code}.xml",
        "open311_request": f"/open311/v2/requests/{complaint_code}.json",
        "open311_token": f"/open311/v2/tokens/{complaint_code}.xml",
        "open311_request_updates": "/open311/v2/servicerequestupdates.xml",
        "home": "/",
        "login": "/masuk/",
        "two_factor_verify": "/masuk/verifikasi/",
        "two_factor_recovery": "/masuk/kode-cadangan/",
        "two_factor_enrol": "/masuk/dua-langkah/",
        "two_factor_qr": "/masuk/dua-langkah/qr.svg",
        "track": "/lacak/",
        "track_code": f"/lacak/{code}/",
        "queue": "/antrian/",
        "request_detail": f"/permohonan/{code}/",
        "request_intake": "/permohonan/baru/",
        "request_list": "/permohonan/",
        "employee_directory": "/pegawai/",
        "request_receipt": f"/permohonan/{code}/tanda-terima/",
        "audit_log": "/inspektorat/jejak-audit/",
        "wbs_report": "/lapor/",
        "wbs_followup": "/lapor/tindak-lanjut/",
        "wbs_case_list": "/inspektorat/wbs/",
        "wbs_case_detail": f"/inspektorat/wbs/{pk(Report)}/",
        "wbs_attachment": f"/inspektorat/wbs/{pk(Report)}/lampiran/{MISSING}/",
        "wbs_grants": "/inspektorat/wbs/pemberian-akses/",
        "inspectorate_dashboard": "/inspektorat/",
        "ombudsman_view": "/ombudsman/",
        "integrity_signal": f"/inspektorat/sinyal/{pk(IntegritySignal)}/",
        "service_performance": "/kinerja-layanan/",
        "service_performance_detail": (
            f"/kinerja-layanan/{pk(UnitServicePerformance, unit=unit, service=service)}/"
        ),
        "appraisal_overview": "/kinerja/",
        "appraisal_employee": f"/kinerja/pegawai/{e}/{year}/",
        "appraisal_pdf": f"/kinerja/pegawai/{e}/{year}/skp.pdf",
        "appraisal_recap": "/kinerja/rekap.xlsx",
        "calibration": "/kinerja/kalibrasi/",
        "talent": "/kinerja/talenta/",
        "potential_import": "/kinerja/potensi/",
        "discipline": "/kinerja/disiplin/",
        "transparency:index": "/transparansi/",
        "transparency:index_period": f"/transparansi/periode/{period}/",
        "transparency:unit": f"/transparansi/{unit.code}/",
        "transparency:unit_period": f"/transparansi/{unit.code}/{period}/",
        "leadership:scorecard": "/pimpinan/",
        "leadership:unit": f"/pimpinan/unit/{u}/",
        "leadership:service": f"/pimpinan/unit/{u}/layanan/{service.pk}/",
        "leadership:roadmap": "/pimpinan/peta-jalan/",
        "leadership:roadmap_unit": f"/pimpinan/peta-jalan/unit/{u}/",
        "privacy_notice": "/privasi/",
        "privacy_request_new": "/privasi/permintaan/",
        "privacy_request_status": "/privasi/permintaan/status/",
        "privacy_queue": "/privasi/antrian/",
        "privacy_request_detail": f"/privasi/antrian/{pk(PrivacyRequest)}/",
        "privacy_breach_list": "/privasi/insiden/",
        "privacy_breach_new": "/privasi/insiden/baru/",
        "privacy_breach_detail": f"/privasi/insiden/{pk(Breach)}/",
        "privacy_breach_letter": f"/privasi/insiden/{pk(Breach)}/surat/subjects/",
    }


def _clients() -> dict[str, Any]:
    """A test Client per role; staff sessions count as past the second factor (as in tests)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from sigap.signin.services import mark_verified

    out: dict[str, Any] = {}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if role != ANON:
            if role not in users:
                sys.exit(f"crawl: no user {role}: build the demo (`sigap demo`)")
            client.force_login(users[role])
            session = client.session
            mark_verified(session, users[role])
            session.save()
        out[role] = client
    return out


def _timed(client: Any, path: str, tries: int) -> tuple[int, int, float]:
    """(status, SQL queries, median ms) of `tries` GETs after one warm-up, each rolled back."""
    from django.db import connection, transaction

    def once() -> tuple[int, float]:
        with transaction.atomic():
            started = time.perf_counter()
            status = client.get(path).status_code
            ms = (time.perf_counter() - started) * 1000
            transaction.set_rollback(True)
        return status, ms

    # Counted by a wrapper, not from connection.queries: each request resets that log.
    sql: list[str] = []

    def count(execute: Any, query: str, *args: Any) -> Any:
        sql.append(query)
        return execute(query, *args)

    with connection.execute_wrapper(count):
        status, _ = once()
    times = [once()[1] for _ in range(tries)]
    control = ("BEGIN", "ROLLBACK", "COMMIT", "SAVEPOINT", "RELEASE")  # the crawl's own
    queries = sum(1 for q in sql if not q.upper().startswith(control))
    return status, queries, statistics.median(times)


def crawl(*, tries: int = 3, only: str = "") -> int:
    from django.test.utils import setup_test_environment

    from sigap.service_requests.models import ServiceRequest

    setup_test_environment()  # the test Client's host passes ALLOWED_HOSTS
    views = matrix_get_views()
    urls = demo_urls()
    missing = [v for v in views if v not in urls]
    if missing:
        print(f"crawl: no demo URL for {', '.join(missing)} (add it to demo_urls)", file=sys.stderr)
    views = [v for v in views if v in urls and only in v]
    clients = _clients()
    load_before = os.getloadavg()
    started = time.monotonic()
    rows: list[Row] = []
    for role in ROLES:
        _, _, home = _timed(clients[role], "/", tries)
        for view in views:
            status, queries, ms = _timed(clients[role], urls[view], tries)
            rows.append(Row(role, view, urls[view], status, queries, ms, home))
    load_after = os.getloadavg()
    return report(
        rows,
        requests=ServiceRequest.objects.count(),
        tries=tries,
        seconds=time.monotonic() - started,
        load=(load_before, load_after),
    )


def report(
    rows: list[Row],
    *,
    requests: int,
    tries: int,
    seconds: float,
    load: tuple[tuple[float, ...], tuple[float, ...]],
) -> int:
    print(
        f"\n{len(rows)} pages ({len({r.view for r in rows})} views x {len(ROLES)} roles) on "
        f"{requests:,} requests; median of {tries} tries after one warm-up, in process; "
        f"ms and the ratio to the home page as the same role"
    )
    head = f"{'view':<30} {'role':<16} {'HTTP':>4} {'SQL':>4} {'ms':>8} {'x home':>7}  path"
    print(head)
    print("-" * len(head))
    for r in sorted(rows, key=lambda r: (r.view, ROLES.index(r.role))):
        flag = "  <-- over" if r.median_ms > TARGET_MS else ""
        print(
            f"{r.view[:30]:<30} {r.role:<16} {r.status:>4} {r.queries:>4} {r.median_ms:>8.1f} "
            f"{r.median_ms / r.home_ms:>7.1f}  {r.path}{flag}"
        )
    times = sorted(r.median_ms for r in rows)
    homes: Callable[[str], float] = lambda role: next(r.home_ms for r in rows if r.role == role)  # noqa: E731
    over = [r for r in rows if r.median_ms > TARGET_MS]
    errors = [r for r in rows if r.status >= 500]
    p95 = statistics.quantiles(times, n=100, method="inclusive")[94] if len(times) > 1 else times[0]
    print()
    print("home page (ms): " + ", ".join(f"{role} {homes(role):.1f}" for role in ROLES))
    print(
        f"summary: {len(rows)} pages, {len(over)} over {TARGET_MS:.0f} ms, "
        f"{sum(1 for t in times if t <= 36)} within 36 ms; p50 {statistics.median(times):.1f} ms, "
        f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms; {len(errors)} 5xx; {seconds:.0f} s; "
        f"load average {load[0][0]:.2f} before, {load[1][0]:.2f} after"
    )
    for r in sorted(rows, key=lambda r: -r.median_ms)[:5]:
        print(f"  slowest: {r.view} as {r.role}: {r.median_ms:.1f} ms (HTTP {r.status})")
    return 1 if over or errors else 0
