from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sigap.audit.services import audit_record
from sigap.signin import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's log-in form behind the per-account and per-client failure counters."""

    wait = 0  # seconds the next attempt must wait; > 0 once the form is throttled

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not (username and password):  # a required field is empty: nothing checked or counted
            return super().clean()
        attempt = throttle.password_attempt(self._request(), username)
        self.wait = throttle.wait_seconds(attempt)
        if self.wait:
            # Refused before the password is checked, and not counted: while paused, guesses
            # cost the attacker a request and tell nothing.
            raise ValidationError(throttle.wait_message(self.wait), code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            self.wait = throttle.failed(attempt)
            self._audit_failure(username)
            if self.wait:
                raise ValidationError(throttle.wait_message(self.wait), code="throttled") from None
            raise
        throttle.succeeded(attempt)
        return cleaned

    def _request(self) -> HttpRequest:
        if self.request is None:  # LoginView always passes it; the throttle needs the client
            raise ImproperlyConfigured("ThrottledAuthenticationForm needs the request")
        return self.request

    def _audit_failure(self, username: str) -> None:
        # Never the password, nor the typed name (it is sometimes a password typed in the wrong
        # field): the account's id when the name exists, and a keyed hash of the client address.
        model = get_user_model()
        user_id = (
            model._default_manager.filter(**{model.USERNAME_FIELD: username})
            .values_list("pk", flat=True)
            .first()
        )
        audit_record(
            actor="anonymous",
            action="auth.login_failed",
            data={
                "user_id": user_id,
                "client": throttle.client_hash(self._request()),
                "paused_seconds": self.wait,
            },
        )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Recovery code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
