from django.urls import path

from sigap.organisation import views

urlpatterns = [
    path("pegawai/", views.directory, name="employee_directory"),
]
