"""The person's rights: the subject-access export and erasure on request (a tombstone the statistics count)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client

from palermo.accounts.access import SYSTEM
from palermo.audit.models import AuditEvent
from palermo.cases import services
from palermo.cases.flat import flat_rows
from palermo.cases.models import IDENTIFYING_FIELDS, Case, Perpetrator, StatusChange, TraffickingEvent
from palermo.diagnostics import snapshot
from palermo.referral.models import ReferralStep
from palermo.referral.services import open_referral
from tests.cases.conftest import IDENTITY, make_case
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db
OTHERS = ("other_organisation", "other_country", "analyst", "manager")


def _client(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def _stored(case: Case) -> list[tuple[Any, ...]]:
    """The raw rows of the case and of everything linked to it, as the database holds them."""
    rows = []
    with connection.cursor() as cursor:
        for table in ("cases_case", "cases_traffickingevent", "cases_perpetrator", "cases_statuschange"):
            column = "id" if table == "cases_case" else "case_id"
            cursor.execute(f"SELECT * FROM {table} WHERE {column} = %s ORDER BY id", [case.pk])  # noqa: S608
            rows += cursor.fetchall()
    return rows


@pytest.fixture
def world(rights_world: dict[str, Any]) -> dict[str, Any]:
    case = make_case(rights_world["ngo"], "RS", status="Closed", closed_on=date(2024, 5, 1))
    referral = open_referral(acting_user=rights_world["case_worker"], case=case, minor=False)
    ReferralStep.objects.create(referral=referral, step=referral.step, kind="other",
                                reason="Fictional sister Ana called", at=referral.presumed_at)
    return {**rights_world, "case": case, "referral": referral}


def test_the_subject_access_export_holds_the_whole_record_and_is_audited(world) -> None:
    case, client = world["case"], _client(world["case_worker"])
    events = AuditEvent.objects.count()
    response = client.post(f"/cases/{case.pk}/subject-access/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{case.case_code}-subject-access.json"'
    assert "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    assert (document["format"], document["case_code"], document["organisation"], document["owner_country"],
            document["generated_by"]) == ("palermo-subject-access-1", case.case_code, "Test organisation NGO-RS", "RS",
                                          "cw-rs")
    identity = {item["field"]: item["value"] for item in document["identity"]}
    assert identity == {name: "" for name in IDENTIFYING_FIELDS} | IDENTITY | {"birth_date": "2001-02-03"}
    assert [item["label"] for item in document["identity"]][:2] == ["salutation", "first name"]
    fields = {item["field"]: (item["label"], item["text"]) for item in document["case"]}
    assert fields["gender"] == ("gender", "feminine")
    assert fields["marital_status"] == ("marital status", "single")
    assert fields["case_status"] == ("case status", "closed")
    assert fields["closed_on"] == ("closed on", "2024-05-01")
    assert fields["owner_country"] == ("owning country", "Serbia")
    assert document["forms"] == ["Sexual exploitation, including the exploitation of the prostitution of others"]
    linked = {group["model"]: group for group in document["linked"]}
    assert sorted(linked) == ["assistance.supportentry", "cases.perpetrator", "cases.statuschange",
                              "cases.traffickingevent", "justice.victimparticipation", "referral.referral",
                              "screening.screening"]
    places = [{item["field"]: item["text"] for item in record["fields"]}["place"]
              for record in linked["cases.traffickingevent"]["records"]]
    assert places == ["Fictional village", "Fictional bar"]
    assert linked["screening.screening"]["records"] == []
    steps = linked["referral.referral"]["records"][0]["linked"][0]
    assert steps["model"] == "referral.referralstep"
    assert [{item["field"]: item["text"] for item in step["fields"]}["reason"] for step in steps["records"]] == [
        "", "Fictional sister Ana called"]
    # the audit trail: created (by the test's system actor), referral opened, then this very export
    assert [(row["user"], row["action"], row["object"], row["channel"]) for row in document["audit"]] == [
        ("system: test", "create", "cases.case", ""), ("cw-rs", "create", "referral.referral", ""),
        ("cw-rs", "read_identifying", "cases.case", "subject access"), ("cw-rs", "export", "cases.case", "")]
    new = AuditEvent.objects.filter(seq__gt=AuditEvent.objects.order_by("seq")[events - 1].seq).order_by("seq")
    assert [(row.action, row.object_id, row.detail) for row in new] == [
        ("read_identifying", str(case.pk), {"case_code": case.case_code, "channel": "subject access"}),
        ("export", str(case.pk), {"case_code": case.case_code, "export": "subject access", "format": "json"}),
    ]


def test_the_readable_export_is_in_the_readers_language(world) -> None:
    case, client = world["case"], _client(world["case_worker"])
    page = client.post(f"/cases/{case.pk}/subject-access/", {"format": "html"})
    assert page["Content-Disposition"] == f'attachment; filename="{case.case_code}-subject-access.html"'
    html = page.content.decode()
    assert f"Personal data held on case {case.case_code}" in html
    assert "<th scope=\"row\">First name</th><td>Fictional</td>" in html
    assert "Fictional sister Ana called" in html and "Who created, changed, read or exported this record" in html
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    html = client.post(f"/cases/{case.pk}/subject-access/", {"format": "html"}).content.decode()
    assert f"Données personnelles détenues dans le dossier {case.case_code}" in html
    assert "<th scope=\"row\">Prénom</th><td>Fictional</td>" in html


def test_the_export_is_refused_to_anyone_but_the_owning_case_worker_and_to_a_get(world) -> None:
    case = world["case"]
    clients = [_client(world[name]) for name in OTHERS]
    owner = _client(world["case_worker"])
    events = AuditEvent.objects.count()
    for client in clients:
        assert client.post(f"/cases/{case.pk}/subject-access/", {"format": "json"}).status_code == 404
    assert owner.get(f"/cases/{case.pk}/subject-access/").status_code == 405
    assert owner.post(f"/cases/{case.pk}/subject-access/", {"format": "csv"}).status_code == 404
    assert AuditEvent.objects.count() == events
    for name in OTHERS:
        with pytest.raises(Http404):
            services.export_subject_record(acting_user=world[name], case=case, file_format="json")
    with pytest.raises(Http404):  # a person answers the request, never the system
        services.export_subject_record(acting_user=SYSTEM.running("test"), case=case, file_format="json")
    assert AuditEvent.objects.count() == events


def _sex_counts(client: Client) -> dict[str, int]:
    response = client.get("/api/diagnostics/sex/")
    assert response.status_code == 200, response.content
    return {row["category"]: row["count"] for row in response.json()["rows"]}


def test_erasure_leaves_a_tombstone_the_statistics_still_count(world) -> None:
    case, case_worker = world["case"], world["case_worker"]
    make_case(world["ngo"], "RS", gender="Masculine")
    analyst = _client(world["analyst"])
    snapshot.refresh()
    counts_before, flat_before = _sex_counts(analyst), list(flat_rows(Case.objects.all()))
    assert counts_before == {"female": 1, "male": 1}

    client = _client(case_worker)
    page = client.get(f"/cases/{case.pk}/erase/").content.decode()
    assert "The erasure cannot be undone." in page and "<li>Age band (CTDC)</li>" in page
    from palermo.assistance.access import may_assist
    from palermo.referral.access import may_refer

    assert may_refer(case_worker, case) and may_assist(case_worker, case)
    response = client.post(f"/cases/{case.pk}/erase/", {"reason": "consent_withdrawn", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    case.refresh_from_db()
    assert not may_refer(case_worker, case) and not may_assist(case_worker, case)  # no referral on a tombstone

    erased = Case.objects.get(pk=case.pk)
    assert {name: getattr(erased, name) for name in IDENTIFYING_FIELDS} == {
        name: (None if name == "birth_date" else "") for name in IDENTIFYING_FIELDS}
    assert (erased.erased, erased.erased_by, erased.erasure_reason) == (True, case_worker, "consent_withdrawn")
    assert (erased.source, erased.source_record_id, erased.identification_date, erased.marital_status,
            erased.age_at_identification) == ("", "", None, "", None)
    assert (erased.year_identified, erased.age_band, erased.gender, erased.case_status) == (
        2021, "18-20", "Feminine", "Closed")
    assert list(TraffickingEvent.objects.filter(case=case).values_list("kind", "country_id", "place", "date_from")) == [
        ("Recruitment", "RS", "", None), ("Exploitation", "HR", "", None)]
    assert list(Perpetrator.objects.filter(case=case).values_list("roles", "role_details")) == [
        (["RecruiterOrIntermediary"], "")]
    assert list(StatusChange.objects.filter(case=case).values_list("status", "decided_on")) == [("possible", None)]
    assert list(ReferralStep.objects.filter(referral=world["referral"]).values_list("reason", flat=True)) == ["", ""]

    row = AuditEvent.objects.get(action=AuditEvent.Action.DELETE)
    assert (row.actor_username, row.object_id, row.country) == ("cw-rs", str(case.pk), "RS")
    assert row.detail["erasure"] == "consent_withdrawn" and "first_name" in row.detail["fields"]
    assert row.detail["linked_records"] == {"cases.statuschange": 1, "cases.traffickingevent": 2,
                                            "cases.perpetrator": 1, "referral.referralstep": 2,
                                            "assistance.supportentry": 0}
    assert not any(value in json.dumps(event.detail) for event in AuditEvent.objects.all()
                   for value in [*IDENTITY.values(), "Fictional sister"])

    # the statistics count it exactly as before
    snapshot.refresh()
    assert _sex_counts(analyst) == counts_before
    assert list(flat_rows(Case.objects.all())) == flat_before

    # its pages say so, offer no identity, and nothing reopens it
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "This case was erased on request on" in page and "(consent withdrawn (art. 17(1)(b)))" in page
    assert "Show identity" not in page and f"/cases/{case.pk}/edit/" not in page
    assert "Download the record" not in page
    assert client.post(f"/cases/{case.pk}/identity/").status_code == 404
    assert client.get(f"/cases/{case.pk}/edit/").status_code == 404
    assert client.get(f"/cases/{case.pk}/erase/").status_code == 404
    assert client.get(f"/cases/{case.pk}/hold/").status_code == 404
    assert client.post(f"/cases/{case.pk}/subject-access/", {"format": "json"}).status_code == 404
    assert "This case was erased on request" in analyst.get(f"/cases/{case.pk}/").content.decode()


def test_erasure_is_refused_on_legal_hold_and_changes_nothing(world) -> None:
    case, client = world["case"], _client(world["case_worker"])
    services.set_legal_hold(acting_user=world["case_worker"], case=case, reason="Court order 7/2026")
    stored, events = _stored(case), AuditEvent.objects.count()
    page = client.get(f"/cases/{case.pk}/erase/").content.decode()
    assert "This case is on legal hold: it cannot be erased until the hold is lifted." in page
    assert 'name="confirm"' not in page
    response = client.post(f"/cases/{case.pk}/erase/", {"reason": "objection", "confirm": "on"})
    assert response.status_code == 409
    with pytest.raises(services.ErasureRefused):
        services.erase_case(acting_user=world["case_worker"], case=case, reason="objection")
    assert (_stored(case), AuditEvent.objects.count()) == (stored, events)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    page = client.get(f"/cases/{case.pk}/erase/").content.decode()
    assert "Ce dossier est sous conservation légale" in page


def test_erasure_is_refused_to_other_users_and_without_confirmation(world) -> None:
    case = world["case"]
    clients = [_client(world[name]) for name in OTHERS]
    owner = _client(world["case_worker"])
    stored, events = _stored(case), AuditEvent.objects.count()
    for client in clients:
        assert client.get(f"/cases/{case.pk}/erase/").status_code == 404
        assert client.post(f"/cases/{case.pk}/erase/", {"reason": "objection", "confirm": "on"}).status_code == 404
    for name in OTHERS:
        with pytest.raises(Http404):
            services.erase_case(acting_user=world[name], case=case, reason="objection")
    response = owner.post(f"/cases/{case.pk}/erase/", {"reason": "objection"})
    assert response.status_code == 200 and response.context["form"].errors == {"confirm": ["This field is required."]}
    with pytest.raises(ValueError, match="unknown ground"):
        services.erase_case(acting_user=world["case_worker"], case=case, reason="because")
    assert (_stored(case), AuditEvent.objects.count()) == (stored, events)


def test_the_statistics_count_purged_cases_as_before(world) -> None:
    services.set_policy(acting_user=world["manager"], country=world["case"].owner_country, years_after_closure=1,
                        legal_basis="Fictional act")
    analyst = _client(world["analyst"])
    snapshot.refresh()
    before = _sex_counts(analyst)
    report = services.purge(acting_user=SYSTEM.running("palermo cases purge"), today=date(2026, 6, 30))
    assert report.purged == 1
    snapshot.refresh()
    assert _sex_counts(analyst) == before == {"female": 1}


def test_the_case_page_offers_the_rights_to_the_owning_case_worker_only(world) -> None:
    case = world["case"]
    page = _client(world["case_worker"]).get(f"/cases/{case.pk}/").content.decode()
    assert "Closed on 2024-05-01." in page and "Not on legal hold." in page
    assert f'action="/cases/{case.pk}/subject-access/"' in page and f'href="/cases/{case.pk}/erase/"' in page
    page = _client(world["analyst"]).get(f"/cases/{case.pk}/").content.decode()
    assert "subject-access" not in page and "/erase/" not in page and "legal hold" not in page


def test_an_erasure_keeps_every_column_the_statistics_read() -> None:
    from palermo.cases import flat
    from palermo.cases.services.subject import ERASED_CASE_VALUES, STATISTICS_FIELDS

    read = {name.removesuffix("_id") for name in flat._VALUES if name != "pk"}
    assert read <= set(STATISTICS_FIELDS) - {"forms"}
    assert not (set(STATISTICS_FIELDS) & (set(ERASED_CASE_VALUES) | set(IDENTIFYING_FIELDS)))
