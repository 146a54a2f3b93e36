from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.awareness import services
from palermo.awareness.models import Campaign
from palermo.partners.models import Organisation
from palermo.programme.models import Action, ActionCountry, ActionObjective, ActionParticipation, Budget, Programme
from palermo.reference.models import Objective


@pytest.fixture
def world(db: Any, user_factory: Callable[..., Any], organisation_factory: Callable[..., Any]) -> dict[str, Any]:
    """Users of each scope; a Romanian action and an IOM action in Albania and Serbia; one campaign in Romania."""
    iom = organisation_factory("IOM", Organisation.Kind.INTERNATIONAL_ORGANISATION)
    meae, _ = Organisation.objects.get_or_create(name="Ministry (test)", defaults={"kind": "donor"})
    programme = Programme.objects.create(iati_identifier="FR-3-TEST", title_en="Test programme",
                                         reporting_organisation=meae)
    actions = {}
    for key, countries, partners in (("ro", {"RO": 100}, ()), ("iom", {"AL": 60, "RS": 40}, (iom,))):
        action = Action.objects.create(programme=programme, iati_identifier=f"FR-3-TEST-{key.upper()}",
                                       title_en=f"Action {key}", channel="bilateral", status=2,
                                       planned_start=date(2024, 1, 1), planned_end=date(2026, 12, 31))
        for code, share in countries.items():
            ActionCountry.objects.create(action=action, country_id=code, percentage=Decimal(share))
        ActionObjective.objects.create(action=action, objective=Objective.objects.get(number=2),
                                       percentage=Decimal(100))
        for organisation in partners:
            ActionParticipation.objects.create(action=action, organisation=organisation, role=4)
        Budget.objects.create(action=action, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31),
                              value=Decimal("120000"))
        actions[key] = action
    users = {
        "manager": user_factory("manager", Role.PROGRAMME_MANAGER),
        "coordinator-ro": user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",)),
        "coordinator-rs": user_factory("coordinator-rs", Role.NATIONAL_COORDINATOR, ("RS",)),
        "analyst-ro": user_factory("analyst-ro", Role.ANALYST, ("RO",)),
        "partner-iom": user_factory("partner-iom", Role.IO_PARTNER, organisation=iom),
        "partner-other": user_factory("partner-other", Role.IO_PARTNER),
        "viewer": user_factory("viewer", Role.VIEWER),
        "caseworker-ro": user_factory("caseworker-ro", Role.CASE_WORKER, ("RO",)),
    }
    campaign = services.create_campaign(acting_user=SYSTEM.running("tests"), data=campaign_data(actions["ro"]))
    return {"users": users, "actions": actions, "campaign": campaign, "iom": iom}


def campaign_data(action: Action, **changes: Any) -> services.CampaignData:
    values: dict[str, Any] = {
        "title": "Safe jobs abroad", "objective": "Warn young women of deceptive job offers", "action": action,
        "countries": ["RO"], "populations": ["women_precarious", "job_seekers"], "languages": ["ro", "rom"],
        "channels": ["social_media", "job_fairs"], "risks": ["job_offers"], "start": date(2024, 3, 1),
        "end": date(2024, 12, 31), "targets": {"sex": ["female"], "age_band": ["18-24", "25-39"]},
    }
    values.update(changes)
    return services.CampaignData(**values)


def reach_data(**changes: Any) -> services.ReachData:
    values: dict[str, Any] = {
        "start": date(2024, 3, 1), "end": date(2024, 6, 30), "target": 5000,
        "counts": [("social_media", "female", "18-24", 2100), ("social_media", "male", "18-24", 900),
                   ("job_fairs", "female", "25-39", 400), ("job_fairs", "other", "40+", 12)],
        "hotline_before": 40, "hotline_during": 61, "hotline_after": 52,
        "survey_before_answers": 120, "survey_before_right": 54, "survey_after_answers": 110,
        "survey_after_right": 77, "referrals": 3,
    }
    values.update(changes)
    return services.ReachData(**values)


def snapshot() -> tuple[int, ...]:
    from palermo.audit.models import AuditEvent
    from palermo.awareness.models import Material, MaterialVersion, ReachCount, ReachPeriod
    from palermo.programme.models import Period

    return (Campaign.objects.count(), Material.objects.count(), MaterialVersion.objects.count(),
            ReachPeriod.objects.count(), ReachCount.objects.count(), AuditEvent.objects.count(),
            Period.objects.exclude(actual=None).count())
