"""The column-by-column validation and the bulk writer: same answers as the row rules, every problem of a file,
re-imports that keep what a case worker set, and the large-load path of PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from palermo.audit.models import AuditEvent
from palermo.cases import rules
from palermo.cases.crypto import FieldCipher
from palermo.cases.importing import bulk, frames, htcds
from palermo.cases.importing.readers import read_frame
from palermo.cases.importing.records import Countries
from palermo.cases.models import Case, Perpetrator, StatusChange, TraffickingEvent
from tests.cases.conftest import sample_rows, write_csv

COUNTRIES = Countries(frozenset(rules.EUROPE | {"AF", "SY", "PK", "BD", "MA", "IQ", "NG", "IR", "TR"}),
                      {"ALB": "AL", "ROU": "RO", "ITA": "IT", "AFG": "AF", "TUR": "TR"})


def _parse(tmp_path: Path, columns: list[str], rows: list[dict[str, str]]):
    names, table = read_frame(write_csv(tmp_path / "cases.csv", columns, rows))
    mapping, _ = htcds.canonical_columns(names)
    return htcds.parse_frame(table, mapping, COUNTRIES)


def test_derived_values_on_columns_equal_the_rules_case_by_case() -> None:
    cases = [  # birth, identified, exploited, age given, age trafficked, citizenship, transit, exploitation
        (date(2004, 6, 15), date(2022, 6, 14), date(2021, 1, 1), None, None, "AL", [], "IT"),
        (date(2004, 6, 15), date(2022, 6, 15), None, None, None, "AF", ["TR", "GR"], "AL"),
        (None, date(2020, 3, 1), None, 16, None, "", [], "RO"),
        (None, None, None, None, 15, "RO", ["MK"], ""),
        (date(2010, 1, 1), date(2009, 1, 1), None, 30, None, "AF", ["TR"], "TR"),
    ]
    table = frames.conform(frames.pl.DataFrame({
        "row": list(range(2, 2 + len(cases))), "record_id": [str(n) for n in range(len(cases))],
        "birth_date": [c[0] for c in cases], "identification_date": [c[1] for c in cases],
        "exploitation_date": [c[2] for c in cases], "age_at_identification": [c[3] for c in cases],
        "age_when_trafficked": [c[4] for c in cases], "citizenship_id": [c[5] or None for c in cases],
        "transit_countries": [c[6] for c in cases], "exploitation_country": [c[7] for c in cases],
    }))
    derived = frames.derive(table).to_dicts()
    for case, row in zip(cases, derived, strict=True):
        expected = rules.derived_fields(
            birth_date=case[0], identification_date=case[1], age_at_identification=case[3],
            age_when_trafficked=case[4], exploitation_date=case[2], citizenship=case[5], recruitment_country="",
            transit_countries=case[6], exploitation_country=case[7])
        assert {name: row[name] for name in expected} == expected
    assert [row["thb_form"] for row in derived] == ["traditional", "migration_route", "", "", "traditional"]
    assert [row["age_band"] for row in derived] == ["9-17", "18-20", "9-17", "", "30-38"]


def test_every_problem_of_a_file_is_reported_with_its_row_column_and_value(tmp_path: Path) -> None:
    rows = sample_rows(6)
    rows[0]["prs_Gender"] = "Femme"
    rows[1]["vic_MethodsOfControl"] = "DebtBondage;Spells;Curses"
    rows[2]["prs_Birthdate"] = "31/02/2001"
    rows[3]["plm_ExploitationCountry"] = "-99"  # a missing-value code: unknown, not a problem
    rows[4]["plm_CaseId"] = rows[0]["plm_CaseId"]
    rows[5]["prs_Birthdate"] = "2030-01-01"
    columns = list(rows[0])[1:]

    parsed, problems = _parse(tmp_path, columns, rows)

    assert sorted(list(problem.as_dict().values()) for problem in problems) == sorted([
        [2, "prs_Gender", "Femme", "not an HTCDS gender code"],
        [3, "vic_MethodsOfControl", "Spells", "not an HTCDS method of control"],
        [3, "vic_MethodsOfControl", "Curses", "not an HTCDS method of control"],
        [4, "prs_Birthdate", "[identifying value hidden, 10 characters]", "not a date: write YYYY-MM-DD"],
        [6, "plm_CaseId", rows[0]["plm_CaseId"], "the same record id is already on row 2"],
        [7, "prs_Birthdate", "[identifying value hidden, 10 characters]",
         "the birth date is after the date of identification"],
    ], key=str)
    assert parsed["exploitation_country"][3] == ""
    assert parsed["means_of_control"][1].to_list() == ["DebtBondage"]


def test_the_bulk_encryption_reads_back_with_the_single_value_decryption() -> None:
    cipher = FieldCipher("a secret")
    sealed = cipher.encrypt_many(["Ana", "", "Ana", "2001-02-03"])
    assert sealed[1] == ""
    assert sealed[0] != sealed[2]  # a fresh nonce per value
    assert [cipher.decrypt(value) for value in (sealed[0], sealed[2], sealed[3])] == ["Ana", "Ana", "2001-02-03"]


def test_case_codes_drawn_in_bulk_are_distinct_and_in_the_pseudonymous_format() -> None:
    codes = bulk.new_case_codes(5000, taken={"PLM-2222222222"})
    assert len(set(codes)) == 5000
    assert all(len(code) == 14 and code.startswith("PLM-") and code != "PLM-2222222222" for code in codes)
    assert set("".join(code[4:] for code in codes)) <= set("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")


def test_a_reimport_keeps_the_case_workers_override_of_the_form_of_thb(htcds_csv, run_import) -> None:
    rows = sample_rows(5)
    run_import(htcds_csv(rows))
    case = Case.objects.get(source_record_id=rows[2]["plm_CaseId"])
    other = "migration_route" if case.thb_form_computed != "migration_route" else "traditional"
    Case.objects.filter(pk=case.pk).update(thb_form_override=other, thb_form_override_reason="known route",
                                           thb_form=other, thb_form_override_at=timezone.now())

    report = run_import(htcds_csv(rows, "again.csv"))

    case.refresh_from_db()
    assert (report.created, report.updated) == (0, 5)
    assert (case.thb_form, case.thb_form_override) == (other, other)
    assert case.first_name == "Fictional"  # identifying values rewritten encrypted, still readable
    assert StatusChange.objects.filter(case=case).count() == 1  # the status did not change


def _catalogue() -> set[tuple[str, str]]:
    tables = [model._meta.db_table for model in (Case, Case.forms.through, TraffickingEvent, Perpetrator,
                                                  StatusChange)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [tables])
        found = set(cursor.fetchall())
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = ANY(%s::regclass[])", [tables])
        return found | set(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the large-load path is PostgreSQL's")
def test_a_large_load_rebuilds_every_index_and_constraint_as_it_was(htcds_csv, run_import, monkeypatch) -> None:
    before = _catalogue()
    monkeypatch.setattr(bulk, "LARGE_LOAD_ROWS", 10)
    rows = sample_rows(40)

    report = run_import(htcds_csv(rows))

    assert report.ok and report.created == 40
    assert _catalogue() == before
    assert Case.objects.filter(source="test").count() == 40
    assert TraffickingEvent.objects.filter(case__source="test").count() == sum(
        1 + len([c for c in row["plm_TransitCountries"].split(";") if c]) + 1 for row in rows)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT, object_id="test").count() == 1
    with connection.cursor() as cursor:  # statistics taken in the import's transaction: only it sees these rows
        cursor.execute("SELECT most_common_vals::text FROM pg_stats WHERE tablename = 'cases_case' "
                       "AND attname = 'source'")
        assert cursor.fetchone() == ("{test}",)
