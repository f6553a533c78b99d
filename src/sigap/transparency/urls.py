from django.urls import path

from sigap.transparency import views

app_name = "transparency"

urlpatterns = [
    path("transparansi/", views.index, name="index"),
    path("transparansi/periode/<str:period>/", views.index, name="index_period"),
    # Before the unit pages: "inovasi" is a path word here, not a unit code (a unit coded
    # "inovasi" keeps its permalinks with a period; the innovation page links to them).
    path("transparansi/inovasi/", views.innovations, name="innovations"),
    path("transparansi/<slug:unit>/", views.unit, name="unit"),
    path("transparansi/<slug:unit>/<str:period>/", views.unit, name="unit_period"),
]
