"""Write validated cases and their children table by table, from the column-oriented table of parsed cases.

PostgreSQL: primary keys reserved in one ``nextval`` query, then ``COPY ... FROM STDIN (FORMAT csv)`` straight into
the final tables (the CSV written by polars); records already imported from the source are COPYed into a
temporary table and updated by one ``UPDATE ... FROM``. The blind index of names (``palermo.cases.index``) is
computed from the plain names on columns, in the encryption thread, and COPYed like the children. SQLite: one
``executemany`` per table. No model instance and no Python loop per row, except for the encryption of identifying
values and the case codes.

Only for rows the import has already validated, inside the import's transaction.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import polars as pl
from django.db import connection
from django.utils import timezone

from palermo.cases import codes, index
from palermo.cases.codes import CODE_ALPHABET
from palermo.cases.fields import encrypt_many
from palermo.cases.importing.frames import HTE_TEXT, IDENTIFYING_TEXT
from palermo.cases.models import Case, Perpetrator, SearchToken, StatusChange, TraffickingEvent

COPY_CHUNK = 200_000
LARGE_LOAD_ROWS = 10_000
AUTOMATIC = ("created_at", "updated_at", "recorded_at")
# Columns an import sets; what a case worker set by hand (the override of the form of THB) is kept.
UPDATED = (
    "salutation", "first_name", "middle_name", "second_name", "title", "birth_date", "email", "home_phone",
    "mobile_phone", "identity_number", "mailing_street", "mailing_city", "mailing_state", "mailing_postal_code",
    "mailing_country", "gender", "citizenship_id", "marital_status", "highest_education", "age_at_identification",
    "age_when_trafficked", "identification_date", "trafficking_status", "status_decided_by", "status_decided_on",
    "recruitment_methods", "recruiter_relation", "means_of_control", "other_exploitation", "forced_labour_industry",
    "sex_exploitation_types", "consent", "case_status", "year_identified", "age_band", "is_minor",
    "country_of_exploitation_id", "transit_countries", "thb_form_computed", "organisation_id", "owner_country_id",
    "closed_on", "updated_at",
    "citizenships", "deceased", "number_of_children", "primary_language", "secondary_language", "migration_statuses",
    "recruiter_relations", "recruitment_websites", "exploitation_websites", "vulnerabilities", "vulnerability_details",
    "trafficking_duration", "forced_labour_industries", "reason_for_closure", "case_owner_name", "data_source",
    "majority_status", "referring_organisation", "incoming_referral_date", "referring_case_worker",
    "incoming_referral_reason", "incoming_referral_details", "referred_organisation", "referred_case_worker",
    "outgoing_referral_reason", "outgoing_referral_date", "outgoing_referral_details",
    "source_file", "source_row", "import_run", "mapping_version",
)
_CODE_TABLE = bytes(ord(CODE_ALPHABET[byte & 31]) for byte in range(256))


def new_case_codes(count: int, taken: set[str] | None = None) -> list[str]:
    """``count`` distinct case codes as codes.new_case_code makes them (``PLM-`` and 10 characters, each from
    the low 5 bits of a random byte), drawn in one call; a code met twice is drawn again."""
    taken = set(taken or ())
    result: list[str] = []
    while len(result) < count:
        needed = count - len(result)
        text = secrets.token_bytes(10 * needed).translate(_CODE_TABLE).decode()
        for start in range(0, len(text), 10):
            code = "PLM-" + text[start:start + 10]
            if code not in taken:
                taken.add(code)
                result.append(code)
    return result


def _json_list(column: str) -> pl.Expr:
    """A list of codes as JSON text. The codes were validated against code lists: no quote, no backslash."""
    items = pl.col(column).fill_null([]).list.eval(pl.lit('"') + pl.element() + pl.lit('"')).list.join(", ")
    return (pl.lit("[") + items + pl.lit("]")).alias(column)


def _columns(model: Any) -> list[tuple[str, str]]:
    """(attribute name, column) of every concrete field but the primary key."""
    return [(field.attname, field.column) for field in model._meta.concrete_fields if not field.primary_key]


def _now_value(now: datetime) -> str:
    if connection.vendor == "sqlite":
        return str(connection.ops.adapt_datetimefield_value(now))
    return now.isoformat()


def complete(model: Any, frame: pl.DataFrame, now: datetime) -> pl.DataFrame:
    """The frame with every column of the model's table in order (attribute names), missing ones at their
    default, the automatic time stamps at ``now``; JSON lists as text; dates as ISO text on SQLite."""
    columns: list[pl.Expr] = []
    for field in model._meta.concrete_fields:
        name = field.attname
        if field.primary_key and name not in frame.columns:
            continue
        if name in AUTOMATIC:
            columns.append(pl.lit(_now_value(now)).alias(name))
        elif name in frame.columns:
            if field.get_internal_type() == "JSONField":
                columns.append(_json_list(name))
            elif connection.vendor == "sqlite" and frame.schema[name] == pl.Date:
                columns.append(pl.col(name).dt.to_string("%Y-%m-%d").alias(name))
            else:
                columns.append(pl.col(name))
        else:
            default = field.get_default()
            columns.append(pl.lit("[]" if field.get_internal_type() == "JSONField" else default).alias(name))
    return frame.select(columns)


def _write(model: Any, frame: pl.DataFrame, table: str | None = None) -> None:
    """Insert the rows of a complete frame (columns as the table's, in any order)."""
    if frame.is_empty():
        return
    columns = {field.attname: field.column for field in model._meta.concrete_fields}
    table_name = connection.ops.quote_name(table or model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(columns.get(name, name)) for name in frame.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # polars writes a null as an empty field (NULL for COPY) and the empty text as "" (the empty text).
            sql = f"COPY {table_name} ({names}) FROM STDIN (FORMAT csv)"
            with cursor.cursor.copy(sql) as copy:
                for start in range(0, frame.height, COPY_CHUNK):
                    copy.write(frame.slice(start, COPY_CHUNK).write_csv(include_header=False).encode())
        else:
            marks = ", ".join(["%s"] * len(frame.columns))
            # Table and column names come from the model's metadata, values are parameters.
            cursor.executemany(f"INSERT INTO {table_name} ({names}) VALUES ({marks})", frame.rows())  # noqa: S608


def _reserve_ids(model: Any, count: int, *, table_locked: bool = False) -> pl.Series:
    """PostgreSQL: ``count`` primary keys from the table's sequence. While the import holds the table's
    exclusive lock (a large load), no one else can take a key, and one range is reserved by ``setval``;
    otherwise each key is drawn by ``nextval``, in one query."""
    with connection.cursor() as cursor:
        if table_locked and count:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s), increment_by FROM pg_sequences "
                           "WHERE schemaname || '.' || sequencename = %s", [sequence, sequence])
            found = cursor.fetchone()
            if found and found[1] == 1:
                first = found[0]
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
                return pl.int_range(first, first + count, dtype=pl.Int64, eager=True).rename("id")
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [model._meta.db_table, count])
        return pl.Series("id", [row[0] for row in cursor.fetchall()], dtype=pl.Int64)


