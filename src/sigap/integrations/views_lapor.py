"""The SP4N-LAPOR! reconciliation download of the Inspektorat (sigap.integrations.lapor)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from sigap.access import Action, has_any_role, scoped
from sigap.audit.services import audit_record
from sigap.complaints.models import Complaint
from sigap.integrations import lapor
from sigap.integrations.models import Exchange
from sigap.web import exports


@login_required
@require_GET
def lapor_export(request: HttpRequest) -> HttpResponse:
    """Every complaint with a LAPOR! Tracking ID in the user's scope, as a CSV in the import's
    columns: its status in LAPOR!'s words, the follow-up and the dates, to update LAPOR! by
    hand. `?export=csv-id` gives the semicolon CSV of Excel set to Indonesian."""
    if not has_any_role(request.user, Action.LAPOR_EXCHANGE):
        raise PermissionDenied
    fmt = request.GET.get("export", "csv")
    dialect = exports.CSV_DIALECTS.get(fmt)
    if dialect is None:
        fmt, dialect = "csv", exports.CSV_DIALECTS["csv"]
    complaints = (
        scoped(request.user, Action.LAPOR_EXCHANGE, Complaint.objects.exclude(lapor_tracking_id=""))
        .select_related("unit__agency")
        .order_by("submitted_at", "pk")
    )
    rows = lapor.export_rows(complaints)
    lapor.record_exchange(
        operation="csv/export",
        direction=Exchange.Direction.PUSH,
        ok=True,
        summary=f"{len(rows)} complaints",
        actor=request.user,
    )
    audit_record(actor=request.user, action="lapor.export", data={"rows": len(rows)})
    body = exports.to_csv(lapor.export_headers(), rows, dialect)
    response = HttpResponse(body, content_type=exports.FORMATS[fmt])
    name = exports.safe_filename(f"sp4n-lapor-{timezone.localdate():%Y-%m-%d}", fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
