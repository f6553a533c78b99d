"""The dictionary, the standar kompetensi jabatan and the step links (HR's pages)."""

from django.urls import path

from sigap.competency import views_standards as views

urlpatterns = [
    path("kompetensi/kamus/", views.dictionary, name="competency_dictionary"),
    path("kompetensi/kamus/teknis/baru/", views.technical_form, name="competency_technical_new"),
    path(
        "kompetensi/kamus/teknis/<int:pk>/",
        views.technical_form,
        name="competency_technical_edit",
    ),
    path("kompetensi/standar/", views.version_list, name="competency_standards"),
    path("kompetensi/standar/baru/", views.version_new, name="competency_standard_new"),
    path("kompetensi/standar/impor/", views.version_import, name="competency_standard_import"),
    path("kompetensi/standar/<int:pk>/", views.version_detail, name="competency_standard"),
    path("kompetensi/standar/<int:pk>/ubah/", views.version_edit, name="competency_standard_edit"),
    path(
        "kompetensi/standar/<int:pk>/standar.xlsx",
        views.version_export,
        name="competency_standard_xlsx",
    ),
    path("kompetensi/langkah/", views.step_list, name="competency_steps"),
    path("kompetensi/langkah/<slug:code>/", views.step_edit, name="competency_step_edit"),
]
