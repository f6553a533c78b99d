"""The onboarding page (/onboarding/): upload, the dry run, apply."""

from django.urls import path

from sigap.onboarding import views

urlpatterns = [
    path("onboarding/", views.home, name="onboarding_home"),
    path("onboarding/unggah/", views.upload, name="onboarding_upload"),
    path("onboarding/rencana/<slug:token>/", views.plan_page, name="onboarding_plan"),
    path("onboarding/rencana/<slug:token>/terapkan/", views.apply_page, name="onboarding_apply"),
]
