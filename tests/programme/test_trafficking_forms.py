"""The two forms of trafficking of the programme text on actions: list and matrix filters, gap alerts beside the
case data, the IATI tag; and the demo: every action has a form, a channel, its money inside its dates, OSCE actions
under the Permanent Representation to the OSCE, victims' associations taking part."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from palermo.accounts.roles import Role
from palermo.partners.models import Organisation, Partnership
from palermo.programme import complementarity as logic
from palermo.programme.models import Action, ActionParticipation, Channel, TraffickingForm, Transaction
from tests.conftest import download_rows
from tests.programme.helpers import client_for
from tests.programme.story_cases import case_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def forms_portfolio(user_factory, make_action):
    make_action("FR-3-FORM-T", countries={"RO": 100}, trafficking_form="traditional", committed="1000")
    make_action("FR-3-FORM-M", countries={"RO": 100}, trafficking_form="migration_route", committed="2000")
    make_action("FR-3-FORM-B", countries={"AL": 100}, trafficking_form="both", committed="4000")
    make_action("FR-3-FORM-0", countries={"AL": 100}, committed="8000")
    return client_for(user_factory("forms-manager", Role.PROGRAMME_MANAGER))


@pytest.mark.parametrize(("form", "expected"), [
    ("traditional", ["FR-3-FORM-B", "FR-3-FORM-T"]),
    ("migration_route", ["FR-3-FORM-B", "FR-3-FORM-M"]),
    ("both", ["FR-3-FORM-B"]),
])
def test_the_list_page_and_api_filter_by_form_an_action_of_both_forms_answering_either(
        forms_portfolio, form, expected) -> None:
    api = forms_portfolio.get(f"/api/programme/actions/?trafficking_form={form}").json()
    assert sorted(row["iati_identifier"] for row in api["results"]) == expected
    page = forms_portfolio.get(f"/programme/actions/?trafficking_form={form}").content.decode()
    assert sorted(i for i in ("FR-3-FORM-T", "FR-3-FORM-M", "FR-3-FORM-B", "FR-3-FORM-0") if i in page) == expected
    assert forms_portfolio.get("/api/programme/actions/?trafficking_form=smuggling").status_code == 400


def test_the_matrix_counts_only_the_actions_addressing_the_form(forms_portfolio) -> None:
    whole = forms_portfolio.get("/api/programme/matrix/").json()
    assert whole["total_committed_eur"] == "15000.00"
    migration = forms_portfolio.get("/api/programme/matrix/?trafficking_form=migration_route").json()
    assert (migration["actions"], migration["total_committed_eur"]) == (2, "6000.00")
    assert {(c["country"], c["committed_eur"]) for c in migration["cells"]} == {("RO", "2000.00"), ("AL", "4000.00")}
    page = forms_portfolio.get("/programme/complementarity/?trafficking_form=traditional")
    assert page.status_code == 200 and "2 actions" in page.content.decode()


def _facts(identifier: int, country: str, form: str) -> logic.ActionFacts:
    return logic.ActionFacts(id=identifier, identifier=str(identifier), title="", description="", channel="bilateral",
                             status=logic.IMPLEMENTATION, start=date(2024, 1, 1), end=date(2026, 12, 31),
                             countries={country: Decimal(100)}, objectives={1: Decimal(100)}, trafficking_form=form)


def test_a_form_no_active_action_addresses_is_a_gap_where_cases_of_that_form_were_recorded() -> None:
    facts = [_facts(1, "RO", "traditional"), _facts(2, "AL", "both"), _facts(3, "RS", "")]
    found = logic.gaps(facts, countries=["AL", "RO", "RS"], objectives=[1], recommendations=[], year=2025)
    assert found.uncovered_forms == [("traditional", "RS"), ("migration_route", "RO"), ("migration_route", "RS")]
    cases = {("migration_route", "RO"): 3, ("traditional", "RS"): 0, ("migration_route", "AL"): 9}
    found = logic.gaps(facts, countries=["AL", "RO", "RS"], objectives=[1], recommendations=[], year=2025,
                       case_forms=cases)
    assert found.uncovered_forms == [("migration_route", "RO")]


def test_the_gap_page_names_the_form_with_its_case_records(forms_portfolio) -> None:
    for _ in range(3):
        case_record("RS", 2025, form="migration_route")
    case_record("RO", 2025, form="migration_route")  # covered by FR-3-FORM-M
    case_record("RS", 2024, form="traditional")  # another year
    case_record("AL", 2025, form="migration_route", status="not_victim")  # not counted
    page = forms_portfolio.get("/programme/complementarity/gaps/?year=2025").content.decode()
    table = page.split("Forms of trafficking recorded in case data")[1]
    assert "1 uncovered form" in table
    assert "<td>trafficking along the migration route</td><td>Serbia</td><td class=\"num\">3</td>" in table
    rows = download_rows(forms_portfolio.get("/programme/complementarity/gaps/?year=2025&format=csv"))
    assert [list(r.values()) for r in rows if next(iter(r.values())).startswith("form of trafficking")] == [
        ["form of trafficking with case records and no active action in a country", "Serbia", "",
         "trafficking along the migration route"]]


def test_the_demo_gives_every_action_a_form_and_a_channel_and_keeps_money_inside_its_dates() -> None:
    call_command("demo", "--only", "partners", "programme", stdout=open("/dev/null", "w"))  # noqa: SIM115
    actions = Action.objects.filter(is_external=False)
    assert actions.count() == 150
    assert not actions.filter(trafficking_form="").exists() and not actions.filter(channel="").exists()
    assert set(actions.values_list("trafficking_form", flat=True)) == set(TraffickingForm.values)
    for action in actions.prefetch_related("transactions"):
        first = min(d for d in (action.planned_start, action.actual_start) if d)
        last = max(d for d in (action.planned_end, action.actual_end) if d)
        assert all(first <= t.date <= last for t in action.transactions.all()), action.iati_identifier
    assert not Transaction.objects.filter(provider_organisation__isnull=True).exists()
    assert not Transaction.objects.filter(receiver_organisation__isnull=True).exists()
    osce = actions.filter(participations__organisation__short_name__in=["OSCE", "ODIHR"], participations__role=4)
    assert osce.exists()
    for action in osce.distinct():
        steering = set(action.participations.filter(organisation__kind="permanent_representation")
                       .values_list("organisation__short_name", flat=True))
        assert steering == {"RP OSCE"}, action.iati_identifier
    unodc = actions.filter(participations__organisation__short_name="UNODC").distinct()
    assert all(set(a.participations.filter(organisation__kind="permanent_representation")
                   .values_list("organisation__short_name", flat=True)) == {"RP Vienne ONU"} for a in unodc)
    with_associations = ActionParticipation.objects.filter(
        organisation__kind=Organisation.Kind.VICTIMS_ASSOCIATION).values("action").distinct().count()
    assert with_associations >= 3
    assert Partnership.objects.filter(second_party__kind=Organisation.Kind.VICTIMS_ASSOCIATION).count() == 11
    assert actions.filter(channel=Channel.MULTILATERAL).exists()


def test_a_transaction_names_its_provider_and_receiver_and_keeps_them_when_not_given(make_action) -> None:
    from palermo.accounts.access import SYSTEM
    from palermo.iati import export
    from palermo.programme import services

    action = make_action("FR-3-PARTIES", countries={"RO": 100}, trafficking_form="traditional")
    ministry = Organisation.objects.create(name="Ministry (parties)", kind="donor", iati_identifier="XM-DAC-4")
    ngo = Organisation.objects.create(name="Safe Haven (parties)", kind="ngo", country_id="RO")
    entry = services.save_transaction(acting_user=SYSTEM, action=action, transaction_type=3, date=date(2024, 5, 1),
                                      value=Decimal("10.00"), provider_organisation=ministry, receiver_organisation=ngo)
    services.save_transaction(acting_user=SYSTEM, action=action, entry=entry, transaction_type=3,
                              date=date(2024, 5, 2), value=Decimal("11.00"))  # as the admin saves it: parties kept
    entry.refresh_from_db()
    assert (entry.provider_organisation, entry.receiver_organisation, entry.value) == (ministry, ngo, Decimal("11.00"))
    activity = export.action_activity(export.actions_for_export(Action.objects.filter(pk=action.pk)).get(), None)
    assert activity.transactions[0].provider.ref == "XM-DAC-4"
    assert activity.transactions[0].receiver.name == {"en": "Safe Haven (parties)"}
    assert [t.code for t in activity.tags if t.vocabulary_uri.endswith("#trafficking-form")] == ["traditional"]
