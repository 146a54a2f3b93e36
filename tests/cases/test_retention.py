"""Retention of identities: per-country policies, legal holds, the purge (``palermo cases purge``), their pages."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.test import Client
from django.utils import timezone

from palermo.accounts.access import SYSTEM
from palermo.audit.models import AuditEvent
from palermo.cases import services
from palermo.cases.flat import flat_rows
from palermo.cases.models import IDENTIFYING_FIELDS, Case, RetentionPolicy
from palermo.cases.samples import HTCDS_COLUMNS
from palermo.cases.services.retention import CountryPurge, years_before
from palermo.reference.models import Country
from tests.cases.conftest import IDENTITY, make_case, sample_rows
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 30)
PURGER = SYSTEM.running("palermo cases purge")


def _client(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def _stored(*cases: Case) -> list[tuple[Any, ...]]:
    """The raw columns of the cases as the database holds them (ciphertext included)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM cases_case WHERE id IN ({', '.join(str(c.pk) for c in cases)}) ORDER BY id")  # noqa: S608
        return cursor.fetchall()


def _policy(manager: Any, country: str, years: int) -> RetentionPolicy:
    return services.set_policy(acting_user=manager, country=Country.objects.get(code=country),
                               years_after_closure=years, legal_basis="Fictional data protection act, art. 5")


@pytest.fixture
def purge_world(rights_world: dict[str, Any]) -> dict[str, Any]:
    """Serbia keeps identities 5 years after closure; Albania has no policy."""
    ngo, manager = rights_world["ngo"], rights_world["manager"]
    _policy(manager, "RS", 5)
    cases = {
        "due": make_case(ngo, "RS", status="Closed", closed_on=date(2021, 6, 30)),  # exactly 5 years
        "recent": make_case(ngo, "RS", status="Closed", closed_on=date(2021, 7, 1)),  # one day short
        "active": make_case(ngo, "RS", status="Active"),
        "held": make_case(ngo, "RS", status="Closed", closed_on=date(2019, 1, 1)),
        "referred": make_case(ngo, "RS", status="ClosedReferred", closed_on=date(2020, 1, 1), gender="Masculine"),
        "no_policy": make_case(ngo, "AL", status="Closed", closed_on=date(2010, 1, 1)),
    }
    services.set_legal_hold(acting_user=rights_world["case_worker"], case=cases["held"],
                            reason="Criminal proceedings pending, fictional court file 1/2026")
    return {**rights_world, "cases": cases}


def test_closing_a_case_dates_it_and_reopening_clears_the_date(rights_world) -> None:
    case = make_case(rights_world["ngo"], "RS")
    assert case.closed_on is None
    route = services.Route.of(case)
    case.case_status = "Closed"
    services.update_case(acting_user=rights_world["case_worker"], case=case, forms=case.form_codes(), route=route)
    assert Case.objects.get(pk=case.pk).closed_on == timezone.localdate()
    Case.objects.filter(pk=case.pk).update(closed_on=date(2020, 1, 1))
    case = Case.objects.get(pk=case.pk)
    case.case_status = "ClosedReferred"  # still closed: the date stays
    services.update_case(acting_user=rights_world["case_worker"], case=case, forms=case.form_codes(), route=route)
    assert Case.objects.get(pk=case.pk).closed_on == date(2020, 1, 1)
    case = Case.objects.get(pk=case.pk)
    case.case_status = "Active"
    services.update_case(acting_user=rights_world["case_worker"], case=case, forms=case.form_codes(), route=route)
    assert Case.objects.get(pk=case.pk).closed_on is None


def test_an_import_dates_the_cases_it_writes_closed(rights_world) -> None:
    rows = sample_rows(3, country="RS")
    for row, status in zip(rows, ("Closed", "ClosedReferred", "Active"), strict=True):
        row["cas_Status"] = status
    for _run in range(2):  # the first run creates, the second updates
        report = services.import_rows(HTCDS_COLUMNS, rows, layout="htcds", source="seed",
                                      organisation=rights_world["ngo"], country="RS", acting_user=PURGER)
        assert report.ok, report.as_dict()
        assert sorted(Case.objects.values_list("case_status", "closed_on")) == [
            ("Active", None), ("Closed", timezone.localdate()), ("ClosedReferred", timezone.localdate())]
        Case.objects.update(closed_on=None)


