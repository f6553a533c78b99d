from django.urls import path

from sigap.surveys import views

urlpatterns = [
    path("skm/terima-kasih/", views.survey_thanks, name="survey_thanks"),
    path("skm/hasil/", views.ikm_results, name="ikm_results"),
    path(
        "skm/laporan/<int:unit_id>/<str:period>.<str:fmt>",
        views.skm_report,
        name="skm_report",
    ),
    path("skm/<slug:service_code>/", views.survey_form, name="survey_form"),
    path("skm/<slug:service_code>/qr.svg", views.survey_qr, name="survey_qr"),
    path("skm/<slug:service_code>/poster/", views.survey_poster, name="survey_poster"),
    path("skm/kode/<str:code>/", views.survey_for_receipt, name="survey_for_receipt"),
    path("skm/rencana/<int:unit_id>/<str:period>/", views.skm_follow_up, name="skm_follow_up"),
    path("ikm/", views.ikm_public, name="ikm_public"),
]
