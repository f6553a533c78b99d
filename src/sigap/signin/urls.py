from django.urls import path

from sigap.signin import views

urlpatterns = [
    path("masuk/aktivasi/<str:token>/", views.account_activate, name="account_activate"),
    path("masuk/verifikasi/", views.two_factor_verify, name="two_factor_verify"),
    path("masuk/kode-cadangan/", views.two_factor_recovery, name="two_factor_recovery"),
    path("masuk/dua-langkah/", views.two_factor_enrol, name="two_factor_enrol"),
    path("masuk/dua-langkah/qr.svg", views.two_factor_qr, name="two_factor_qr"),
    path(
        "masuk/dua-langkah/kode-cadangan-baru/",
        views.two_factor_recovery_renew,
        name="two_factor_recovery_renew",
    ),
]
