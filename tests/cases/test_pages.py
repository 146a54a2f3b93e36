"""The case worker's form, the flat export and the demo loader (the import page: test_import_jobs.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases import demo
from palermo.cases.flat import FLAT_COLUMNS, flat_rows, write_parquet
from palermo.cases.models import IDENTIFYING_FIELDS, Case
from tests.conftest import verified_login

VALID = {
    "first_name": "Fictional", "second_name": "Person F", "birth_date": "2009-05-01", "gender": "Feminine",
    "citizenship": "AF", "identification_date": "2025-03-02", "trafficking_status": "possible",
    "case_status": "Active", "owner_country": "RS", "forms_": ["sexual_exploitation"],
    "means_of_control": ["RestrictsMovement", "DebtBondage"], "recruitment_country": "AF",
    "transit_countries": "tr, GR, MK", "exploitation_country": "RS",
}


@pytest.fixture
def case_worker(user_factory: Any, organisation_factory: Any) -> Any:
    return user_factory("cw-rs", Role.CASE_WORKER, ("RS",), organisation=organisation_factory("NGO-RS", country="RS"))


def _client(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def test_a_case_worker_records_a_case_and_the_rule_sets_its_form(case_worker: Any) -> None:
    response = _client(case_worker).post("/cases/new/", VALID)
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.organisation_id, case.owner_country_id, case.age_band, case.is_minor) == (
        case_worker.organisation_id, "RS", "9-17", True)
    assert (case.transit_countries, case.thb_form, case.form_codes()) == (
        ["TR", "GR", "MK"], "migration_route", ["sexual_exploitation"])
    assert case.means_of_control == ["RestrictsMovement", "DebtBondage"]
    assert list(case.events.values_list("kind", "country_id")) == [
        ("Recruitment", "AF"), ("Transit", "TR"), ("Transit", "GR"), ("Transit", "MK"), ("Exploitation", "RS")]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_id=str(case.pk)).count() == 1


def test_the_case_list_never_reads_an_identity_even_for_the_case_worker_who_owns_it(case_worker: Any) -> None:
    client = _client(case_worker)
    assert client.post("/cases/new/", VALID).status_code == 302
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/cases/")
    assert [case.case_code for case in response.context["page"]] == [Case.objects.get().case_code]
    listed = [query["sql"] for query in queries.captured_queries if 'FROM "cases_case"' in query["sql"]]
    assert len(listed) == 2  # the count, the page
    assert not any(f'"{name}"' in sql for sql in listed for name in IDENTIFYING_FIELDS)
    assert "Fictional" not in response.content.decode()


def test_the_form_refuses_bad_input_with_a_message_and_saves_nothing(case_worker: Any) -> None:
    bad = {**VALID, "transit_countries": "GR, QQ", "trafficking_status": "actual", "thb_form_override": "traditional",
           "birth_date": "2026-01-01"}
    response = _client(case_worker).post("/cases/new/", bad)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["transit_countries"] == ["Unknown country codes: QQ."]
    assert errors["status_decided_by"] == ["Say who decided this status."]
    assert errors["thb_form_override_reason"] == ["Say why the rule's form of trafficking is overridden."]
    assert "birth_date" in errors
    assert Case.objects.count() == 0


def test_an_edit_records_the_status_history_and_the_override(case_worker: Any) -> None:
    client = _client(case_worker)
    client.post("/cases/new/", VALID)
    case = Case.objects.get()
    edited = {**VALID, "transit_countries": "TR, GR, MK", "trafficking_status": "actual",
              "status_decided_by": "Police", "status_decided_on": "2025-04-01", "thb_form_override": "traditional",
              "thb_form_override_reason": "Recruited at home by a relative"}
    assert client.post(f"/cases/{case.pk}/edit/", edited).status_code == 302
    case.refresh_from_db()
    assert list(case.status_history.values_list("status", "decided_by")) == [("possible", ""), ("actual", "Police")]
    assert (case.thb_form_computed, case.thb_form, case.thb_form_override_by_id) == (
        "migration_route", "traditional", case_worker.pk)
    update = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert "trafficking_status" in update.detail["fields"] and "Fictional" not in str(update.detail)


def test_flat_rows_follow_the_contract_and_write_parquet(case_worker: Any, tmp_path: Path) -> None:
    _client(case_worker).post("/cases/new/", VALID)
    rows = list(flat_rows(Case.objects.all()))
    assert list(rows[0]) == list(FLAT_COLUMNS)
    assert {key: rows[0][key] for key in ("owner_country", "sex", "age_band", "is_minor", "citizenship",
                                          "country_of_exploitation", "transit_countries", "thb_form", "forms",
                                          "status")} == {
        "owner_country": "RS", "sex": "female", "age_band": "9-17", "is_minor": True, "citizenship": "AF",
        "country_of_exploitation": "RS", "transit_countries": ["TR", "GR", "MK"], "thb_form": "migration_route",
        "forms": ["sexual_exploitation"], "status": "possible"}
    assert write_parquet(Case.objects.all(), tmp_path / "cases.parquet") == 1
    table = pq.read_table(tmp_path / "cases.parquet")
    assert table.column_names == list(FLAT_COLUMNS)
    assert table.to_pylist() == rows


def test_the_demo_loader_is_deterministic_and_idempotent(db: Any) -> None:
    demo.load([], total=150)
    first = sorted((r["case_code"], r["owner_country"], r["age_band"], r["thb_form"], tuple(r["forms"]))
                   for r in flat_rows(Case.objects.all()))
    demo.load([], total=150)
    assert Case.objects.count() == len(first)
    Case.objects.all().delete()
    demo.load([], total=150)
    again = sorted((r["case_code"], r["owner_country"], r["age_band"], r["thb_form"], tuple(r["forms"]))
                   for r in flat_rows(Case.objects.all()))
    assert again == first
    assert {row[1] for row in first} == {"AL", "BA", "BG", "HR", "GR", "XK", "MD", "ME", "MK", "RO", "RS"}
    assert all(name == "Fictional" for name in Case.objects.values_list("first_name", flat=True))


@pytest.mark.parametrize("batch_rows", [7, 1000])
def test_the_columnar_export_equals_the_row_export(db: Any, tmp_path: Path, batch_rows: int) -> None:
    """write_parquet (column-wise, for millions of cases) gives exactly what flat_rows gives."""
    demo.load([], total=150)
    expected = list(flat_rows(Case.objects.all()))
    assert len(expected) == Case.objects.count() > 100
    assert write_parquet(Case.objects.all(), tmp_path / "c.parquet", batch_rows=batch_rows) == len(expected)
    assert pq.read_table(tmp_path / "c.parquet").to_pylist() == expected
    romanian = Case.objects.filter(owner_country_id=expected[0]["owner_country"])
    assert write_parquet(romanian, tmp_path / "r.parquet", batch_rows=batch_rows) == romanian.count()
    assert pq.read_table(tmp_path / "r.parquet").to_pylist() == list(flat_rows(romanian))