def test_an_edit_never_overwrites_a_hold_set_meanwhile(rights_world) -> None:
    case = make_case(rights_world["ngo"], "RS")
    stale = Case.objects.get(pk=case.pk)
    services.set_legal_hold(acting_user=rights_world["case_worker"], case=case, reason="Court order 7/2026")
    services.update_case(acting_user=rights_world["case_worker"], case=stale, forms=stale.form_codes(),
                         route=services.Route.of(stale))
    assert Case.objects.get(pk=case.pk).legal_hold_reason == "Court order 7/2026"


def test_years_before_keeps_the_calendar_day() -> None:
    assert years_before(date(2026, 6, 30), 5) == date(2021, 6, 30)
    assert years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)


def test_the_purge_follows_policy_closure_date_and_legal_hold(purge_world) -> None:
    cases = purge_world["cases"]
    flat_before = list(flat_rows(Case.objects.all()))
    kept_before = _stored(cases["recent"], cases["active"], cases["held"], cases["no_policy"])

    report = services.purge(acting_user=PURGER, today=TODAY, batch_size=1)

    assert report.countries == [CountryPurge("RS", 5, date(2021, 6, 30), purged=2, held=1)]
    assert report.without_policy == {"AL": 1}
    for name in ("due", "referred"):
        purged = Case.objects.get(pk=cases[name].pk)
        assert {field: getattr(purged, field) for field in IDENTIFYING_FIELDS} == {
            field: (None if field == "birth_date" else "") for field in IDENTIFYING_FIELDS}
        assert purged.identity_purged_at is not None and purged.erased_at is None
    assert _stored(cases["recent"], cases["active"], cases["held"], cases["no_policy"]) == kept_before
    assert Case.objects.get(pk=cases["held"].pk).first_name == "Fictional"
    # the statistics read exactly what they read before
    assert list(flat_rows(Case.objects.all())) == flat_before

    rows = AuditEvent.objects.filter(actor_username="system: palermo cases purge").order_by("seq")
    assert [(row.object_type, row.object_id, row.country, row.detail) for row in rows] == [
        ("cases.case", str(cases["due"].pk), "RS", {"case_code": cases["due"].case_code, "purge": "end of retention",
                                                    "closed_on": "2021-06-30", "years_after_closure": 5}),
        ("cases.case", str(cases["referred"].pk), "RS", {"case_code": cases["referred"].case_code,
                                                         "purge": "end of retention", "closed_on": "2020-01-01",
                                                         "years_after_closure": 5}),
        ("cases.retention", "2026-06-30", "", {"purge": "end of retention", "purged": {"RS": 2}, "held": {"RS": 1},
                                               "without_policy": {"AL": 1}}),
    ]
    assert not any(value in str(row.detail) for row in rows for value in IDENTITY.values())

    # idempotent: a second run finds nothing and writes only its own summary
    again = services.purge(acting_user=PURGER, today=TODAY)
    assert again.countries == [CountryPurge("RS", 5, date(2021, 6, 30), purged=0, held=1)]
    assert AuditEvent.objects.filter(actor_username="system: palermo cases purge").count() == 4


def test_a_dry_run_counts_and_changes_nothing(purge_world) -> None:
    everything = list(purge_world["cases"].values())
    stored, events = _stored(*everything), AuditEvent.objects.count()
    report = services.purge(acting_user=PURGER, today=TODAY, dry_run=True)
    assert (report.dry_run, report.purged, report.countries[0].held, report.without_policy) == (True, 2, 1, {"AL": 1})
    assert _stored(*everything) == stored
    assert AuditEvent.objects.count() == events


def test_without_any_policy_nothing_is_purged(rights_world) -> None:
    case = make_case(rights_world["ngo"], "RS", status="Closed", closed_on=date(1990, 1, 1))
    report = services.purge(acting_user=PURGER, today=TODAY)
    assert (report.countries, report.without_policy, report.purged) == ([], {"RS": 1}, 0)
    assert Case.objects.get(pk=case.pk).first_name == "Fictional"


def test_the_purge_is_the_systems_alone(purge_world) -> None:
    events = AuditEvent.objects.count()
    for name in ("manager", "case_worker"):
        with pytest.raises(PermissionDenied):
            services.purge(acting_user=purge_world[name], today=TODAY)
    assert Case.objects.get(pk=purge_world["cases"]["due"].pk).first_name == "Fictional"
    assert AuditEvent.objects.count() == events


