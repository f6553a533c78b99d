"""Log-in, the second-factor step, enrolment and recovery codes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sigap.accounts import activation
from sigap.audit.services import audit_record
from sigap.signin import services, throttle, totp
from sigap.signin.forms import CodeForm, RecoveryCodeForm, ThrottledAuthenticationForm
from sigap.signin.models import TwoFactorDevice
from sigap.surveys.templatetags.skm import qr_svg_bytes


def safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(resolve_url(settings.LOGIN_REDIRECT_URL))


def with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


def second_factor_url(user: Any, target: str) -> str:
    """Where a user who still owes a second factor goes: the code, or enrolment first."""
    enrolled = TwoFactorDevice.objects.filter(user=user).exists()
    return with_next("two_factor_verify" if enrolled else "two_factor_enrol", target)


class StaffLoginView(auth_views.LoginView):
    """Django's LoginView with the throttled form; the Django admin logs in here too."""

    form_class = ThrottledAuthenticationForm

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        audit_record(
            actor=user,
            action="auth.login",
            data={"user_id": user.pk, "client": throttle.client_hash(self.request)},
        )
        if services.requires_two_factor(user):
            return HttpResponseRedirect(second_factor_url(user, self.get_success_url()))
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if form.wait:
            response.status_code = 429
            response["Retry-After"] = str(form.wait)
        return response


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The Django admin's own log-in page, replaced: one throttled, two-factor path for all."""
    target = request.GET.get("next") or reverse("admin:index")
    return HttpResponseRedirect(with_next("login", target))


def _throttled(
    request: HttpRequest, template: str, context: dict[str, Any], wait: int
) -> HttpResponse:
    context["error"] = throttle.wait_message(wait)
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait)
    return response


def _second_factor_step(
    request: HttpRequest,
    *,
    template: str,
    form_class: type[CodeForm] | type[RecoveryCodeForm],
    check: Callable[[Any, str], bool],
    wrong: str,
    audit_extra: dict[str, Any],
) -> HttpResponse:
    """The step after the password, with the app's code or a recovery code: the same
    redirects, throttle and audit for both (only the check and the words differ)."""
    user: Any = request.user
    target = safe_next(request)
    if services.is_verified(request) or not services.requires_two_factor(user):
        return HttpResponseRedirect(target)
    if not TwoFactorDevice.objects.filter(user=user).exists():
        return HttpResponseRedirect(with_next("two_factor_enrol", target))
    form = form_class(request.POST or None)
    context: dict[str, Any] = {"form": form, "next": target}
    if request.method == "POST" and form.is_valid():
        attempt = throttle.code_attempt(request, user.pk)
        if wait := throttle.wait_seconds(attempt):
            return _throttled(request, template, context, wait)
        if check(user, form.cleaned_data["code"]):
            throttle.succeeded(attempt)
            services.mark_verified(request.session, user)
            return HttpResponseRedirect(target)
        wait = throttle.failed(attempt)
        audit_record(
            actor=user,
            action="auth.2fa_failed",
            data={"user_id": user.pk, "client": throttle.client_hash(request), **audit_extra},
        )
        if wait:
            return _throttled(request, template, context, wait)
        context["error"] = wrong
    return render(request, template, context)


@never_cache
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    return _second_factor_step(
        request,
        template="signin/verify.html",
        form_class=CodeForm,
        check=lambda user, code: services.two_factor_check(
            user=user, code=code, at=throttle.clock()
        ),
        wrong=_("That code is not right, or it was already used. Wait for the next one."),
        audit_extra={},
    )


@never_cache
@login_required
def two_factor_recovery(request: HttpRequest) -> HttpResponse:
    """Log in with a one-time recovery code instead of the authenticator (a lost phone)."""

    def check(user: Any, code: str) -> bool:
        left = services.recovery_code_use(user=user, code=code)
        if left is None:
            return False
        messages.warning(
            request,
            ngettext(
                "Recovery code accepted. You have %(left)d recovery code left: make new "
                "ones on the two-factor page.",
                "Recovery code accepted. You have %(left)d recovery codes left: make new "
                "ones on the two-factor page.",
                left,
            )
            % {"left": left},
        )
        return True

    return _second_factor_step(
        request,
        template="signin/recovery.html",
        form_class=RecoveryCodeForm,
        check=check,
        wrong=_("That recovery code is not right, or it was already used."),
        audit_extra={"recovery": True},
    )


