from django.urls import path

from sigap.applications import applicant_views, views

urlpatterns = [
    path("layanan/<slug:code>/ajukan/", views.apply, name="application_form"),
    path("layanan/<slug:code>/ajukan/tanda-terima/", views.receipt, name="application_receipt"),
    # The applicant's own page: the signed token is the key (sigap.notifications.links).
    path("permohonan-saya/kirim-ulang/", applicant_views.resend, name="applicant_link_resend"),
    path("permohonan-saya/<str:token>/", applicant_views.page, name="applicant_page"),
    path(
        "permohonan-saya/<str:token>/produk/<int:pk>/",
        applicant_views.product,
        name="applicant_product",
    ),
]
