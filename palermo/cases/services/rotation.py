"""Key rotation of the encrypted identifying fields: re-encrypt the values sealed by old keys.

The encrypted tables and the counts per key come from ``palermo.cases.encrypted``. Rows are read by primary key
ranges (``id > last ORDER BY id LIMIT n``) with SQL keeping only rows holding a value not sealed by the current
key, so memory stays one batch whatever the table size, and a second run simply finds what the first left. Each
batch is one transaction: rows locked (PostgreSQL ``FOR UPDATE``; SQLite's write lock), decrypted with the key
ring, re-encrypted with the current key, written back by one UPDATE (``executemany`` on SQLite), and one audit
row (counts and key ids, never a value).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from palermo.accounts.access import Actor
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases import index
from palermo.cases.access import may_rotate_keys
from palermo.cases.crypto import DecryptionError, key_id_of
from palermo.cases.encrypted import (
    AUDIT_OBJECT_TYPE,
    EncryptedTable,
    encrypted_tables,
    quote,
    stale_condition,
    unknown_key_ids,
)
from palermo.cases.fields import keyring


@dataclass
class BatchResult:
    table: str
    rows: int = 0
    values: int = 0
    last_pk: Any = None
    from_key_ids: Counter[str] = field(default_factory=Counter)


class RotationError(DecryptionError):
    pass


def _check(acting_user: Actor) -> None:
    if not may_rotate_keys(acting_user):
        raise PermissionDenied("key rotation is run by the operator's command, palermo cases rotate-key")


@transaction.atomic
def rotate_batch(*, acting_user: Actor, table: EncryptedTable, after_pk: Any, batch_size: int,
                 dry_run: bool) -> BatchResult:
    """Re-encrypt with the current key the values of the next ``batch_size`` rows after ``after_pk`` that hold a
    value sealed by another key; nothing is written when ``dry_run`` (every value is still decrypted, so that a
    dry run proves the key ring opens them)."""
    _check(acting_user)
    ring = keyring()
    current = ring.current
    condition, params = stale_condition(table, current.key_id)
    columns = ", ".join(quote(column) for column in table.columns)
    lock = " FOR UPDATE" if connection.features.has_select_for_update and not dry_run else ""
    where = f"WHERE {quote(table.pk_column)} > %s AND " if after_pk is not None else "WHERE "
    sql = (f"SELECT {quote(table.pk_column)}, {columns} FROM {quote(table.table)} {where}{condition} "  # noqa: S608
           f"ORDER BY {quote(table.pk_column)} LIMIT %s{lock}")
    with connection.cursor() as cursor:
        cursor.execute(sql, ([after_pk] if after_pk is not None else []) + params + [batch_size])
        rows = cursor.fetchall()
    result = BatchResult(table=table.label, rows=len(rows), last_pk=rows[-1][0] if rows else after_pk)
    if not rows:
        return result
    updates = []
    for pk, *tokens in rows:
        new_tokens = []
        for column, token in zip(table.columns, tokens, strict=True):
            if not token or current.seals(token):
                new_tokens.append(token)
                continue
            try:
                text = ring.decrypt(token)
            except DecryptionError as error:
                raise RotationError(f"{table.label} id {pk}, field {column}: {error}") from error
            result.from_key_ids[key_id_of(token)] += 1
            new_tokens.append(current.encrypt(text))
        updates.append([*new_tokens, pk])
    result.values = sum(result.from_key_ids.values())
    if dry_run:
        return result
    _write(table, updates)
    record(actor=acting_user, action=AuditEvent.Action.UPDATE,
           object_type=AUDIT_OBJECT_TYPE, object_id=f"{table.label}:{rows[0][0]}-{result.last_pk}",
           detail={"table": table.label, "rows": result.rows, "values": result.values,
                   "from_key_ids": dict(sorted(result.from_key_ids.items())), "to_key_id": current.key_id,
                   "first_id": rows[0][0], "last_id": result.last_pk})
    return result


def _write(table: EncryptedTable, updates: list[list[Any]]) -> None:
    """On PostgreSQL one UPDATE joined to ``unnest`` of one array per column (one round trip, a short query);
    elsewhere executemany."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(quote(column) for column in (*table.columns, table.pk_column))
            assignments = ", ".join(f"{quote(column)} = v.{quote(column)}" for column in table.columns)
            arrays = ", ".join(["%s::text[]"] * len(table.columns) + ["%s::bigint[]"])
            cursor.execute(f"UPDATE {quote(table.table)} AS t SET {assignments} FROM unnest({arrays}) "  # noqa: S608
                           f"AS v({names}) WHERE t.{quote(table.pk_column)} = v.{quote(table.pk_column)}",
                           [list(column) for column in zip(*updates, strict=True)])
            return
        assignments = ", ".join(f"{quote(column)} = %s" for column in table.columns)
        cursor.executemany(f"UPDATE {quote(table.table)} SET {assignments} "  # noqa: S608
                           f"WHERE {quote(table.pk_column)} = %s", updates)


