from django.urls import path

from sigap.complaints import views

urlpatterns = [
    path("pengaduan/baru/", views.complaint_new, name="complaint_new"),
    path("pengaduan/status/", views.complaint_status_lookup, name="complaint_status_lookup"),
    path("pengaduan/status/<str:code>/", views.complaint_status, name="complaint_status"),
    path(
        "pengaduan/status/<str:code>/<str:action>/",
        views.complaint_reporter_act,
        name="complaint_reporter_act",
    ),
    path("pengaduan/", views.complaint_list, name="complaint_list"),
    path("pengaduan/<str:code>/", views.complaint_detail, name="complaint_detail"),
    # Before the generic action route, which would take "tautan-pelapor" for an action.
    path(
        "pengaduan/<str:code>/tautan-pelapor/",
        views.complaint_reporter_link,
        name="complaint_reporter_link",
    ),
    path("pengaduan/<str:code>/<str:action>/", views.complaint_act, name="complaint_act"),
]
