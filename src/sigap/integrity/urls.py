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
    path(
        "inspektorat/sinyal/<int:pk>/tugaskan/", views.signal_assign, name="integrity_signal_assign"
    ),
    path("inspektorat/sinyal/<int:pk>/tutup/", views.signal_close, name="integrity_signal_close"),
    path("ombudsman/", views.ombudsman_view, name="ombudsman_view"),
]
