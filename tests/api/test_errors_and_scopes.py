"""The API's refusals: one shape, plain words, the same answer for forbidden and missing; who is who."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.partners.models import Organisation, Person
from palermo.steering import services
from palermo.steering.models import Decision
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db
NOT_FOUND = {"detail": "Not found."}


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_no_credentials_or_a_foreign_scheme_get_401_with_the_scheme_to_use() -> None:
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer abc"}, {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"}):
        response = APIClient().get("/api/me/", **headers)
        assert response.status_code == 401
        assert response.json() == {"detail": "Authentication credentials were not provided."}
        assert response["WWW-Authenticate"] == "Token"


def test_the_token_of_a_deactivated_account_is_refused(user_factory) -> None:
    user = user_factory("viewer", Role.VIEWER)
    client = token_client(user)
    assert client.get("/api/me/").status_code == 200
    user.is_active = False
    user.save()
    response = client.get("/api/me/")
    assert (response.status_code, response.json()) == (401, {"detail": "Unknown or revoked token."})


def test_a_token_opens_the_api_but_no_page(user_factory) -> None:
    client = token_client(user_factory("manager", Role.PROGRAMME_MANAGER))
    assert client.get("/api/partners/organisations/").status_code == 200
    page = client.get("/partners/organisations/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")


def test_forbidden_and_missing_objects_answer_alike(user_factory, organisation_factory) -> None:
    person = Person.objects.create(organisation=organisation_factory("NGO", Organisation.Kind.NGO, "RO"), name="Ana")
    services.create_meeting(acting_user=SYSTEM, year=2024, date=date(2025, 2, 1), place="Paris")
    viewer, manager = token_client(user_factory("viewer", Role.VIEWER)), token_client(
        user_factory("manager", Role.PROGRAMME_MANAGER))
    for forbidden, missing in ((f"/api/partners/people/{person.pk}/", "/api/partners/people/999999/"),
                               ("/api/steering/meetings/2024/", "/api/steering/meetings/2023/")):
        assert (viewer.get(forbidden).status_code, viewer.get(forbidden).json()) == (404, NOT_FOUND)
        assert (manager.get(missing).status_code, manager.get(missing).json()) == (404, NOT_FOUND)
        assert manager.get(forbidden).status_code == 200


def test_a_refused_write_says_why_and_changes_nothing(user_factory) -> None:
    meeting = services.create_meeting(acting_user=SYSTEM, year=2024, date=date(2025, 2, 1), place="Paris")
    decision = {"meeting": 2024, "text_en": "x", "text_fr": "x", "owner": "MEAE"}
    embassy = token_client(user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",)))
    embassy_rs = token_client(user_factory("embassy-rs", Role.EMBASSY_OFFICER, ("RS",)))
    viewer = token_client(user_factory("viewer", Role.VIEWER))
    before = (Decision.objects.count(), AuditEvent.objects.count())
    for client in (embassy, embassy_rs):
        response = client.post("/api/steering/decisions/", decision, format="json")
        assert (response.status_code, response.json()) == (403, {"detail": "Only programme managers record "
                                                                           "decisions."})
    response = viewer.post("/api/steering/decisions/", decision, format="json")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    response = APIClient().post("/api/steering/decisions/", decision, format="json")
    assert response.status_code == 401
    response = embassy.delete(f"/api/steering/meetings/{meeting.year}/")
    assert (response.status_code, response.json()) == (405, {"detail": 'Method "DELETE" not allowed.'})
    assert (Decision.objects.count(), AuditEvent.objects.count()) == before


def test_me_names_the_organisation_and_the_second_factor(user_factory, organisation_factory) -> None:
    iom = organisation_factory("IOM", Organisation.Kind.INTERNATIONAL_ORGANISATION)
    partner = user_factory("partner-iom", Role.IO_PARTNER, organisation=iom)
    body = token_client(partner).get("/api/me/").json()
    assert (body["organisation"], body["all_countries"], body["countries"]) == (
        {"id": iom.pk, "name": "Test organisation IOM"}, False, [])
    caseworker = user_factory("caseworker-ro", Role.CASE_WORKER, ("RO",))
    client = APIClient()
    client.force_login(caseworker)
    response = client.get("/api/me/")
    assert (response.status_code, response.json()) == (403, {
        "detail": "Your role requires a second factor: verify it in the web interface first."})
    verified_login(client, caseworker)
    body = client.get("/api/me/").json()
    assert (body["role"], body["two_factor_required"], body["may_see_identifying_data"]) == (
        "case_worker", True, True)


def test_the_api_root_lists_the_endpoints(user_factory) -> None:
    body = token_client(user_factory("viewer", Role.VIEWER)).get("/api/").json()
    assert {"partners/organisations", "partners/people", "partners/partnerships", "steering/meetings",
            "steering/decisions", "reference/countries"} <= set(body)
    assert body["partners/organisations"] == "http://testserver/api/partners/organisations/"


def test_me_takes_three_queries(user_factory, django_assert_num_queries) -> None:
    client = APIClient()
    client.force_login(user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",)))
    with django_assert_num_queries(3):  # session, user, the user's countries
        assert client.get("/api/me/").json()["countries"] == ["RO"]
