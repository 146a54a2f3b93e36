"""Saving actions: validation with clear messages, scopes, audit, and nothing changed on refusal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.programme import services
from palermo.programme.models import Action, Budget, Transaction

pytestmark = pytest.mark.django_db


def content(**fields) -> services.ActionContent:
    base = {"iati_identifier": "FR-3-TEST-NEW", "title_en": "New action", "channel": "bilateral", "status": 1,
            "planned_start": date(2026, 1, 1), "planned_end": date(2027, 12, 31)}
    base.update(fields)
    return services.ActionContent(fields=base, countries=[("RO", D(100))], objectives=[(2, D(60)), (3, D(40))])


def test_a_manager_creates_an_action_with_its_shares_and_an_audit_row(user_factory, programme) -> None:
    manager = user_factory("manager", Role.PROGRAMME_MANAGER)
    action = services.save_action(acting_user=manager, content=content())
    assert [(s.country_id, s.percentage) for s in action.country_shares.all()] == [("RO", D("100.00"))]
    assert sorted((s.objective.number, s.percentage) for s in action.objective_shares.all()) == [
        (2, D("60.00")), (3, D("40.00"))]
    assert action.programme == programme and action.reporting_organisation == programme.reporting_organisation
    event = AuditEvent.objects.get(object_type="programme.action", object_id=str(action.pk))
    assert (event.action, event.actor, event.country) == ("create", manager, "RO")


def test_shares_not_summing_to_100_are_refused_and_nothing_is_saved(user_factory, programme) -> None:
    manager = user_factory("manager", Role.PROGRAMME_MANAGER)
    bad = content()
    bad.countries = [("RO", D(60)), ("MD", D(30))]
    bad.objectives = [(2, D(50)), (9, D(50))]
    with pytest.raises(ValidationError) as caught:
        services.save_action(acting_user=manager, content=bad)
    assert caught.value.message_dict["countries"] == ["Country shares: the shares sum to 90, not 100."]
    assert caught.value.message_dict["objectives"] == ["Objective shares: objective 9 does not exist."]
    assert not Action.objects.exists() and not AuditEvent.objects.filter(object_type="programme.action").exists()


def test_dates_out_of_order_and_bad_identifiers_get_clear_messages(user_factory, programme) -> None:
    manager = user_factory("manager", Role.PROGRAMME_MANAGER)
    with pytest.raises(ValidationError) as caught:
        services.save_action(acting_user=manager, content=content(
            iati_identifier="FR-3/bad", planned_end=date(2025, 1, 1)))
    errors = caught.value.message_dict
    assert errors["planned_end"] == ["The planned end cannot precede the planned start."]
    assert "none of / & | ?" in errors["iati_identifier"][0]
    assert not Action.objects.exists()


def test_an_embassy_officer_edits_its_countrys_bilateral_action_only(user_factory, make_action) -> None:
    romania = user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",))
    serbia = user_factory("embassy-rs", Role.EMBASSY_OFFICER, ("RS",))
    bilateral = make_action("FR-3-TEST-1", countries={"RO": 100})
    regional = make_action("FR-3-TEST-2", countries={"RO": 50, "RS": 50}, channel="regional")
    change = services.ActionContent(fields={"title_en": "Renamed"})
    services.save_action(acting_user=romania, action=bilateral, content=change)
    assert Action.objects.get(pk=bilateral.pk).title_en == "Renamed"
    for user, action in ((serbia, bilateral), (romania, regional)):
        with pytest.raises(PermissionDenied):
            services.save_action(acting_user=user, action=action, content=services.ActionContent(
                fields={"title_en": "Hijacked"}))
    assert Action.objects.get(pk=regional.pk).title_en == "Action FR-3-TEST-2"
    assert Action.objects.get(pk=bilateral.pk).title_en == "Renamed"


def test_an_embassy_officer_cannot_move_an_action_out_of_its_scope(user_factory, make_action) -> None:
    romania = user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",))
    action = make_action("FR-3-TEST-1", countries={"RO": 100})
    with pytest.raises(ValidationError) as caught:
        services.save_action(acting_user=romania, action=action, content=services.ActionContent(
            fields={"channel": "multilateral"}, countries=[("RO", D(50)), ("RS", D(50))]))
    assert caught.value.message_dict["channel"] == ["This change would take the action out of your scope."]
    action.refresh_from_db()
    assert action.channel == "bilateral"
    assert list(action.country_shares.values_list("country_id", flat=True)) == ["RO"]


def test_an_io_partner_edits_only_projects_where_its_organisation_has_a_role(
        user_factory, organisation_factory, make_action) -> None:
    iom = organisation_factory("IOM", "international_organisation")
    partner = user_factory("partner-iom", Role.IO_PARTNER, organisation=iom)
    own = make_action("FR-3-TEST-1", countries={"AL": 100}, channel="multilateral", organisations=(iom,))
    other = make_action("FR-3-TEST-2", countries={"AL": 100}, channel="multilateral")
    services.save_transaction(acting_user=partner, action=own, transaction_type=3, date=date(2025, 3, 1),
                             value=D("1200.50"))
    assert Transaction.objects.get(action=own).value == D("1200.50")
    with pytest.raises(PermissionDenied):
        services.save_transaction(acting_user=partner, action=other, transaction_type=3, date=date(2025, 3, 1),
                                 value=D("1"))
    assert not Transaction.objects.filter(action=other).exists()


def test_negative_amounts_and_budgets_longer_than_a_year_are_refused(user_factory, make_action) -> None:
    manager = user_factory("manager", Role.PROGRAMME_MANAGER)
    action = make_action("FR-3-TEST-1", countries={"AL": 100})
    with pytest.raises(ValidationError) as caught:
        services.save_transaction(acting_user=manager, action=action, transaction_type=2, date=date(2025, 1, 1),
                                 value=D("-5"))
    assert "value" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.save_budget(acting_user=manager, action=action, period_start=date(2025, 1, 1),
                            period_end=date(2026, 6, 30), value=D("100"))
    assert caught.value.message_dict["period_end"] == ["A budget period lasts at most one year."]
    assert not Transaction.objects.exists() and not Budget.objects.exists()
