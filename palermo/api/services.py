"""API tokens: made and revoked through one audited path (the command, the admin audits its own edits)."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from palermo.accounts.access import Actor
from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record


class TokenRefused(Exception):
    pass


@transaction.atomic
def create_token(*, acting_user: Actor, user: User, replace: bool = False) -> Token:
    """The user's token, made now; ``replace`` revokes an existing one first. The key is never audited."""
    if not user.is_active:
        raise TokenRefused(f"{user.get_username()} is deactivated: no token.")
    if user.identifying_role:  # approved or not: such roles use the web session with two factors
        raise TokenRefused(f"{user.get_username()} sees identifying data: such roles use the web session with two "
                           "factors, never a token.")
    existing = Token.objects.filter(user=user).first()
    if existing is not None and not replace:
        raise TokenRefused(f"{user.get_username()} already has a token: revoke it, or replace it with --replace.")
    if existing is not None:
        existing.delete()
    token = Token.objects.create(user=user)
    record(actor=acting_user, action=AuditEvent.Action.TOKEN, object_type="user", object_id=user.pk,
           detail={"event": "replaced" if existing is not None else "created", "user": user.get_username()})
    return token


@transaction.atomic
def revoke_token(*, acting_user: Actor, user: User) -> bool:
    deleted, _by_model = Token.objects.filter(user=user).delete()
    if deleted:
        record(actor=acting_user, action=AuditEvent.Action.TOKEN, object_type="user", object_id=user.pk,
               detail={"event": "revoked", "user": user.get_username()})
    return bool(deleted)
