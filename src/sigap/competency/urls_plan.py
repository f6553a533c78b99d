"""The development plan (AKPK) pages: a unit's plan, the agency's, approvals, item edits and
the export."""

from django.urls import URLPattern, path

from sigap.competency import views_plan

urlpatterns: list[URLPattern] = [
    path("kompetensi/akpk/<int:year>/", views_plan.plan_agency_page, name="competency_plan_agency"),
    path(
        "kompetensi/akpk/<int:year>/unit/<int:unit_id>/",
        views_plan.plan_unit_page,
        name="competency_plan_unit",
    ),
    path(
        "kompetensi/akpk/rencana/<int:pk>/setujui/",
        views_plan.plan_approve,
        name="competency_plan_approve",
    ),
    path(
        "kompetensi/akpk/rencana/<int:pk>/akpk.xlsx",
        views_plan.plan_export,
        name="competency_plan_export",
    ),
    path(
        "kompetensi/akpk/butir/<int:pk>/ubah/",
        views_plan.plan_item_edit_view,
        name="competency_plan_item_edit",
    ),
]
