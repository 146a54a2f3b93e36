"""``/api/linkage/``: the same rules and services as the pages, three users per permission case."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from palermo.audit.models import AuditEvent
from palermo.linkage.models import Candidate, Judgement, LinkRecord
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    client = APIClient()
    verified_login(client, user)
    return client


def _state() -> tuple[list[Any], list[Any], int]:
    return (list(LinkRecord.objects.order_by("pk").values_list("canonical_id", flat=True)),
            list(Candidate.objects.order_by("pk").values_list("verdict", flat=True)), Judgement.objects.count())


def test_an_analyst_lists_judges_and_undoes_through_the_api(people, records, pairs) -> None:
    client = api(people["allowed"])
    listed = client.get("/api/linkage/pairs/?open=true").json()
    assert [row["id"] for row in listed["results"]] == [pairs["police_other"].pk, pairs["ngo_other"].pk,
                                                        pairs["police_ngo"].pk]
    detail = client.get(f"/api/linkage/pairs/{pairs['police_other'].pk}/").json()
    assert detail["conflicts"] == ["two dates of birth: 1988-03-14, 1988-04-14",
                                                 "two passports of AL: AL1234567, AL9999999"]
    before = _state()
    made = client.post(f"/api/linkage/pairs/{pairs['police_ngo'].pk}/judge/", {"verdict": "accepted"}, format="json")
    assert made.status_code == 201 and made.json()["judged_by_name"] == "analyst-al"
    refused = client.post(f"/api/linkage/pairs/{pairs['ngo_other'].pk}/judge/", {"verdict": "accepted"},
                          format="json")
    assert refused.status_code == 409 and "two dates of birth" in refused.json()["detail"]
    bad = client.post(f"/api/linkage/pairs/{pairs['ngo_other'].pk}/judge/", {"verdict": "maybe"}, format="json")
    assert bad.status_code == 400 and "verdict" in bad.json()
    undone = client.post(f"/api/linkage/judgements/{made.json()['id']}/undo/")
    assert undone.status_code == 200 and undone.json()["undone_at"]
    assert _state()[:2] == before[:2]


@pytest.mark.parametrize("who", ["other_country", "outsider"])
def test_others_read_nothing_and_change_nothing(people, pairs, who) -> None:
    client = api(people[who])
    assert client.get("/api/linkage/pairs/").json()["results"] == []
    before, audit = _state(), AuditEvent.objects.exclude(action="login").count()
    response = client.post(f"/api/linkage/pairs/{pairs['police_ngo'].pk}/judge/", {"verdict": "accepted"},
                           format="json")
    assert response.status_code == 404
    assert _state() == before and AuditEvent.objects.exclude(action="login").count() == audit


def test_figures_are_for_managers_coordinators_and_analysts(people, user_factory) -> None:
    from palermo.accounts.roles import Role
    from palermo.linkage.models import UniqueCount

    UniqueCount.objects.create(counted_by_name="t", method="m", records=10, distinct=8, overlap={"a": {"a": 10}})
    assert len(api(people["allowed"]).get("/api/linkage/unique-counts/").json()["results"]) == 1
    assert api(people["outsider"]).get("/api/linkage/unique-counts/").json()["results"] == []
    coordinator = user_factory("coord-rs", Role.NATIONAL_COORDINATOR, ("RS",))
    assert len(api(coordinator).get("/api/linkage/unique-counts/").json()["results"]) == 1
