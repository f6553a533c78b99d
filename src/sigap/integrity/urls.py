from django.urls import path

from sigap.integrity import views

urlpatterns = [
    path("inspektorat/", views.inspectorate_dashboard, name="inspectorate_dashboard"),
    path("inspektorat/sinyal/<int:pk>/", views.signal_detail, name="integrity_signal"),
    path(
        "inspektorat/sinyal/<int:pk>/keputusan/",
        views.signal_decide,
        name="integrity_signal_decide",
    ),
    path("ombudsman/", views.ombudsman_view, name="ombudsman_view"),
]
