"""Backup -> wipe -> restore, end to end: ``palermo backup create`` on the test database, ``palermo backup restore``
in another process into an empty scratch database and an empty MEDIA_ROOT, then every row of every table, every
file and the audit chain compared with the source. Runs on SQLite and on PostgreSQL, as the suite does."""

from __future__ import annotations

import base64
import json
import subprocess
from io import StringIO
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from palermo.audit.models import AuditEvent
from palermo.backup import database as database_module
from palermo.backup.database import pg_tool, temporary_connection
from palermo.cases.crypto import FieldCipher
from palermo.cases.models import IDENTIFYING_FIELDS, Case
from tests.backup.conftest import NEW_CASES, NEW_KEY, OLD_CASES, OLD_KEY, ROOT, Platform, Scratch

OLD_ID, NEW_ID = FieldCipher(OLD_KEY).key_id, FieldCipher(NEW_KEY).key_id
VALUES_PER_CASE = 4  # first name, second name, birth date, mobile phone in the sample rows
AUDIT_TABLES = ("audit_auditevent", "audit_chainhead")


def all_rows(database: Any) -> dict[str, list[str]]:
    """Every row of every table as sorted text: the test's own reading, independent of palermo.backup."""
    rows = {}
    with database.cursor() as cursor:
        for table in database.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {database.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(repr(tuple(bytes(value) if isinstance(value, memoryview) else value
                                            for value in row)) for row in cursor.fetchall())
    return rows


def audit_rows(database: Any) -> list[tuple[Any, ...]]:
    with database.cursor() as cursor:
        cursor.execute("SELECT seq, at, actor_username, action, object_type, object_id, detail, prev_hash, hash "
                       "FROM audit_auditevent ORDER BY seq")
        return cursor.fetchall()


def identities(using: str) -> dict[str, tuple[Any, ...]]:
    return {case.case_code: tuple(getattr(case, name) for name in IDENTIFYING_FIELDS)
            for case in Case.objects.using(using).order_by("case_code")}


def backup(output: Path) -> str:
    out = StringIO()
    call_command("backup", "create", "--output", str(output), stdout=out)
    return out.getvalue()


def key_material() -> dict[str, bytes]:
    """Every form in which a configured secret could leak: as text, as the bytes it encodes, in standard base64,
    and the AES keys derived from the field keys."""
    forms = {"secret key": settings.SECRET_KEY.encode()}
    for label, secret in (("new key", NEW_KEY), ("old key", OLD_KEY)):
        raw = base64.urlsafe_b64decode(secret)
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"palermo.cases",
                       info=b"field-encryption-v1").derive(secret.encode())
        forms.update({f"{label} text": secret.encode(), f"{label} bytes": raw,
                      f"{label} standard base64": base64.b64encode(raw), f"{label} derived": derived,
                      f"{label} derived base64": base64.urlsafe_b64encode(derived)})
    return forms


