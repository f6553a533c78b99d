"""The rate-limit counters shared by every worker process."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """Hits of one client in one fixed window for one scope; old windows are pruned."""

    key = models.CharField(max_length=160)
    bucket = models.BigIntegerField()  # epoch seconds // window length
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")
        constraints = [
            models.UniqueConstraint(fields=["key", "bucket"], name="uniq_rate_counter"),
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.bucket}: {self.hits}"