@never_cache
@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator: the secret and its QR code, confirmed by a first code.

    Once enrolled, the page only says so (the secret is never shown again) and offers new
    recovery codes.
    """
    user: Any = request.user
    target = safe_next(request)
    if not services.requires_two_factor(user):
        return HttpResponseRedirect(target)
    if TwoFactorDevice.objects.filter(user=user).exists():
        if not services.is_verified(request):
            return HttpResponseRedirect(with_next("two_factor_verify", target))
        return render(request, "signin/enrolled.html", {"next": target})
    secret = services.pending_secret(request.session, user)
    form = CodeForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "next": target}
    if request.method == "POST" and form.is_valid():
        codes = services.two_factor_enrol(
            user=user, secret=secret, code=form.cleaned_data["code"], at=throttle.clock()
        )
        if codes is not None:
            services.mark_verified(request.session, user)
            return render(request, "signin/recovery_codes.html", {"codes": codes, "next": target})
        context["error"] = _(
            "That code is not right. Check that the phone's clock is set automatically, then "
            "type the code the app shows now."
        )
    secret_text = totp.b32encode(secret)
    context["secret_groups"] = [secret_text[i : i + 4] for i in range(0, len(secret_text), 4)]
    return render(request, "signin/enrol.html", context)


@never_cache
@login_required
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the secret being enrolled (an image, so the page needs no script)."""
    user: Any = request.user
    if TwoFactorDevice.objects.filter(user=user).exists():
        raise Http404
    if not services.requires_two_factor(user) or not request.session.get(services.PENDING_KEY):
        raise Http404
    secret = services.pending_secret(request.session, user)
    svg = qr_svg_bytes(services.provisioning_uri(user, secret))
    return HttpResponse(svg, content_type="image/svg+xml")


@never_cache
@require_POST
@login_required
def two_factor_recovery_renew(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    target = safe_next(request)
    if not TwoFactorDevice.objects.filter(user=user).exists():
        return HttpResponseRedirect(with_next("two_factor_enrol", target))
    codes = services.recovery_codes_renew(user=user)
    return render(request, "signin/recovery_codes.html", {"codes": codes, "next": target})


def _activation_refused(request: HttpRequest, attempt: throttle.Attempt) -> HttpResponse:
    """A link that cannot be used (unknown, expired, used, its account deactivated): one answer
    for all, so the page tells nothing about which; counted on the client's failures."""
    wait = throttle.failed(attempt)
    if wait:
        return _throttled(request, "signin/activate.html", {}, wait)
    return render(request, "signin/activate_invalid.html", status=404)


@never_cache
def account_activate(request: HttpRequest, token: str) -> HttpResponse:
    """Set the first password with a one-time activation link (sigap.accounts.activation).

    Throttled like the log-in (the client's limit): while paused, even a good link waits.
    After it, the person logs in; the second factor follows the usual rules.
    """
    attempt = throttle.client_attempt(request)
    if wait := throttle.wait_seconds(attempt):
        return _throttled(request, "signin/activate.html", {}, wait)
    row = activation.activation_find(token)
    if row is None:
        return _activation_refused(request, attempt)
    form = SetPasswordForm(row.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = activation.activation_complete(
            token=token,
            password=form.cleaned_data["new_password1"],
            client=throttle.client_hash(request),
        )
        if user is None:  # used meanwhile (a second submission)
            return _activation_refused(request, attempt)
        messages.success(
            request, _("Your password is set. Log in with your NIP and your new password.")
        )
        return HttpResponseRedirect(reverse("login"))
    # The link is in the address: SECURE_REFERRER_POLICY ("same-origin") keeps it from any
    # other site. ("no-referrer" would also make the browser send "Origin: null" with the
    # form, which the CSRF check refuses.)
    return render(
        request,
        "signin/activate.html",
        {"form": form, "username": row.user.get_username(), "name": row.user.first_name},
    )