def readable_contents(folder: Path) -> dict[str, bytes]:
    """Every file of a backup, the PostgreSQL dump (compressed) also as the SQL it holds."""
    contents = {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    if "database.pgdump" in contents:
        contents["database.pgdump as SQL"] = subprocess.run(
            [pg_tool("pg_restore"), "--file=-", str(folder / "database.pgdump")], capture_output=True, check=True
        ).stdout
    return contents


def write_right_after_the_copy(monkeypatch: Any) -> None:
    """Commit a change from another session as soon as the database is copied, while the backup goes on: the
    manifest must describe the copy (one snapshot), not the live database."""
    name = "pg_dump" if connection.vendor == "postgresql" else "sqlite_copy"
    copy = getattr(database_module, name)

    def copy_then_write(*args: Any, **kwargs: Any) -> str:
        made = copy(*args, **kwargs)
        with temporary_connection("writer", dict(connection.settings_dict)) as writer, writer.cursor() as cursor:
            cursor.execute("UPDATE accounts_user SET first_name = %s", ["changed meanwhile"])
        return made

    monkeypatch.setattr(database_module, name, copy_then_write)


def test_a_backup_restores_into_an_empty_database_with_zero_differences(
    platform: Platform, scratch: Scratch, tmp_path: Path, monkeypatch: Any
) -> None:
    source_rows = all_rows(connection)
    source_audit = audit_rows(connection)
    source_identities = identities("default")
    folder = tmp_path / "backup"
    write_right_after_the_copy(monkeypatch)
    output = backup(folder)
    assert all_rows(connection)["accounts_user"] != source_rows["accounts_user"]  # the live database moved on

    manifest = json.loads((folder / "manifest.json").read_text())
    engine = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    dump = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}[engine]
    document = f"media/{platform.document.file.name}"
    assert sorted(manifest["files"]) == sorted([dump, document])  # the waiting case upload is left out
    assert manifest["files"][document]["size"] == platform.document.file.size
    assert manifest["database"]["engine"] == engine
    assert manifest["encryption"] == {"current_key_id": NEW_ID, "key_ids_in_use": {
        OLD_ID: OLD_CASES * VALUES_PER_CASE, NEW_ID: NEW_CASES * VALUES_PER_CASE}}
    assert {table: entry["rows"] for table, entry in manifest["tables"].items()} == {
        table: len(rows) for table, rows in source_rows.items()}
    newest = max(path.stem for path in (ROOT / "palermo" / "cases" / "migrations").glob("0*.py"))
    assert manifest["migrations"]["cases"] == newest
    assert manifest["seal"]["key_id"] == NEW_ID
    in_use = sorted(manifest["encryption"]["key_ids_in_use"].items())
    assert f"Key ids in use: {', '.join(f'{k} ({v})' for k, v in in_use)} (the keys themselves" in output
    event = AuditEvent.objects.latest("seq")
    assert (event.actor_username, event.action, event.object_type) == ("system: palermo backup create", "export",
                                                                        "backup")
    assert (event.detail["files"], event.detail["rows"], event.detail["key_ids"]) == (
        2, sum(len(rows) for rows in source_rows.values()), sorted([OLD_ID, NEW_ID]))

    contents = readable_contents(folder)
    leaks = [f"{label} in {name}" for name, content in contents.items()
             for label, form in key_material().items() if form in content]
    assert leaks == []
    assert any(f"enc2:{OLD_ID}:".encode() in content for content in contents.values())  # the search saw the data

    with scratch.connect() as target, target.cursor() as cursor:
        cursor.execute("CREATE TABLE left_over (id integer)")  # empty tables do not make a database non-empty
    result = scratch.palermo("backup", "restore", str(folder))
    assert result.returncode == 0, result.stderr + result.stdout
    assert f"ok     audit chain: {len(source_audit)} rows verified" in result.stdout
    assert (f"ok     rows: {len(source_rows)} tables, {sum(len(rows) for rows in source_rows.values())} rows equal "
            "to the manifest (count and content)") in result.stdout
    assert "ok     files: 1 media file(s)" in result.stdout
    assert (f"ok     encrypted fields: {(OLD_CASES + NEW_CASES) * 4} values (per key id: "
            f"{', '.join(f'{k}: {v}' for k, v in in_use)}); "
            f"{(OLD_CASES + NEW_CASES) * 4} decrypted with the configured keys") in result.stdout
    assert "ok     frozen reviews: 5 intact (SHA-256)" in result.stdout
    assert f"ok     migrations: {len(manifest['migrations'])} apps at the manifest's state" in result.stdout
    assert "FAILED" not in result.stdout

    with scratch.connect() as restored:
        restored_rows = all_rows(restored)
        restored_audit = audit_rows(restored)
        restored_identities = identities("scratch")
    assert sorted(restored_rows) == sorted(source_rows)
    differences = [table for table in source_rows
                   if table not in AUDIT_TABLES and restored_rows[table] != source_rows[table]]
    assert differences == []
    assert restored_audit[:-1] == source_audit  # the restore appended its own row, nothing else changed
    assert restored_audit[-1][2:5] == ("system: palermo backup restore", "import", "backup")
    assert restored_identities == source_identities and len(source_identities) == OLD_CASES + NEW_CASES
    restored_media = scratch.var / "media"
    assert {path.relative_to(restored_media).as_posix(): path.read_bytes()
            for path in restored_media.rglob("*") if path.is_file()} == {
        platform.document.file.name: (platform.media / platform.document.file.name).read_bytes()}

    verified = scratch.palermo("audit", "verify")
    assert verified.returncode == 0 and f"{len(source_audit) + 1} rows verified" in verified.stdout
