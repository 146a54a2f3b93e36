"""Logins, logouts and failed logins go to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record(actor=user, action=AuditEvent.Action.LOGIN, object_type="user", object_id=user.pk, request=request)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record(actor=user, action=AuditEvent.Action.LOGOUT, object_type="user", object_id=user.pk, request=request)


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    record(
        actor=None,
        actor_username=str(credentials.get("username", ""))[:150],
        action=AuditEvent.Action.LOGIN_FAILED,
        object_type="user",
        request=request,
    )
