from django.urls import path

from sigap.whistleblowing import views

urlpatterns = [
    path("lapor/", views.report, name="wbs_report"),
    path("lapor/tindak-lanjut/", views.followup, name="wbs_followup"),
    path("inspektorat/wbs/", views.case_list, name="wbs_case_list"),
    path("inspektorat/wbs/pemberian-akses/", views.grant_list, name="wbs_grants"),
    path("inspektorat/wbs/<int:pk>/", views.case_detail, name="wbs_case_detail"),
    path(
        "inspektorat/wbs/<int:pk>/lampiran/<int:attachment_id>/",
        views.case_attachment,
        name="wbs_attachment",
    ),
]
