"""The database side of a backup: a consistent copy (PostgreSQL ``pg_dump`` of an exported snapshot, SQLite's
online backup API), what that copy holds (tables, rows, migrations, key ids), and its restore into an empty
database (``pg_restore`` in one transaction, the backup API the other way)."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

from palermo.backup.manifest import BackupError, RowDigest
from palermo.cases.encrypted import key_counts

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DUMP_NAMES = {SQLITE: "database.sqlite3", POSTGRESQL: "database.pgdump"}
FETCH_ROWS = 2000


def engine_of(database: BaseDatabaseWrapper) -> str:
    if database.vendor == "postgresql":
        return POSTGRESQL
    if database.vendor == "sqlite":
        return SQLITE
    raise BackupError(f"backups support PostgreSQL and SQLite, not {database.vendor}")


@dataclass
class DatabaseState:
    """What a database holds, as a manifest records it."""

    tables: dict[str, dict[str, Any]] = field(default_factory=dict)  # table -> {"rows": n, "digest": hex}
    migrations: dict[str, str] = field(default_factory=dict)  # app -> latest applied migration
    key_ids: dict[str, int] = field(default_factory=dict)  # key id -> encrypted values sealed by it

    @property
    def rows(self) -> int:
        return sum(int(table["rows"]) for table in self.tables.values())


def _quote(database: BaseDatabaseWrapper, name: str) -> str:
    return database.ops.quote_name(name)


def table_names(database: BaseDatabaseWrapper) -> list[str]:
    with database.cursor() as cursor:
        return sorted(database.introspection.table_names(cursor))


def table_digest(database: BaseDatabaseWrapper, table: str) -> RowDigest:
    """Every row of ``table`` read in chunks (a server-side cursor on PostgreSQL) into a ``RowDigest``."""
    with database.chunked_cursor() as cursor:
        cursor.execute(f"SELECT * FROM {_quote(database, table)}")  # noqa: S608 (a table name from introspection)
        digest = RowDigest(column[0] for column in cursor.description)
        while rows := cursor.fetchmany(FETCH_ROWS):
            digest.add_many(rows)
    return digest


def applied_migrations(database: BaseDatabaseWrapper, tables: list[str]) -> dict[str, str]:
    """The latest applied migration of each app (by name: Django's are numbered)."""
    if "django_migrations" not in tables:
        return {}
    with database.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        latest: dict[str, str] = {}
        for app, name in cursor.fetchall():
            latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


def inspect(database: BaseDatabaseWrapper) -> DatabaseState:
    """Tables with their row count and content digest, migrations and key ids; inside one transaction so that
    PostgreSQL streams with a server-side cursor (the caller's snapshot transaction when there is one)."""
    with transaction.atomic(using=database.alias):
        tables = table_names(database)
        state = DatabaseState()
        for table in tables:
            digest = table_digest(database, table)
            state.tables[table] = {"rows": digest.rows, "digest": digest.hexdigest()}
        state.migrations = applied_migrations(database, tables)
        state.key_ids = dict(sorted(key_counts(database).items())) if _has_case_tables(tables) else {}
    return state


def _has_case_tables(tables: list[str]) -> bool:
    from palermo.cases.encrypted import encrypted_tables

    return all(table.table in tables for table in encrypted_tables())


def tables_with_rows(database: BaseDatabaseWrapper) -> list[str]:
    """The tables that hold at least one row: a database where this is empty may receive a restore."""
    occupied = []
    with database.cursor() as cursor:
        for table in table_names(database):
            cursor.execute(f"SELECT 1 FROM {_quote(database, table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone() is not None:
                occupied.append(table)
    return occupied


# PostgreSQL --------------------------------------------------------------------------------------------------------

def pg_tool(name: str) -> str:
    folder = str(getattr(settings, "PG_BIN_DIR", "") or "")
    path = str(Path(folder) / name) if folder else shutil.which(name)
    if not path or not Path(path).is_file():
        where = f"in PALERMO_PG_BIN_DIR ({folder})" if folder else "on the PATH"
        raise BackupError(f"{name} not found {where}: install the PostgreSQL client (postgresql-client) of the "
                          "server's version, or set PALERMO_PG_BIN_DIR to its bin folder")
    return path


def tool_major_version(path: str) -> int:
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True, timeout=60).stdout  # noqa: S603
    found = re.search(r"\) (\d+)", output) or re.search(r"(\d+)", output)
    if found is None:
        raise BackupError(f"cannot read the version of {path} from {output.strip()!r}")
    return int(found.group(1))


def pg_environment(database: BaseDatabaseWrapper) -> dict[str, str]:
    """The client environment naming the database of ``database`` (the password never on a command line)."""
    params = database.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    for variable, value in (("PGHOST", params.get("HOST")), ("PGPORT", params.get("PORT")),
                            ("PGUSER", params.get("USER")), ("PGPASSWORD", params.get("PASSWORD")),
                            ("PGDATABASE", params.get("NAME"))):
        if value:
            env[variable] = str(value)
    options = params.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"),
                             ("sslkey", "PGSSLKEY"), ("passfile", "PGPASSFILE"), ("service", "PGSERVICE")):
        if options.get(option):
            env[variable] = str(options[option])
    return env


