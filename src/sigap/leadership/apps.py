import contextlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadershipConfig(AppConfig):
    name = "sigap.leadership"
    verbose_name = _("Leadership scorecard and roadmap")

    def ready(self) -> None:
        from sigap.audit.labels import register

        register("gap", gap_label)


def gap_label(gap_key: str) -> str:
    """A roadmap gap as the audit trail names it: the figure, then its subject (a step, an
    unsur), never the key ("sla_share:ktp-el:Verifikasi")."""
    from sigap.metrics.registry import METRICS
    from sigap.rules.ikm import element

    metric, _sep, subject = gap_key.partition(":")
    found = METRICS.get(metric)
    name = str(found.label) if found is not None else metric.replace("_", " ")
    if metric == "ikm" and subject:
        with contextlib.suppress(KeyError):
            subject = element(subject).name
    elif subject:
        subject = subject.partition(":")[2] or subject  # "<service>:<step>": the step
    return f"{name} ({subject})" if subject else name
