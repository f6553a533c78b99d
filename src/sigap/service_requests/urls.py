from django.urls import path

from sigap.service_requests import views

urlpatterns = [
    path("antrian/", views.queue, name="queue"),
    path("permohonan/<str:code>/", views.detail, name="request_detail"),
    path("permohonan/<str:code>/<str:action>/", views.act, name="request_act"),
    path("lacak/", views.track, name="track"),
    path("lacak/<str:code>/", views.track, name="track_code"),
]
