from django.urls import path

from sigap.privacy import views

urlpatterns = [
    path("privasi/", views.notice, name="privacy_notice"),
    path("privasi/permintaan/", views.request_new, name="privacy_request_new"),
    path("privasi/permintaan/status/", views.request_status, name="privacy_request_status"),
    path("privasi/antrian/", views.queue, name="privacy_queue"),
    path("privasi/antrian/<int:pk>/", views.request_detail, name="privacy_request_detail"),
    path("privasi/antrian/<int:pk>/<str:action>/", views.request_act, name="privacy_request_act"),
    path("privasi/insiden/", views.breach_list, name="privacy_breach_list"),
    path("privasi/insiden/baru/", views.breach_new, name="privacy_breach_new"),
    path("privasi/insiden/<int:pk>/", views.breach_detail, name="privacy_breach_detail"),
    path(
        "privasi/insiden/<int:pk>/diberitahu/<str:recipient>/",
        views.breach_notified,
        name="privacy_breach_notified",
    ),
    path(
        "privasi/insiden/<int:pk>/surat/<str:recipient>/",
        views.breach_letter,
        name="privacy_breach_letter",
    ),
]
