"""``/api/screenings/``: read in the caller's scope; a new screening through the same service as the page; bad
input answers 400 naming the field and changes nothing; others are refused and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.reference.models import IndicatorList
from palermo.screening import services
from palermo.screening.models import Screening
from tests.conftest import verified_login
from tests.pins import pin
from tests.screening.test_screenings import POSITIVE

pytestmark = pytest.mark.django_db
URL = "/api/screenings/"


@pytest.fixture
def people(user_factory: Callable[..., Any]) -> dict[str, Any]:
    return {"allowed": user_factory("cw-ro", Role.CASE_WORKER, ("RO",)),
            "other_country": user_factory("cw-rs", Role.CASE_WORKER, ("RS",)),
            "outsider": user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",)),
            "viewer": user_factory("viewer", Role.VIEWER)}


def api(user: Any) -> APIClient:
    client = APIClient()
    verified_login(client, user)
    return client


def state() -> tuple[int, int]:
    return Screening.objects.count(), AuditEvent.objects.count()


def screen(user: Any) -> Screening:
    return services.create_screening(acting_user=user, country="RO", ticked=POSITIVE,
                                     indicator_list=IndicatorList.objects.filter(code="adult-labour").latest("pk"))


def test_a_case_worker_screens_and_reads_the_result(people: dict[str, Any]) -> None:
    client = api(people["allowed"])
    response = client.post(URL, {"list": "adult-labour", "country": "ro", "indicators": POSITIVE}, format="json")
    assert response.status_code == 201
    screening = Screening.objects.get()
    body = response.json()
    assert {key: body[key] for key in ("id", "country", "list", "version", "list_verified", "possible_victim",
                                       "referral", "case", "case_code")} == {
        "id": screening.pk, "country": "RO", "list": "adult-labour", "version": "2009", "list_verified": False,
        "possible_victim": True, "referral": "refer_presumed_victim", "case": None, "case_code": None}
    assert [d["dimension"] for d in body["result"]["positive_dimensions"]] == [
        "deceptive_recruitment", "exploitative_conditions", "coercion_destination"]
    event = AuditEvent.objects.get(object_type="screening.screening")
    assert (event.action, event.actor_username, event.country) == ("create", "cw-ro", "RO")
    french = client.get(f"{URL}{screening.pk}/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert french["result"]["referral"]["text"].startswith("Orienter vers le mécanisme national d'orientation")
    assert [item["id"] for item in client.get(f"{URL}?possible_victim=true").json()["results"]] == [screening.pk]


@pytest.mark.parametrize(("posted", "errors"), [
    ({"list": "adult-begging", "country": "RO", "indicators": []}, {"list": [
        "Unknown indicator list 'adult-begging': the lists are adult-labour, adult-sexual, child-labour, "
        "child-sexual."]}),
    ({"list": "adult-labour", "country": "RS", "indicators": []}, {"country": ["RS is not one of your countries."]}),
    ({"list": "adult-labour", "country": "RO", "indicators": ["coercion_destination/none_such"]}, {"indicators": [
        "coercion_destination/none_such: not an indicator of adult-labour 2009"]}),
    ({"list": "adult-labour", "indicators": []}, {"country": ["This field is required."]}),
    ({"list": "adult-labour", "country": "RO", "indicators": "debt_bondage"}, {"indicators": [
        'Expected a list of items but got type "str".']}),
])
def test_bad_input_names_the_field_and_changes_nothing(people: dict[str, Any], posted: dict[str, Any],
                                                       errors: dict[str, Any]) -> None:
    client = api(people["allowed"])
    before = state()
    response = client.post(URL, posted, format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert state() == before


@pytest.mark.parametrize(("who", "create_status"), [("other_country", 400), ("outsider", 403), ("viewer", 403)])
def test_others_read_nothing_and_create_nothing(people: dict[str, Any], who: str, create_status: int) -> None:
    screening = screen(people["allowed"])
    client = api(people[who])
    before = state()
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{screening.pk}/").status_code == 404
    response = client.post(URL, {"list": "adult-labour", "country": "RO", "indicators": POSITIVE}, format="json")
    assert response.status_code == create_status
    if create_status == 403:
        assert response.json() == {"detail": "Only case workers of an organisation record screenings."}
    assert state() == before


def test_an_anonymous_caller_is_refused(people: dict[str, Any]) -> None:
    assert APIClient().get(URL).status_code == 401
    assert APIClient().post(URL, {"list": "adult-labour", "country": "RO", "indicators": []},
                            format="json").status_code == 401
    assert Screening.objects.count() == 0


def test_the_list_costs_the_same_queries_whatever_its_length(people: dict[str, Any],
                                                             django_assert_num_queries: Any) -> None:
    screen(people["allowed"])
    client = api(people["allowed"])
    client.get(URL)
    # session, user, second factor, countries; count, page (with list and case)
    response = pin(client, URL, 6, django_assert_num_queries,
                   grow=lambda: [screen(people["allowed"]) for _ in range(4)])
    assert response.json()["count"] == 5
