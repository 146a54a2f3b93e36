"""Values no endpoint can serve: page sizes beyond the ceiling, malformed page numbers, NUL characters."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from palermo.accounts.roles import Role
from palermo.api.pagination import MAX_LIMIT
from palermo.partners.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(user_factory) -> APIClient:
    client = APIClient()
    user = user_factory("manager", Role.PROGRAMME_MANAGER)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_a_huge_limit_is_cut_to_the_ceiling_and_a_huge_offset_gives_an_empty_page(manager, organisation_factory):
    for index in range(3):
        organisation_factory(f"NGO {index}", Organisation.Kind.NGO, "RO")
    huge = "99999999999999999999999"
    page = manager.get(f"/api/partners/organisations/?limit={huge}")
    assert page.status_code == 200 and page.json()["count"] == 3 and len(page.json()["results"]) == 3
    assert manager.get(f"/api/partners/organisations/?limit={huge}&offset=1").json()["next"] is None
    beyond = manager.get(f"/api/partners/organisations/?offset={huge}")
    assert beyond.status_code == 200 and beyond.json()["results"] == []
    assert MAX_LIMIT == 1000
    capped = manager.get("/api/partners/organisations/?limit=5000&offset=1")
    assert capped.json()["previous"].endswith(f"limit={MAX_LIMIT}")


@pytest.mark.parametrize("query", ["limit=-1", "limit=ten", "offset=1.5", "limit=%D9%A3"])
def test_a_malformed_page_parameter_is_named(manager, query: str) -> None:
    response = manager.get(f"/api/partners/organisations/?{query}")
    assert response.status_code == 400
    assert response.json() == {query.split("=")[0]: ["Enter a whole number, 0 or more."]}


@pytest.mark.parametrize("url, parameter", [
    ("/api/capacity/trainings/?action=", "action"), ("/api/justice/proceedings/?defendant=", "defendant"),
])
def test_an_id_beyond_any_database_integer_is_refused_naming_the_parameter(manager, url: str, parameter: str) -> None:
    response = manager.get(url + "9223372036854775808")  # 2**63: SQLite could not even compare it (a 500 before)
    assert response.status_code == 400
    assert response.json() == {parameter: ["Ensure this value is less than or equal to 9223372036854775807."]}
    assert manager.get(url + "9223372036854775807").json()["count"] == 0


def test_a_nul_character_anywhere_is_refused_with_its_parameter_named(manager, client, user_factory) -> None:
    organisations = Organisation.objects.count()
    response = manager.get("/api/partners/organisations/?search=a%00b")
    assert (response.status_code, response.json()) == (400, {"detail": "search: a NUL character is not allowed."})
    body = manager.post("/api/partners/organisations/", data='{"name": "A\\u0000B"}', content_type="application/json")
    assert (body.status_code, body.json()) == (400, {"detail": "the JSON body: a NUL character is not allowed."})
    page = client.post("/accounts/login/", {"username": "x\x00", "password": "y"})
    assert page.status_code == 400 and page.content.decode() == "username: a NUL character is not allowed."
    assert Organisation.objects.count() == organisations
