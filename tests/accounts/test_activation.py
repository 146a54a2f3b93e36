"""Activation codes: one use, a limited life, hashed, revoked by a newer code; the operator's command line; which
accounts must pass a second factor."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts import services
from palermo.accounts.access import SYSTEM
from palermo.accounts.models import ActivationCode, User
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from tests.accounts.helpers import sign_in_and_enrol, totp_code
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def issue(user: User) -> str:
    return services.issue_activation_code_as_system(acting_user=SYSTEM.running("tests"), user=user)


def signed_in(username: str) -> Client:
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return client


def try_code(client: Client, code: str) -> int:
    """302 when the code opened the enrolment, 200 (the form again, with its message) when it did not."""
    return client.post("/accounts/two-factor/", {"code": code, "next": "/"}).status_code


def test_a_code_is_stored_hashed_works_once_and_only_for_its_account(user_factory: Any) -> None:
    worker = user_factory("caseworker-rs", Role.CASE_WORKER, ("RS",))
    other = user_factory("caseworker-al", Role.CASE_WORKER, ("AL",))
    code = issue(worker)
    assert len(code) == 19 and code.count("-") == 3
    stored = ActivationCode.objects.get(user=worker)
    assert code not in stored.code_hash and code.replace("-", "") not in stored.code_hash
    assert stored.expires_at - stored.issued_at == timedelta(hours=72)

    assert try_code(signed_in("caseworker-al"), code) == 200  # another account's code opens nothing
    client, device = sign_in_and_enrol("caseworker-rs", code)
    assert device.confirmed and client.get("/").status_code == 200
    stored.refresh_from_db()
    assert stored.used_at is not None and stored.enrolled_at is not None

    TOTPDevice.objects.filter(user=worker).delete()  # the phone is lost: its second factor removed
    again = signed_in("caseworker-rs")
    assert try_code(again, code) == 200  # used once: never again
    assert "This activation code is not valid" in again.post("/accounts/two-factor/", {"code": code}).content.decode()
    assert not TOTPDevice.objects.filter(user__in=[worker, other]).exists()
    failures = AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR, detail__event="failed")
    assert sorted(failures.values_list("actor_username", flat=True)) == ["caseworker-al", "caseworker-rs",
                                                                        "caseworker-rs"]
    assert all(e.detail == {"event": "failed", "user": e.actor_username, "step": "activation code"}
               for e in failures)


def test_an_expired_or_replaced_code_opens_nothing(user_factory: Any) -> None:
    worker = user_factory("caseworker-rs", Role.CASE_WORKER, ("RS",))
    first = issue(worker)
    ActivationCode.objects.filter(user=worker).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert try_code(signed_in("caseworker-rs"), first) == 200
    second = issue(worker)
    third = issue(worker)
    assert try_code(signed_in("caseworker-rs"), second) == 200  # replaced by the third
    assert ActivationCode.objects.filter(user=worker, revoked_at__isnull=False).count() == 2  # the first, the second
    assert try_code(signed_in("caseworker-rs"), third) == 302
    assert not TOTPDevice.objects.filter(user=worker, confirmed=True).exists()


def test_an_enrolment_is_bound_to_the_session_that_gave_the_code(user_factory: Any) -> None:
    """Someone holding only the password, signed in elsewhere while the holder enrols, sees no key."""
    worker = user_factory("caseworker-rs", Role.CASE_WORKER, ("RS",))
    stale = TOTPDevice.objects.create(user=worker, name="started before", confirmed=False)
    holder, intruder = signed_in("caseworker-rs"), signed_in("caseworker-rs")
    assert try_code(holder, issue(worker)) == 302
    assert not TOTPDevice.objects.filter(pk=stale.pk).exists()  # a key shown before the code is dropped
    assert "Scan this code" in holder.get("/accounts/two-factor/").content.decode()
    page = intruder.get("/accounts/two-factor/").content.decode()
    assert "Enter the activation code" in page and "Scan this code" not in page
    device = TOTPDevice.objects.get(user=worker, confirmed=False)
    assert intruder.post("/accounts/two-factor/", {"token": totp_code(device)}).status_code == 200
    device.refresh_from_db()
    assert device.confirmed is False


@pytest.mark.parametrize(("role", "extra", "needs"), [
    (Role.PROGRAMME_MANAGER, {}, True),
    (Role.AUDITOR, {}, True),
    (Role.CASE_WORKER, {}, True),
    (Role.VIEWER, {"is_staff": True}, True),
    (Role.ANALYST, {"is_superuser": True}, True),
    (Role.VIEWER, {}, False),
    (Role.NATIONAL_COORDINATOR, {}, False),
    (Role.EMBASSY_OFFICER, {}, False),
])
def test_roles_that_administer_accounts_or_read_the_audit_log_pass_a_second_factor(
        user_factory: Any, role: Role, extra: dict[str, bool], needs: bool) -> None:
    user = user_factory("someone", role, ("RS",) if role != Role.AUDITOR else (), **extra)
    assert user.needs_two_factor is needs
    client = signed_in("someone")
    for url in ("/", "/audit/", "/admin/", "/accounts/approvals/"):
        response = client.get(url)
        if needs:
            assert response["Location"] == f"/accounts/two-factor/?next={url}", url
        else:
            assert response.status_code in (200, 302, 404) and "two-factor" not in response.get("Location", "")
    if needs:
        assert client.get("/api/me/").status_code == 403


def test_the_operators_command_approves_and_issues_a_code(user_factory: Any) -> None:
    admin = user_factory("root", Role.PROGRAMME_MANAGER, is_staff=True, is_superuser=True, approved=False)
    assert not admin.superuser_approved
    out = StringIO()
    call_command("accounts", "approve", "root", stdout=out)
    admin.refresh_from_db()
    assert admin.superuser_approved and admin.access_approved_by_name == "system: palermo accounts approve"
    assert "Access of root approved" in out.getvalue()
    out = StringIO()
    call_command("accounts", "activation-code", "root", stdout=out)
    code = out.getvalue().rsplit(" ", 1)[1].strip()
    client, _device = sign_in_and_enrol("root", code)
    assert client.get("/accounts/approvals/").status_code == 200
    issued = AuditEvent.objects.get(detail__event="activation code issued")
    assert issued.actor_username == "system: palermo accounts activation-code"
    user_factory("viewer", Role.VIEWER)
    with pytest.raises(CommandError, match="signs in without a second factor"):
        call_command("accounts", "activation-code", "viewer", stdout=StringIO())
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("accounts", "approve", "nobody", stdout=StringIO())


def test_the_migration_keeps_the_grants_that_existed(user_factory: Any) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("palermo.accounts.migrations.0002_separation_of_duties")
    worker = user_factory("caseworker-rs", Role.CASE_WORKER, ("RS",), approved=False)
    admin = user_factory("root", Role.PROGRAMME_MANAGER, is_superuser=True, approved=False)
    viewer = user_factory("viewer", Role.VIEWER, approved=False)
    migration.approve_existing_grants(apps, None)
    for user in (worker, admin, viewer):
        user.refresh_from_db()
    assert worker.may_see_identifying_data and admin.superuser_approved and viewer.approved_access == {}
    assert worker.access_approved_by_name == "migration accounts.0002 (granted before four-eyes approval)"


def test_a_code_revoked_during_the_enrolment_enrols_nothing(user_factory: Any) -> None:
    worker = user_factory("caseworker-rs", Role.CASE_WORKER, ("RS",))
    client = signed_in("caseworker-rs")
    assert try_code(client, issue(worker)) == 302
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=worker, confirmed=False)
    ActivationCode.objects.filter(user=worker).update(revoked_at=timezone.now())  # e.g. a password reset
    refused = client.post("/accounts/two-factor/", {"token": totp_code(device), "next": "/"}, follow=True)
    page = refused.content.decode()
    assert "Enter the activation code" in page and "Scan this code" not in page
    assert not TOTPDevice.objects.filter(user=worker, confirmed=True).exists()
    assert client.get("/")["Location"] == "/accounts/two-factor/?next=/"
