"""Signing in: passwords, throttling, the second factor for roles that see identifying data or administer."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts import services
from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_manager_signs_in_with_a_second_factor_and_the_login_is_audited(client, user_factory) -> None:
    manager = user_factory("manager", Role.PROGRAMME_MANAGER)
    device = TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    response = sign_in(client, "manager")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/")["Location"] == "/accounts/two-factor/?next=/"
    done = client.post("/accounts/two-factor/", {"token": code(device), "next": "/"})
    assert done["Location"] == "/"
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert event.actor_username == "manager"


def test_a_wrong_password_is_refused_with_a_message_and_audited(client, user_factory) -> None:
    user_factory("viewer", Role.VIEWER)
    response = sign_in(client, "viewer", "wrong-password")
    assert response.status_code == 200
    assert "The user name or password is not correct. Both are case-sensitive." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED, actor_username="viewer").count() == 1


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, user_factory) -> None:
    user_factory("viewer", Role.VIEWER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "viewer", "wrong-password")
    response = sign_in(client, "viewer")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_case_worker_must_enrol_a_second_factor_with_an_activation_code_before_any_page(client,
                                                                                        user_factory) -> None:
    user = user_factory("caseworker-ro", Role.CASE_WORKER, ("RO",))
    sign_in(client, "caseworker-ro")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
    assert client.get("/api/me/").status_code == 403

    page = client.get("/accounts/two-factor/").content.decode()
    assert "Enter the activation code an administrator handed to you" in page and "Scan this code" not in page
    assert 'class="site-nav"' not in page
    assert not TOTPDevice.objects.filter(user=user).exists()  # the password alone starts nothing
    refused = client.post("/accounts/two-factor/", {"code": "AAAA-BBBB-CCCC-DDDD"}).content.decode()
    assert "This activation code is not valid" in refused and "Scan this code" not in refused

    activation = services.issue_activation_code_as_system(acting_user=SYSTEM.running("tests"), user=user)
    accepted = client.post("/accounts/two-factor/", {"code": activation.lower().replace("-", " "), "next": "/"})
    assert accepted["Location"] == "/accounts/two-factor/?next=%2F"
    page = client.get("/accounts/two-factor/").content.decode()
    assert "Scan this code" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post("/accounts/two-factor/", {"token": "12345"})
    assert "Enter the six digits" in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 0

    done = client.post("/accounts/two-factor/", {"token": code(device), "next": "/"})
    assert done.status_code == 302
    assert client.get("/").status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed is True
    assert [e.detail["event"] for e in AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR,
                                                                  actor_username="caseworker-ro").order_by("seq")] \
        == ["failed", "activation code accepted", "failed", "enrolled"]


def test_a_viewer_needs_no_second_factor(client, user_factory) -> None:
    user_factory("viewer", Role.VIEWER)
    sign_in(client, "viewer")
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("password", ["short", "password1234", "123456789012345"])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_sessions_expire() -> None:
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_the_preferred_language_applies_at_sign_in(client, user_factory) -> None:
    user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",), preferred_language="fr")
    sign_in(client, "coordinator-ro")
    assert '<html lang="fr">' in client.get("/").content.decode()


def test_changing_the_preferred_language_applies_at_once_and_is_audited(client, user_factory) -> None:
    user = user_factory("viewer", Role.VIEWER)
    client.force_login(user)
    assert '<html lang="en">' in client.get("/").content.decode()
    response = client.post("/accounts/profile/", {"preferred_language": "fr"})
    assert response.status_code == 302
    assert '<html lang="fr">' in client.get("/").content.decode()
    user.refresh_from_db()
    assert user.preferred_language == "fr"
    assert AuditEvent.objects.get(action=AuditEvent.Action.UPDATE).detail == {"preferred_language": ["en", "fr"]}


def test_an_unknown_language_is_refused_and_changes_nothing(client, user_factory) -> None:
    user = user_factory("viewer", Role.VIEWER)
    client.force_login(user)
    response = client.post("/accounts/profile/", {"preferred_language": "de"})
    assert response.status_code == 200
    assert "Select a valid choice. de is not one of the available choices." in response.content.decode()
    user.refresh_from_db()
    assert user.preferred_language == "en"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()
