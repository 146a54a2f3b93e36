"""Making a backup and restoring one, each audited (docs/backup.md).

``create_backup`` writes the database copy, the media files and the sealed manifest into a new folder; the copy
and everything the manifest says of the database (rows, digests, migrations, key ids) come from one consistent
snapshot. ``restore_backup`` refuses, before anything is written, a backup whose files or manifest do not match,
a non-empty target, or a key it would need and lacks; then restores and verifies (``palermo.backup.verify``).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from palermo.accounts.access import Actor
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.backup import database as db
from palermo.backup.manifest import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST_NAME,
    MEDIA_FOLDER,
    BackupError,
    canonical_json,
    digest_file,
    file_problems,
    files_in,
    manifest_problems,
    seal,
    seal_matches,
    secret_forms,
)
from palermo.backup.verify import Check, verify_restore
from palermo.cases.crypto import LEGACY, cipher_for
from palermo.cases.fields import keyring

# Uploaded case files wait under MEDIA_ROOT only until their import has run; they hold identifying data in clear,
# so a backup never carries them (the imported cases are in the database, encrypted).
EXCLUDED_MEDIA = ("case_imports",)
AUDIT_OBJECT_TYPE = "backup"

Say = Callable[[str], None]


def _quiet(_line: str) -> None:
    pass


def platform_version() -> str:
    try:
        return importlib.metadata.version("palermo")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def configured_secrets() -> dict[str, str]:
    """The configured field encryption keys by key id: the current one first."""
    secrets = [settings.FIELD_ENCRYPTION_KEY, *getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", ())]
    found: dict[str, str] = {}
    for secret in secrets:
        found.setdefault(cipher_for(secret).key_id, secret)
    return found


def _secret_files() -> set[Path]:
    """Files holding secrets that must never travel in a backup, should MEDIA_ROOT ever contain them."""
    paths = {Path(settings.VAR_DIR) / name for name in ("secret_key", "field_encryption_key", "audit_key")}
    for name in ("PALERMO_SECRET_KEY", "PALERMO_FIELD_ENCRYPTION_KEY", "PALERMO_FIELD_ENCRYPTION_OLD_KEYS",
                 "PALERMO_AUDIT_KEY"):
        if os.environ.get(f"{name}_FILE"):
            paths.add(Path(os.environ[f"{name}_FILE"]))
    return {path.resolve() for path in paths}


@dataclass
class BackupResult:
    folder: Path
    manifest: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(int(table["rows"]) for table in self.manifest["tables"].values())

    @property
    def media_files(self) -> int:
        return sum(1 for name in self.manifest["files"] if name.startswith(MEDIA_FOLDER + "/"))

    @property
    def size(self) -> int:
        return sum(int(entry["size"]) for entry in self.manifest["files"].values())


def _prepare_output(output: Path) -> bool:
    """Create the output folder (mode 0700) or accept an empty one; answers whether it was created."""
    if output.exists():
        if not output.is_dir():
            raise BackupError(f"{output} exists and is not a folder")
        if any(output.iterdir()):
            raise BackupError(f"{output} is not empty: a backup goes into a new or empty folder")
        return False
    output.mkdir(parents=True, mode=0o700)
    return True


def _clean_up(output: Path, created: bool) -> None:
    """Remove what a failed backup wrote (the folder was empty), so that no half backup is left to be trusted."""
    for entry in output.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    if created:
        output.rmdir()


def create_backup(*, actor: Actor, output: Path, using: str = "default", say: Say = _quiet) -> BackupResult:
    """Back up the database, the media files and a sealed manifest into ``output`` (new or empty)."""
    database = connections[using]
    engine = db.engine_of(database)
    ring = keyring()
    secrets = secret_forms([settings.SECRET_KEY, *configured_secrets().values()])
    created = _prepare_output(output)
    result = BackupResult(folder=output, manifest={})
    try:
        started = time.monotonic()
        dump = output / db.DUMP_NAMES[engine]
        say(f"Copying the {engine} database into {dump.name}...")
        if engine == db.POSTGRESQL:
            with db.postgresql_snapshot(database) as snapshot:
                tool = db.pg_dump(database, snapshot, dump)
                result.seconds["database"] = time.monotonic() - started
                say("Counting and hashing the rows of every table in the same snapshot...")
                state = db.inspect(database)
        else:
            tool = db.sqlite_copy(database, dump)
            result.seconds["database"] = time.monotonic() - started
            say("Counting and hashing the rows of every table of the copy...")
            with db.sqlite_file(dump) as copy:
                state = db.inspect(copy)
        result.seconds["inspect"] = time.monotonic() - started - result.seconds["database"]
        started = time.monotonic()
        files: dict[str, dict[str, Any]] = {}
        digest = digest_file(dump, secrets)
        if digest.holds_secret:
            raise BackupError(f"{dump.name} contains a configured secret key: backup abandoned")
        files[dump.name] = digest.as_dict()
        say(f"Copying the media files of {settings.MEDIA_ROOT}...")
        files.update(_copy_media(output, secrets, result.skipped))
        result.seconds["files"] = time.monotonic() - started
        body: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "platform_version": platform_version(),
            "database": {"engine": engine, "file": dump.name, "tool": tool, "vendor_version": _server(database)},
            "migrations": state.migrations,
            "tables": state.tables,
            "media": {"folder": MEDIA_FOLDER, "excluded": list(EXCLUDED_MEDIA)},
            "files": dict(sorted(files.items())),
            "encryption": {"current_key_id": ring.current.key_id, "key_ids_in_use": state.key_ids},
        }
        body["seal"] = {"algorithm": "HMAC-SHA256", "key_id": ring.current.key_id,
                        "hmac_sha256": seal(body, settings.FIELD_ENCRYPTION_KEY)}
        _write_manifest(output / MANIFEST_NAME, body)
        result.manifest = body
    except BaseException:
        _clean_up(output, created)
        raise
    with transaction.atomic(using=using):
        record(actor=actor, action=AuditEvent.Action.EXPORT, object_type=AUDIT_OBJECT_TYPE,
               object_id=body["created_at"][:19],
               detail={"folder": str(output.resolve()), "engine": engine, "tables": len(state.tables),
                       "rows": state.rows, "files": len(files), "bytes": result.size,
                       "key_ids": sorted(state.key_ids), "manifest_sha256": _sha256(body)})
    return result


def _sha256(body: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(body)).hexdigest()


def _server(database: BaseDatabaseWrapper) -> str:
    if database.vendor == "postgresql":
        return str(getattr(database, "pg_version", ""))
    return sqlite3.sqlite_version


def _copy_media(output: Path, secrets: list[bytes], skipped: list[str]) -> dict[str, dict[str, Any]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return {}
    present, odd = files_in(root)
    skipped.extend(f"{name} (not a regular file)" for name in odd)
    never = _secret_files()
    copied: dict[str, dict[str, Any]] = {}
    for name, path in sorted(present.items()):
        if name.split("/", 1)[0] in EXCLUDED_MEDIA:
            continue
        if path.resolve() in never:
            skipped.append(f"{name} (a secret key file)")
            continue
        target = output / MEDIA_FOLDER / name
        digest = digest_file(path, secrets, copy_to=target)
        if digest.holds_secret:
            raise BackupError(f"{MEDIA_FOLDER}/{name} contains a configured secret key: backup abandoned (move "
                              "the file out of MEDIA_ROOT)")
        copied[f"{MEDIA_FOLDER}/{name}"] = digest.as_dict()
    return copied


def _write_manifest(path: Path, body: dict[str, Any]) -> None:
    text = json.dumps(body, indent=2, sort_keys=True) + "\n"
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    partial.rename(path)


# Restore -----------------------------------------------------------------------------------------------------------

@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    checks: list[Check]
    media_files: int = 0
    media_bytes: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]


def read_manifest(source: Path) -> dict[str, Any]:
    if not source.is_dir():
        raise BackupError(f"{source} is not a folder")
    path = source / MANIFEST_NAME
    if not path.is_file():
        raise BackupError(f"{source} holds no {MANIFEST_NAME}: not a Palermo backup (or an unfinished one)")
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{MANIFEST_NAME} cannot be read: {error}; nothing restored") from error
    problems = manifest_problems(body)
    if problems:
        raise BackupError("Backup refused, nothing restored:", problems)
    return dict(body)


def refusals(source: Path, body: dict[str, Any], database: BaseDatabaseWrapper) -> list[str]:
    """Every reason not to restore this backup here, each naming its file, key, table or folder."""
    problems = file_problems(source, body["files"])
    secrets = configured_secrets()
    seal_key_id = str(body["seal"].get("key_id", ""))
    if seal_key_id not in secrets:
        problems.append(f"{MANIFEST_NAME}: sealed with key id {seal_key_id}, which is not configured (configured "
                        f"key ids: {', '.join(secrets)}); add that key to PALERMO_FIELD_ENCRYPTION_OLD_KEYS")
    elif not seal_matches(body, secrets[seal_key_id]):
        problems.append(f"{MANIFEST_NAME}: its seal does not match its content (the manifest was edited)")
    engine = db.engine_of(database)
    if body["database"].get("engine") != engine:
        problems.append(f"this is a {body['database'].get('engine')} backup and the target database is {engine}: "
                        "restore into the same engine (a restore across engines is not supported)")
    if body["database"].get("file") not in body["files"]:
        problems.append(f"{MANIFEST_NAME}: the database file {body['database'].get('file')!r} is not listed")
    problems.extend(_unknown_migrations(body["migrations"]))
    in_use = body["encryption"].get("key_ids_in_use") or {}
    missing = sorted(key_id for key_id in in_use if key_id != LEGACY and key_id not in secrets)
    if missing:
        problems.append(f"values sealed by key id {', '.join(missing)}, which is not configured (configured key ids: "
                        f"{', '.join(secrets)}); add that key to PALERMO_FIELD_ENCRYPTION_OLD_KEYS")
    occupied = db.tables_with_rows(database)
    if occupied:
        shown = ", ".join(occupied[:5]) + (f" and {len(occupied) - 5} more" if len(occupied) > 5 else "")
        problems.append(f"the target database is not empty: {len(occupied)} table(s) hold rows ({shown}); restore "
                        "into a new, empty database (createdb), without running palermo migrate first")
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        present, odd = files_in(media)
        if present or odd:
            problems.append(f"MEDIA_ROOT ({media}) is not empty: it holds {len(present) + len(odd)} file(s); move "
                            "them away first")
    return problems


def _unknown_migrations(migrations: dict[str, str]) -> list[str]:
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = sorted(f"{app}.{name}" for app, name in migrations.items() if (app, name) not in known)
    if not unknown:
        return []
    return [f"migrations unknown to this Palermo ({platform_version()}): {', '.join(unknown)}; the backup was made "
            "by another version: install that version to restore it"]


def restore_backup(*, actor: Actor, source: Path, decrypt_all: bool = False, using: str = "default",
                   say: Say = _quiet) -> RestoreResult:
    """Restore a backup into the empty database ``using`` and the empty MEDIA_ROOT, then verify it. Raises
    ``BackupError`` (nothing restored) when the backup or the target is refused."""
    database = connections[using]
    started = time.monotonic()
    body = read_manifest(source)
    say(f"Checking {len(body['files'])} file(s) against the manifest...")
    problems = refusals(source, body, database)
    if problems:
        raise BackupError("Backup refused, nothing restored:", problems)
    result = RestoreResult(manifest=body, checks=[], seconds={"checks": time.monotonic() - started})
    started = time.monotonic()
    dump = source / body["database"]["file"]
    say(f"Restoring the {body['database']['engine']} database from {dump.name}...")
    if body["database"]["engine"] == db.POSTGRESQL:
        db.drop_empty_tables(database)
        db.pg_restore(database, dump, str(body["database"].get("tool", "")))
    else:
        db.sqlite_restore(database, dump)
    result.seconds["database"] = time.monotonic() - started
    started = time.monotonic()
    media = Path(settings.MEDIA_ROOT)
    prefix = MEDIA_FOLDER + "/"
    for name, entry in sorted(body["files"].items()):
        if name.startswith(prefix):
            digest_file(source / name, copy_to=media / name[len(prefix):])
            result.media_files += 1
            result.media_bytes += int(entry["size"])
    result.seconds["files"] = time.monotonic() - started
    started = time.monotonic()
    say("Verifying the restored platform...")
    result.checks = verify_restore(body, database, media, decrypt_all=decrypt_all)
    result.notes = pending_migrations_note(database)
    result.seconds["verify"] = time.monotonic() - started
    with transaction.atomic(using=using):
        record(actor=actor, action=AuditEvent.Action.IMPORT, object_type=AUDIT_OBJECT_TYPE,
               object_id=str(body["created_at"])[:19],
               detail={"folder": str(source.resolve()), "created_at": body["created_at"],
                       "platform_version": body["platform_version"], "seal": body["seal"]["hmac_sha256"],
                       "checks": {check.name: check.ok for check in result.checks}})
    return result


def pending_migrations_note(database: BaseDatabaseWrapper) -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(database)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return []
    return [f"this Palermo has {len(plan)} migration(s) the backup predates: run `palermo migrate`"]
