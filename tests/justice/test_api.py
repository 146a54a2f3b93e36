"""``/api/justice/...``: records in the caller's scope only (three users), the figures of a scope, pins."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rest_framework.test import APIClient

from palermo.justice import services
from palermo.justice.models import Proceeding
from tests.conftest import verified_login
from tests.pins import pin

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    client = APIClient()
    verified_login(client, user)
    return client


def test_proceedings_are_read_in_the_callers_scope(people: dict[str, Any], proceeding: Proceeding) -> None:
    body = api(people["allowed"]).get("/api/justice/proceedings/").json()
    assert [(p["id"], p["country"], p["thb_charged"], [c["offence"] for c in p["charges"]]) for p in body["results"]] \
        == [(proceeding.pk, "RO", True, ["thb", "money_laundering"])]
    assert body["results"][0]["victims"][0]["testified"] is True
    for who in ("other_country", "outsider", "viewer", "coordinator_rs"):
        client = api(people[who])
        assert client.get("/api/justice/proceedings/").json()["results"] == [], who
        assert client.get(f"/api/justice/proceedings/{proceeding.pk}/").status_code == 404, who
        assert client.get("/api/justice/defendants/").json()["results"] == [], who
    assert api(people["analyst"]).get(f"/api/justice/proceedings/{proceeding.pk}/").status_code == 200
    assert api(people["manager"]).get("/api/justice/defendants/").json()["count"] == 1
    bad = api(people["allowed"]).get("/api/justice/proceedings/?country=ZZ")
    assert bad.status_code == 400 and "country" in bad.json()


def test_the_figures_of_a_scope(people: dict[str, Any], proceeding: Proceeding) -> None:
    services.record_decision(acting_user=people["allowed"], proceeding=proceeding, verdict=services.Verdict(
        instance="first_instance", decided_on=date(2022, 5, 1), outcome="convicted", convicted_of_thb=True,
        sentence_months=40))
    body = api(people["analyst"]).get("/api/justice/figures/?year_from=2020&year_to=2023").json()
    assert body["scope"] == {"countries": ["RO"], "exact": True, "k": None, "year_from": 2020, "year_to": 2023}
    assert body["persons_convicted"] == [{"country": "RO", "year": 2022, "ours": 1, "official": None,
                                          "official_published_as": None, "difference": None,
                                          "reasons": ["no_official"]}]
    assert body["persons_prosecuted"][0]["ours"] == 1 and body["sentences"] == [
        {"country": "RO", "band": "36_59", "persons": 1}]
    viewer = api(people["viewer"]).get("/api/justice/figures/?year_from=2020&year_to=2023").json()
    assert [r["ours"] for r in viewer["persons_convicted"]] == ["<5"]
    assert api(people["other_country"]).get("/api/justice/figures/?country=RO").status_code == 403
    assert api(people["viewer"]).get("/api/justice/figures/?year_from=20").status_code == 400


def test_the_lists_cost_the_same_queries_whatever_their_length(people: dict[str, Any], proceeding: Proceeding,
                                                               django_assert_num_queries: Any) -> None:
    client = api(people["allowed"])
    client.get("/api/justice/proceedings/")

    def grow() -> None:
        for n in range(3):
            defendant = services.record_defendant(acting_user=people["allowed"], country="RO",
                                                  person=services.Person(reference=f"X-{n}"))
            p = services.open_proceeding(acting_user=people["allowed"], defendant=defendant,
                                         spec=services.ProceedingSpec(investigation_opened=date(2022, 1, 1),
                                                                      prosecuted_on=date(2022, 2, 1),
                                                                      charges=[services.ChargeSpec("thb")]))
            services.record_decision(acting_user=people["allowed"], proceeding=p, verdict=services.Verdict(
                instance="first_instance", decided_on=date(2023, 1, 1), outcome="acquitted"))

    # session, user, second factor, countries; count, page, charges, decisions, victims
    pin(client, "/api/justice/proceedings/", 9, django_assert_num_queries, grow=grow)
    # session, user, second factor, countries; count, page, perpetrators
    pin(client, "/api/justice/defendants/", 7, django_assert_num_queries)
