"""``/api/support-entries/``: read in the caller's scope; add and close through the services; bad input answers
400 naming the field and changes nothing; others are refused and change nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from palermo.assistance.models import SupportEntry
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case
from palermo.referral.models import Service
from tests.conftest import verified_login
from tests.pins import pin

pytestmark = pytest.mark.django_db
URL = "/api/support-entries/"


def api(user: Any) -> APIClient:
    client = APIClient()
    verified_login(client, user)
    return client


def new_entry(for_case: Case, shelter: Service, **changes: Any) -> dict[str, Any]:
    return {"case": for_case.pk, "support_type": "Health", "provider": shelter.organisation_id, "service": shelter.pk,
            "start_date": "2026-03-05", "planned_end_date": "2026-04-05", "objectives": "medical check", **changes}


def state() -> tuple[int, int, list[tuple[Any, ...]]]:
    return (SupportEntry.objects.count(), AuditEvent.objects.count(),
            list(SupportEntry.objects.order_by("pk").values_list("support_type", "actual_end_date", "outcome")))


def test_a_case_worker_adds_and_closes_a_support_plan(people: dict[str, Any], case: Case, shelter: Service) -> None:
    client = api(people["allowed"])
    response = client.post(URL, new_entry(case, shelter), format="json")
    assert response.status_code == 201
    entry = SupportEntry.objects.get()
    body = response.json()
    assert {key: body[key] for key in ("id", "case", "case_code", "country", "support_type", "provider", "service",
                                       "start_date", "planned_end_date", "actual_end_date", "outcome",
                                       "recorded_by")} == {
        "id": entry.pk, "case": case.pk, "case_code": case.case_code, "country": "RO", "support_type": "Health",
        "provider": shelter.organisation_id, "service": shelter.pk, "start_date": "2026-03-05",
        "planned_end_date": "2026-04-05", "actual_end_date": None, "outcome": "", "recorded_by": "cw-ro"}
    assert AuditEvent.objects.filter(object_type="assistance.supportentry", action="create").count() == 1
    closed = client.post(f"{URL}{entry.pk}/close/", {"actual_end_date": "2026-04-01", "outcome": "partly_met"},
                         format="json")
    assert closed.status_code == 200
    assert (closed.json()["actual_end_date"], closed.json()["outcome"], closed.json()["closed_by"]) == (
        "2026-04-01", "partly_met", "cw-ro")
    again = client.post(f"{URL}{entry.pk}/close/", {"actual_end_date": "2026-04-02", "outcome": "met"},
                        format="json")
    assert (again.status_code, again.json()) == (400, {"actual_end_date": ["This support plan is already closed."]})
    assert [e["id"] for e in client.get(f"{URL}?open=false").json()["results"]] == [entry.pk]
    assert client.get(f"{URL}?open=true").json()["results"] == []


@pytest.mark.parametrize(("changes", "errors"), [
    ({"planned_end_date": "2026-03-01"}, {"planned_end_date": ["The planned end cannot come before the start."]}),
    ({"support_type": "Shelter"}, {"support_type": ['"Shelter" is not a valid choice.']}),
    ({"start_date": "5 March"}, {"start_date": [
        "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}),
    ({"case": 999999}, {"case": ['Invalid pk "999999" - object does not exist.']}),
    ({"service": None, "provider": None}, {"provider": ["This field may not be null."]}),
])
def test_bad_input_names_the_field_and_changes_nothing(people: dict[str, Any], case: Case, shelter: Service,
                                                       changes: dict[str, Any], errors: dict[str, Any]) -> None:
    client = api(people["allowed"])
    before = state()
    response = client.post(URL, new_entry(case, shelter, **changes), format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert state() == before


def test_a_service_of_another_provider_is_refused_on_the_provider(people: dict[str, Any], case: Case,
                                                                  shelter: Service, organisation_factory: Any) -> None:
    other = organisation_factory("clinic-ro", country="RO")
    response = api(people["allowed"]).post(URL, new_entry(case, shelter, provider=other.pk), format="json")
    assert (response.status_code, response.json()) == (400, {
        "provider": ["The provider is not the organisation of the service chosen."]})
    assert SupportEntry.objects.count() == 0


def test_a_closing_date_in_the_future_is_refused(people: dict[str, Any], entry: SupportEntry) -> None:
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = api(people["allowed"]).post(f"{URL}{entry.pk}/close/", {"actual_end_date": future, "outcome": "met"},
                                           format="json")
    assert (response.status_code, response.json()) == (400, {
        "actual_end_date": ["The end date cannot be in the future."]})
    entry.refresh_from_db()
    assert entry.actual_end_date is None


@pytest.mark.parametrize(("who", "create_status"), [("other_country", 400), ("outsider", 403), ("viewer", 403)])
def test_others_read_nothing_and_change_nothing(people: dict[str, Any], entry: SupportEntry, shelter: Service,
                                                who: str, create_status: int) -> None:
    client = api(people[who])
    before = state()
    assert client.get(URL).json()["results"] == []
    assert (client.get(f"{URL}{entry.pk}/").status_code, client.get(f"{URL}{entry.pk}/").json()) == (
        404, {"detail": "Not found."})
    created = client.post(URL, new_entry(entry.case, shelter), format="json")
    assert created.status_code == create_status
    if create_status == 400:  # a case worker elsewhere: the case is not one they may see
        assert created.json() == {"case": [f'Invalid pk "{entry.case_id}" - object does not exist.']}
    closed = client.post(f"{URL}{entry.pk}/close/", {"actual_end_date": "2026-04-01", "outcome": "met"},
                         format="json")
    assert closed.status_code == 404
    assert state() == before


def test_anonymous_callers_and_case_worker_tokens_are_refused(people: dict[str, Any], entry: SupportEntry,
                                                              shelter: Service) -> None:
    before = state()
    assert APIClient().get(URL).status_code == 401
    assert APIClient().post(URL, new_entry(entry.case, shelter), format="json").status_code == 401
    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=people['allowed']).key}")
    response = token.get(URL)
    assert (response.status_code, response.json()) == (401, {
        "detail": "API tokens are not accepted for roles that see identifying data; sign in with two factors."})
    assert state() == before


def test_the_list_costs_the_same_queries_whatever_its_length(people: dict[str, Any], entry: SupportEntry,
                                                             shelter: Service, django_assert_num_queries: Any) -> None:
    from palermo.assistance import services

    client = api(people["allowed"])
    client.get(URL)

    def grow() -> None:
        for day in range(1, 6):
            services.add_support(acting_user=people["allowed"], case=entry.case, plan=services.SupportPlan(
                support_type="Financial", provider=shelter.organisation, start_date=date(2026, 4, day)))

    # session, user, second factor, countries; count, page (case, recorded_by and closed_by joined)
    response = pin(client, URL, 6, django_assert_num_queries, grow=grow)
    assert response.json()["count"] == 6
