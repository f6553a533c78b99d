from django.urls import path

from sigap.catalogue import views

urlpatterns = [
    path("standar-pelayanan/", views.standards, name="standards"),
    path(
        "standar-pelayanan/layanan/<slug:code>/versi-baru/",
        views.standard_new,
        name="standard_new",
    ),
    path("standar-pelayanan/versi/<int:pk>/", views.standard_edit, name="standard_edit"),
    path(
        "standar-pelayanan/versi/<int:pk>/buang/",
        views.standard_discard,
        name="standard_discard",
    ),
    path(
        "standar-pelayanan/versi/<int:pk>/terbitkan/",
        views.standard_publish,
        name="standard_publish",
    ),
    path(
        "standar-pelayanan/versi/<int:pk>/konsultasi/",
        views.standard_consultation,
        name="standard_consultation",
    ),
    path(
        "standar-pelayanan/versi/<int:pk>/dengar-pendapat/",
        views.standard_hearing,
        name="standard_hearing",
    ),
    path(
        "standar-pelayanan/komentar/<int:pk>/jawab/",
        views.consultation_answer,
        name="consultation_answer",
    ),
]
