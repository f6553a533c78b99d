"""The online application form of a service, and its receipt."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_protect

from sigap.applications import services
from sigap.applications.forms import ApplicationForm
from sigap.applications.models import OnlineApplication
from sigap.catalogue.models import Service
from sigap.catalogue.requirements import parse_requirements
from sigap.documents.models import Purpose
from sigap.documents.services import max_bytes, retention_days
from sigap.notifications.links import applicant_path
from sigap.service_requests.models import ServiceRequest
from sigap.throttling import ratelimit
from sigap.web.errors import errors_to_form

RECEIPT_SALT = "sigap.applications.receipt"
RECEIPT_MAX_AGE = 24 * 3600
"""The receipt page (with the applicant's name) opens only through the link it was sent to,
for a day; after that the tracking page (no name) is the way to follow the request."""


def _service(code: str) -> Service:
    service = Service.objects.filter(code=code, is_active=True).select_related("unit").first()
    if service is None:
        raise Http404
    return service


def _answer(value: object) -> str:
    """A requirement's answer as text: "1" for a declared statement, the typed value, or ""."""
    if value is True:
        return "1"
    return value if isinstance(value, str) else ""


def read_upload(upload: UploadedFile[bytes]) -> services.Upload:
    """An uploaded file for the write functions; one over the size limit is not read into
    memory (its size says enough) and is refused as too large."""
    if upload.size is not None and upload.size > max_bytes():
        return services.Upload(upload.name or "", b"", too_large=True)
    return services.Upload(upload.name or "", upload.read(max_bytes() + 1))


def _too_many(request: HttpRequest, decision: ratelimit.Decision) -> HttpResponse:
    response = render(
        request,
        "applications/too_many.html",
        {"minutes": max(1, decision.retry_after // 60)},
        status=429,
    )
    response["Retry-After"] = str(decision.retry_after)
    return response


@csrf_protect
def apply(request: HttpRequest, code: str) -> HttpResponse:
    service = _service(code)
    standard = services.standard_now(service)
    if standard is None:
        raise Http404
    requirements = parse_requirements(standard.requirements)
    # The notice above the consent box names this service's retention; the same text is
    # stored with the application as what was agreed to.
    consent_text = services.consent_text(service)
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, requirements=requirements)
        decision = ratelimit.hit(request, "application")
        if not decision.allowed:
            return _too_many(request, decision)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:  # the honeypot: answer as if all went well, store nothing
                return render(request, "applications/received_bot.html", {"service": service})
            uploads = {}
            for req in requirements:
                upload = request.FILES.get(f"req_{req.key}")
                if upload is not None:
                    uploads[req.key] = read_upload(upload)
            application = services.Application(
                name=data["name"], nik=data["nik"], phone=data["phone"], email=data["email"],
                kecamatan=data["kecamatan"], desa=data["desa"], consent=data["consent"],
                answers={r.key: _answer(data.get(f"req_{r.key}")) for r in requirements},
                uploads=uploads,
            )  # fmt: skip
            try:
                sr, _new = services.application_submit(
                    service=service,
                    application=application,
                    idempotency_key=data["key"],
                    consent_text=consent_text,
                    standard=standard,
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                token = signing.dumps(sr.receipt_code, salt=RECEIPT_SALT)
                return redirect(reverse("application_receipt", args=[service.code]) + f"?t={token}")
    else:
        form = ApplicationForm(requirements=requirements)
    return render(
        request,
        "applications/apply.html",
        {
            "service": service,
            "form": form,
            "max_mb": max_bytes() // (1024 * 1024),
            "consent_text": consent_text,
            "documents_days": retention_days(service),
        },
    )


def receipt(request: HttpRequest, code: str) -> HttpResponse:
    service = _service(code)
    try:
        receipt_code = signing.loads(
            request.GET.get("t", ""), salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE
        )
    except signing.BadSignature:
        raise Http404 from None
    sr = (
        ServiceRequest.objects.filter(receipt_code=receipt_code, service=service)
        .select_related("service", "unit")
        .first()
    )
    if sr is None or not OnlineApplication.objects.filter(request=sr).exists():
        raise Http404
    documents = sr.documents.filter(purpose=Purpose.REQUIREMENT).order_by("pk")
    track = request.build_absolute_uri(reverse("track_code", args=[sr.receipt_code]))
    # The applicant's own page (signed): shown here once; the messages carry it too.
    own = request.build_absolute_uri(applicant_path(sr.receipt_code))
    response = render(
        request,
        "applications/receipt.html",
        {"sr": sr, "documents": documents, "track_url": track, "own_url": own},
    )
    response["Referrer-Policy"] = "no-referrer"
    return response
