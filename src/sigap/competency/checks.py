"""System checks of the competency settings (`sigap.competency.conf.problems`): run at startup
and by `manage.py check`, so a wrong value is named once instead of failing every page."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register

from sigap.competency import conf


@register(Tags.compatibility)
def competency_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(
            problem,
            hint="Fix it in SIGAP (settings); docs/rules-api.md, “Competency settings”.",
            id="sigap.E010",
        )
        for problem in conf.problems()
    ]
