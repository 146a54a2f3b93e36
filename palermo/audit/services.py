"""Writing to the audit log. Call ``record`` inside the transaction of the action it records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from palermo.audit import chain
from palermo.audit.models import AuditEvent, ChainHead

if TYPE_CHECKING:
    from palermo.accounts.access import SystemActor
    from palermo.accounts.models import User


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def record(
    *,
    actor: User | SystemActor | None,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    country: str = "",
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    actor_username: str = "",
) -> AuditEvent:
    """Append one event to the chain.

    ``actor`` is the person or the system (named by the command that acted); ``None`` only for
    anonymous events such as a failed sign-in, named by ``actor_username``.

    Joins the caller's transaction (or opens one), and locks the chain head so concurrent
    writers append one after the other; a rolled-back action leaves no audit row behind.
    """
    from palermo.accounts.access import SystemActor

    if isinstance(actor, SystemActor):
        actor_username, actor = actor.audit_name, None
    elif actor is not None and not actor.is_authenticated:
        actor = None
    with transaction.atomic():
        head, _created = ChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "hash": chain.GENESIS_HASH}
        )
        fields: dict[str, Any] = {
            "seq": head.seq + 1,
            "at": timezone.now(),
            "actor_id": actor.pk if actor is not None else None,
            "actor_username": actor.get_username() if actor is not None else actor_username[:150],
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "country": country or "",
            "ip": client_ip(request),
            "detail": detail or {},
        }
        digest = chain.entry_hash(head.hash, _as_chained(fields))
        event = AuditEvent.objects.create(prev_hash=head.hash, hash=digest, **fields)
        head.seq = event.seq
        head.hash = digest
        head.save(update_fields=["seq", "hash"])
    return event


def _as_chained(fields: dict[str, Any]) -> dict[str, Any]:
    values = dict(fields)
    values["at"] = values["at"].isoformat()
    return values


def verify_chain(batch_size: int = 5000) -> chain.ChainBreak | None:
    """Recompute the whole chain from the database; cost grows with the log size."""
    head = ChainHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else chain.GENESIS_HASH

    def rows() -> Any:
        for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
            values = {name: getattr(event, name) for name in chain.CHAINED_FIELDS}
            values["at"] = event.at.isoformat()
            values["prev_hash"] = event.prev_hash
            values["hash"] = event.hash
            yield values

    return chain.verify(rows(), head_seq, head_hash)
