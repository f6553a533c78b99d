from django.urls import path

from sigap.frontdoor import views

app_name = "frontdoor"

urlpatterns = [
    path("layanan/", views.catalogue, name="catalogue"),
    path("layanan/<slug:code>/", views.service, name="service"),
    path(
        "layanan/<slug:code>/konsultasi/",
        views.consultation_comment,
        name="consultation_comment",
    ),
]
