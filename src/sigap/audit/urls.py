from django.urls import path

from sigap.audit import views

urlpatterns = [
    path("inspektorat/jejak-audit/", views.audit_log, name="audit_log"),
]
