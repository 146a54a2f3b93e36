"""Steering API: meetings with their figures, frozen hashes and links; decisions written by programme managers
on draft meetings only. Three users per case; a refused request changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.programme.models import Transaction
from palermo.steering import services
from palermo.steering.models import Decision, FrozenReview, SteeringMeeting
from tests.conftest import verified_login
from tests.steering.builders import Portfolio

pytestmark = pytest.mark.django_db
CLOSED_MESSAGE = "The meeting is closed: its decisions can no longer change."


@pytest.fixture
def users(user_factory: Callable[..., Any]) -> dict[str, Any]:
    return {
        "manager": user_factory("manager", Role.PROGRAMME_MANAGER),
        "embassy-ro": user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",)),
        "embassy-rs": user_factory("embassy-rs", Role.EMBASSY_OFFICER, ("RS",)),
        "analyst-ro": user_factory("analyst-ro", Role.ANALYST, ("RO",)),
    }


@pytest.fixture
def meeting(portfolio: Portfolio) -> SteeringMeeting:
    return services.create_meeting(acting_user=SYSTEM, year=2024, date=date(2025, 2, 10), place="Vienna")


def client_for(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def state() -> tuple[object, ...]:
    return (
        list(SteeringMeeting.objects.values_list("year", "status")),
        list(Decision.objects.order_by("pk").values_list("text_en", "text_fr", "owner", "due_date")),
        FrozenReview.objects.count(),
        AuditEvent.objects.count(),
    )


def post(client: Client, url: str, payload: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(url, json.dumps(payload), content_type="application/json")


DECISION = {
    "meeting": 2024,
    "text_en": "Extend the shelter action to Serbia",
    "text_fr": "Étendre l'action d'hébergement à la Serbie",
    "owner": "Embassy in Belgrade",
    "due_date": "2025-06-30",
    "actions": ["XM-DAC-4-TEST-THB-1"],
}


def test_portfolio_roles_read_meetings_with_live_figures_and_outsiders_do_not(meeting, users) -> None:
    for name in ("embassy-ro", "embassy-rs"):  # the embassies read the full review, whatever their country
        client = client_for(users[name])
        listed = client.get("/api/steering/meetings/").json()
        assert [(m["year"], m["status"], m["frozen"]) for m in listed["results"]] == [(2024, "draft", [])]
        detail = client.get("/api/steering/meetings/2024/").json()
        figures = detail["figures"]
        assert (figures["year"], figures["implemented"], figures["indicator_periods"]) == (2024, 2, 3)
        assert figures["money"] == {
            "budget": "320000.00",
            "committed": "50000.00",
            "disbursed": "235000.00",
            "expended": "150000.50",
            "disbursement_rate": "73.4",
        }
        assert {code: m["disbursed"] for code, m in figures["money_by_country"].items()} == {
            "RO": "170000.00",
            "RS": "65000.00",
        }
        assert figures["achievement"] == {"assessed": 3, "met": 2, "rate": "66.7"}
        assert figures["proposal"]["year"] == 2025 and figures["proposal"]["pipeline"] == 1
        assert detail["figures_frozen"] is False
        assert [(link["language"], link["format"]) for link in detail["review_links"]] == [
            ("en", "html"),
            ("en", "pdf"),
            ("fr", "html"),
            ("fr", "pdf"),
        ]
        assert detail["review_links"][3]["url"] == "http://testserver/steering/2024/review.pdf?lang=fr"
    outsider = client_for(users["analyst-ro"])
    before = state()
    assert outsider.get("/api/steering/meetings/").json()["results"] == []
    assert outsider.get("/api/steering/meetings/2024/").status_code == 404
    assert outsider.get("/api/steering/meetings/2031/").status_code == 404  # missing answers alike
    assert state() == before
    assert Client().get("/api/steering/meetings/").status_code in (401, 403)


def test_a_closed_meeting_serves_its_frozen_figures_and_hashes(meeting, users) -> None:
    services.close_meeting(acting_user=users["manager"], meeting=meeting, with_pdf=False)
    stored = {(f.language, f.format): f.sha256 for f in FrozenReview.objects.all()}
    Transaction.objects.all().delete()  # later data changes do not move the frozen figures
    detail = client_for(users["embassy-rs"]).get("/api/steering/meetings/2024/").json()
    assert detail["status"] == "closed" and detail["figures_frozen"] is True
    assert {(f["language"], f["format"]): f["sha256"] for f in detail["frozen"]} == stored
    assert set(stored) == {("en", "json"), ("en", "html"), ("fr", "html"), ("en", "data"), ("fr", "data")}
    assert detail["figures"]["money"]["disbursed"] == "235000.00"
    FrozenReview.objects.filter(format=FrozenReview.Format.JSON).update(content=b'{"year": 1999}')
    altered = client_for(users["embassy-rs"]).get("/api/steering/meetings/2024/")
    assert altered.status_code == 409
    assert altered.json()["detail"].startswith("The stored review does not match its hash")


def test_only_programme_managers_record_decisions_and_refusals_change_nothing(meeting, users) -> None:
    embassy, outsider, manager = (client_for(users[name]) for name in ("embassy-ro", "analyst-ro", "manager"))
    before = state()
    refused = post(embassy, "/api/steering/decisions/", DECISION)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only programme managers record decisions."}
    assert post(outsider, "/api/steering/decisions/", DECISION).status_code == 404
    assert state() == before
    created = post(manager, "/api/steering/decisions/", DECISION)
    assert created.status_code == 201, created.content
    body = created.json()
    assert {k: v for k, v in body.items() if k != "id"} == DECISION
    event = AuditEvent.objects.latest("pk")
    assert (event.object_type, event.action, event.object_id) == ("steering.decision", "create", str(body["id"]))
    listed = client_for(users["embassy-rs"]).get("/api/steering/decisions/?year=2024").json()
    assert [d["owner"] for d in listed["results"]] == ["Embassy in Belgrade"]
    assert client_for(users["analyst-ro"]).get("/api/steering/decisions/").json()["results"] == []


def test_a_manager_edits_a_draft_decision_and_others_cannot(meeting, users) -> None:
    decision = services.add_decision(
        acting_user=SYSTEM, meeting=meeting, text_en="Old", text_fr="Ancien", owner="MEAE", due_date=None
    )
    url = f"/api/steering/decisions/{decision.pk}/"
    embassy, outsider, manager = (client_for(users[name]) for name in ("embassy-rs", "analyst-ro", "manager"))
    before = state()
    assert post(embassy, url, {"owner": "x"}, "patch").status_code == 403
    assert post(outsider, url, {"owner": "x"}, "patch").status_code == 404
    assert state() == before
    changed = post(manager, url, {"owner": "UNODC", "due_date": "2025-03-01"}, "patch")
    assert changed.status_code == 200, changed.content
    assert changed.json()["owner"] == "UNODC" and changed.json()["text_en"] == "Old"
    event = AuditEvent.objects.latest("pk")
    assert (event.object_type, event.action) == ("steering.decision", "update")
    assert event.detail["changed"] == {"owner": "UNODC", "due_date": "2025-03-01"}
    moved = post(manager, url, {"meeting": 2023}, "patch")
    assert moved.status_code == 400


def test_decisions_of_a_closed_meeting_answer_409_and_do_not_change(meeting, users) -> None:
    decision = services.add_decision(
        acting_user=SYSTEM, meeting=meeting, text_en="Kept", text_fr="Gardée", owner="MEAE", due_date=None
    )
    services.close_meeting(acting_user=SYSTEM, meeting=meeting, with_pdf=False)
    manager = client_for(users["manager"])
    before = state()
    for response in (
        post(manager, "/api/steering/decisions/", DECISION),
        post(manager, f"/api/steering/decisions/{decision.pk}/", {"owner": "x"}, "patch"),
        post(manager, f"/api/steering/decisions/{decision.pk}/", {**DECISION, "owner": "x"}, "put"),
    ):
        assert response.status_code == 409
        assert response.json() == {"detail": CLOSED_MESSAGE}
    assert state() == before


def test_a_bad_decision_gets_field_messages_and_changes_nothing(meeting, users) -> None:
    manager = client_for(users["manager"])
    before = state()
    response = post(
        manager,
        "/api/steering/decisions/",
        {**DECISION, "text_en": "", "actions": ["NOPE-1"], "due_date": "30/06/2025"},
    )
    assert response.status_code == 400
    assert set(response.json()) == {"text_en", "actions", "due_date"}
    assert state() == before
