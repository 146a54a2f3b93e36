"""The admin of the programme saves through the services: the same rules and audit rows as the pages,
a share total other than 100 refused with a clear message and nothing written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.programme.models import Action, ActionCountry, Budget, Result, Transaction
from tests.programme.helpers import audit_count, client_for

pytestmark = pytest.mark.django_db


def admin_form(response: Any) -> dict[str, Any]:
    """The POST data the admin's change page would send back unchanged (main form and every inline)."""
    data: dict[str, Any] = {}

    def put(name: str, value: Any) -> None:
        if value is None or value is False:
            return
        data[name] = "on" if value is True else value

    form = response.context["adminform"].form
    for name in form.fields:
        put(name, form[name].value())
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            put(f"{formset.prefix}-{name}", formset.management_form[name].value())
        for row in formset.forms:
            for name in row.fields:
                put(row.add_prefix(name), row[name].value())
    return data


@pytest.fixture
def admin_world(user_factory, make_action):
    manager = user_factory("admin-manager", Role.PROGRAMME_MANAGER, is_staff=True, is_superuser=True)
    action = make_action("FR-3-TEST-ADM", countries={"RO": 60, "MD": 40}, objectives={2: 50, 3: 50},
                         committed="1000.00")
    client = client_for(manager)
    url = f"/admin/programme/action/{action.pk}/change/"
    return manager, action, client, url


def shares(action: Action) -> list[tuple[str, D]]:
    return list(ActionCountry.objects.filter(action=action).order_by("country").values_list("country",
                                                                                             "percentage"))


def test_a_share_total_other_than_100_is_refused_in_the_admin_and_nothing_is_written(admin_world) -> None:
    _manager, action, client, url = admin_world
    data = admin_form(client.get(url))
    data["title_en"] = "Renamed in the admin"
    data["country_shares-0-percentage"] = "50"  # RO 50 + MD 40 = 90
    before = (shares(action), Action.objects.get(pk=action.pk).title_en, audit_count())
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Country shares: the shares sum to 90, not 100." in response.content.decode()
    assert (shares(action), Action.objects.get(pk=action.pk).title_en, audit_count()) == before


def test_an_admin_edit_goes_through_the_services_with_one_audit_row_each(admin_world) -> None:
    manager, action, client, url = admin_world
    data = admin_form(client.get(url))
    data["title_en"] = "Renamed in the admin"
    data["country_shares-0-percentage"] = "70"
    data["country_shares-1-percentage"] = "30"
    prefix = "budgets"
    data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-budget_type": "1", f"{prefix}-0-status": "2",
                 f"{prefix}-0-period_start": "2024-01-01", f"{prefix}-0-period_end": "2024-12-31",
                 f"{prefix}-0-value": "25000.00"})
    last = AuditEvent.objects.order_by("seq").last()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Action.objects.get(pk=action.pk)
    assert saved.title_en == "Renamed in the admin"
    assert shares(action) == [("MD", D("30.00")), ("RO", D("70.00"))]
    budget = Budget.objects.get(action=action)
    assert (budget.period_start, budget.period_end, budget.value, budget.status) == (
        date(2024, 1, 1), date(2024, 12, 31), D("25000.00"), 2)
    events = list(AuditEvent.objects.filter(seq__gt=last.seq if last else 0).order_by("seq"))
    assert [(e.object_type, e.action, e.actor) for e in events] == [
        ("programme.action", "update", manager), ("programme.budget", "create", manager)]
    assert events[0].detail["fields"] == {"title_en": "Renamed in the admin"}
    assert events[0].detail["relations"] == ["beneficiaries", "countries", "exploitation_forms", "greta"]


