from typing import Any

from django.http import HttpRequest

from sigap.access import nav_flags


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav": nav_flags(request.user)}