INDEX_LABEL = "cases.searchtoken"


@transaction.atomic
def reindex_batch(*, acting_user: Actor, after_pk: int | None, batch_size: int, dry_run: bool) -> BatchResult:
    """Recompute under the current key the blind index of names of the next ``batch_size`` cases (after
    ``after_pk``) still indexed under another key; one audit row (counts and key ids, never a value)."""
    _check(acting_user)
    case_ids = index.stale_case_ids(after_pk, batch_size)
    result = BatchResult(table=INDEX_LABEL, rows=len(case_ids), last_pk=case_ids[-1] if case_ids else after_pk)
    if not case_ids or dry_run:
        return result
    try:
        written = index.rebuild(case_ids)
    except DecryptionError as error:
        raise RotationError(f"blind index of cases {case_ids[0]}-{case_ids[-1]}: {error}") from error
    current = keyring().current.key_id
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type=AUDIT_OBJECT_TYPE,
           object_id=f"{INDEX_LABEL}:{case_ids[0]}-{case_ids[-1]}",
           detail={"table": INDEX_LABEL, "cases": len(case_ids), "index_rows": written, "to_key_id": current,
                   "first_id": case_ids[0], "last_id": case_ids[-1]})
    return result


def rotate(*, acting_user: Actor, batch_size: int = 1000, limit: int | None = None,
           dry_run: bool = False) -> Iterator[BatchResult]:
    """Rotate batch after batch over every encrypted table, then recompute the blind index of names of the cases
    indexed under an old key (``reindex_batch``), yielding each batch's result; stops after ``limit`` rows (cases
    for the index). Raises ``RotationError`` before any write when the database holds a key id the key ring
    lacks."""
    _check(acting_user)
    if batch_size < 1:
        raise ValueError("the batch size must be at least 1")
    missing = unknown_key_ids()
    if missing:
        ring = keyring()
        raise RotationError(
            f"values sealed by key id {', '.join(missing)}, which is not configured (configured key ids: "
            f"{', '.join(ring.key_ids)}); add that key to PALERMO_FIELD_ENCRYPTION_OLD_KEYS. Nothing rewritten."
        )
    remaining = limit
    for table in encrypted_tables():
        after_pk: Any = None
        while remaining is None or remaining > 0:
            size = batch_size if remaining is None else min(batch_size, remaining)
            result = rotate_batch(acting_user=acting_user, table=table, after_pk=after_pk, batch_size=size,
                                  dry_run=dry_run)
            if not result.rows:
                break
            if remaining is not None:
                remaining -= result.rows
            after_pk = result.last_pk
            yield result
    after_case: int | None = None
    while remaining is None or remaining > 0:
        size = batch_size if remaining is None else min(batch_size, remaining)
        result = reindex_batch(acting_user=acting_user, after_pk=after_case, batch_size=size, dry_run=dry_run)
        if not result.rows:
            break
        if remaining is not None:
            remaining -= result.rows
        after_case = result.last_pk
        yield result
