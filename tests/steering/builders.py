"""A small constructed portfolio whose figures for 2024 are known by hand (see the tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from palermo.partners.models import Organisation
from palermo.programme.models import (
    Action,
    ActionCountry,
    ActionObjective,
    ActionParticipation,
    ActionSector,
    ActionTag,
    ActionTargetGroup,
    Budget,
    Indicator,
    Period,
    Programme,
    Result,
    Transaction,
)
from palermo.reference.models import Objective

D = Decimal


@dataclass
class Portfolio:
    programme: Programme
    bilateral: Action
    multilateral: Action
    pipeline: Action
    external: Action
    cancelled: Action


def _action(
    programme: Programme | None,
    identifier: str,
    channel: str,
    status: int,
    countries: dict[str, str],
    objectives: dict[int, str],
    **dates: date,
) -> Action:
    action = Action.objects.create(
        programme=programme,
        iati_identifier=identifier,
        title_en=f"Action {identifier}",
        title_fr=f"Action {identifier} (fr)",
        description_en="Training of prosecutors",
        channel=channel,
        status=status,
        is_external=programme is None,
        **dates,
    )
    for code, share in countries.items():
        ActionCountry.objects.create(action=action, country_id=code, percentage=D(share))
    for number, share in objectives.items():
        ActionObjective.objects.create(
            action=action, objective=Objective.objects.get(number=number), percentage=D(share)
        )
    return action


def _period(action: Action, start: str, end: str, target: str, actual: str, ascending: bool = True) -> None:
    result = Result.objects.create(action=action, result_type=Result.Type.OUTPUT, title_en=f"Result {end}")
    indicator = Indicator.objects.create(
        result=result,
        title_en=f"Indicator ending {end}",
        unit="people",
        ascending=ascending,
        baseline_year=2022,
        baseline_value=D(0),
    )
    Period.objects.create(
        indicator=indicator,
        period_start=date.fromisoformat(start),
        period_end=date.fromisoformat(end),
        target=D(target),
        actual=D(actual),
    )


def _money(action: Action, kind: int, day: str, value: str) -> None:
    Transaction.objects.create(action=action, transaction_type=kind, date=date.fromisoformat(day), value=D(value))


def build_portfolio() -> Portfolio:
    meae, _ = Organisation.objects.get_or_create(
        name="Test Ministry for Europe and Foreign Affairs",
        country_id="FR",
        defaults={"short_name": "T-MEAE", "kind": Organisation.Kind.DONOR, "iati_identifier": "XM-DAC-4-TEST"},
    )
    unodc, _ = Organisation.objects.get_or_create(
        name="Test UNODC",
        country=None,
        defaults={
            "short_name": "T-UNODC",
            "iati_identifier": "XM-DAC-41128",
            "kind": Organisation.Kind.INTERNATIONAL_ORGANISATION,
            "crs_channel_code": "41128",
        },
    )
    programme = Programme.objects.create(
        iati_identifier="XM-DAC-4-TEST-THB",
        title_en="Test programme",
        title_fr="Programme de test",
        reporting_organisation=meae,
        start_date=date(2014, 6, 1),
        objectives_vocabulary_uri="https://example.org/palermo/objectives",
    )
    bilateral = _action(
        programme,
        "XM-DAC-4-TEST-THB-1",
        "bilateral",
        2,
        {"RO": "100"},
        {2: "100"},
        planned_start=date(2023, 1, 1),
        planned_end=date(2025, 12, 31),
        actual_start=date(2023, 2, 1),
    )
    multilateral = _action(
        programme,
        "XM-DAC-4-TEST-THB-2",
        "multilateral",
        4,
        {"RO": "60", "RS": "40"},
        {3: "60", 4: "40"},
        planned_start=date(2022, 1, 1),
        planned_end=date(2024, 6, 30),
        actual_start=date(2022, 1, 10),
        actual_end=date(2024, 6, 30),
    )
    pipeline = _action(
        programme,
        "XM-DAC-4-TEST-THB-3",
        "bilateral",
        1,
        {"RS": "100"},
        {1: "100"},
        planned_start=date(2025, 6, 1),
        planned_end=date(2026, 12, 31),
    )
    external = _action(
        None,
        "XX-OTHER-1",
        "bilateral",
        2,
        {"RO": "100"},
        {2: "100"},
        planned_start=date(2024, 1, 1),
        planned_end=date(2024, 12, 31),
    )
    cancelled = _action(
        programme,
        "XM-DAC-4-TEST-THB-4",
        "bilateral",
        5,
        {"RS": "100"},
        {2: "100"},
        planned_start=date(2024, 1, 1),
        planned_end=date(2024, 12, 31),
    )
    for action in (bilateral, multilateral, pipeline, cancelled):
        ActionParticipation.objects.create(action=action, organisation=meae, role=1)
        ActionSector.objects.create(action=action, vocabulary="1", code="15130", percentage=D(100))
        ActionTag.objects.create(action=action, vocabulary="3", code="16.2")
        ActionTargetGroup.objects.create(action=action, group="professionals")
    ActionParticipation.objects.create(action=multilateral, organisation=unodc, role=4)
    Budget.objects.create(
        action=bilateral, budget_type=1, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31), value=D("100000")
    )
    Budget.objects.create(
        action=bilateral, budget_type=2, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31), value=D("120000")
    )
    Budget.objects.create(
        action=multilateral, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31), value=D("200000")
    )
    Budget.objects.create(
        action=pipeline, period_start=date(2025, 6, 1), period_end=date(2025, 12, 31), value=D("70000")
    )
    _money(bilateral, 2, "2024-03-01", "50000")
    _money(bilateral, 3, "2024-04-01", "80000")
    _money(bilateral, 4, "2024-09-01", "60000")
    _money(bilateral, 3, "2023-12-31", "10000")
    _money(multilateral, 2, "2022-01-15", "500000")
    _money(multilateral, 3, "2024-02-01", "150000")
    _money(multilateral, 4, "2024-05-01", "90000.50")
    _money(external, 3, "2024-06-01", "999999")
    _money(cancelled, 3, "2024-07-01", "5000")
    _period(bilateral, "2024-01-01", "2024-12-31", "100", "120")
    _period(bilateral, "2024-01-01", "2024-12-31", "10", "15", ascending=False)
    _period(multilateral, "2024-01-01", "2024-06-30", "50", "50")
    _period(multilateral, "2025-01-01", "2025-06-30", "50", "10")
    return Portfolio(programme, bilateral, multilateral, pipeline, external, cancelled)
