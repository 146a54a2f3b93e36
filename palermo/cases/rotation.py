"""Key rotation of the encrypted identifying fields: count values per key, re-encrypt those sealed by old keys.

Every model field that is an ``EncryptedTextField`` or ``EncryptedDateField`` is found from the app registry. Rows
are read by primary key ranges (``id > last ORDER BY id LIMIT n``) with SQL keeping only rows holding a value not
sealed by the current key, so memory stays one batch whatever the table size, and a second run simply finds
what the first left. Each batch is one transaction: rows locked (PostgreSQL ``FOR UPDATE``; SQLite's write lock),
decrypted with the key ring, re-encrypted with the current key, written back by one UPDATE (``executemany`` on
SQLite), and one audit row (counts and key ids, never a value).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases.crypto import KEY_ID_LENGTH, LEGACY, PREFIX, DecryptionError, Keyring, key_id_of
from palermo.cases.fields import EncryptedDateField, EncryptedTextField, keyring

if TYPE_CHECKING:
    from palermo.accounts.models import User

AUDIT_OBJECT_TYPE = "cases.encryption"


@dataclass(frozen=True)
class EncryptedTable:
    label: str  # app_label.model_name
    table: str
    pk_column: str
    columns: tuple[str, ...]


def encrypted_tables() -> list[EncryptedTable]:
    tables = []
    for model in apps.get_models():
        columns = tuple(
            str(model_field.column) for model_field in model._meta.concrete_fields
            if isinstance(model_field, EncryptedTextField | EncryptedDateField)
        )
        if columns:
            tables.append(EncryptedTable(model._meta.label_lower, model._meta.db_table, str(model._meta.pk.column),
                                         columns))
    return tables


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _stale_condition(table: EncryptedTable, current_key_id: str) -> tuple[str, list[str]]:
    """SQL true for a row holding a value not sealed by the current key, with its parameters."""
    pattern = f"{PREFIX}{current_key_id}:%"
    parts = [f"({_q(column)} <> '' AND {_q(column)} NOT LIKE %s)" for column in table.columns]
    return "(" + " OR ".join(parts) + ")", [pattern] * len(table.columns)


def key_counts(database: BaseDatabaseWrapper | None = None) -> Counter[str]:
    """Stored values per key id (``enc1`` for values that do not name their key); empty values are not counted.
    Read through ``database`` when given (a backup reads its own snapshot), else the default connection."""
    counts: Counter[str] = Counter()
    with (database or connection).cursor() as cursor:
        for table in encrypted_tables():
            selects = [
                f"SELECT CASE WHEN {_q(c)} LIKE %s THEN substr({_q(c)}, {len(PREFIX) + 1}, {KEY_ID_LENGTH}) "  # noqa: S608
                f"ELSE substr({_q(c)}, 1, 4) END, count(*) FROM {_q(table.table)} WHERE {_q(c)} <> '' GROUP BY 1"
                for c in table.columns
            ]
            cursor.execute(" UNION ALL ".join(selects), [PREFIX + "%"] * len(table.columns))
            for key_id, count in cursor.fetchall():
                counts[key_id] += count
    return counts


def count_rows_to_rotate(ring: Keyring | None = None) -> int:
    ring = ring or keyring()
    total = 0
    with connection.cursor() as cursor:
        for table in encrypted_tables():
            condition, params = _stale_condition(table, ring.current.key_id)
            cursor.execute(f"SELECT count(*) FROM {_q(table.table)} WHERE {condition}", params)  # noqa: S608
            total += cursor.fetchone()[0]
    return total


def unknown_key_ids(ring: Keyring | None = None) -> list[str]:
    """Key ids found in the database that the key ring cannot open (``enc1`` values are checked while rotating)."""
    ring = ring or keyring()
    return sorted(key_id for key_id in key_counts() if key_id != LEGACY and key_id not in ring.ciphers)


@dataclass
class BatchResult:
    table: str
    rows: int = 0
    values: int = 0
    last_pk: Any = None
    from_key_ids: Counter[str] = field(default_factory=Counter)


class RotationError(DecryptionError):
    pass


@transaction.atomic
def rotate_batch(*, acting_user: User | None, table: EncryptedTable, after_pk: Any, batch_size: int, dry_run: bool,
                 actor_username: str = "") -> BatchResult:
    """Re-encrypt with the current key the values of the next ``batch_size`` rows after ``after_pk`` that hold a
    value sealed by another key; nothing is written when ``dry_run`` (every value is still decrypted, so that a
    dry run proves the key ring opens them)."""
    ring = keyring()
    current = ring.current
    condition, params = _stale_condition(table, current.key_id)
    columns = ", ".join(_q(column) for column in table.columns)
    lock = " FOR UPDATE" if connection.features.has_select_for_update and not dry_run else ""
    where = f"WHERE {_q(table.pk_column)} > %s AND " if after_pk is not None else "WHERE "
    sql = (f"SELECT {_q(table.pk_column)}, {columns} FROM {_q(table.table)} {where}{condition} "  # noqa: S608
           f"ORDER BY {_q(table.pk_column)} LIMIT %s{lock}")
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
    record(actor=acting_user, actor_username=actor_username, action=AuditEvent.Action.UPDATE,
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
            names = ", ".join(_q(column) for column in (*table.columns, table.pk_column))
            assignments = ", ".join(f"{_q(column)} = v.{_q(column)}" for column in table.columns)
            arrays = ", ".join(["%s::text[]"] * len(table.columns) + ["%s::bigint[]"])
            cursor.execute(f"UPDATE {_q(table.table)} AS t SET {assignments} FROM unnest({arrays}) "  # noqa: S608
                           f"AS v({names}) WHERE t.{_q(table.pk_column)} = v.{_q(table.pk_column)}",
                           [list(column) for column in zip(*updates, strict=True)])
            return
        assignments = ", ".join(f"{_q(column)} = %s" for column in table.columns)
        cursor.executemany(f"UPDATE {_q(table.table)} SET {assignments} "  # noqa: S608
                           f"WHERE {_q(table.pk_column)} = %s", updates)


def rotate(*, acting_user: User | None, batch_size: int = 1000, limit: int | None = None, dry_run: bool = False,
           actor_username: str = "") -> Iterator[BatchResult]:
    """Rotate batch after batch over every encrypted table, yielding each batch's result; stops after ``limit``
    rows. Raises ``RotationError`` before any write when the database holds a key id the key ring lacks."""
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
                                  dry_run=dry_run, actor_username=actor_username)
            if not result.rows:
                break
            if remaining is not None:
                remaining -= result.rows
            after_pk = result.last_pk
            yield result
