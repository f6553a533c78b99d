from django.urls import path

from sigap.payments import views

urlpatterns = [
    path("pembayaran/", views.cashier, name="payments_cashier"),
    path("pembayaran/rekonsiliasi/", views.reconcile, name="payments_reconcile"),
    path("pembayaran/impor/", views.statement_import, name="payments_import"),
]
