"""The reference admin opens for staff: lists, filters and the inlines."""

from __future__ import annotations

import pytest

from palermo.accounts.models import User
from palermo.reference.models import IndicatorList
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db

PAGES = [
    "country", "objective", "thbform", "legalinstrument", "instrumentstatus", "exploitationform",
    "indicatordimension", "indicatorlist", "indicator",
]


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser(username="root", password="A-long-test-password-2026", email="r@example.org")
    verified_login(client, user)  # staff sign in with a second factor
    return client


@pytest.mark.parametrize("model", PAGES)
def test_every_changelist_opens(admin_client, model) -> None:
    assert admin_client.get(f"/admin/reference/{model}/").status_code == 200


def test_filters_and_inlines(admin_client) -> None:
    response = admin_client.get("/admin/reference/instrumentstatus/", {"country__code__exact": "XK"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 10
    response = admin_client.get("/admin/reference/instrumentstatus/", {"status__exact": "transposition_pending"})
    assert response.context["cl"].result_count == 4
    response = admin_client.get("/admin/reference/legalinstrument/warsaw-convention/change/")
    assert response.status_code == 200
    assert "not_party" in response.content.decode()
    adult = IndicatorList.objects.get(code="adult-labour")
    response = admin_client.get(f"/admin/reference/indicatorlist/{adult.pk}/change/")
    assert response.status_code == 200
    assert "Deceived about the nature of the job" in response.content.decode()
    assert admin_client.get("/admin/reference/country/", {"q": "Albanie"}).context["cl"].result_count == 1


def test_a_viewer_cannot_open_the_admin(client) -> None:
    user = User.objects.create_user(username="viewer", password="A-long-test-password-2026", role="viewer")
    client.force_login(user)
    assert client.get("/admin/reference/country/").status_code == 302
