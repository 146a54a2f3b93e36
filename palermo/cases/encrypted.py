"""Where the encrypted identifying values are and which keys sealed them (reads only; the rotation itself is
``palermo.cases.services.rotation``, a backup reads the same counts).

Every model field that is an ``EncryptedTextField`` or ``EncryptedDateField`` is found from the app registry.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from palermo.cases.crypto import KEY_ID_LENGTH, LEGACY, PREFIX, Keyring
from palermo.cases.fields import EncryptedDateField, EncryptedTextField, keyring

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


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def stale_condition(table: EncryptedTable, current_key_id: str) -> tuple[str, list[str]]:
    """SQL true for a row holding a value not sealed by the current key, with its parameters."""
    pattern = f"{PREFIX}{current_key_id}:%"
    parts = [f"({quote(column)} <> '' AND {quote(column)} NOT LIKE %s)" for column in table.columns]
    return "(" + " OR ".join(parts) + ")", [pattern] * len(table.columns)


def key_counts(database: BaseDatabaseWrapper | None = None) -> Counter[str]:
    """Stored values per key id (``enc1`` for values that do not name their key); empty values are not counted.
    Read through ``database`` when given (a backup reads its own snapshot), else the default connection."""
    counts: Counter[str] = Counter()
    with (database or connection).cursor() as cursor:
        for table in encrypted_tables():
            selects = [
                f"SELECT CASE WHEN {quote(c)} LIKE %s THEN substr({quote(c)}, {len(PREFIX) + 1}, {KEY_ID_LENGTH}) "  # noqa: S608
                f"ELSE substr({quote(c)}, 1, 4) END, count(*) FROM {quote(table.table)} "
                f"WHERE {quote(c)} <> '' GROUP BY 1"
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
            condition, params = stale_condition(table, ring.current.key_id)
            cursor.execute(f"SELECT count(*) FROM {quote(table.table)} WHERE {condition}", params)  # noqa: S608
            total += cursor.fetchone()[0]
    return total


def unknown_key_ids(ring: Keyring | None = None) -> list[str]:
    """Key ids found in the database that the key ring cannot open (``enc1`` values are checked while rotating)."""
    ring = ring or keyring()
    return sorted(key_id for key_id in key_counts() if key_id != LEGACY and key_id not in ring.ciphers)
