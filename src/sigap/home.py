"""The home page: the site's front door, for citizens; staff land on their work home
(sigap.homes) after logging in, and this page links to it.

It asks sigap.access, which sits above the unit tree and the role grants, so it is not in
sigap.web: every app's admin and forms import web, and web must stay below access."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sigap.access import roles


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"my_roles": sorted(roles(request.user))})
