"""System check of the IID settings (`sigap.innovation.conf.problems`): run at startup and by
`manage.py check`, so a wrong value is named once instead of failing every IID page."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register

from sigap.innovation import conf


@register(Tags.compatibility)
def iid_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(
            problem,
            hint="Fix it in SIGAP (settings); docs/innovation.md, “IID settings”.",
            id="sigap.E011",
        )
        for problem in conf.problems()
    ]
