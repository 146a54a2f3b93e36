"""Who reads which case records, and what of them: three users per case, refused requests change nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from palermo.accounts.access import SYSTEM
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case
from palermo.cases.samples import HTCDS_COLUMNS
from palermo.cases.services import import_rows
from palermo.partners.models import Organisation
from tests.cases.conftest import sample_rows
from tests.conftest import verified_login

NAME = "Person 000000"


@pytest.fixture
def world(db: Any, user_factory: Callable[..., User], organisation_factory: Callable[..., Organisation]) -> dict:
    ngo_al = organisation_factory("NGO-AL", country="AL")
    ngo_rs = organisation_factory("NGO-RS", country="RS")
    other_al = organisation_factory("Police-AL", Organisation.Kind.POLICE, country="AL")
    for organisation, country, count in ((ngo_al, "AL", 3), (ngo_rs, "RS", 2), (other_al, "AL", 2)):
        report = import_rows(HTCDS_COLUMNS, sample_rows(count, country=country, seed=count),
                             layout="htcds", source=f"seed-{organisation.pk}", organisation=organisation,
                             country=country, acting_user=SYSTEM.running("test"))
        assert report.ok, report.as_dict()
    return {
        "case_worker": user_factory("cw-al", Role.CASE_WORKER, ("AL",), organisation=ngo_al),
        "other_case_worker": user_factory("cw-rs", Role.CASE_WORKER, ("RS",), organisation=ngo_rs),
        "analyst": user_factory("an-al", Role.ANALYST, ("AL",)),
        "outsider": user_factory("viewer", Role.VIEWER),
        "coordinator": user_factory("nc-al", Role.NATIONAL_COORDINATOR, ("AL",)),
        "own_case": Case.objects.filter(organisation=ngo_al).order_by("pk").first(),
        "foreign_case": Case.objects.filter(organisation=ngo_rs).first(),
        "same_country_case": Case.objects.filter(organisation=other_al).first(),
    }


def _client(user: User) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def test_identifying_fields_are_ciphertext_in_the_database(world: dict) -> None:
    case = world["own_case"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT first_name, second_name, birth_date FROM cases_case WHERE id = %s", [case.pk])
        first, second, birth = cursor.fetchone()
    assert first.startswith("enc2:") and second.startswith("enc2:") and birth.startswith("enc2:")
    assert "Fictional" not in first and "Person" not in second
    assert Case.objects.get(pk=case.pk).first_name == "Fictional"


def test_visible_to_scopes_cases_by_role_organisation_and_country(world: dict) -> None:
    own = set(Case.objects.filter(organisation=world["own_case"].organisation).values_list("pk", flat=True))
    assert set(Case.objects.visible_to(world["case_worker"]).values_list("pk", flat=True)) == own
    assert Case.objects.visible_to(world["other_case_worker"]).count() == 2
    assert Case.objects.visible_to(world["analyst"]).count() == 5  # both AL organisations, no RS case
    assert Case.objects.visible_to(world["outsider"]).count() == 0
    assert Case.objects.visible_to(world["coordinator"]).count() == 0
    assert set(Case.objects.visible_to(world["analyst"]).query.deferred_loading[0]) >= {"first_name", "birth_date"}


def test_case_pages_answer_404_outside_the_scope(world: dict) -> None:
    own, foreign, same_country = world["own_case"], world["foreign_case"], world["same_country_case"]
    case_worker = _client(world["case_worker"])
    assert case_worker.get(f"/cases/{own.pk}/").status_code == 200
    assert case_worker.get(f"/cases/{foreign.pk}/").status_code == 404
    assert case_worker.get(f"/cases/{same_country.pk}/").status_code == 404
    assert _client(world["other_case_worker"]).get(f"/cases/{own.pk}/").status_code == 404
    assert _client(world["outsider"]).get(f"/cases/{own.pk}/").status_code == 404
    assert _client(world["outsider"]).get("/cases/").status_code == 404


def test_a_refused_identity_read_or_edit_changes_nothing(world: dict) -> None:
    own = world["own_case"]
    clients = [_client(world[name]) for name in ("other_case_worker", "analyst", "outsider")]
    before = (AuditEvent.objects.count(), Case.objects.get(pk=own.pk).updated_at)
    for client in clients:
        assert client.post(f"/cases/{own.pk}/identity/").status_code == 404
        assert client.post(f"/cases/{own.pk}/edit/", {"first_name": "Changed"}).status_code == 404
    assert (AuditEvent.objects.count(), Case.objects.get(pk=own.pk).updated_at) == before


def test_the_analyst_sees_no_identifying_field_in_pages_or_api(world: dict) -> None:
    client = _client(world["analyst"])
    case = Case.objects.visible_to(world["analyst"]).first()
    assert case is not None
    pages = [client.get("/cases/").content.decode(), client.get(f"/cases/{case.pk}/").content.decode()]
    api = client.get("/api/cases/")
    assert api.status_code == 200 and api.json()["count"] == 5
    detail = client.get(f"/api/cases/{case.pk}/").json()
    for text in (*pages, api.content.decode()):
        assert "Fictional" not in text and "Person 0" not in text and "+000" not in text
    assert case.case_code in pages[1] and case.case_code in api.content.decode()
    assert not {"first_name", "second_name", "birth_date", "mobile_phone"} & set(detail)
    assert client.post(f"/api/cases/{case.pk}/identity/").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.READ_IDENTIFYING).exists()


def test_every_read_of_identity_by_the_case_worker_is_audited(world: dict) -> None:
    own = world["own_case"]
    client = _client(world["case_worker"])
    detail = client.get(f"/cases/{own.pk}/").content.decode()
    assert "Fictional" not in detail and "Show identity" in detail

    shown = client.post(f"/cases/{own.pk}/identity/").content.decode()
    assert client.get(f"/api/cases/{own.pk}/identity/").status_code == 405  # a link cannot read an identity
    api = client.post(f"/api/cases/{own.pk}/identity/")
    edit_response = client.get(f"/cases/{own.pk}/edit/")
    edit = edit_response.content.decode()
    for response in (client.post(f"/cases/{own.pk}/identity/"), api, edit_response):
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]

    assert "Fictional" in shown and "Fictional" in edit
    assert api.json()["first_name"] == "Fictional"
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ_IDENTIFYING).order_by("seq")
    assert [(e.actor_username, e.object_id, e.country, e.detail["channel"]) for e in reads] == [
        ("cw-al", str(own.pk), "AL", "web"), ("cw-al", str(own.pk), "AL", "api"),
        ("cw-al", str(own.pk), "AL", "edit form"), ("cw-al", str(own.pk), "AL", "web")]
    assert all("Fictional" not in str(e.detail) for e in reads)


def test_the_api_refuses_case_records_to_roles_that_read_aggregates(world: dict) -> None:
    assert _client(world["outsider"]).get("/api/cases/").status_code == 403
    assert _client(world["coordinator"]).get("/api/cases/").status_code == 403
    listed = _client(world["other_case_worker"]).get("/api/cases/").json()
    assert {row["owner_country"] for row in listed["results"]} == {"RS"}


def test_a_page_of_case_records_read_through_the_api_is_audited(world: dict) -> None:
    client = _client(world["case_worker"])
    response = client.get("/api/cases/?year=abc")
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.READ_RECORDS).exists()
    page = client.get("/api/cases/?limit=2").json()
    event = AuditEvent.objects.get(action=AuditEvent.Action.READ_RECORDS)
    assert (event.actor_username, event.object_type, event.detail) == (
        "cw-al", "case", {"channel": "api", "rows": len(page["results"]), "count": page["count"],
                          "query": {"limit": ["2"]}})
