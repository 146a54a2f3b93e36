"""Bulk writes for millions of rows: ``COPY`` on PostgreSQL, ``executemany`` on SQLite, in chunks, inside the
caller's transaction. Rows are tuples in the order of ``columns``; dates as ISO text (``day``), JSON as text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from itertools import islice
from typing import Any

from django.db import connection

CHUNK = 50_000


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
