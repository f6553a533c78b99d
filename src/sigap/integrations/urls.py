from django.urls import path

from sigap.integrations import views

urlpatterns = [
    path(
        "permohonan/<str:code>/selesai-bertanda-tangan/",
        views.complete_signed,
        name="request_complete_signed",
    ),
]
