"""The officer's last step of a service whose product is signed: the PDF (and the officer's
passphrase) in, the signed product attached and the step done
(`services.product_sign_and_complete`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from sigap.access import Action, can
from sigap.documents.services import max_bytes, refusal_message
from sigap.documents.sniff import Refused
from sigap.integrations import services
from sigap.organisation.models import Employee
from sigap.service_requests.selectors import request_for_user
from sigap.web.errors import errors_to_messages


@sensitive_post_parameters("passphrase", "nik")
@login_required
@require_POST
def complete_signed(request: HttpRequest, code: str) -> HttpResponse:
    service_request = request_for_user(request.user, code)
    if service_request is None:  # the same answer for "no such request" and "not yours"
        raise Http404
    # Decides only what to answer first; the write function checks again, whoever calls it.
    if not can(request.user, Action.REQUEST_PROCESS, service_request.unit):
        raise PermissionDenied
    user_id = request.user.pk
    assert isinstance(user_id, int)  # behind login_required
    officer = Employee.objects.filter(user_id=user_id).select_related("unit").first()
    if officer is None:
        raise PermissionDenied
    upload = request.FILES.get("file")
    labels = {
        "file": _("Product"),
        "passphrase": _("Passphrase"),
        "nik": _("NIK of the signer"),
        "signing": _("Electronic signature"),
    }
    try:
        if upload is None:
            raise ValidationError({"file": _("Choose the PDF of the product.")})
        if upload.size is not None and upload.size > max_bytes():
            raise ValidationError({"file": refusal_message(Refused("too_large"))})
        services.product_sign_and_complete(
            request=service_request,
            officer=officer,
            data=upload.read(max_bytes() + 1),
            filename=upload.name or "",
            credentials=services.Credentials(
                passphrase=request.POST.get("passphrase", "")[:200],
                nik=request.POST.get("nik", "")[:40],
            ),
            note=request.POST.get("note", "")[:2000],
        )
    except ValidationError as exc:
        errors_to_messages(request, exc, labels=labels)
    else:
        messages.success(request, _("The product is signed and attached; the step is done."))
    return redirect("request_detail", code=code)