def existing_records(source: str) -> pl.DataFrame:
    """The cases already imported from the source: record id, primary key, trafficking status."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT source_record_id, id, trafficking_status FROM cases_case WHERE source = %s", [source])
        found = cursor.fetchall()
    return pl.DataFrame(found, schema={"record_id": pl.String, "id": pl.Int64, "_old_status": pl.String},
                        orient="row")


def encrypt_identifying(frame: pl.DataFrame) -> pl.DataFrame:
    """The identifying columns encrypted (``enc1:`` values; an empty value stays empty)."""
    birth = frame["birth_date"].dt.to_string("%Y-%m-%d").fill_null("")
    encrypted = [pl.Series(name, encrypt_many(frame[name].to_list()), dtype=pl.String) for name in IDENTIFYING_TEXT]
    encrypted.append(pl.Series("birth_date", encrypt_many(birth.to_list()), dtype=pl.String))
    return frame.with_columns(encrypted)


def insert_new_cases(frame: pl.DataFrame, now: datetime, new_code: Callable[[], str] | None) -> pl.DataFrame:
    """Insert the new cases (frame: Case attribute names, with record_id, and id when reserved); return
    record_id -> id."""
    count = frame.height
    if not count:
        return pl.DataFrame(schema={"record_id": pl.String, "id": pl.Int64})
    case_codes = [new_code() for _ in range(count)] if new_code else new_case_codes(count)
    frame = frame.with_columns(pl.Series("case_code", case_codes, dtype=pl.String))
    if "id" in frame.columns:  # PostgreSQL: keys already reserved
        _write(Case, complete(Case, frame, now))
        return frame.select("record_id", "id")
    _write(Case, complete(Case, frame, now))
    source = frame["source"][0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT source_record_id, id FROM cases_case WHERE source = %s", [source])
        found = pl.DataFrame(cursor.fetchall(), schema={"record_id": pl.String, "id": pl.Int64}, orient="row")
    return frame.select("record_id").join(found, on="record_id", how="left", maintain_order="left")


def update_cases(frame: pl.DataFrame, now: datetime) -> None:
    """Update the cases already imported (frame: Case attribute names with id); the override of the form of
    THB a case worker set stays, and stays the effective form."""
    if frame.is_empty():
        return
    columns = {field.attname: str(field.column) for field in Case._meta.concrete_fields}
    complete_frame = complete(Case, frame, now)
    updated = complete_frame.select("id", *UPDATED, "thb_form")
    quote = connection.ops.quote_name
    effective = "CASE WHEN {table}thb_form_override <> '' THEN {table}thb_form_override ELSE {value} END"
    if connection.vendor == "postgresql":
        stage = "cases_import_stage"
        names = ", ".join(quote(columns[name]) for name in updated.columns)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS "  # noqa: S608
                           f"SELECT {names} FROM cases_case WITH NO DATA")
        _write(Case, updated, table=stage)
        assignments = ", ".join(f"{quote(columns[name])} = s.{quote(columns[name])}" for name in UPDATED)
        thb = effective.format(table="c.", value="s.thb_form")
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE cases_case c SET {assignments}, thb_form = {thb} "  # noqa: S608
                           f"FROM {stage} s WHERE c.id = s.id")
            cursor.execute(f"DROP TABLE {stage}")
        return
    assignments = ", ".join(f"{quote(columns[name])} = %s" for name in UPDATED)
    thb = effective.format(table="", value="%s")
    rows = updated.select(*UPDATED, "thb_form", "id").rows()
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE cases_case SET {assignments}, thb_form = {thb} WHERE id = %s", rows)  # noqa: S608


def delete_children(case_ids: list[int]) -> None:
    """Remove the forms, route legs, perpetrators and index of updated cases (the import writes them again)."""
    if not case_ids:
        return
    tables = (Case.forms.through._meta.db_table, TraffickingEvent._meta.db_table, Perpetrator._meta.db_table,
              SearchToken._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"DELETE FROM {table} WHERE case_id = ANY(%s)", [case_ids])  # noqa: S608
            else:
                for start in range(0, len(case_ids), 900):
                    chunk = case_ids[start:start + 900]
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.execute(f"DELETE FROM {table} WHERE case_id IN ({marks})", chunk)  # noqa: S608


def _events(frame: pl.DataFrame) -> pl.DataFrame:
    """Route legs: recruitment (sequence 0), each transit country in order, exploitation (last)."""
    def country(column: str) -> pl.Expr:
        return pl.when(pl.col(column) != "").then(pl.col(column)).alias("country_id")

    recruitment = frame.filter((pl.col("recruitment_country") != "") | (pl.col("recruitment_place") != "")
                               | pl.col("recruitment_date").is_not_null()).select(
        "case_id", pl.lit(str(codes.EventType.RECRUITMENT)).alias("kind"), pl.lit(0, pl.Int64).alias("sequence"),
        country("recruitment_country"), pl.col("recruitment_place").alias("place"),
        pl.col("recruitment_date").alias("date_from"))
    transit = frame.select("case_id", "transit_countries").filter(pl.col("transit_countries").list.len() > 0) \
        .with_columns(sequence=pl.int_ranges(1, pl.col("transit_countries").list.len() + 1, dtype=pl.Int64)) \
        .explode("transit_countries", "sequence").select(
            "case_id", pl.lit(str(codes.EventType.TRANSIT)).alias("kind"), "sequence",
            pl.col("transit_countries").alias("country_id"), pl.lit("").alias("place"),
            pl.lit(None, pl.Date).alias("date_from"))
    exploitation = frame.filter((pl.col("exploitation_country") != "") | (pl.col("exploitation_place") != "")
                                | pl.col("exploitation_date").is_not_null()).select(
        "case_id", pl.lit(str(codes.EventType.EXPLOITATION)).alias("kind"),
        (pl.col("transit_countries").list.len().cast(pl.Int64) + 1).alias("sequence"),
        country("exploitation_country"), pl.col("exploitation_place").alias("place"),
        pl.col("exploitation_date").alias("date_from"))
    hte = frame.filter(pl.any_horizontal([pl.col(f"hte_{name}") != "" for name in HTE_TEXT])
                       | pl.col("hte_date").is_not_null() | pl.col("hte_latitude").is_not_null()
                       | pl.col("hte_longitude").is_not_null()).select(
        "case_id", pl.col("hte_kind").alias("kind"),
        (pl.col("transit_countries").list.len().cast(pl.Int64) + 2).alias("sequence"),
        country("hte_country"), pl.lit("").alias("place"), pl.col("hte_date").alias("date_from"),
        *(pl.col(f"hte_{name}").alias(name) for name in HTE_TEXT if name not in ("kind", "country")),
        pl.col("hte_latitude").alias("latitude"), pl.col("hte_longitude").alias("longitude"),
        pl.lit(True).alias("from_hte"))
    legs = pl.concat([recruitment, transit, exploitation, hte], how="diagonal_relaxed")
    return legs.with_columns(
        *(pl.col(name).fill_null("") for name in HTE_TEXT if name not in ("kind", "country")),
        pl.col("from_hte").fill_null(False)).sort("case_id", "sequence", maintain_order=True)


def insert_children(frame: pl.DataFrame, now: datetime, *, source: str, recorded_by: int | None) -> int:
    """Forms, route legs, perpetrators and status changes of the cases (frame with case_id and _old_status).
    Returns the number of status changes written."""
    through = Case.forms.through
    links = frame.select("case_id", pl.col("forms").alias("exploitationform_id")).explode("exploitationform_id") \
        .drop_nulls("exploitationform_id")
    _write(through, complete(through, links, now))
    _write(TraffickingEvent, complete(TraffickingEvent, _events(frame), now))
    perpetrators = frame.filter((pl.col("perpetrator_roles").list.len() > 0)
                                | (pl.col("perpetrator_role_details") != "")).select(
        "case_id", pl.col("perpetrator_roles").alias("roles"), pl.col("perpetrator_role_details").alias("role_details"))
    _write(Perpetrator, complete(Perpetrator, perpetrators, now))
    history = frame.filter(pl.col("_old_status").is_null() | (pl.col("_old_status") != pl.col("trafficking_status"))) \
        .select("case_id", pl.col("trafficking_status").alias("status"),
                pl.col("status_decided_by").alias("decided_by"), pl.col("status_decided_on").alias("decided_on"),
                pl.lit(recorded_by, pl.Int64).alias("recorded_by_id"), pl.lit(source).alias("source"))
    _write(StatusChange, complete(StatusChange, history, now))
    return history.height


def insert_index(frame: pl.DataFrame, now: datetime) -> None:
    """The blind index of the names of the cases (frame with case_id, names and birth dates not yet encrypted)."""
    _write(SearchToken, complete(SearchToken, index.frame_rows(frame), now))


def case_tables() -> list[str]:
    return [model._meta.db_table for model in (Case, Case.forms.through, TraffickingEvent, Perpetrator, StatusChange,
                                               SearchToken)]


def large_load(new_rows: int) -> bool:
    """Whether to load without secondary indexes and foreign keys (PostgreSQL): when the import brings at least
    LARGE_LOAD_ROWS new cases and at least as many as the table holds, rebuilding costs less than maintaining."""
    if connection.vendor != "postgresql" or new_rows < LARGE_LOAD_ROWS:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Case._meta.db_table])
        estimate = cursor.fetchone()
    return new_rows >= max(0.0, float(estimate[0]) if estimate else 0.0)


def drop_indexes_and_foreign_keys() -> list[str]:
    """Inside the import's transaction: drop the foreign keys, unique constraints but the primary keys (except the
    blind index's) and secondary indexes of the case tables; return the statements that rebuild them, as the
    catalogue defines them (same names, same definitions). Pending deferred checks run first. The tables stay locked
    (ACCESS EXCLUSIVE) until the transaction ends; a failure anywhere rolls the drop back with everything else."""
    tables = case_tables()
    rebuild: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') ORDER BY contype DESC, conname",
            [tables])
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u')) "
            "ORDER BY 1", [tables])
        indexes = cursor.fetchall()
        # The blind index's own key (case, token) too: no other table refers to it.
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass AND contype = 'p'", [SearchToken._meta.db_table])
        keys = cursor.fetchall()
        quote = connection.ops.quote_name
        for table, name, _definition, _kind in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for table, name, _definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    # Keys, unique constraints and indexes first, so that the foreign keys find their referenced keys.
    rebuild.extend(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                   for table, name, definition in keys)
    rebuild.extend(definition for _, definition in indexes)
    rebuild.extend(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                   for table, name, definition, kind in reversed(constraints) if kind == "u")
    rebuild.extend(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                   for table, name, definition, kind in constraints if kind == "f")
    return rebuild


def rebuild(statements: list[str]) -> None:
    """Recreate what drop_indexes_and_foreign_keys dropped; each foreign key is checked by one join over the
    whole table, each unique index over all its rows (a violation fails the import)."""
    if not statements:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in statements:
            cursor.execute(statement)


def analyze() -> None:
    """Fresh planner statistics for the case tables after a large load, in the import's transaction. Until
    autovacuum reaches them (a minute or more later; never when it is off) the planner would keep the estimates
    of the table before the load: hundreds of times too few rows, so a case list sorts its whole scope and a
    page's prefetch of route legs compiles JIT code (half a second at 1,000,000 cases). ANALYZE samples 30,000
    rows per table: about a second."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(quote(table) for table in case_tables())}")


