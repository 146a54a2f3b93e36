"""The interface language: the choice made last wins and is saved on the user, through sign-in and second factor."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def switch(client: Client, language: str, next_url: str = "/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


def lang(client: Client, url: str = "/") -> str:
    html = client.get(url).content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def language_events() -> list[dict]:
    return [e.detail for e in AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, object_type="user")]


def test_the_language_chosen_on_the_sign_in_page_is_kept_and_saved(client, user_factory) -> None:
    user = user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",))
    switch(client, "fr", "/accounts/login/")
    assert lang(client, "/accounts/login/") == "fr"
    response = sign_in(client, "coordinator-ro")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert lang(client) == "fr"
    user.refresh_from_db()
    assert user.preferred_language == "fr"
    assert language_events() == [{"preferred_language": ["en", "fr"]}]

    client.post("/accounts/logout/")
    fresh = Client()  # another browser: no cookie, the saved choice applies
    sign_in(fresh, "coordinator-ro")
    assert lang(fresh) == "fr"
    assert len(language_events()) == 1  # nothing chosen, nothing saved again


def test_without_a_choice_the_saved_language_wins_over_an_old_cookie(client, user_factory) -> None:
    user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",), preferred_language="fr")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # left by someone else on this browser
    sign_in(client, "embassy-ro")
    assert lang(client) == "fr"
    assert language_events() == []


def test_the_header_switch_saves_the_choice_of_a_signed_in_user(client, user_factory) -> None:
    user = user_factory("analyst-bg", Role.ANALYST, ("BG",))
    sign_in(client, "analyst-bg")
    assert switch(client, "fr", "/partners/organisations/")["Location"] == "/partners/organisations/"
    user.refresh_from_db()
    assert user.preferred_language == "fr"
    switch(client, "fr")  # the same again: nothing to save
    switch(client, "de")  # not offered: nothing saved
    user.refresh_from_db()
    assert user.preferred_language == "fr"
    assert language_events() == [{"preferred_language": ["en", "fr"]}]
    assert client.get("/i18n/setlang/?language=en&next=/").status_code == 302  # a GET changes nothing
    user.refresh_from_db()
    assert user.preferred_language == "fr"


def test_a_choice_before_the_second_factor_is_saved_once_it_is_passed(client, user_factory) -> None:
    user = user_factory("caseworker-rs", Role.CASE_WORKER, ("RS",))
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    switch(client, "fr", "/accounts/login/")
    response = sign_in(client, "caseworker-rs")
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert lang(client, "/accounts/two-factor/") == "fr"
    user.refresh_from_db()
    assert user.preferred_language == "en"  # not yet: the second factor is not passed
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    done = client.post("/accounts/two-factor/", {"token": token, "next": "/"})
    assert done.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    user.refresh_from_db()
    assert user.preferred_language == "fr"
    assert lang(client) == "fr"


def test_a_switch_on_the_second_factor_page_waits_for_the_second_factor(client, user_factory) -> None:
    user = user_factory("caseworker-rs", Role.CASE_WORKER, ("RS",), preferred_language="fr")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    sign_in(client, "caseworker-rs")
    assert lang(client, "/accounts/two-factor/") == "fr"
    switch(client, "en", "/accounts/two-factor/")
    assert lang(client, "/accounts/two-factor/") == "en"
    user.refresh_from_db()
    assert user.preferred_language == "fr"
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post("/accounts/two-factor/", {"token": token, "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_demo_users_of_french_speaking_roles_start_in_french() -> None:
    call_command("demo", "--only", "partners", "accounts", stdout=StringIO())
    french = set(User.objects.filter(preferred_language="fr").values_list("role", flat=True))
    assert french == {Role.PROGRAMME_MANAGER, Role.EMBASSY_OFFICER}
    assert User.objects.get(username="coordinator-al").preferred_language == "en"
    User.objects.filter(username="manager").update(preferred_language="en")
    call_command("demo", "--only", "partners", "accounts", stdout=StringIO())
    assert User.objects.get(username="manager").preferred_language == "en"  # the user's later choice stays
