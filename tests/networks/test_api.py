"""``/api/networks/`` and ``/api/network-diagnoses/`` in the caller's scope (three users)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from palermo.networks import services
from palermo.networks.models import Network
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    client = APIClient()
    verified_login(client, user)
    return client


def test_networks_and_their_analysis_in_scope(network: Network, people: dict[str, Any]) -> None:
    allowed = api(people["allowed"])
    listed = allowed.get("/api/networks/").json()
    assert [n["name"] for n in listed["results"]] == ["ring"]
    figures = allowed.get(f"/api/networks/{network.pk}/analysis/").json()
    assert (figures["nodes"], figures["edges"], figures["components"]) == (6, 7, 1)  # 5 links + 2 to the phone
    assert allowed.get("/api/networks/", {"country": "RS"}).json()["results"] == []
    for who in ("other_country", "outsider"):
        client = api(people[who])
        assert client.get(f"/api/networks/{network.pk}/").status_code == 404
        assert client.get(f"/api/networks/{network.pk}/analysis/").status_code == 404
        assert client.get("/api/networks/").json()["results"] == []


def test_diagnoses_in_scope(network: Network, people: dict[str, Any]) -> None:
    diagnosis = services.draft_diagnosis(acting_user=people["allowed"], network=network, year=2026,
                                         source_country="RS")
    assert [d["id"] for d in api(people["allowed"]).get("/api/network-diagnoses/").json()["results"]] == [
        diagnosis.pk]
    assert api(people["coordinator_rs"]).get(f"/api/network-diagnoses/{diagnosis.pk}/").status_code == 404
    services.share_diagnosis(acting_user=people["allowed"], diagnosis=diagnosis)
    body = api(people["coordinator_rs"]).get(f"/api/network-diagnoses/{diagnosis.pk}/").json()
    assert (body["status"], body["jointly"]) == ("shared", False)
    for who in ("other_country", "outsider"):
        assert api(people[who]).get(f"/api/network-diagnoses/{diagnosis.pk}/").status_code == 404