def test_the_command_prints_the_counts_per_country(purge_world) -> None:
    today = timezone.localdate()
    Case.objects.filter(pk=purge_world["cases"]["due"].pk).update(closed_on=years_before(today, 6))
    Case.objects.filter(pk=purge_world["cases"]["referred"].pk).update(closed_on=today - timedelta(days=3))
    Case.objects.filter(pk=purge_world["cases"]["held"].pk).update(closed_on=years_before(today, 8))
    Case.objects.filter(pk=purge_world["cases"]["recent"].pk).update(closed_on=years_before(today, 5) + timedelta(1))
    cutoff = years_before(today, 5).isoformat()
    out = StringIO()
    call_command("cases", "purge", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        "country  years  closed on or before  would be purged  on hold",
        f"RS           5  {cutoff}                         1        1",
        "AL      no policy: nothing purged (1 closed case(s) keep their identity)",
        "Dry run: 1 case(s) would be purged; nothing written.",
    ]
    assert Case.objects.get(pk=purge_world["cases"]["due"].pk).first_name == "Fictional"
    out = StringIO()
    call_command("cases", "purge", stdout=out)
    assert out.getvalue().splitlines()[-1] == "1 case(s) purged."
    assert Case.objects.get(pk=purge_world["cases"]["due"].pk).first_name == ""


def test_policies_are_set_by_managers_validated_and_audited(rights_world) -> None:
    manager, serbia = rights_world["manager"], Country.objects.get(code="RS")
    _policy(manager, "RS", 10)
    services.set_policy(acting_user=manager, country=serbia, years_after_closure=7, legal_basis="Amended act, art. 9")
    policy = RetentionPolicy.objects.get()
    assert (policy.country_id, policy.years_after_closure, policy.legal_basis, policy.set_by) == (
        "RS", 7, "Amended act, art. 9", manager)
    rows = AuditEvent.objects.filter(object_type="cases.retentionpolicy").order_by("seq")
    assert [(row.action, row.object_id, row.detail) for row in rows] == [
        ("create", "RS", {"years_after_closure": 10, "legal_basis": "Fictional data protection act, art. 5",
                          "before": None}),
        ("update", "RS", {"years_after_closure": 7, "legal_basis": "Amended act, art. 9",
                          "before": {"years_after_closure": 10,
                                     "legal_basis": "Fictional data protection act, art. 5"}}),
    ]
    events = AuditEvent.objects.count()
    with pytest.raises(services.RetentionError, match="from 1 to 99"):
        services.set_policy(acting_user=manager, country=serbia, years_after_closure=0, legal_basis="x")
    with pytest.raises(services.RetentionError, match=r"Legal basis or source: give a text\."):
        services.set_policy(acting_user=manager, country=serbia, years_after_closure=3, legal_basis="  ")
    for name in ("coordinator", "case_worker", "viewer"):
        with pytest.raises(Http404):
            services.set_policy(acting_user=rights_world[name], country=serbia, years_after_closure=1,
                                legal_basis="x")
        with pytest.raises(Http404):
            services.remove_policy(acting_user=rights_world[name], country=serbia)
    assert (RetentionPolicy.objects.get().years_after_closure, AuditEvent.objects.count()) == (7, events)
    services.remove_policy(acting_user=manager, country=serbia)
    assert not RetentionPolicy.objects.exists()
    assert AuditEvent.objects.latest("seq").detail == {
        "before": {"years_after_closure": 7, "legal_basis": "Amended act, art. 9"}}


