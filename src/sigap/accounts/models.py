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
