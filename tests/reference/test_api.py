"""The read-only reference API under /api/reference/."""

from __future__ import annotations

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.routers import DefaultRouter
from rest_framework.test import APIClient

from palermo.accounts.models import User
from palermo.reference.api import register

pytestmark = pytest.mark.django_db

PASSWORD = "A-long-test-password-2026"
PROGRAMME = {"AL", "BA", "BG", "HR", "GR", "XK", "MD", "ME", "MK", "RO", "RS"}


@pytest.fixture
def api() -> APIClient:
    user = User.objects.create_user(username="reader", password=PASSWORD, role="viewer")
    client = APIClient()
    client.force_login(user)
    return client


def test_anonymous_requests_are_refused() -> None:
    for url in ("/api/reference/countries/", "/api/reference/instrument-statuses/", "/api/reference/countries/al/"):
        assert APIClient().get(url).status_code in (401, 403)


def test_a_signed_in_user_lists_countries(api: APIClient) -> None:
    response = api.get("/api/reference/countries/")
    assert response.status_code == 200
    assert response.json()["count"] == 250
    first = response.json()["results"][0]
    assert set(first) == {"code", "alpha3", "numeric", "name_en", "name_fr", "is_programme", "is_steering",
                          "is_eu_member", "source"}


def test_programme_filter(api: APIClient) -> None:
    body = api.get("/api/reference/countries/", {"programme": "true"}).json()
    assert body["count"] == 11
    assert {c["code"] for c in body["results"]} == PROGRAMME
    assert api.get("/api/reference/countries/", {"programme": "false"}).json()["count"] == 239


def test_country_detail_by_code_in_any_case(api: APIClient) -> None:
    response = api.get("/api/reference/countries/xk/")
    assert response.status_code == 200
    assert response.json()["alpha3"] == "XKX"
    assert response.json()["name_fr"] == "Kosovo"
    assert api.get("/api/reference/countries/AL/").json()["name_fr"] == "Albanie"
    assert api.get("/api/reference/countries/zz/").status_code == 404


def test_statuses_by_country(api: APIClient) -> None:
    body = api.get("/api/reference/instrument-statuses/", {"country": "al"}).json()
    assert body["count"] == 10
    assert {row["country"] for row in body["results"]} == {"AL"}
    not_applicable = [row for row in body["results"] if row["status"] == "not_applicable"]
    assert {row["instrument"] for row in not_applicable} == {"directive-2011-36", "directive-2024-1712"}
    assert not_applicable[0]["status_label"] == "not applicable"
    kosovo = api.get("/api/reference/instrument-statuses/", {"country": "XK", "instrument": "warsaw-convention"})
    assert [row["status"] for row in kosovo.json()["results"]] == ["not_party"]


def test_an_unknown_country_code_is_a_400_with_a_plain_message(api: APIClient) -> None:
    response = api.get("/api/reference/instrument-statuses/", {"country": "ZZ"})
    assert response.status_code == 400
    assert response.json() == {"country": ["Unknown country code 'ZZ'."]}
    # a value that looks like a format string is echoed, not interpreted
    response = api.get("/api/reference/instrument-statuses/", {"country": "%s"})
    assert response.status_code == 400
    assert response.json() == {"country": ["Unknown country code '%s'."]}


def test_instruments_carry_their_statuses(api: APIClient) -> None:
    body = api.get("/api/reference/instruments/").json()
    assert body["count"] == 10
    warsaw = api.get("/api/reference/instruments/warsaw-convention/").json()
    assert warsaw["in_force_on"] == "2008-02-01"
    assert len(warsaw["statuses"]) == 11
    assert {s["country"] for s in warsaw["statuses"]} == PROGRAMME
    assert "instrument" not in warsaw["statuses"][0]


def test_other_lists(api: APIClient) -> None:
    objectives = api.get("/api/reference/objectives/").json()
    assert [o["code"] for o in objectives["results"]] == ["understand", "warn", "protect", "cooperate"]
    assert api.get("/api/reference/objectives/3/").json()["code"] == "protect"
    assert api.get("/api/reference/thb-forms/").json()["count"] == 2
    forms = api.get("/api/reference/exploitation-forms/").json()
    assert forms["count"] == 11
    assert forms["results"][0]["instrument"] == "palermo-protocol"
    assert api.get("/api/reference/indicator-dimensions/").json()["count"] == 6


def test_indicator_lists_carry_their_indicators(api: APIClient) -> None:
    body = api.get("/api/reference/indicator-lists/").json()
    assert body["count"] == 4
    adult = api.get("/api/reference/indicator-lists/", {"code": "adult-labour", "version": "2009"}).json()["results"]
    assert len(adult) == 1
    assert len(adult[0]["indicators"]) == 68
    assert adult[0]["verified"] is False
    assert adult[0]["case_rule"]["all_of"][1] == {"any_of": ["exploitative_conditions"]}
    assert set(adult[0]["indicators"][0]) == {"dimension", "code", "strength", "text_en", "text_fr"}
    detail = api.get(f"/api/reference/indicator-lists/{adult[0]['id']}/").json()
    assert detail["code"] == "adult-labour"


def test_the_api_is_read_only(api: APIClient) -> None:
    assert api.post("/api/reference/countries/", {"code": "QQ"}).status_code == 405
    assert api.delete("/api/reference/countries/al/").status_code == 405


def test_the_schema_generates_without_warnings() -> None:
    router = DefaultRouter()
    register(router)
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=[path("api/", include(router.urls))]).get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "drf-spectacular emitted warnings or errors"
    assert "/api/reference/instrument-statuses/" in schema["paths"]
    assert "/api/reference/countries/{code}/" in schema["paths"]
