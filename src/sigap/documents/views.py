"""Handing out a request's documents (after the access check) and attaching the product."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sigap.access import Action, can
from sigap.documents import services
from sigap.documents.models import Document
from sigap.documents.sniff import CONTENT_TYPES, Kind, Refused
from sigap.service_requests.selectors import request_for_user
from sigap.web.errors import errors_to_messages


@login_required
@require_GET
def download(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    service_request = request_for_user(request.user, code)
    if service_request is None:  # the same answer for "no such request" and "not yours"
        raise Http404
    document = get_object_or_404(Document, pk=pk, request=service_request)
    try:
        path = services.document_open(document=document, user=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        errors_to_messages(request, exc, labels={"file": _("File")})
        return redirect("request_detail", code=service_request.receipt_code)
    return attachment(document, path)


def attachment(document: Document, path: Path) -> FileResponse:
    """A stored document as a download, under the name it was sent with."""
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=CONTENT_TYPES[Kind(document.kind)],
    )
    # Never rendered as a page of this site, whatever a browser guesses.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@login_required
@require_POST
def attach_product(request: HttpRequest, code: str) -> HttpResponse:
    service_request = request_for_user(request.user, code)
    if service_request is None:
        raise Http404
    # Decides only what to answer first; the write function checks again, whoever calls it.
    if not can(request.user, Action.REQUEST_PROCESS, service_request.unit):
        raise PermissionDenied
    if service_request.standard.product_signed:
        # Its product is signed: it comes with the last step (sigap.integrations.views).
        messages.error(
            request, _("The product of this service is signed: attach it with the last step.")
        )
        return redirect("request_detail", code=code)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose the file of the product."))
        return redirect("request_detail", code=code)
    try:
        if upload.size is not None and upload.size > services.max_bytes():
            # Not read into memory: refused with the same words as any file too large.
            raise ValidationError({"file": services.refusal_message(Refused("too_large"))})
        services.document_attach_product(
            request=service_request,
            user=request.user,
            data=upload.read(services.max_bytes() + 1),
            filename=upload.name or "",
        )
    except ValidationError as exc:
        errors_to_messages(request, exc, labels={"file": _("Product")})
    else:
        messages.success(request, _("The product is attached to the request."))
    return redirect("request_detail", code=code)
