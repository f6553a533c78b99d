from django.urls import path

from sigap.service_requests import views

urlpatterns = [
    path("antrian/", views.queue, name="queue"),
    path("permohonan/", views.request_list, name="request_list"),
    path("permohonan/baru/", views.intake, name="request_intake"),
    path("permohonan/<str:code>/tanda-terima/", views.receipt, name="request_receipt"),
    path("permohonan/<str:code>/", views.detail, name="request_detail"),
    path("permohonan/<str:code>/<str:action>/", views.act, name="request_act"),
    path("lacak/", views.track, name="track"),
    path("lacak/<str:code>/", views.track, name="track_code"),
]
