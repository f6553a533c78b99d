"""The SIASN buttons of the competency records page (HR), the SP4N-LAPOR! export and the
officer's completion of a request with a signed product."""

from django.urls import path

from sigap.integrations import views, views_lapor, views_signing

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
    # Under the complaints' pages; included before them, whose "pengaduan/<code>/<action>/"
    # would take "sp4n-lapor" for a receipt code.
    path("pengaduan/sp4n-lapor/ekspor/", views_lapor.lapor_export, name="lapor_export"),
    path(
        "permohonan/<str:code>/selesai-bertanda-tangan/",
        views_signing.complete_signed,
        name="request_complete_signed",
    ),
]
