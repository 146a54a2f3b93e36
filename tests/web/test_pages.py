"""Pages in both languages, with no asset from outside the server."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from palermo.accounts.roles import Role
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db

PAGES = ["/", "/objectives/1/", "/reference/exploitation-forms/", "/reference/legal-frame/",
         "/reference/indicators/", "/partners/organisations/", "/accounts/profile/"]


@pytest.fixture
def manager_client(user_factory) -> Client:
    client = Client()
    verified_login(client, user_factory("manager", Role.PROGRAMME_MANAGER))
    return client


@pytest.mark.parametrize("url", PAGES)
def test_each_page_speaks_french_when_asked(manager_client: Client, url: str) -> None:
    manager_client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    html = manager_client.get(url).content.decode()
    assert '<html lang="fr">' in html
    assert "Se déconnecter" in html
    assert "Sign out" not in html


@pytest.mark.parametrize("url", PAGES)
def test_each_page_loads_nothing_from_outside(manager_client: Client, url: str) -> None:
    html = manager_client.get(url).content.decode()
    external = re.findall(r"""(?:src|href)=["'](?:https?:)?//[^"']+""", html)
    assert external == []


def test_the_home_page_shows_the_headline_figures(manager_client: Client) -> None:
    html = manager_client.get("/").content.decode()
    assert re.search(r'<span class="headline-value">11</span>\s*<span class="headline-label">Programme countries', html)


def test_plotly_and_htmx_are_served_from_installed_packages(manager_client: Client) -> None:
    assert manager_client.get("/static/vendor/plotly.min.js").status_code == 200
    assert manager_client.get("/static/django_htmx/htmx-2.min.js").status_code == 200
