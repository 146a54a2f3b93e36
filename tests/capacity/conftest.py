from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from palermo.accounts.roles import Role
from palermo.capacity import services
from palermo.capacity.models import Training
from palermo.partners.models import Organisation
from palermo.programme.models import Action, ActionCountry, ActionObjective, ActionParticipation, Programme
from palermo.reference.models import Country, Objective


def make_action(identifier: str, countries: dict[str, int], organisations: tuple[Organisation, ...] = ()) -> Action:
    meae, _ = Organisation.objects.get_or_create(name="Ministry (test)", defaults={"kind": "donor"})
    programme, _ = Programme.objects.get_or_create(iati_identifier="FR-3-TEST", defaults={
        "title_en": "Test programme", "reporting_organisation": meae})
    action = Action.objects.create(programme=programme, iati_identifier=identifier, title_en=f"Action {identifier}",
                                   channel="bilateral", status=2, planned_start=date(2023, 1, 1),
                                   planned_end=date(2026, 12, 31))
    for code, share in countries.items():
        ActionCountry.objects.create(action=action, country_id=code, percentage=Decimal(share))
    ActionObjective.objects.create(action=action, objective=Objective.objects.get(number=3), percentage=Decimal(100))
    for organisation in organisations:
        ActionParticipation.objects.create(action=action, organisation=organisation, role=4)
    return action


@pytest.fixture
def world(user_factory: Callable[..., Any], organisation_factory: Callable[..., Any]) -> dict[str, Any]:
    iom = organisation_factory("IOM", "international_organisation")
    users = {
        "manager": user_factory("manager", Role.PROGRAMME_MANAGER),
        "coordinator-ro": user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",)),
        "coordinator-rs": user_factory("coordinator-rs", Role.NATIONAL_COORDINATOR, ("RS",)),
        "embassy-ro": user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",)),
        "partner-iom": user_factory("partner-iom", Role.IO_PARTNER, organisation=iom),
        "partner-other": user_factory("partner-other", Role.IO_PARTNER),
        "viewer": user_factory("viewer", Role.VIEWER),
        "auditor": user_factory("auditor", Role.AUDITOR),
        "analyst-ro": user_factory("analyst-ro", Role.ANALYST, ("RO",)),
    }
    actions = {"ro": make_action("FR-3-TEST-RO", {"RO": 100}),
               "iom": make_action("FR-3-TEST-IOM", {"AL": 60, "RS": 40}, (iom,))}
    return {"users": users, "actions": actions}


def training_data(world: dict[str, Any], **changes: Any) -> services.TrainingData:
    values: dict[str, Any] = {
        "title_en": "Investigating labour trafficking", "title_fr": "Enquêter sur la traite aux fins de travail",
        "country": Country.objects.get(code="RO"), "action": world["actions"]["ro"], "start_date": date(2024, 5, 6),
        "end_date": date(2024, 5, 8), "status": "held", "mode": "in_person", "place": "Bucharest", "hours": 18,
        "trainers": "A. Trainer (OSCE)", "curriculum": "Indicators; financial investigation"}
    return services.TrainingData(**(values | changes))


@pytest.fixture
def training(world: dict[str, Any]) -> Training:
    """Held in Romania in May 2024 by Romania's national coordinator, funded by the Romanian action."""
    return services.create_training(acting_user=world["users"]["coordinator-ro"], data=training_data(world))


def participant(given: str, family: str, sex: str = "female", profession: str = "prosecutor",
                pre: str | None = None, post: str | None = None, attended: bool = True) -> services.ParticipantData:
    return services.ParticipantData(given_name=given, family_name=family, sex=sex, profession=profession,
                                    organisation="Prosecutor's office", attended=attended,
                                    pre_score=None if pre is None else Decimal(pre),
                                    post_score=None if post is None else Decimal(post))
