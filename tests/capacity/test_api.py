"""The API: scoped trainings with aggregates, participants by name for the organisers and managers only, a new
participant through the same service (three users), query-count pins."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from palermo.audit.models import AuditEvent
from palermo.capacity import services
from palermo.capacity.models import Participant, Training
from tests.capacity.conftest import participant, training_data
from tests.conftest import verified_login
from tests.pins import pin

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def test_a_training_reads_with_its_aggregates_and_its_withheld_gain(world: dict[str, Any],
                                                                    training: Training) -> None:
    user = world["users"]["coordinator-ro"]
    for index, (pre, post) in enumerate([("50", "60"), ("40", "55"), ("70", "72"), ("30", "45")]):
        services.add_participant(acting_user=user, training=training,
                                 data=participant(f"P{index}", "Q", "female" if index % 2 else "male", pre=pre,
                                                  post=post))
    body = client_for(world["users"]["viewer"]).get(f"/api/capacity/trainings/{training.pk}/").json()
    assert (body["trained"], body["women"], body["men"], body["by_profession"]) == (4, 2, 2, {"prosecutor": 4})
    assert body["knowledge_gain"] == {"pairs": 4, "withheld": True, "mean": None, "low": None, "high": None}
    services.add_participant(acting_user=user, training=training, data=participant("P4", "Q", pre="60", post="61"))
    gain = client_for(world["users"]["viewer"]).get(f"/api/capacity/trainings/{training.pk}/").json()[
        "knowledge_gain"]
    assert (gain["pairs"], gain["withheld"], round(gain["mean"], 6), round(gain["low"], 4), round(gain["high"], 4)) \
        == (5, False, 8.6, 0.1512, 17.0488)


def test_adding_a_participant_through_the_api_three_users(world: dict[str, Any], training: Training) -> None:
    url = f"/api/capacity/trainings/{training.pk}/participants/"
    body = {"given_name": "Ion", "family_name": "Ionescu", "sex": "male", "profession": "judge", "pre_score": "40"}
    for name in ("coordinator-rs", "embassy-ro", "viewer"):
        answer = client_for(world["users"][name]).post(url, body, content_type="application/json")
        assert answer.status_code == 404, name
    assert Participant.objects.count() == 0 and not AuditEvent.objects.filter(object_type="capacity.participant")
    answer = client_for(world["users"]["coordinator-ro"]).post(url, body, content_type="application/json")
    assert answer.status_code == 201 and answer.json()["family_name"] == "Ionescu"
    refused = client_for(world["users"]["coordinator-ro"]).post(
        url, body | {"post_score": "150"}, content_type="application/json")
    assert refused.status_code == 400 and "post_score" in refused.json()
    assert Participant.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="capacity.participant", action="create").count() == 1


def test_filters_and_scope(world: dict[str, Any], training: Training) -> None:
    services.create_training(acting_user=world["users"]["partner-iom"], data=training_data(
        world, title_en="Border identification", country=__import__("palermo.reference.models", fromlist=["x"])
        .Country.objects.get(code="RS"), action=world["actions"]["iom"], place="Belgrade"))
    titles = {name: sorted(t["title_en"] for t in client_for(world["users"][name]).get(
        "/api/capacity/trainings/?limit=10").json()["results"]) for name in (
        "manager", "coordinator-ro", "coordinator-rs", "partner-iom", "partner-other")}
    assert titles == {"manager": ["Border identification", "Investigating labour trafficking"],
                      "coordinator-ro": ["Investigating labour trafficking"],
                      "coordinator-rs": ["Border identification"], "partner-iom": ["Border identification"],
                      "partner-other": []}
    manager = client_for(world["users"]["manager"])
    assert [t["country"] for t in manager.get("/api/capacity/trainings/?country=rs").json()["results"]] == ["RS"]
    assert manager.get("/api/capacity/trainings/?year=2024&status=held").json()["count"] == 2
    bad = manager.get("/api/capacity/trainings/?country=ZZ")
    assert bad.status_code == 400 and "country" in bad.json()


def test_query_counts_do_not_grow_with_the_rows(world: dict[str, Any], training: Training,
                                                django_assert_num_queries: Any) -> None:
    user = world["users"]["coordinator-ro"]
    client = client_for(user)

    def grow() -> None:
        more = services.create_training(acting_user=user, data=training_data(world, title_en="Another"))
        for index in range(3):
            services.add_participant(acting_user=user, training=more, data=participant(f"A{index}", "B"))
            services.add_participant(acting_user=user, training=training, data=participant(f"C{index}", "D"))

    pin(client, "/api/capacity/trainings/", 5, django_assert_num_queries, grow=grow)
    pin(client, "/capacity/", 7, django_assert_num_queries, grow=grow)
    pin(client, f"/api/capacity/trainings/{training.pk}/participants/", 11, django_assert_num_queries, grow=grow)
    pin(client, f"/capacity/{training.pk}/", 18, django_assert_num_queries, grow=grow)


def test_a_training_with_several_organisers_is_counted_once(world: dict[str, Any], training: Training) -> None:
    users = world["users"]
    services.update_training(acting_user=users["manager"], training=training, data=training_data(
        world, organisers=(users["coordinator-ro"], users["manager"], users["partner-iom"])))
    services.add_participant(acting_user=users["manager"], training=training, data=participant("A", "B"))
    for name in ("coordinator-ro", "embassy-ro", "partner-iom", "manager"):
        results = client_for(users[name]).get("/api/capacity/trainings/").json()["results"]
        assert [(t["id"], t["trained"]) for t in results] == [(training.pk, 1)], name