def server_major_version(database: BaseDatabaseWrapper) -> int:
    database.ensure_connection()
    return int(database.pg_version) // 10000  # type: ignore[attr-defined]


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()
        raise BackupError(f"{what} failed (exit {result.returncode})", detail[-10:])


@contextmanager
def postgresql_snapshot(database: BaseDatabaseWrapper) -> Iterator[str]:
    """A read-only repeatable-read transaction on ``database`` whose snapshot is exported: ``pg_dump --snapshot``
    and the queries run in the block see exactly the same data."""
    with transaction.atomic(using=database.alias), database.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        yield str(cursor.fetchone()[0])


def pg_dump(database: BaseDatabaseWrapper, snapshot: str, target: Path) -> str:
    """Write the custom-format dump of the exported ``snapshot``; answers the tool's description."""
    tool = pg_tool("pg_dump")
    version, server = tool_major_version(tool), server_major_version(database)
    if version < server:
        raise BackupError(f"pg_dump {version} cannot dump a PostgreSQL {server} server: install postgresql-client-"
                          f"{server} and set PALERMO_PG_BIN_DIR to its bin folder")
    _run([tool, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", f"--file={target}"],
         pg_environment(database), "pg_dump")
    target.chmod(0o600)
    return f"pg_dump {version}"


def drop_empty_tables(database: BaseDatabaseWrapper) -> None:
    """Drop the tables of a database whose tables are all empty (checked again under lock), so that
    ``pg_restore`` creates them as the backup has them."""
    with transaction.atomic(using=database.alias), database.cursor() as cursor:
        tables = table_names(database)
        if not tables:
            return
        cursor.execute("LOCK TABLE " + ", ".join(_quote(database, t) for t in tables) + " IN ACCESS EXCLUSIVE MODE")
        occupied = tables_with_rows(database)
        if occupied:
            raise BackupError("the database is not empty", [f"table {table} holds rows" for table in occupied])
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {_quote(database, table)} CASCADE")


def pg_restore(database: BaseDatabaseWrapper, dump: Path, dump_tool: str) -> None:
    """Restore the dump into ``database`` in one transaction: it all lands or nothing does."""
    tool = pg_tool("pg_restore")
    made_with = re.search(r"(\d+)", dump_tool)
    version = tool_major_version(tool)
    if made_with and version < int(made_with.group(1)):
        raise BackupError(f"this backup was made by {dump_tool}; pg_restore {version} cannot read it: install "
                          f"postgresql-client-{made_with.group(1)} and set PALERMO_PG_BIN_DIR to its bin folder")
    database.close()
    _run([tool, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          f"--dbname={database.settings_dict['NAME']}", str(dump)], pg_environment(database), "pg_restore")


# SQLite ------------------------------------------------------------------------------------------------------------

def sqlite_copy(database: BaseDatabaseWrapper, target: Path) -> str:
    """Copy the live database into ``target`` with the online backup API (one step: one consistent read), left in
    rollback-journal mode so that the copy is one self-contained file."""
    if database.in_atomic_block:
        raise BackupError("a backup cannot run inside a transaction")
    database.ensure_connection()
    source: sqlite3.Connection = database.connection  # type: ignore[assignment]
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
    target.chmod(0o600)
    return f"sqlite {sqlite3.sqlite_version}"


def sqlite_restore(database: BaseDatabaseWrapper, copy: Path) -> None:
    """Replace the (empty) database by the copy, page by page, through the backup API."""
    database.ensure_connection()
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        source.backup(database.connection)  # type: ignore[arg-type]
    finally:
        source.close()


@contextmanager
def temporary_connection(alias: str, params: dict[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    """A Django connection to another database, reachable as ``connections[alias]`` for the time of the block
    (Django's introspection and transactions look connections up by alias) but not added to the configured
    databases; closed and forgotten afterwards."""
    params = connections.configure_settings({
        "default": {"ENGINE": "django.db.backends.dummy"},  # configure_settings insists on one
        alias: params,
    })[alias]
    wrapper: BaseDatabaseWrapper = load_backend(params["ENGINE"]).DatabaseWrapper(params, alias)
    connections[alias] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        del connections[alias]


def sqlite_file(path: Path) -> AbstractContextManager[BaseDatabaseWrapper]:
    """A read-only connection to a SQLite file (a backup's copy)."""
    return temporary_connection("palermo_backup_copy", {"ENGINE": "django.db.backends.sqlite3",
                                                        "NAME": f"file:{path}?mode=ro"})
