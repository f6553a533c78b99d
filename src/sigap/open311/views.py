"""Open311 GeoReport v2 at /open311/v2/ (docs: ../shared/docs/open311.md, compatibility checklist).

A GeoReport "service request" is a sigap complaint about a catalogue service: the service list
is the catalogue, POST files a complaint (api_key required), and GET reads complaints publicly
(no reporter data; the description only when it was itself posted through Open311, and never
for confidential complaints). `expected_datetime` is the running SP4N deadline (end of that
working day), `agency_responsible` the unit. sigap is a single jurisdiction: an empty
`jurisdiction_id` is treated as absent, and so is any request without one.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from sigap.api.keys import api_key_check
from sigap.api.models import Scope
from sigap.catalogue.models import Service
from sigap.complaints import services as complaint_services
from sigap.complaints.models import CLOSED, Category, Channel, Complaint, ComplaintEvent
from sigap.complaints.views import reporter_url
from sigap.open311.formats import error, render
from sigap.throttling import ratelimit
from sigap.web import formatting

SPEC = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ("xml", "json")
MAX_SPAN = timedelta(days=90)
DEFAULT_LIMIT = 1000
CHANGESET = "2026-11-27T00:00:00+07:00"


def _jurisdiction() -> str:
    return str(settings.SIGAP.get("OPEN311_JURISDICTION", "sigap.local"))


def _param(request: HttpRequest, name: str) -> str:
    # POST clients put api_key/jurisdiction_id in the query string (open311 1.1) or the body.
    value = request.POST.get(name, "") if request.method == "POST" else ""
    return (value or request.GET.get(name, "")).strip()


def _check(request: HttpRequest, fmt: str) -> HttpResponse | None:
    if fmt not in FORMATS:
        return error("xml", 400, f"Unknown format “{fmt[:10]}”; use .xml or .json.")
    params = [*request.GET.values(), *(request.POST.values() if request.method == "POST" else ())]
    if any("\x00" in value for value in params):
        return error(fmt, 400, "Parameters may not contain NUL characters.")
    jurisdiction = _param(request, "jurisdiction_id")
    if jurisdiction and jurisdiction != _jurisdiction():
        return error(fmt, 404, f"jurisdiction_id “{jurisdiction[:60]}” not found.")
    return None


def _w3c(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _end_of(day: date | None) -> str | None:
    if day is None:
        return None
    tz = timezone.get_current_timezone()
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz).isoformat(timespec="seconds")


@csrf_exempt
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    if failed := _check(request, fmt):
        return failed
    base = request.build_absolute_uri("/open311/v2/")
    body = {
        "changeset": CHANGESET,
        "contact": "Pengaduan: gunakan /pengaduan/baru/ atau SP4N-LAPOR!",
        "key_service": "API keys are issued by the agency administrator (sigap apikey).",
        "endpoints": [
            {
                "specification": SPEC,
                "url": base.rstrip("/"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", body)


def _service_row(s: Service) -> dict[str, Any]:
    return {
        "service_code": s.code,
        "service_name": s.name,
        "description": s.description or s.name,
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(filter(None, ("pengaduan", s.unit.name))),
        "group": s.unit.name,
    }


@csrf_exempt
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if failed := _check(request, fmt):
        return failed
    rows = Service.objects.filter(is_active=True).select_related("unit").order_by("code")
    return render(fmt, "services", [_service_row(s) for s in rows])


@csrf_exempt
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if failed := _check(request, fmt):
        return failed
    if not Service.objects.filter(code=code, is_active=True).exists():
        return error(fmt, 404, f"service_code “{code[:60]}” not found.")
    body = {
        "service_code": code,
        "attributes": [
            {
                "variable": True,
                "code": "category",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": None,
                "order": 1,
                "description": "Jenis pengaduan",
                "values": [{"key": k, "name": str(v)} for k, v in Category.choices],
            },
            {
                "variable": True,
                "code": "receipt_code",
                "datatype": "string",
                "required": False,
                "datatype_description": "Nomor registrasi permohonan (10 karakter)",
                "order": 2,
                "description": "Nomor registrasi permohonan yang diadukan",
                "values": [],
            },
        ],
    }
    return render(fmt, "service_definition", body)


def _attribute(request: HttpRequest, code: str) -> str:
    return (
        request.POST.get(f"attribute[{code}]") or request.POST.get(f"attribute[{code}][]") or ""
    ).strip()


def _post(request: HttpRequest, fmt: str) -> HttpResponse:
    if api_key_check(_param(request, "api_key"), Scope.OPEN311_POST) is None:
        return error(fmt, 403, "api_key is missing or not valid.")
    decision = ratelimit.hit(request, "open311")
    if not decision.allowed:
        response = error(
            fmt, 429, f"Too many requests from this address; retry in {decision.retry_after} s."
        )
        response["Retry-After"] = str(decision.retry_after)
        return response
    data = request.POST
    code = data.get("service_code", "").strip()
    if not code:
        return error(fmt, 400, "service_code is required.")
    service = Service.objects.filter(code=code, is_active=True).select_related("unit").first()
    if service is None:
        return error(fmt, 404, f"service_code “{code[:60]}” not found.")
    lat, long = data.get("lat", "").strip(), data.get("long", "").strip()
    address = data.get("address_string", "").strip() or data.get("address_id", "").strip()
    if not ((lat and long) or address):
        return error(
            fmt, 400, "A location is required: lat and long, address_string or address_id."
        )
    name = " ".join(filter(None, (data.get("first_name", "").strip(),
                                  data.get("last_name", "").strip())))  # fmt: skip
    contact = data.get("email", "").strip() or data.get("phone", "").strip()
    category = _attribute(request, "category") or Category.OTHER
    try:
        complaint = complaint_services.complaint_submit(
            category=category,
            description=data.get("description", "").strip() or service.name,
            reporter=complaint_services.Reporter(
                name=name, contact=contact, anonymous=not name
            ),
            service=service,
            receipt_code=_attribute(request, "receipt_code"),
            location=complaint_services.Location(
                address=address, lat=lat or None, long=long or None,
                media_url=data.get("media_url", "").strip(),
            ),
            channel=Channel.OPEN311,
            client_hash=ratelimit.client_hash(request, "complaint"),
        )  # fmt: skip
    except ValidationError as exc:
        return error(fmt, 400, _post_message(exc))
    due = formatting.long_date(complaint.verify_due, "id")
    notice = f"Diverifikasi paling lambat {due} ({formatting.working_days(3, 0, 'id')})."
    # sigap extension, in this reply only (never in a listing): the reporter's link, the one
    # thing that lets the reporter reply, accept or reopen. The client passes it on to them.
    row = {
        "service_request_id": complaint.receipt_code,
        "service_notice": notice,
        "reporter_url": reporter_url(request, complaint),
    }
    return render(fmt, "service_requests", [row])


# sigap's own field names → the GeoReport parameter the client sent.
POST_FIELDS = {
    "reporter_name": "first_name/last_name",
    "reporter_contact": "email/phone",
    "address": "address_string",
    "receipt_code": "attribute[receipt_code]",
    "category": "attribute[category]",
}


def _post_message(exc: ValidationError) -> str:
    """The refusal as GeoReport parameters and our own sentences (never an exception's text)."""
    if not hasattr(exc, "error_dict"):
        return "The request could not be accepted; check the parameters."
    parts = []
    for field, messages in exc.message_dict.items():
        parts.append(f"{POST_FIELDS.get(field, field)}: {messages[0]}")
    return "; ".join(parts)


def _public(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return qs.filter(service__isnull=False, is_confidential=False)


def _status_notes(complaints: list[Complaint]) -> dict[int, str]:
    """The latest note staff wrote for the reporter, per complaint (one query)."""
    rows = (
        ComplaintEvent.objects.filter(
            complaint_id__in=[c.pk for c in complaints], public=True, actor="staff"
        )
        .exclude(note="")
        .order_by("complaint_id", "seq")
        .values_list("complaint_id", "note")
    )
    return dict(rows)  # later rows (higher seq) win


def _rows(complaints: list[Complaint]) -> list[dict[str, Any]]:
    notes = _status_notes(complaints)
    return [_request_row(c, notes.get(c.pk)) for c in complaints]


def _request_row(c: Complaint, notes: str | None) -> dict[str, Any]:
    closed = c.status in CLOSED
    row: dict[str, Any] = {
        "service_request_id": c.receipt_code,
        "status": "closed" if closed else "open",
        "status_notes": notes,
        "service_name": c.service.name if c.service else None,
        "service_code": c.service.code if c.service else None,
        "description": c.description
        if c.channel == Channel.OPEN311
        else str(c.get_category_display()),
        "agency_responsible": c.unit.name,
        "service_notice": None,
        "requested_datetime": _w3c(c.submitted_at),
        "updated_datetime": _w3c(c.closed_at if closed and c.closed_at else c.last_event_at),
        "expected_datetime": None if closed else _end_of(c.due),
        "address": c.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": float(c.lat) if c.lat is not None else None,
        "long": float(c.long) if c.long is not None else None,
        "media_url": c.media_url or None,
    }
    return row


class BadParameter(ValueError):
    """A query parameter the client got wrong; the message is ours, fixed, and names it."""


# Dates outside these years are refused before any arithmetic: year 1 or 9999 would overflow
# when shifted by a time zone or by the 90-day window, and no complaint is dated there.
YEARS = (1970, 2100)


def _parse_w3c(value: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadParameter(
            f"{name} is not a W3C datetime (e.g. 2026-01-31T08:00:00+07:00)."
        ) from None
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise BadParameter(f"{name} must be between the years {YEARS[0]} and {YEARS[1]}.")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _int(value: str, default: int, low: int, high: int, name: str) -> int:
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise BadParameter(f"{name} must be a whole number from {low} to {high}.")
    return max(low, min(high, int(value)))


def _get_many(request: HttpRequest, fmt: str) -> HttpResponse:
    q = request.GET
    qs = _public(Complaint.objects.all()).select_related("service", "unit")
    ids = [i.strip() for i in q.get("service_request_id", "").split(",") if i.strip()]
    try:
        page = _int(q.get("page", ""), 1, 1, 100000, "page")
        size = _int(q.get("page_size", ""), DEFAULT_LIMIT, 1, DEFAULT_LIMIT, "page_size")
        if ids:  # overrides every other argument
            qs = qs.filter(receipt_code__in=ids[:DEFAULT_LIMIT])
        else:
            codes = [c.strip() for c in q.get("service_code", "").split(",") if c.strip()]
            if codes:
                qs = qs.filter(service__code__in=codes)
            start = _parse_w3c(q["start_date"], "start_date") if q.get("start_date") else None
            end = _parse_w3c(q["end_date"], "end_date") if q.get("end_date") else None
            if start and end and end - start > MAX_SPAN:
                raise BadParameter("start_date to end_date may span at most 90 days.")
            if start and end and end < start:
                raise BadParameter("end_date is before start_date.")
            if start is None and end is None:
                start = timezone.now() - MAX_SPAN
            elif start is None:
                assert end is not None
                start = end - MAX_SPAN
            qs = qs.filter(submitted_at__gte=start)
            if end is not None:
                qs = qs.filter(submitted_at__lte=end)
            statuses = {s.strip() for s in q.get("status", "").split(",") if s.strip()}
            if statuses - {"open", "closed"}:
                raise BadParameter("status is open, closed, or both comma-separated.")
            if statuses == {"open"}:
                qs = qs.exclude(status__in=CLOSED)
            elif statuses == {"closed"}:
                qs = qs.filter(status__in=CLOSED)
    except BadParameter as exc:
        return error(fmt, 400, str(exc))
    rows = list(qs.order_by("-submitted_at")[(page - 1) * size : page * size])
    return render(fmt, "service_requests", _rows(rows))


@csrf_exempt
def requests_collection(request: HttpRequest, fmt: str) -> HttpResponse:
    if failed := _check(request, fmt):
        return failed
    if request.method == "POST":
        return _post(request, fmt)
    if request.method not in ("GET", "HEAD"):
        return error(fmt, 400, "Use GET or POST.")
    return _get_many(request, fmt)


@csrf_exempt
def request_one(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    if failed := _check(request, fmt):
        return failed
    c = (
        _public(Complaint.objects.filter(receipt_code=request_id))
        .select_related("service", "unit")
        .first()
    )
    if c is None:
        return error(fmt, 404, f"service_request_id “{request_id[:20]}” not found.")
    return render(fmt, "service_requests", _rows([c]))


@csrf_exempt
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """sigap answers POSTs in real time (the id itself), so a token is the request id."""
    if failed := _check(request, fmt):
        return failed
    c = Complaint.objects.filter(receipt_code=token, channel=Channel.OPEN311).first()
    if c is None:
        return error(fmt, 404, f"token “{token[:20]}” not found.")
    return render(fmt, "service_requests", [{"service_request_id": c.receipt_code, "token": token}])


# FixMyStreet's `servicerequestupdates` extension: status changes, so FMS-style clients can sync.
FMS_STATUS = {
    "diterima": "OPEN",
    "ditunda": "INVESTIGATING",
    "terverifikasi": "INVESTIGATING",
    "didisposisikan": "IN_PROGRESS",
    "ditindaklanjuti": "ACTION_SCHEDULED",
    "selesai": "CLOSED",
    "bukan_wewenang": "NOT_COUNCILS_RESPONSIBILITY",
    "diarsipkan": "NO_FURTHER_ACTION",
}


@csrf_exempt
def request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    """`GET servicerequestupdates.{fmt}?start_date=&end_date=` (FixMyStreet extension)."""
    if failed := _check(request, fmt):
        return failed
    q = request.GET
    try:
        end = _parse_w3c(q["end_date"], "end_date") if q.get("end_date") else timezone.now()
        start = _parse_w3c(q["start_date"], "start_date") if q.get("start_date") else end - MAX_SPAN
        if end - start > MAX_SPAN or end < start:
            raise BadParameter("start_date to end_date may span at most 90 days.")
    except BadParameter as exc:
        return error(fmt, 400, str(exc))
    events = (
        ComplaintEvent.objects.filter(
            timestamp__range=(start, end),
            complaint__service__isnull=False,
            complaint__is_confidential=False,
        )
        .exclude(action__in=("submit", "escalate"))
        .select_related("complaint")
        .order_by("timestamp", "pk")[:DEFAULT_LIMIT]
    )
    rows = [
        {
            "update_id": str(e.pk),
            "service_request_id": e.complaint.receipt_code,
            "status": FMS_STATUS.get(e.to_status, "OPEN"),
            "updated_datetime": _w3c(e.timestamp),
            "description": (e.note if e.public and e.actor == "staff" else "") or None,
            "media_url": None,
        }
        for e in events
    ]
    return render(fmt, "service_request_updates", rows)