def test_a_legal_hold_is_set_and_lifted_by_the_owning_case_worker_only(rights_world) -> None:
    case, case_worker = make_case(rights_world["ngo"], "RS"), rights_world["case_worker"]
    for name in ("other_organisation", "other_country", "analyst", "manager"):
        with pytest.raises(Http404):
            services.set_legal_hold(acting_user=rights_world[name], case=case, reason="x")
    assert not Case.objects.get(pk=case.pk).on_legal_hold
    services.set_legal_hold(acting_user=case_worker, case=case, reason="  Court order 7/2026 ")
    held = Case.objects.get(pk=case.pk)
    assert (held.legal_hold_reason, held.legal_hold_by, held.on_legal_hold) == ("Court order 7/2026", case_worker, True)
    with pytest.raises(services.RetentionError, match="already on legal hold"):
        services.set_legal_hold(acting_user=case_worker, case=case, reason="again")
    with pytest.raises(Http404):
        services.lift_legal_hold(acting_user=rights_world["other_organisation"], case=case, reason="x")
    assert Case.objects.get(pk=case.pk).on_legal_hold
    with pytest.raises(services.RetentionError, match=r"Reason: give a text\."):
        services.lift_legal_hold(acting_user=case_worker, case=case, reason="")
    services.lift_legal_hold(acting_user=case_worker, case=case, reason="Proceedings closed")
    lifted = Case.objects.get(pk=case.pk)
    assert (lifted.on_legal_hold, lifted.legal_hold_reason, lifted.legal_hold_by) == (False, "", None)
    rows = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk),
                                     action=AuditEvent.Action.UPDATE).order_by("seq")
    assert [(row.actor_username, row.detail["legal_hold"], row.detail["reason"]) for row in rows] == [
        ("cw-rs", "set", "Court order 7/2026"), ("cw-rs", "lifted", "Proceedings closed")]
    assert rows[1].detail["held_since"] == held.legal_hold_since.isoformat()


def test_the_retention_page_lists_policies_in_the_readers_scope(rights_world) -> None:
    _policy(rights_world["manager"], "RS", 5)
    page = _client(rights_world["manager"]).get("/cases/retention/").content.decode()
    assert "Fictional data protection act, art. 5" in page and 'href="/cases/retention/RS/"' in page
    assert page.count("No policy: nothing is purged.") == Country.objects.filter(is_programme=True).count() - 1
    page = _client(rights_world["other_country"]).get("/cases/retention/").content.decode()
    assert "Albania (AL)" in page and "No policy: nothing is purged." in page and "Serbia" not in page
    assert "/cases/retention/AL/" not in page  # a case worker reads, does not set
    client = _client(rights_world["case_worker"])
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    page = client.get("/cases/retention/").content.decode()
    assert "Conservation des identités" in page and "5" in page
    for name in ("viewer",):
        assert _client(rights_world[name]).get("/cases/retention/").status_code == 404


def test_only_a_manager_edits_a_policy_through_its_page(rights_world) -> None:
    manager = _client(rights_world["manager"])
    assert manager.get("/cases/retention/RS/").status_code == 200
    response = manager.post("/cases/retention/RS/", {"years_after_closure": "0", "legal_basis": "Act"})
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert not RetentionPolicy.objects.exists()
    response = manager.post("/cases/retention/RS/", {"years_after_closure": "5", "legal_basis": "Act, art. 5"})
    assert response.status_code == 302 and response["Location"] == "/cases/retention/"
    for name in ("coordinator", "case_worker", "viewer"):
        client = _client(rights_world[name])
        assert client.get("/cases/retention/RS/").status_code == 404
        assert client.post("/cases/retention/RS/", {"years_after_closure": "1", "legal_basis": "x"}).status_code == 404
        assert client.post("/cases/retention/RS/", {"remove": "1"}).status_code == 404
    assert RetentionPolicy.objects.get().years_after_closure == 5
    assert manager.get("/cases/retention/QQ/").status_code == 404
    assert manager.post("/cases/retention/RS/", {"remove": "1"}).status_code == 302
    assert not RetentionPolicy.objects.exists()


def test_the_hold_page_serves_the_owning_case_worker_only(rights_world) -> None:
    case = make_case(rights_world["ngo"], "RS")
    client = _client(rights_world["case_worker"])
    assert client.get(f"/cases/{case.pk}/hold/").status_code == 200
    others = [_client(rights_world[name]) for name in ("other_organisation", "other_country", "analyst", "manager")]
    events = AuditEvent.objects.count()
    for other in others:
        assert other.get(f"/cases/{case.pk}/hold/").status_code == 404
        assert other.post(f"/cases/{case.pk}/hold/", {"reason": "x"}).status_code == 404
    assert (Case.objects.get(pk=case.pk).on_legal_hold, AuditEvent.objects.count()) == (False, events)
    assert client.post(f"/cases/{case.pk}/hold/", {"reason": ""}).status_code == 200
    response = client.post(f"/cases/{case.pk}/hold/", {"reason": "Court order 7/2026"})
    assert response.status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "On legal hold since" in page and "Court order 7/2026" in page and "Lift the legal hold" in page
