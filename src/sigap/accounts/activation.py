"""Activation links: how a new member of staff sets their first password (and how the helpdesk
lets someone who lost theirs set a new one).

A link carries a random token (`secrets.token_urlsafe(32)`, 256 bits); the database keeps only
its SHA-256 (`ActivationToken.token_hash`), so a database dump opens no account. The plain link
is returned once, to whoever made it (the accounts import, `sigap accounts activation-link`),
and never stored. A token works once, until `expires_at` (SIGAP_ACTIVATION_DAYS, default 7
days); a new link for the same user ends the older ones. The page /masuk/aktivasi/<token>/
(`sigap.signin.views.account_activate`) sets the password with Django's validators; the person
then logs in as everyone does (two-step verification as SIGAP_TWO_FACTOR_ROLES says).
Every link made and every activation is audited ("account.activation_link",
"account.activate"); the audit data holds ids, never the token.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sigap.accounts.models import ActivationToken
from sigap.audit.services import audit_record
from sigap.notifications.conf import conf
from sigap.organisation.models import Employee, Unit

DEFAULT_DAYS = 7


def activation_days() -> int:
    value = getattr(settings, "SIGAP", {}).get("ACTIVATION_DAYS")
    return max(int(str(value)), 1) if value not in (None, "") else DEFAULT_DAYS


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def activation_path(token: str) -> str:
    return reverse("account_activate", args=[token])


def activation_url(token: str) -> str:
    """The absolute link (`SIGAP_PUBLIC_URL` + the page), as it is handed to the person."""
    return conf().public_url + activation_path(token)


def _unit(user: User) -> Unit | None:
    """The unit of the user's employee record, for the audit trail's scope."""
    employee = Employee.objects.filter(user=user).select_related("unit").first()
    return employee.unit if employee else None


def activation_issue(*, user: User, by: Any) -> str:
    """A fresh activation link for `user` (the absolute URL); older unused links stop working.

    Call inside the caller's transaction: the audit entry and the token go or stay together.
    """
    now = timezone.now()
    ActivationToken.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    token = secrets.token_urlsafe(32)
    row = ActivationToken.objects.create(
        user=user,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=activation_days()),
    )
    audit_record(
        actor=by,
        action="account.activation_link",
        obj=row,
        unit=_unit(user),
        data={"user_id": user.pk, "expires_at": row.expires_at.isoformat()},
    )
    return activation_url(token)


def activation_find(token: str) -> ActivationToken | None:
    """The token's row if it can still be used (not used, not expired, the user active), else
    None: the caller answers every other case the same way."""
    if not token or len(token) > 200:
        return None
    row = (
        ActivationToken.objects.select_related("user").filter(token_hash=token_hash(token)).first()
    )
    if row is None or row.used_at is not None or row.expires_at <= timezone.now():
        return None
    if not row.user.is_active:
        return None
    return row


@transaction.atomic
def activation_complete(*, token: str, password: str, client: str = "") -> User | None:
    """Set the password of the token's user and use the token up; None if the token cannot be
    used (it was used meanwhile, by a second submission, say). The password must already have
    passed the validators (the page's SetPasswordForm)."""
    found = activation_find(token)
    if found is None:
        return None
    row = ActivationToken.objects.select_for_update().select_related("user").get(pk=found.pk)
    now = timezone.now()
    if row.used_at is not None or row.expires_at <= now:
        return None
    row.used_at = now
    row.save(update_fields=["used_at"])
    ActivationToken.objects.filter(user=row.user, used_at__isnull=True, expires_at__gt=now).exclude(
        pk=row.pk
    ).update(expires_at=now)
    user = row.user
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=user,
        action="account.activate",
        obj=row,
        unit=_unit(user),
        data={"user_id": user.pk, "client": client},
    )
    return user
