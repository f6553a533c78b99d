from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sigap.access import roles


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"my_roles": sorted(roles(request.user))})
