"""The home page: the site's front door, listing the roles the signed-in user holds.

It asks sigap.access, which sits above the unit tree and the role grants, so it is not in
sigap.web: every app's admin and forms import web, and web must stay below access."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sigap.access import roles


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"my_roles": sorted(roles(request.user))})
