from django.urls import path

from sigap.transparency import views

app_name = "transparency"

urlpatterns = [
    path("transparansi/", views.index, name="index"),
    path("transparansi/periode/<str:period>/", views.index, name="index_period"),
    path("transparansi/<slug:unit>/", views.unit, name="unit"),
    path("transparansi/<slug:unit>/<str:period>/", views.unit, name="unit_period"),
]
