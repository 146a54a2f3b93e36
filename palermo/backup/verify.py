"""The checks run after a restore: each compares the restored platform with the backup's manifest."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from palermo.backup import database as db
from palermo.backup.manifest import MEDIA_FOLDER, digest_file

DECRYPT_SAMPLE = 1000  # values decrypted per key id unless every value is asked for
SHOWN = 5  # problems named per check; the rest are counted


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _summary(problems: list[str]) -> str:
    more = f" (and {len(problems) - SHOWN} more)" if len(problems) > SHOWN else ""
    return "; ".join(problems[:SHOWN]) + more


def audit_chain() -> Check:
    from palermo.audit.models import AuditEvent
    from palermo.audit.services import verify_chain

    problem = verify_chain()
    if problem is not None:
        return Check("audit chain", False, f"broken at row {problem.seq}: {problem.reason}")
    return Check("audit chain", True, f"{AuditEvent.objects.count()} rows verified")


def rows(expected: dict[str, dict[str, Any]], state: db.DatabaseState) -> Check:
    problems = [f"table {table} is missing" for table in sorted(set(expected) - set(state.tables))]
    problems += [f"table {table} is not in the backup" for table in sorted(set(state.tables) - set(expected))]
    for table in sorted(set(expected) & set(state.tables)):
        want, have = expected[table], state.tables[table]
        if want["rows"] != have["rows"]:
            problems.append(f"table {table}: {have['rows']} rows, the manifest says {want['rows']}")
        elif want["digest"] != have["digest"]:
            problems.append(f"table {table}: {have['rows']} rows as expected but their content differs")
    if problems:
        return Check("rows", False, _summary(problems))
    return Check("rows", True, f"{len(expected)} tables, {state.rows} rows equal to the manifest (count and content)")


def files(listed: dict[str, dict[str, Any]], media: Path) -> Check:
    prefix = MEDIA_FOLDER + "/"
    problems = []
    count = 0
    for name, entry in sorted(listed.items()):
        if not name.startswith(prefix):
            continue
        count += 1
        path = media / name[len(prefix):]
        if not path.is_file():
            problems.append(f"{path} is missing")
            continue
        digest = digest_file(path)
        if (digest.sha256, digest.size) != (entry["sha256"], entry["size"]):
            problems.append(f"{path} differs from the manifest")
    if problems:
        return Check("files", False, _summary(problems))
    return Check("files", True, f"{count} media file(s) in {media} equal to the manifest (SHA-256 and size)")


def encrypted_fields(in_use: dict[str, int], state: db.DatabaseState, database: BaseDatabaseWrapper,
                     decrypt_all: bool) -> Check:
    """The values per key id are those of the manifest, and the configured keys open them: every value, or the
    first ``DECRYPT_SAMPLE`` of each key id."""
    from palermo.cases.crypto import DecryptionError, key_id_of
    from palermo.cases.encrypted import encrypted_tables
    from palermo.cases.fields import keyring

    problems = []
    if state.key_ids != in_use:
        problems.append(f"values per key id {state.key_ids}, the manifest says {in_use}")
    ring = keyring()
    limit = None if decrypt_all else DECRYPT_SAMPLE
    goal = {key_id: count if limit is None else min(count, limit) for key_id, count in in_use.items()}
    opened: Counter[str] = Counter()
    quote = database.ops.quote_name
    for table in encrypted_tables():
        if table.table not in state.tables or (limit is not None and all(opened[k] >= n for k, n in goal.items())):
            continue
        columns = ", ".join(quote(column) for column in table.columns)
        with transaction.atomic(using=database.alias), database.chunked_cursor() as cursor:
            cursor.execute(f"SELECT {quote(table.pk_column)}, {columns} FROM {quote(table.table)}")  # noqa: S608
            while batch := cursor.fetchmany(db.FETCH_ROWS):
                for pk, *tokens in batch:
                    for column, token in zip(table.columns, tokens, strict=True):
                        key_id = key_id_of(token or "")
                        if not key_id or (limit is not None and opened[key_id] >= limit):
                            continue
                        try:
                            ring.decrypt(token)
                        except DecryptionError as error:
                            problems.append(f"{table.label} id {pk}, field {column}: {error}")
                            continue
                        opened[key_id] += 1
                if limit is not None and all(opened[k] >= n for k, n in goal.items()):
                    break
    if problems:
        return Check("encrypted fields", False, _summary(problems))
    counts = ", ".join(f"{key_id}: {count}" for key_id, count in sorted(in_use.items())) or "none"
    how = "every one" if decrypt_all else f"up to {DECRYPT_SAMPLE} per key id"
    return Check("encrypted fields", True, f"{sum(in_use.values())} values (per key id: {counts}); "
                                           f"{sum(opened.values())} decrypted with the configured keys ({how})")


def frozen_reviews() -> Check:
    from palermo.steering.models import FrozenReview

    altered = [f"{review.meeting.year} {review.language} {review.format}"
               for review in FrozenReview.objects.select_related("meeting").iterator(chunk_size=50)
               if not review.is_intact()]
    if altered:
        return Check("frozen reviews", False, "altered: " + _summary(altered))
    return Check("frozen reviews", True, f"{FrozenReview.objects.count()} intact (SHA-256)")


def migrations(expected: dict[str, str], state: db.DatabaseState) -> Check:
    if state.migrations != expected:
        differ = sorted(app for app in set(expected) | set(state.migrations)
                        if expected.get(app) != state.migrations.get(app))
        return Check("migrations", False, "differ for " + ", ".join(
            f"{app} ({state.migrations.get(app, 'none')}, manifest {expected.get(app, 'none')})" for app in differ))
    return Check("migrations", True, f"{len(expected)} apps at the manifest's state")


def verify_restore(body: dict[str, Any], database: BaseDatabaseWrapper, media: Path, *,
                   decrypt_all: bool = False) -> list[Check]:
    state = db.inspect(database)
    return [
        audit_chain(),
        rows(body["tables"], state),
        files(body["files"], media),
        encrypted_fields(body["encryption"].get("key_ids_in_use") or {}, state, database, decrypt_all),
        frozen_reviews(),
        migrations(body["migrations"], state),
    ]
