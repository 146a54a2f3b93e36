"""Signing out, the lock-out, the second factor of an enrolled person, and what is reachable before it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str = PASSWORD, address: str = "127.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def enrolled(user_factory) -> TOTPDevice:
    user = user_factory("caseworker-ro", Role.CASE_WORKER, ("RO",))
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_signing_out_ends_the_session_and_is_audited(client, user_factory) -> None:
    user_factory("viewer", Role.VIEWER)
    sign_in(client, "viewer")
    assert client.get("/accounts/logout/").status_code == 405  # a link cannot sign anyone out
    assert client.get("/").status_code == 200
    response = client.post("/accounts/logout/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert client.get("/")["Location"] == "/accounts/login/?next=/"
    assert list(AuditEvent.objects.values_list("action", "actor_username")) == [("logout", "viewer"),
                                                                                ("login", "viewer")]


def test_an_enrolled_person_gives_a_code_at_each_sign_in(client, enrolled) -> None:
    sign_in(client, "caseworker-ro")
    assert client.get("/cases/")["Location"] == "/accounts/two-factor/?next=/cases/"
    page = client.get("/accounts/two-factor/?next=/cases/").content.decode()
    assert "Enter the six digits shown by your authenticator app." in page and "Scan this code" not in page
    wrong = client.post("/accounts/two-factor/", {"token": "000000", "next": "/cases/"})
    assert "This code is not valid. Check your device&#x27;s clock and try again." in wrong.content.decode()
    failed = AuditEvent.objects.get(action=AuditEvent.Action.TWO_FACTOR)
    assert (failed.actor_username, failed.object_id, failed.detail) == ("caseworker-ro", str(enrolled.pk),
                                                                        {"event": "failed", "step": "sign-in"})
    throttled = client.post("/accounts/two-factor/", {"token": code(enrolled), "next": "/cases/"})
    assert throttled.status_code == 200  # right at once after a wrong code: django-otp makes guessing slow
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR, detail__event="failed").count() == 2
    TOTPDevice.objects.filter(pk=enrolled.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=1))
    done = client.post("/accounts/two-factor/", {"token": code(enrolled), "next": "/cases/"})
    assert (done.status_code, done["Location"]) == (302, "/cases/")
    event = AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR).latest("seq")
    assert (event.actor_username, event.object_id, event.detail) == ("caseworker-ro", str(enrolled.pk),
                                                                     {"event": "verified"})
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get("/accounts/two-factor/?next=/accounts/profile/")["Location"] == "/accounts/profile/"
    assert TOTPDevice.objects.filter(user=enrolled.user).count() == 1  # no second device was started


def test_before_the_second_factor_only_its_page_sign_out_and_the_language_switch_answer(client, enrolled) -> None:
    sign_in(client, "caseworker-ro")
    for url in ("/", "/accounts/profile/", "/partners/organisations/", "/steering/"):
        assert client.get(url)["Location"] == f"/accounts/two-factor/?next={url}", url
    assert client.post("/accounts/profile/", {"preferred_language": "fr"})["Location"].startswith(
        "/accounts/two-factor/")
    enrolled.user.refresh_from_db()
    assert enrolled.user.preferred_language == "en"
    assert client.get("/api/partners/organisations/").json() == {
        "detail": "Your role requires a second factor: verify it in the web interface first."}
    assert client.get("/accounts/two-factor/").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/two-factor/"}).status_code == 302
    assert '<html lang="fr">' in client.get("/accounts/two-factor/").content.decode()
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert client.get("/accounts/two-factor/")["Location"] == "/accounts/login/?next=/accounts/two-factor/"


def test_the_second_factor_sends_nowhere_outside_the_site(client, enrolled) -> None:
    sign_in(client, "caseworker-ro")
    done = client.post("/accounts/two-factor/", {"token": code(enrolled), "next": "https://elsewhere.example/"})
    assert done["Location"] == "/"


def test_the_lock_out_holds_one_name_from_one_address(client, user_factory) -> None:
    user_factory("viewer", Role.VIEWER)
    user_factory("analyst-ro", Role.ANALYST, ("RO",))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "viewer", "wrong-password")
    locked = sign_in(client, "viewer")
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED, actor_username="viewer").count() >= \
        settings.AXES_FAILURE_LIMIT
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()
    assert sign_in(Client(), "analyst-ro")["Location"] == "/"  # another name from the same address
    assert sign_in(Client(), "viewer", address="10.0.0.2")["Location"] == "/"  # the same name from elsewhere


def test_an_inactive_account_cannot_sign_in(client, user_factory) -> None:
    user_factory("viewer", Role.VIEWER, is_active=False)
    response = sign_in(client, "viewer")
    assert response.status_code == 200
    assert "The user name or password is not correct. Both are case-sensitive." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_deactivated_account_loses_its_open_session(client, user_factory) -> None:
    user = user_factory("viewer", Role.VIEWER)
    sign_in(client, "viewer")
    user.is_active = False
    user.save()
    assert client.get("/partners/organisations/")["Location"] == "/accounts/login/?next=/partners/organisations/"


def test_the_account_page_shows_role_countries_and_second_factor(client, user_factory) -> None:
    user_factory("analyst-ro", Role.ANALYST, ("RO", "RS"))
    sign_in(client, "analyst-ro")
    page = client.get("/accounts/profile/").content.decode()
    assert "<dd>analyst</dd>" in page and "<dd>Romania, Serbia</dd>" in page
    assert "not required for this role" in page
    assert client.get("/accounts/login/")["Location"] == "/"  # already signed in


def test_a_try_during_the_lock_out_does_not_extend_it(client, user_factory) -> None:
    from axes.models import AccessAttempt

    user_factory("viewer", Role.VIEWER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "viewer", "wrong-password")
    almost_over = timezone.now() - settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=almost_over)
    assert sign_in(Client(), "viewer", "wrong-password").status_code == 429  # still locked, and tried again
    assert list(AccessAttempt.objects.values_list("attempt_time", flat=True)) == [almost_over]
    AccessAttempt.objects.update(attempt_time=almost_over - timedelta(minutes=2))  # the lock began cool-off ago
    assert sign_in(Client(), "viewer")["Location"] == "/"


def test_behind_a_trusted_proxy_the_lock_out_holds_the_client_not_the_proxy(client, settings, user_factory) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    user_factory("viewer", Role.VIEWER)

    def through_proxy(password: str, client_address: str):
        return Client().post("/accounts/login/", {"username": "viewer", "password": password},
                             REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=client_address)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        through_proxy("wrong-password", "203.0.113.7")
    assert through_proxy(PASSWORD, "203.0.113.7").status_code == 429
    assert through_proxy(PASSWORD, "198.51.100.20")["Location"] == "/"  # another client behind the same proxy
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).values_list("ip", flat=True) \
        .distinct().get() == "203.0.113.7"
