"""An indicator measured by the justice feed fills its periods from the court records of the action's countries,
in the transaction of the write that changed them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from palermo.audit.models import AuditEvent
from palermo.justice import services
from palermo.justice.feeds import CONVICTED, persons_convicted
from palermo.justice.models import Proceeding
from palermo.partners.models import Organisation
from palermo.programme import services as programme_services
from palermo.programme.models import Action, ActionCountry, Indicator, Programme, Result

pytestmark = pytest.mark.django_db


def _action(identifier: str, countries: list[str]) -> Action:
    meae, _ = Organisation.objects.get_or_create(name="Ministry (test)", defaults={"kind": "donor"})
    programme, _ = Programme.objects.get_or_create(iati_identifier="FR-3-TEST", defaults={
        "title_en": "Test programme", "reporting_organisation": meae})
    action = Action.objects.create(programme=programme, iati_identifier=identifier, title_en=identifier, status=2,
                                   planned_start=date(2021, 1, 1), planned_end=date(2023, 12, 31))
    for code in countries:
        ActionCountry.objects.create(action=action, country_id=code, percentage=D(100) / len(countries))
    return action


def test_the_period_follows_the_convictions_of_the_actions_countries(people: dict[str, Any],
                                                                     proceeding: Proceeding) -> None:
    manager = people["manager"]
    action, elsewhere = _action("FR-3-TEST-RO", ["RO"]), _action("FR-3-TEST-AL", ["AL"])
    result = programme_services.save_result(acting_user=manager, action=action, result_type=Result.Type.OUTCOME,
                                            title_en="Perpetrators convicted")
    indicator = programme_services.save_indicator(
        acting_user=manager, result=result, title_en="Persons convicted of trafficking",
        measure=Indicator.Measure.UNIT, disaggregated_by_sex=True, disaggregated_by_age=True, measured_by=CONVICTED)
    period = programme_services.save_period(acting_user=manager, indicator=indicator, period_start=date(2022, 1, 1),
                                            period_end=date(2022, 12, 31), target=D(5), actual=None, breakdown=[])
    period.refresh_from_db()
    assert period.actual == D(0)  # records exist in Romania, none convicted in 2022
    services.record_decision(acting_user=people["allowed"], proceeding=proceeding, verdict=services.Verdict(
        instance="first_instance", decided_on=date(2022, 5, 1), outcome="convicted", convicted_of_thb=True,
        sentence_months=40))
    period.refresh_from_db()
    assert period.actual == D(1)
    assert {(d.dimension, d.value): d.actual for d in period.disaggregations.all()} == {
        ("sex", "male"): D(1), ("age", "40+"): D(1)}
    # the refresh is audited, naming the case worker whose decision changed the figure
    last = AuditEvent.objects.filter(object_type="programme.period").order_by("seq").last()
    assert last is not None and last.actor_username == "cw-ro" and last.detail["measured_by"] == CONVICTED
    # an appeal confirming it changes nothing
    services.record_decision(acting_user=people["allowed"], proceeding=proceeding, verdict=services.Verdict(
        instance="appeal", decided_on=date(2022, 11, 1), outcome="convicted", convicted_of_thb=True,
        sentence_months=40))
    period.refresh_from_db()
    assert period.actual == D(1)
    assert persons_convicted(elsewhere.pk, date(2022, 1, 1), date(2022, 12, 31)) is None
