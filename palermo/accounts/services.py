"""State changes on accounts: each one atomic, with its audit row."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record


def pending_totp_device(*, acting_user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first call (no audit: nothing is granted yet)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=acting_user, confirmed=False, defaults={"name": "authenticator"}
    )
    return device


@transaction.atomic
def confirm_totp_device(*, acting_user: User, device: TOTPDevice, request: HttpRequest) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=acting_user, confirmed=False).delete()
    otp_login(request, device)
    record(
        actor=acting_user,
        action=AuditEvent.Action.TWO_FACTOR,
        object_type="otp_device",
        object_id=device.pk,
        detail={"event": "enrolled"},
        request=request,
    )


@transaction.atomic
def verify_second_factor(*, acting_user: User, device: TOTPDevice, request: HttpRequest) -> None:
    otp_login(request, device)
    record(
        actor=acting_user,
        action=AuditEvent.Action.TWO_FACTOR,
        object_type="otp_device",
        object_id=device.pk,
        detail={"event": "verified"},
        request=request,
    )


@transaction.atomic
def set_preferred_language(*, acting_user: User, language: str, request: HttpRequest | None = None) -> None:
    old = acting_user.preferred_language
    acting_user.preferred_language = language
    acting_user.save(update_fields=["preferred_language"])
    record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        object_type="user",
        object_id=acting_user.pk,
        detail={"preferred_language": [old, language]},
        request=request,
    )
