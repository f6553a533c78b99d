"""Assessment results and training records (HR), their imports, and the certificates."""

from django.urls import path

from sigap.competency import views_records as views

urlpatterns = [
    path(
        "kompetensi/pegawai/<int:employee_id>/riwayat/",
        views.employee_records,
        name="competency_employee_records",
    ),
    path(
        "kompetensi/pegawai/<int:employee_id>/asesmen/baru/",
        views.assessment_add,
        name="competency_assessment_add",
    ),
    path(
        "kompetensi/pegawai/<int:employee_id>/pelatihan/baru/",
        views.training_add,
        name="competency_training_add",
    ),
    path("kompetensi/impor/asesmen/", views.assessment_import, name="competency_assessment_import"),
    path("kompetensi/impor/siasn/", views.siasn_import, name="competency_siasn_import"),
    path(
        "kompetensi/pelatihan/<int:pk>/sertifikat/",
        views.certificate,
        name="competency_certificate",
    ),
]
