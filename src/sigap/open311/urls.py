"""Open311 GeoReport v2 routes; the format is a file suffix (.xml or .json)."""

from django.urls import re_path

from sigap.open311 import views

FMT = r"\.(?P<fmt>[a-z]+)$"

urlpatterns = [
    re_path(r"^open311/v2/discovery" + FMT, views.discovery, name="open311_discovery"),
    re_path(r"^open311/v2/services" + FMT, views.service_list, name="open311_services"),
    # `service/` (singular) is what the open311 1.1 client calls; the spec says `services/`.
    re_path(
        r"^open311/v2/services?/(?P<code>[-\w]+)" + FMT,
        views.service_definition,
        name="open311_service_definition",
    ),
    re_path(r"^open311/v2/requests" + FMT, views.requests_collection, name="open311_requests"),
    re_path(
        r"^open311/v2/requests/(?P<request_id>[-\w]+)" + FMT,
        views.request_one,
        name="open311_request",
    ),
    re_path(
        r"^open311/v2/servicerequestupdates" + FMT,
        views.request_updates,
        name="open311_request_updates",
    ),
    re_path(r"^open311/v2/tokens/(?P<token>[-\w]+)" + FMT, views.token, name="open311_token"),
]
