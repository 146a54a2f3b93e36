"""The shell: what each role finds in the navigation and on the home page, the language switch, and the
reference pages' fixed number of queries."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from palermo.accounts.roles import Role
from palermo.partners.models import Organisation
from tests.conftest import verified_login
from tests.pins import pin
from tests.reference.builders import add_reference_rows

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def links(response) -> dict[str, list[str]]:
    return {section["key"]: [str(link["label"]) for link in section["links"]] for section in
            response.context["navigation"]}


def test_each_role_finds_its_own_pages_in_the_navigation(user_factory) -> None:
    manager = links(client_for(user_factory("manager", Role.PROGRAMME_MANAGER, is_staff=True)).get("/"))
    auditor = links(client_for(user_factory("auditor", Role.AUDITOR)).get("/"))
    viewer = links(client_for(user_factory("viewer", Role.VIEWER)).get("/"))
    embassy = links(client_for(user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",))).get("/"))
    for menu in (manager, auditor, viewer, embassy):
        assert "Organisations" in menu["objective-4"]
        assert "API documentation" in menu["administration"]
        assert {"Forms of exploitation"} <= set(menu["objective-1"])
        assert {"Legal frame", "Identification indicators"} <= set(menu["objective-3"])
    assert manager["steering"] == embassy["steering"] == auditor["steering"] == ["Steering committees"]
    assert "steering" not in viewer
    assert "Audit log" in auditor["administration"]
    assert "Audit log" not in manager["administration"] and "Audit log" not in viewer["administration"]
    assert "Reference data (admin)" in manager["administration"]
    assert "Reference data (admin)" not in embassy["administration"]


def test_the_current_page_is_marked_in_the_navigation(user_factory) -> None:
    html = client_for(user_factory("viewer", Role.VIEWER)).get("/partners/organisations/").content.decode()
    assert '<a href="/partners/organisations/" aria-current="page">Organisations</a>' in html


def test_nothing_to_navigate_before_signing_in_or_before_the_second_factor(user_factory, client) -> None:
    page = client.get("/accounts/login/")
    assert page.context["navigation"] == [] and 'class="site-nav"' not in page.content.decode()
    client.force_login(user_factory("caseworker-ro", Role.CASE_WORKER, ("RO",)))
    page = client.get("/accounts/two-factor/")
    assert page.context["navigation"] == [] and 'class="site-nav"' not in page.content.decode()


def test_the_home_page_counts_what_the_reader_may_see(user_factory, organisation_factory) -> None:
    for name in ("A", "B", "C"):
        organisation_factory(name)
    response = client_for(user_factory("viewer", Role.VIEWER)).get("/")
    figures = {str(h["label"]): h["value"] for h in response.context["headlines"]}
    assert figures["Programme countries"] == 11
    assert figures["Partner organisations"] == Organisation.objects.count() == 3
    objectives = [item["objective"].number for item in response.context["objectives"]]
    assert objectives == [1, 2, 3, 4]


def test_an_unknown_objective_is_not_found(user_factory) -> None:
    client = client_for(user_factory("viewer", Role.VIEWER))
    assert client.get("/objectives/4/").status_code == 200
    assert client.get("/objectives/9/").status_code == 404


def test_the_language_switch_applies_to_the_next_pages_and_goes_back_where_it_was(user_factory) -> None:
    client = client_for(user_factory("viewer", Role.VIEWER))
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/partners/organisations/"})
    assert (response.status_code, response["Location"]) == (302, "/partners/organisations/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    html = client.get("/partners/organisations/").content.decode()
    assert '<html lang="fr">' in html and "<h1>Organisations</h1>" in html and "Se déconnecter" in html
    outside = client.post("/i18n/setlang/", {"language": "en", "next": "https://elsewhere.example/"})
    assert outside["Location"] == "/"
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


def test_the_language_switch_works_before_signing_in(client) -> None:
    client.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/login/"})
    assert '<html lang="fr">' in client.get("/accounts/login/").content.decode()


# session, user, then: the forms with their instrument / the countries, the instruments, their statuses /
# the count, the lists, their indicators, the indicators' dimensions
@pytest.mark.parametrize(("url", "queries"), [
    ("/reference/exploitation-forms/", 3),
    ("/reference/legal-frame/", 5),
    ("/reference/indicators/", 6),
    ("/reference/indicators/?population=adult", 6),
])
def test_the_reference_pages_take_a_fixed_number_of_queries(user_factory, django_assert_num_queries, url,
                                                            queries) -> None:
    client = client_for(user_factory("viewer", Role.VIEWER))
    pin(client, url, queries, django_assert_num_queries, grow=add_reference_rows)


def test_the_indicator_page_filters_as_the_api(user_factory) -> None:
    client = client_for(user_factory("viewer", Role.VIEWER))
    assert len(client.get("/reference/indicators/").context["lists"]) == 4
    children = client.get("/reference/indicators/?population=child").context["lists"]
    assert {item.population for item in children} == {"child"} and len(children) == 2
    bad = client.get("/reference/indicators/?population=elderly")
    assert len(bad.context["lists"]) == 0
    assert "Select a valid choice. elderly is not one of the available choices." in bad.content.decode()
