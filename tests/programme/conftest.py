from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from palermo.partners.models import Organisation
from palermo.programme.models import (
    Action,
    ActionCountry,
    ActionObjective,
    ActionParticipation,
    Programme,
    Transaction,
)
from palermo.reference.models import Objective


@pytest.fixture
def programme(db: Any) -> Programme:
    meae, _ = Organisation.objects.get_or_create(name="Ministry (test)", defaults={"kind": "donor"})
    return Programme.objects.create(iati_identifier="FR-3-TEST", title_en="Test programme",
                                    reporting_organisation=meae)


@pytest.fixture
def make_action(programme: Programme) -> Callable[..., Action]:
    def make(identifier: str, *, countries: dict[str, int], objectives: dict[int, int] | None = None,
             channel: str = "bilateral", status: int = 2, organisations: tuple[Organisation, ...] = (),
             committed: str | None = None, **fields: Any) -> Action:
        action = Action.objects.create(
            programme=programme, iati_identifier=identifier, title_en=fields.pop("title_en", f"Action {identifier}"),
            channel=channel, status=status, planned_start=fields.pop("planned_start", date(2024, 1, 1)),
            planned_end=fields.pop("planned_end", date(2026, 12, 31)), **fields,
        )
        for code, share in countries.items():
            ActionCountry.objects.create(action=action, country_id=code, percentage=Decimal(share))
        for number, share in (objectives or {3: 100}).items():
            ActionObjective.objects.create(action=action, objective=Objective.objects.get(number=number),
                                           percentage=Decimal(share))
        for organisation in organisations:
            ActionParticipation.objects.create(action=action, organisation=organisation, role=4)
        if committed:
            Transaction.objects.create(action=action, transaction_type=2, date=date(2024, 2, 1),
                                       value=Decimal(committed))
        return action

    return make


@pytest.fixture
def editing_world(user_factory: Callable[..., Any], organisation_factory: Callable[..., Any],
                  make_action: Callable[..., Action]) -> tuple[dict[str, Any], dict[str, Action]]:
    """Users of each scope and two actions: a Romanian bilateral one and an IOM multilateral one in AL/RS."""
    from palermo.accounts.roles import Role

    iom = organisation_factory("IOM", "international_organisation")
    users = {
        "manager": user_factory("manager", Role.PROGRAMME_MANAGER),
        "embassy-ro": user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",)),
        "embassy-rs": user_factory("embassy-rs", Role.EMBASSY_OFFICER, ("RS",)),
        "coordinator-ro": user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",)),
        "coordinator-rs": user_factory("coordinator-rs", Role.NATIONAL_COORDINATOR, ("RS",)),
        "partner-iom": user_factory("partner-iom", Role.IO_PARTNER, organisation=iom),
        "partner-other": user_factory("partner-other", Role.IO_PARTNER),
        "viewer": user_factory("viewer", Role.VIEWER),
    }
    actions = {
        "ro": make_action("FR-3-TEST-RO", countries={"RO": 100}),
        "iom": make_action("FR-3-TEST-IOM", countries={"AL": 60, "RS": 40}, channel="multilateral",
                           organisations=(iom,)),
    }
    return users, actions
