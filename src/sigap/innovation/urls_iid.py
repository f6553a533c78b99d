"""The IID workbench (/inovasi/iid/), included from sigap/urls.py."""

from django.urls import path

from sigap.innovation import views_iid as views

urlpatterns = [
    path("", views.home, name="iid_home"),
    path("<int:year>/", views.workbench, name="iid_workbench"),
    path("<int:year>/spd/<slug:indicator>/", views.spd_answer, name="iid_spd"),
    path("<int:year>/inovasi/<int:pk>/", views.innovation_answers, name="iid_innovation"),
    path("<int:year>/iid.xlsx", views.export, name="iid_export"),
    path("bukti/<slug:kind>/<int:pk>/", views.evidence, name="iid_evidence"),
]
