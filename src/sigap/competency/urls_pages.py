"""The people's competency pages: one's own, an employee's (scoped), the team and the agency."""

from django.urls import URLPattern, path

from sigap.competency import views_pages

urlpatterns: list[URLPattern] = [
    path("kompetensi/saya/", views_pages.mine, name="competency_mine"),
    path("kompetensi/pegawai/<int:employee_id>/", views_pages.employee,
         name="competency_employee"),
    path("kompetensi/tim/", views_pages.team, name="competency_team"),
    path("kompetensi/instansi/", views_pages.agency, name="competency_agency"),
]  # fmt: skip
