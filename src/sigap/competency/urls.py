"""Competency development pages (issue #15), under /kompetensi/."""

from django.urls import path  # noqa: F401

app_name = "competency"
urlpatterns: list = []  # type: ignore[type-arg]
