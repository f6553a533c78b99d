from django.urls import path

from sigap.leadership import views

app_name = "leadership"

urlpatterns = [
    path("pimpinan/", views.scorecard, name="scorecard"),
    path("pimpinan/unit/<int:unit_id>/", views.unit_page, name="unit"),
    path(
        "pimpinan/unit/<int:unit_id>/layanan/<int:service_id>/",
        views.service_page,
        name="service",
    ),
    path("pimpinan/peta-jalan/", views.roadmap, name="roadmap"),
    path("pimpinan/peta-jalan/unit/<int:unit_id>/", views.roadmap_unit, name="roadmap_unit"),
    path(
        "pimpinan/peta-jalan/aksi/<int:pk>/status/",
        views.roadmap_action_status,
        name="roadmap_action_status",
    ),
]
