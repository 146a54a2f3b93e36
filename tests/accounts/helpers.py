"""Driving the account admin and the approval pages as people do, for the separation-of-duties tests."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts.models import AccessChange, User
from tests.conftest import PASSWORD, verified_login


def client_of(user: User) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def totp_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def admin_create_user(client: Client, username: str) -> User:
    """The admin's add form: a user name and a password, nothing else."""
    response = client.post("/admin/accounts/user/add/", {
        "username": username, "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return User.objects.get(username=username)


def admin_change_user(client: Client, user: User, **changes: Any) -> Any:
    """The account's change form posted back as shown, with ``changes`` (``countries`` a list of codes,
    ``organisation`` an id, booleans for the check boxes)."""
    user.refresh_from_db()
    data: dict[str, Any] = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
        "date_joined_0": f"{user.date_joined:%Y-%m-%d}", "date_joined_1": f"{user.date_joined:%H:%M:%S}",
        "initial-date_joined_0": f"{user.date_joined:%Y-%m-%d}",
        "initial-date_joined_1": f"{user.date_joined:%H:%M:%S}",
        "role": user.role, "organisation": user.organisation_id or "",
        "countries": list(user.countries.values_list("code", flat=True)),
        "groups": list(user.groups.values_list("pk", flat=True)),
        "user_permissions": list(user.user_permissions.values_list("pk", flat=True)),
        "preferred_language": user.preferred_language,
        "is_active": user.is_active, "is_staff": user.is_staff, "is_superuser": user.is_superuser,
    }
    data.update(changes)
    for flag in ("is_active", "is_staff", "is_superuser"):
        if data.pop(flag):
            data[flag] = "on"
    if data["organisation"] is None:
        data["organisation"] = ""
    return client.post(f"/admin/accounts/user/{user.pk}/change/", data, follow=True)


def ask_for_activation_code(client: Client, user: User) -> Any:
    """The user list's action: ask for an activation code (another administrator issues it)."""
    return client.post("/admin/accounts/user/", {"action": "request_activation_codes", "_selected_action": [user.pk]},
                       follow=True)


def decide(client: Client, change: AccessChange, decision: str, note: str = "") -> Any:
    return client.post(f"/accounts/approvals/{change.pk}/", {"decision": decision, "note": note})


def shown_code(response: Any) -> str:
    match = re.search(r'<p class="activation-code"><code>([A-Z0-9-]+)</code></p>', response.content.decode())
    assert match, "no activation code on the page"
    return match.group(1)


def sign_in_and_enrol(username: str, code: str, password: str = PASSWORD) -> tuple[Client, TOTPDevice]:
    """A fresh browser: password, activation code, the authenticator's first code; returns the signed-in client."""
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": password})["Location"] == "/"
    accepted = client.post("/accounts/two-factor/", {"code": code, "next": "/"})
    assert accepted.status_code == 302, accepted.content.decode()
    assert "Scan this code" in client.get("/accounts/two-factor/").content.decode()
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    done = client.post("/accounts/two-factor/", {"token": totp_code(device), "next": "/"})
    assert done["Location"] == "/"
    device.refresh_from_db()
    return client, device


def pending(user: User, kind: str = AccessChange.Kind.ACCESS) -> AccessChange:
    return AccessChange.objects.get(user=user, kind=kind, status=AccessChange.Status.PENDING)
