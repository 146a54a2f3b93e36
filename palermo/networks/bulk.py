"""Bulk writes for millions of rows: ``COPY`` on PostgreSQL, ``executemany`` on SQLite, in chunks, inside the
caller's transaction. Rows are tuples in the order of ``columns``; dates as ISO text (``day``), JSON as text."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from itertools import islice
from typing import Any

from django.db import connection

CHUNK = 50_000
LINK_COLUMNS = ("network_id", "from_entity_id", "to_entity_id", "schema", "entity_id", "weight", "date", "amount",
                "currency", "source_id")


def day(value: date | None) -> str | None:
    """A date as both databases take it in bulk."""
    return value.isoformat() if value is not None else None


def insert(table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]],
           progress: Callable[[int], None] | None = None) -> int:
    """Insert every row; returns how many. ``progress`` is told the running count after each chunk."""
    written = 0
    iterator = iter(rows)
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in iterator:
                    copy.write_row(row)
                    written += 1
                    if progress and written % CHUNK == 0:
                        progress(written)
        if progress:
            progress(written)
        return written
    connection.ensure_connection()
    raw_connection = connection.connection
    marks = ", ".join("?" for _ in columns)
    statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (table and columns are ours)
    while True:
        chunk = list(islice(iterator, CHUNK))
        if not chunk:
            break
        raw_connection.executemany(statement, chunk)
        written += len(chunk)
        if progress:
            progress(written)
    return written


def ids_by_ftm_id(network_id: int) -> dict[str, int]:
    """Every entity of a network: FtM id → primary key (one query, read in chunks)."""
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT ftm_id, id FROM networks_entity WHERE network_id = %s", [network_id])
        while True:
            rows = cursor.fetchmany(CHUNK)
            if not rows:
                break
            found.update(rows)
    return found


# Loads at least this large, and at least as large as what the table already holds, go in without the table's
# secondary indexes and (PostgreSQL) foreign keys, which are rebuilt after the load in the same transaction: one
# sort per index and one join per foreign key instead of one b-tree insert and one deferred trigger per row.
LARGE_LOAD = 100_000


def _rows_of(table: str) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the planner's estimate: counting millions of rows costs seconds
            cursor.execute("SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass", [table])
        else:
            cursor.execute(f"SELECT MAX(rowid) FROM {table}")  # noqa: S608 (our table)
        found = cursor.fetchone()
    return int(found[0] or 0) if found else 0


def _definitions(table: str) -> list[tuple[str, str]]:
    """(drop, create) statements of the secondary indexes and foreign keys of ``table``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = "
                           "%s::regclass AND contype = 'f' ORDER BY conname", [table])
            keys = [(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"',
                     f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}') for name, definition in
                    cursor.fetchall()]
            cursor.execute("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                           "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM "
                           "pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1", [table])
            return keys + [(f"DROP INDEX {name}", definition) for name, definition in cursor.fetchall()]
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT "
                       "NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY name", [table])
        return [(f'DROP INDEX "{name}"', sql) for name, sql in cursor.fetchall()]


@contextmanager
def large_load(tables: tuple[str, ...], rows: int) -> Iterator[None]:
    """Around a load of ``rows`` rows into each of ``tables``, inside the caller's transaction: when the load is large
    (``LARGE_LOAD``, and at least the table's current size), the table's secondary indexes and foreign keys are
    dropped first and made again after (re-adding a foreign key checks every row: a bad reference still fails the
    whole import). Unique constraints stay. Smaller loads change nothing."""
    if not connection.in_atomic_block:
        raise RuntimeError("large_load runs inside the import's transaction")
    chosen = [table for table in tables if rows >= LARGE_LOAD and rows >= _rows_of(table)]
    statements = [pair for table in chosen for pair in _definitions(table)]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB while the indexes are built
        if connection.vendor == "postgresql" and statements:
            # the checks pending on the rows written so far run now (an ALTER waits for none), then deferred again
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for drop, _create in statements:
            cursor.execute(drop)
    try:
        yield  # an error rolls the transaction back, and the dropped indexes and keys with it
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and statements:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _drop, create in statements:
                cursor.execute(create)
    finally:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(cache)}")


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def insert_edges(*, network_id: int, source_id: int, schema: str, ids: array, sources: array, targets: array,
                 weights: array, progress: Callable[[int], None] | None = None) -> int:
    """The links of a plain edge list (``plain.py``) from its arrays: link k from entity ``ids[sources[k]]`` to
    ``ids[targets[k]]`` with ``weights[k]``, no date, amount or currency. PostgreSQL: ``COPY`` text written in blocks;
    SQLite: ``executemany`` over tuples made by ``zip`` (no Python loop per row)."""
    total = len(sources)
    if connection.vendor == "postgresql":
        head = f"{network_id}\t"
        tail = f"\t{_copy_text(schema)}\t\\N\t"
        end = f"\t\\N\t\\N\t\t{source_id}\n"
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY networks_link ({', '.join(LINK_COLUMNS)}) FROM STDIN") as copy:
            for start in range(0, total, CHUNK):
                stop = min(total, start + CHUNK)
                copy.write("".join([f"{head}{ids[a]}\t{ids[b]}{tail}{w!r}{end}" for a, b, w in zip(
                    sources[start:stop], targets[start:stop], weights[start:stop], strict=True)]))
                if progress:
                    progress(stop)
        return total
    connection.ensure_connection()
    # what every row shares is written into the statement (integers, the type quoted): three values bound a row
    constants = (int(network_id), "?", "?", "'" + schema.replace("'", "''") + "'", "NULL", "?", "NULL", "NULL", "''",
                 int(source_id))
    statement = (f"INSERT INTO networks_link ({', '.join(LINK_COLUMNS)}) "  # noqa: S608 (ours, quoted)
                 f"VALUES ({', '.join(str(value) for value in constants)})")
    for start in range(0, total, CHUNK):
        stop = min(total, start + CHUNK)
        rows = zip(map(ids.__getitem__, sources[start:stop]), map(ids.__getitem__, targets[start:stop]),
                   weights[start:stop], strict=True)
        connection.connection.executemany(statement, rows)
        if progress:
            progress(stop)
    return total
