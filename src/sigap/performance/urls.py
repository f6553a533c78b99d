from django.urls import path

from sigap.performance import views

urlpatterns = [
    path("kinerja-layanan/", views.performance_list, name="service_performance"),
    path("kinerja-layanan/<int:pk>/", views.performance_detail, name="service_performance_detail"),
]
