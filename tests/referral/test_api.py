"""``/api/referrals/``: read in the caller's scope; steps through the same service as the page; bad input answers
400 naming the field and changes nothing; others are refused and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from rest_framework.test import APIClient

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case
from palermo.cases.services import Route, create_case
from palermo.referral import services
from palermo.referral.models import Referral, ReferralStep, Service
from tests.conftest import verified_login
from tests.pins import pin

pytestmark = pytest.mark.django_db
URL = "/api/referrals/"


@pytest.fixture
def people(user_factory: Callable[..., Any]) -> dict[str, Any]:
    return {"allowed": user_factory("cw-ro", Role.CASE_WORKER, ("RO",)),
            "other_country": user_factory("cw-rs", Role.CASE_WORKER, ("RS",)),
            "outsider": user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",)),
            "viewer": user_factory("viewer", Role.VIEWER)}


def new_referral(user: Any, minor: bool = False) -> Referral:
    case = create_case(acting_user=user, case=Case(organisation=user.organisation, owner_country_id="RO"), forms=[],
                       route=Route())
    return services.open_referral(acting_user=user, case=case, minor=minor)


def api(user: Any) -> APIClient:
    client = APIClient()
    verified_login(client, user)
    return client


def state() -> tuple[Any, ...]:
    return (AuditEvent.objects.count(), ReferralStep.objects.count(),
            list(Referral.objects.order_by("pk").values_list("step", flat=True)),
            list(Case.objects.order_by("pk").values_list("trafficking_status", flat=True)))


def test_a_case_worker_reads_the_referral_with_its_steps_and_moves_it_on(people: dict[str, Any]) -> None:
    referral = new_referral(people["allowed"], minor=True)
    client = api(people["allowed"])
    listed = client.get(URL).json()
    assert [item["case_code"] for item in listed["results"]] == [referral.case.case_code]
    moved = client.post(f"{URL}{referral.pk}/steps/", {"step": "referred"}, format="json")
    assert moved.status_code == 201
    body = moved.json()
    assert (body["step"], body["minor"], body["country"], body["time_zone"]) == (
        "referred", True, "RO", "Europe/Bucharest")
    assert [(s["step"], s["kind"], s["reason"], s["recorded_by"]) for s in body["steps"]] == [
        ("possible_victim", "next", "", "cw-ro"), ("referred", "next", "", "cw-ro")]
    client.post(f"{URL}{referral.pk}/steps/", {"step": "accepted"}, format="json")
    identified = client.post(f"{URL}{referral.pk}/steps/", {"step": "identified", "decided_by": "Police"},
                             format="json")
    assert identified.json()["step"] == "identified"
    case = Case.objects.get(pk=referral.case_id)
    assert (case.trafficking_status, case.status_decided_by) == ("actual", "Police")
    assert client.get(f"{URL}?step=identified").json()["count"] == 1
    assert client.get(f"{URL}?step=referred").json()["count"] == 0


@pytest.fixture
def elsewhere(organisation_factory: Callable[..., Any]) -> Service:
    return Service.objects.create(organisation=organisation_factory("shelter-rs", country="RS"), country_id="RS",
                                  service_types=["shelter"], area="Belgrade", languages="sr", contact="x",
                                  last_verified=date(2026, 1, 1))


@pytest.mark.parametrize(("posted", "errors"), [
    ({"step": "identified", "decided_by": "Police"},
     {"step": ["moving from possible_victim to identified is a skip move: record the reason"]}),
    ({"step": "closed"}, {"step": ['"closed" is not a valid choice.']}),
    ({}, {"step": ["This field is required."]}),
    ({"step": "referred", "decided_by": "Neighbour"}, {"decided_by": ['"Neighbour" is not a valid choice.']}),
    ({"step": "referred", "service": "elsewhere"}, {"service": ["The service is not in the referral's country."]}),
    ({"step": "referred", "reason": "x" * 2001}, {"reason": ["Ensure this field has no more than 2000 characters."]}),
])
def test_bad_input_names_the_field_and_changes_nothing(people: dict[str, Any], elsewhere: Service,
                                                       posted: dict[str, Any], errors: dict[str, Any]) -> None:
    referral = new_referral(people["allowed"])
    client = api(people["allowed"])
    if posted.get("service") == "elsewhere":
        posted = {**posted, "service": elsewhere.pk}
    before = state()
    response = client.post(f"{URL}{referral.pk}/steps/", posted, format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert state() == before


@pytest.mark.parametrize("who", ["other_country", "outsider", "viewer"])
def test_others_read_nothing_and_move_nothing(people: dict[str, Any], who: str) -> None:
    referral = new_referral(people["allowed"])
    client = api(people[who])
    before = state()
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{referral.pk}/").status_code == 404
    response = client.post(f"{URL}{referral.pk}/steps/", {"step": "referred"}, format="json")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
    assert state() == before


def test_an_anonymous_caller_is_refused(people: dict[str, Any]) -> None:
    referral = new_referral(people["allowed"])
    before = state()
    assert APIClient().get(URL).status_code == 401
    assert APIClient().post(f"{URL}{referral.pk}/steps/", {"step": "referred"}, format="json").status_code == 401
    assert state() == before


def test_the_list_costs_the_same_queries_whatever_its_length(people: dict[str, Any],
                                                             django_assert_num_queries: Any) -> None:
    new_referral(people["allowed"])
    client = api(people["allowed"])
    client.get(URL)
    # session, user, second factor, countries; count, page (with the case), steps, their recorders
    response = pin(client, URL, 8, django_assert_num_queries,
                   grow=lambda: [new_referral(people["allowed"]) for _ in range(4)])
    assert response.json()["count"] == 5