def test_money_outside_the_action_dates_is_refused_in_the_admin_naming_the_date(admin_world) -> None:
    _manager, _action, client, url = admin_world
    data = admin_form(client.get(url))
    data["transactions-0-date"] = "2030-01-01"
    data["transactions-0-value"] = "0"
    before = (list(Transaction.objects.values_list("date", "value")), audit_count())
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2030-01-01 is outside the action&#x27;s dates (2024-01-01 – 2026-12-31)." in page
    assert "Ensure this value is greater than or equal to 0.01." in page
    assert (list(Transaction.objects.values_list("date", "value")), audit_count()) == before


def test_a_transaction_removed_in_the_admin_is_removed_by_the_service(admin_world) -> None:
    manager, action, client, url = admin_world
    data = admin_form(client.get(url))
    data["transactions-0-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    assert not Transaction.objects.filter(action=action).exists()
    event = AuditEvent.objects.filter(object_type="programme.transaction").get()
    assert (event.action, event.actor, event.detail["value"]) == ("delete", manager, "1000.00")


def test_an_action_added_in_the_admin_needs_its_shares_and_is_audited_once(admin_world) -> None:
    manager, _action, client, _url = admin_world
    data = admin_form(client.get("/admin/programme/action/add/"))
    data.update({"iati_identifier": "FR-3-TEST-NEWADM", "title_en": "Added in the admin", "channel": "regional",
                 "status": "1", "planned_start": "2026-01-01", "collaboration_type": "1"})
    response = client.post("/admin/programme/action/add/", data)
    assert response.status_code == 200
    assert "Country shares: at least one share is needed." in response.content.decode()
    assert not Action.objects.filter(iati_identifier="FR-3-TEST-NEWADM").exists()
    data.update({"country_shares-TOTAL_FORMS": "1", "country_shares-0-country": "AL",
                 "country_shares-0-percentage": "100", "objective_shares-TOTAL_FORMS": "1",
                 "objective_shares-0-objective": "4", "objective_shares-0-percentage": "100"})
    response = client.post("/admin/programme/action/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Action.objects.get(iati_identifier="FR-3-TEST-NEWADM")
    assert [(s.country_id, s.percentage) for s in created.country_shares.all()] == [("AL", D("100.00"))]
    events = AuditEvent.objects.filter(object_type="programme.action", object_id=str(created.pk))
    assert [(e.action, e.actor, e.country) for e in events] == [("create", manager, "AL")]


def test_an_action_deleted_in_the_admin_is_removed_by_the_service(admin_world) -> None:
    manager, action, client, _url = admin_world
    response = client.post(f"/admin/programme/action/{action.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Action.objects.filter(pk=action.pk).exists()
    event = AuditEvent.objects.get(object_type="programme.action", action="delete")
    assert (event.actor, event.detail["identifier"]) == (manager, "FR-3-TEST-ADM")


def test_the_results_framework_is_read_only_in_the_admin(admin_world) -> None:
    _manager, action, client, _url = admin_world
    result = Result.objects.create(action=action, result_type=Result.Type.OUTPUT, title_en="Trained")
    page = client.get(f"/admin/programme/result/{result.pk}/change/")
    assert page.status_code == 200 and f"/programme/actions/{action.pk}/" in client.get(
        "/admin/programme/result/").content.decode()
    before = audit_count()
    response = client.post(f"/admin/programme/result/{result.pk}/change/", {"title_en": "Hijacked",
                                                                            "result_type": "1"})
    assert response.status_code == 403
    assert Result.objects.get(pk=result.pk).title_en == "Trained" and audit_count() == before
    assert client.get("/admin/programme/result/add/").status_code == 403


def test_someone_outside_the_staff_changes_nothing_through_the_admin(admin_world, user_factory) -> None:
    _manager, action, _client, url = admin_world
    embassy = Client()
    client = client_for(user_factory("embassy-adm", Role.EMBASSY_OFFICER, ("RO",)))
    for who in (client, embassy):
        response = who.post(url, {"title_en": "Hijacked"})
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert Action.objects.get(pk=action.pk).title_en == "Action FR-3-TEST-ADM"