class _Clock:
    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings if timings is not None else {}
        self.started = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.timings[f"write_{step}"] = round(now - self.started, 3)
        self.started = now


def write_cases(frame: pl.DataFrame, *, source: str, organisation_id: int, country: str,
                recorded_by: int | None, new_code: Callable[[], str] | None = None,
                provenance: dict[str, str] | None = None,
                progress: Callable[[int], None] | None = None,
                timings: dict[str, float] | None = None) -> tuple[int, int]:
    """Insert the new cases of a derived frame and update those already imported from the source, with their
    children. Returns (created, updated); adds the seconds of its steps to ``timings``. Call inside the import's
    transaction."""
    now = timezone.now()
    frame = frame.join(existing_records(source), on="record_id", how="left", maintain_order="left").with_columns(
        pl.lit(organisation_id, pl.Int64).alias("organisation_id"), pl.lit(country).alias("owner_country_id"),
        pl.lit(source).alias("source"), pl.col("record_id").alias("source_record_id"),
        pl.col("row").alias("source_row"),
        *(pl.lit(value, pl.String).alias(name) for name, value in (provenance or {}).items()),
        # A case imported closed counts as closed on the day of the import (files carry no closure date).
        pl.when(pl.col("case_status").is_in(sorted(codes.CLOSED_CASE_STATUSES)))
        .then(pl.lit(timezone.localdate(now))).otherwise(pl.lit(None, pl.Date)).alias("closed_on"))
    fresh = frame.filter(pl.col("id").is_null())
    changed = frame.filter(pl.col("id").is_not_null())
    if connection.vendor != "postgresql":
        update_cases(encrypt_identifying(changed), now)
        delete_children(changed["id"].to_list())
        ids = insert_new_cases(encrypt_identifying(fresh.drop("id")), now, new_code)
        fresh = fresh.drop("id").join(ids, on="record_id", how="left", maintain_order="left")
        both = pl.concat([fresh, changed], how="diagonal_relaxed").rename({"id": "case_id"})
        insert_children(both, now, source=source, recorded_by=recorded_by)
        insert_index(both, now)
        return fresh.height, changed.height
    # PostgreSQL: keys reserved first, so that the children are written while another thread encrypts.
    clock = _Clock(timings)
    delete_children(changed["id"].to_list())
    rebuild_statements = drop_indexes_and_foreign_keys() if large_load(fresh.height) else []
    fresh = fresh.with_columns(_reserve_ids(Case, fresh.height, table_locked=bool(rebuild_statements)))
    clock.lap("prepare")
    both = pl.concat([fresh, changed]).rename({"id": "case_id"})
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="encrypt") as pool:
        index_rows = pool.submit(index.frame_rows, both)  # hashed while the children are written
        fresh_sealed = pool.submit(encrypt_identifying, fresh)
        changed_sealed = pool.submit(encrypt_identifying, changed)
        insert_children(both, now, source=source, recorded_by=recorded_by)
        clock.lap("children")
        _write(SearchToken, complete(SearchToken, index_rows.result(), now))
        clock.lap("index")
        if progress:
            progress(frame.height // 2)
        sealed_fresh, sealed_changed = fresh_sealed.result(), changed_sealed.result()
        clock.lap("encryption_wait")
        insert_new_cases(sealed_fresh, now, new_code)
        update_cases(sealed_changed, now)
        clock.lap("cases")
    rebuild(rebuild_statements)
    if rebuild_statements:
        analyze()
    clock.lap("rebuild")
    if progress:
        progress(frame.height)
    return fresh.height, changed.height
