from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a form body that is not UTF-8 (`charset=utf-16`), over the upload limit, or
    otherwise unreadable. Django's own page is a bare English "Bad Request (400)"; this one says
    what to do, in the visitor's language. It never reads the body again."""
    if not hasattr(request, "user"):  # refused before the authentication middleware ran
        request.user = AnonymousUser()
    return render(request, "web/400.html", status=400)
