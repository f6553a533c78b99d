from django.urls import path

from sigap.homes import views

urlpatterns = [path("beranda/", views.work_home, name="work_home")]
