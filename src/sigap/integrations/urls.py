from django.urls import path

from sigap.integrations import views

urlpatterns = [
    # Under the complaints' pages; included before them, whose "pengaduan/<code>/<action>/"
    # would take "sp4n-lapor" for a receipt code.
    path("pengaduan/sp4n-lapor/ekspor/", views.lapor_export, name="lapor_export"),
]
