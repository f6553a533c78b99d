"""Competency development pages (issue #15), under /kompetensi/. Each group of pages keeps its
own URL list: the standards (HR), the records (assessments, training), the people's pages and
the development plan (AKPK)."""

from sigap.competency import urls_pages, urls_plan, urls_records, urls_standards

urlpatterns = [
    *urls_standards.urlpatterns,
    *urls_records.urlpatterns,
    *urls_pages.urlpatterns,
    *urls_plan.urlpatterns,
]
