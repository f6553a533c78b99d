from django.urls import path

from sigap.documents import views

urlpatterns = [
    path("permohonan/<str:code>/berkas/<int:pk>/", views.download, name="document_download"),
    path("permohonan/<str:code>/produk/", views.attach_product, name="document_attach_product"),
]
