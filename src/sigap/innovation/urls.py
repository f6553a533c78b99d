"""The innovation registry and ideas from staff, under /inovasi/."""

from django.urls import path

from sigap.innovation import views

urlpatterns = [
    path("inovasi/", views.innovation_list, name="innovation_list"),
    path("inovasi/baru/", views.innovation_new, name="innovation_new"),
    path("inovasi/<int:pk>/", views.innovation_detail, name="innovation_detail"),
    path("inovasi/<int:pk>/ubah/", views.innovation_edit, name="innovation_edit"),
    path("inovasi/<int:pk>/tahap/", views.innovation_stage, name="innovation_stage"),
    path("inovasi/<int:pk>/replikasi/", views.innovation_replicate, name="innovation_replicate"),
    path("inovasi/ide/", views.idea_list, name="idea_list"),
    path("inovasi/ide/baru/", views.idea_new, name="idea_new"),
    path("inovasi/ide/<int:pk>/", views.idea_detail, name="idea_detail"),
    path("inovasi/ide/<int:pk>/dukung/", views.idea_endorse, name="idea_endorse"),
    path("inovasi/ide/<int:pk>/terima/", views.idea_accept, name="idea_accept"),
    path("inovasi/ide/<int:pk>/tolak/", views.idea_decline, name="idea_decline"),
]
