"""The second factor: one-time activation codes, enrolling an authenticator with one, verifying it, failures.

No one enrols a second factor on the strength of a password alone: the enrolment page first asks for an activation
code, issued once a second administrator approved it (``approvals.approve_access_change``) or by the operator's
command line, and handed over out of band. The code is stored as a hash, expires after
``ACTIVATION_CODE_LIFETIME``, and is used once: accepted, it opens the enrolment in that session only.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts.access import Actor, SystemActor, person_of
from palermo.accounts.models import AccessChange, ActivationCode, User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record

ACTIVATION_CODE_LIFETIME = timedelta(hours=72)
# 32 letters and digits without the ones people confuse (0/O, 1/I/L): 16 of them are 80 random bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16


class EnrolmentRefused(Exception):
    pass


def actor_name(actor: Actor) -> str:
    return actor.audit_name if isinstance(actor, SystemActor) else actor.get_username()


def normalise_code(code: str) -> str:
    """What a person typed, compared as issued: upper case, without spaces or dashes."""
    return "".join(character for character in code.upper() if character.isalnum())


def code_hash(user_id: int, code: str) -> str:
    return hashlib.sha256(f"{user_id}:{normalise_code(code)}".encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def _record(actor: Actor | User, user: User, event: str, request: HttpRequest | None, object_type: str = "user",
            object_id: int | str = "", **detail: object) -> None:
    record(actor=actor, action=AuditEvent.Action.TWO_FACTOR, object_type=object_type,
           object_id=object_id or user.pk, detail={"event": event, "user": user.get_username(), **detail},
           request=request)


def revoke_activation_codes(*, acting_user: Actor, user: User, request: HttpRequest | None, because: str) -> int:
    """Revoke the user's codes not yet turned into a second factor (unused, or accepted but not enrolled)."""
    revoked = ActivationCode.objects.filter(user=user, enrolled_at=None, revoked_at=None).update(
        revoked_at=timezone.now())
    if revoked:
        _record(acting_user, user, "activation codes revoked", request, count=revoked, because=because)
    return revoked


def issue_activation_code(*, acting_user: Actor, user: User, change: AccessChange | None,
                          request: HttpRequest | None) -> str:
    """A new code for ``user`` (earlier ones revoked), returned once in clear; only its hash is kept. Called inside
    the transaction of the approval (or of the operator's command) that decided it."""
    revoke_activation_codes(acting_user=acting_user, user=user, request=request, because="a new code was issued")
    code = _new_code()
    now = timezone.now()
    activation = ActivationCode.objects.create(
        user=user, change=change, code_hash=code_hash(user.pk, code), issued_by=person_of(acting_user),
        issued_by_name=actor_name(acting_user), issued_at=now, expires_at=now + ACTIVATION_CODE_LIFETIME)
    _record(acting_user, user, "activation code issued", request, object_type="accounts.activationcode",
            object_id=activation.pk, expires_at=activation.expires_at.isoformat(timespec="seconds"),
            approved_request=change.pk if change else None)
    return code


@transaction.atomic
def issue_activation_code_as_system(*, acting_user: SystemActor, user: User) -> str:
    """The operator's path (``palermo accounts activation-code``, the demo): the first administrators have no
    second person to approve them yet. Whoever runs it has the server, hence the database, already."""
    if not isinstance(acting_user, SystemActor):
        raise EnrolmentRefused("Only the system issues a code without approval.")
    return issue_activation_code(acting_user=acting_user, user=user, change=None, request=None)


def activation_in_progress(user: User, activation_id: object) -> ActivationCode | None:
    """The code accepted earlier in this session (its id kept there), if it may still open the enrolment."""
    if not isinstance(activation_id, int):
        return None
    return ActivationCode.objects.filter(pk=activation_id, user=user, used_at__isnull=False, enrolled_at=None,
                                         revoked_at=None).first()


@transaction.atomic
def accept_activation_code(*, acting_user: User, code: str, request: HttpRequest | None) -> ActivationCode | None:
    """Use one of the user's valid codes (``None``, audited as a failure, when none matches). Any authenticator
    started before is dropped: its key may have been seen by someone without the code."""
    now = timezone.now()
    expected = code_hash(acting_user.pk, code)
    valid = ActivationCode.objects.select_for_update().filter(user=acting_user, used_at=None, revoked_at=None,
                                                              expires_at__gt=now)
    activation = next((c for c in valid if hmac.compare_digest(c.code_hash, expected)), None)
    if activation is None:
        _record(acting_user, acting_user, "failed", request, step="activation code")
        return None
    activation.used_at = now
    activation.save(update_fields=["used_at"])
    TOTPDevice.objects.filter(user=acting_user, confirmed=False).delete()
    _record(acting_user, acting_user, "activation code accepted", request, object_type="accounts.activationcode",
            object_id=activation.pk)
    return activation


def pending_totp_device(*, acting_user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first call (no audit: nothing is granted yet). Only
    reached once an activation code was accepted in this session."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=acting_user, confirmed=False, defaults={"name": "authenticator"}
    )
    return device


@transaction.atomic
def confirm_totp_device(*, acting_user: User, device: TOTPDevice, activation: ActivationCode,
                        request: HttpRequest) -> None:
    activation = ActivationCode.objects.select_for_update().get(pk=activation.pk)
    if (activation.user_id != acting_user.pk or activation.used_at is None or activation.enrolled_at is not None
            or activation.revoked_at is not None or device.user_id != acting_user.pk):
        raise EnrolmentRefused(_("This activation code no longer opens an enrolment: ask for a new one."))
    activation.enrolled_at = timezone.now()
    activation.save(update_fields=["enrolled_at"])
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=acting_user, confirmed=False).delete()
    otp_login(request, device)
    _record(acting_user, acting_user, "enrolled", request, object_type="otp_device", object_id=device.pk,
            activation_code=activation.pk)


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
def record_second_factor_failure(*, acting_user: User, device: TOTPDevice, request: HttpRequest) -> None:
    """A code refused (wrong, replayed, or tried while django-otp throttles the device): one audit row."""
    record(actor=acting_user, action=AuditEvent.Action.TWO_FACTOR, object_type="otp_device", object_id=device.pk,
           detail={"event": "failed", "step": "enrolment" if not device.confirmed else "sign-in"}, request=request)
