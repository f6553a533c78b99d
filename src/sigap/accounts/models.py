"""Roles: what a user may do, and over which unit subtree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.organisation.models import Unit


class Role(models.TextChoices):
    OFFICER = "officer", _("Front-line officer")
    UNIT_HEAD = "unit_head", _("Unit head")
    HR = "hr", _("HR agency (BKPSDM)")
    INSPECTOR = "inspector", _("Inspectorate")
    OMBUDSMAN = "ombudsman", _("Ombudsman (read-only)")
    LEADERSHIP = "leadership", _("Leadership")
    ADMIN = "admin", _("Administrator")
    CASHIER = "cashier", _("Revenue treasurer / cashier")


class RoleAssignment(models.Model):
    """A user holds `role` over `unit` and everything below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="role_assignments")

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="uniq_role_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.unit}"


class RoleGrant(models.Model):
    """A request to give a role that opens whistleblowing reports (the inspector role).

    Two people are needed (docs/security.md, "Two people for every WBS reader"): one requests,
    a second authorised person approves. Only the approval creates the `RoleAssignment`, so a
    pending or refused grant gives no access and no report key.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="role_grants")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Null for the grants seeded by the demo and the test factories (no person asked).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("inspector role grant")
        verbose_name_plural = _("inspector role grants")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=models.Q(status="pending"),
                name="uniq_pending_role_grant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.unit} ({self.status})"


class ActivationToken(models.Model):
    """A one-time link that lets a new member of staff set their password.

    Only the SHA-256 of the token is kept: the link itself is shown once, to the person who
    made the account (the accounts import, or `sigap accounts activation-link`). A token works
    until `expires_at` (SIGAP_ACTIVATION_DAYS after it was made), once; a newer link for the
    same user ends the older ones (their `expires_at` is set to that moment).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("activation link")
        verbose_name_plural = _("activation links")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
