from django.urls import path

from sigap.appraisals import views

EMP = "kinerja/pegawai/<int:employee_id>/<int:year>/"

urlpatterns = [
    path("kinerja/", views.overview, name="appraisal_overview"),
    path(EMP, views.employee_skp, name="appraisal_employee"),
    path(f"{EMP}rencana/", views.plan_add, name="appraisal_plan_add"),
    path(f"{EMP}nilai/", views.rate, name="appraisal_rate"),
    path(f"{EMP}koreksi/", views.correct, name="appraisal_correct"),
    path(f"{EMP}skp.pdf", views.skp_pdf, name="appraisal_pdf"),
    path("kinerja/kalibrasi/", views.calibration, name="calibration"),
    path("kinerja/kalibrasi/sesuaikan/", views.calibration_adjust, name="calibration_adjust"),
    path("kinerja/kalibrasi/predikat-organisasi/", views.org_rating, name="org_rating_set"),
    path("kinerja/talenta/", views.talent, name="talent"),
    path("kinerja/potensi/", views.potential_import, name="potential_import"),
    path("kinerja/disiplin/", views.discipline, name="discipline"),
    path("kinerja/rekap.xlsx", views.unit_recap, name="appraisal_recap"),
]
