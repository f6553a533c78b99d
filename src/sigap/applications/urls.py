from django.urls import path

from sigap.applications import views

urlpatterns = [
    path("layanan/<slug:code>/ajukan/", views.apply, name="application_form"),
    path("layanan/<slug:code>/ajukan/tanda-terima/", views.receipt, name="application_receipt"),
]
