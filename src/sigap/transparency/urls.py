from django.urls import path

from sigap.transparency import opendata_views, views

app_name = "transparency"

urlpatterns = [
    path("transparansi/", views.index, name="index"),
    path("transparansi/periode/<str:period>/", views.index, name="index_period"),
    # Before the unit pages: "inovasi" is a path word here, not a unit code (a unit coded
    # "inovasi" keeps its permalinks with a period; the innovation page links to them).
    path("transparansi/inovasi/", views.innovations, name="innovations"),
    path("transparansi/<slug:unit>/", views.unit, name="unit"),
    path("transparansi/<slug:unit>/<str:period>/", views.unit, name="unit_period"),
    # Open data for Satu Data / CKAN harvesters (docs/open-data.md).
    path("data/api/3/action/<str:name>", opendata_views.action, name="opendata_action"),
    path("data/dataset/<slug:name>.<str:fmt>", opendata_views.resource, name="opendata_resource"),
    path("data/catalog.jsonld", opendata_views.catalog, name="opendata_catalog"),
]
