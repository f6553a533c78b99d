from django.urls import path

from sigap.booking import views

urlpatterns = [
    path("antrian-loket/", views.applicant, name="booking_applicant"),
    path("antrian-loket/harian/", views.day_list, name="booking_day"),
    path(
        "antrian-loket/pemesanan/<int:pk>/tidak-hadir/",
        views.no_show,
        name="booking_no_show",
    ),
    path("antrian-loket/jadwal/", views.plan, name="booking_plan"),
]
