"""Writing to the audit log. Call ``record`` inside the transaction of the action it records."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
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
        digest = chain.entry_hash(head.hash, _as_chained(fields), audit_key() if fields["seq"] >= head.keyed_from
                                  else None)
        event = AuditEvent.objects.create(prev_hash=head.hash, hash=digest, **fields)
        head.seq = event.seq
        head.hash = digest
        head.save(update_fields=["seq", "hash"])
    return event


def _as_chained(fields: dict[str, Any]) -> dict[str, Any]:
    values = dict(fields)
    values["at"] = values["at"].isoformat()
    return values


def audit_key() -> bytes:
    return str(settings.AUDIT_KEY).encode()


def chain_head() -> ChainHead:
    return ChainHead.objects.filter(pk=1).first() or ChainHead(seq=0, hash=chain.GENESIS_HASH, keyed_from=1)


def verify_chain(batch_size: int = 5000) -> chain.ChainBreak | None:
    """Recompute the whole chain from the database with the audit key; cost grows with the log size."""
    head = chain_head()

    def rows() -> Any:
        for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
            values = {name: getattr(event, name) for name in chain.CHAINED_FIELDS}
            values["at"] = event.at.isoformat()
            values["prev_hash"] = event.prev_hash
            values["hash"] = event.hash
            yield values

    return chain.verify(rows(), head.seq, head.hash, key=audit_key(), keyed_from=head.keyed_from)


def write_checkpoint(path: Path | None = None) -> chain.Checkpoint:
    """Append the signed head of the chain to ``path`` (default ``settings.AUDIT_CHECKPOINT_FILE``), one JSON line.

    The file belongs outside the database, ideally on append-only storage (docs/security.md); the write is
    flushed and synced before returning.
    """
    target = Path(path or settings.AUDIT_CHECKPOINT_FILE)
    with transaction.atomic():
        head = chain_head()
        rows = AuditEvent.objects.count()
    checkpoint = chain.sign_checkpoint(audit_key(), seq=head.seq, hash=head.hash, rows=rows,
                                       at=timezone.now().isoformat(timespec="seconds"), keyed_from=head.keyed_from)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as stream:
        stream.write(checkpoint.to_line() + "\n")
        stream.flush()
        os.fsync(stream.fileno())
    return checkpoint


def read_checkpoints(path: Path) -> list[chain.Checkpoint]:
    """Every checkpoint of ``path``; ``ValueError`` naming the first line that is malformed or not signed."""
    checkpoints = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            checkpoints.append(chain.read_checkpoint(line, audit_key()))
        except ValueError as error:
            raise ValueError(f"{path}, line {number}: {error}") from error
    return checkpoints


def verify_against_checkpoints(checkpoints: list[chain.Checkpoint]) -> chain.ChainBreak | None:
    head = chain_head()
    hash_at = dict(AuditEvent.objects.filter(seq__in=[c.seq for c in checkpoints]).values_list("seq", "hash"))
    return chain.check_checkpoints(checkpoints, hash_at, head.seq, head.keyed_from)
