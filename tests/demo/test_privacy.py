"""The demo names its data-protection officer and has a few data requests in the queue."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sigap.privacy.models import DataProtectionOfficer, PrivacyRequest, RequestStatus

pytestmark = pytest.mark.django_db


def test_the_demo_sets_the_dpo_and_a_small_deterministic_queue(small_demo: str) -> None:
    officer = DataProtectionOfficer.objects.get()
    assert officer.email == "ppdp@sukamaju.go.id"
    rows = list(PrivacyRequest.objects.order_by("received_at"))
    assert [r.kind for r in rows] == ["deletion", "correction", "access"]
    assert [r.status for r in rows].count(RequestStatus.RECEIVED) == 2
    assert all(r.matched and r.unit_id == r.service_request.unit_id for r in rows)
    page = Client().get("/pengaduan/baru/").content.decode()
    assert "ppdp@sukamaju.go.id" in page


def test_the_demo_admin_sees_the_queue(small_demo: str) -> None:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="demo.admin"))
    page = client.get("/privasi/antrian/").content.decode()
    assert len(re.findall(r'href="/privasi/antrian/\d+/"', page)) == 3
    assert 'class="overdue"' in page  # the correction arrived five days before the end date
