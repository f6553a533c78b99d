"""The SIASN buttons of the competency records page (HR)."""

from django.urls import path

from sigap.integrations import views

urlpatterns = [
    path(
        "kompetensi/pegawai/<int:employee_id>/siasn/ambil/",
        views.training_pull,
        name="siasn_training_pull",
    ),
    path(
        "kompetensi/pelatihan/<int:pk>/siasn/kirim/",
        views.training_push,
        name="siasn_training_push",
    ),
]
