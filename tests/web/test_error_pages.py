"""Branded 404 and 500 pages, in both languages, with the menu; the 500 page renders even without a request."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import translation

from palermo.accounts.roles import Role
from palermo.web.views import server_error
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(user_factory) -> Client:
    client = Client(raise_request_exception=False)
    verified_login(client, user_factory("manager", Role.PROGRAMME_MANAGER))
    return client


def test_a_missing_page_is_branded_with_the_menu_in_both_languages(manager_client: Client) -> None:
    response = manager_client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>This page was not found</h1>" in html and '<ul id="site-menu" class="site-menu">' in html
    assert "This page does not exist, or your role does not give access to it." in html
    manager_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = manager_client.get("/no-such-page/").content.decode()
    assert '<html lang="fr">' in html and "<h1>Page introuvable</h1>" in html and 'id="site-menu"' in html
    assert "<h1>Page introuvable</h1>" in Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_a_failing_page_answers_the_branded_500_page(settings, manager_client: Client) -> None:
    settings.ROOT_URLCONF = "tests.web.failing_urls"
    response = manager_client.get("/fail/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in html and 'id="site-menu"' in html
    manager_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = manager_client.get("/fail/").content.decode()
    assert '<html lang="fr">' in html and "<h1>Une erreur s'est produite</h1>" in html


def test_the_500_page_renders_when_the_request_context_itself_fails() -> None:
    request = RequestFactory().get("/")  # no user, no session: the menu cannot be built
    with translation.override("fr"):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Une erreur s'est produite</h1>" in html and "site-menu" not in html
