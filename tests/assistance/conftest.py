from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from palermo.accounts.roles import Role
from palermo.assistance import services
from palermo.assistance.models import SupportEntry
from palermo.cases.models import Case
from palermo.cases.services import Route, create_case
from palermo.referral import services as referral_services
from palermo.referral.models import Service


@pytest.fixture
def people(user_factory: Callable[..., Any]) -> dict[str, Any]:
    """Allowed (a case worker in Romania), the same role in Serbia (another organisation), an outsider (Romania's
    national coordinator) and a viewer."""
    return {"allowed": user_factory("cw-ro", Role.CASE_WORKER, ("RO",)),
            "other_country": user_factory("cw-rs", Role.CASE_WORKER, ("RS",)),
            "outsider": user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",)),
            "viewer": user_factory("viewer", Role.VIEWER)}


@pytest.fixture
def case(people: dict[str, Any]) -> Case:
    user = people["allowed"]
    return create_case(acting_user=user, case=Case(organisation=user.organisation, owner_country_id="RO"), forms=[],
                       route=Route())


@pytest.fixture
def shelter(people: dict[str, Any], organisation_factory: Callable[..., Any]) -> Service:
    return referral_services.add_service(
        acting_user=people["outsider"], organisation=organisation_factory("shelter-ro", country="RO"), country="RO",
        service_types=["shelter", "legal_aid"], area="Bucharest", languages="ro, en", contact="test contact",
        last_verified=date(2026, 1, 15))


@pytest.fixture
def entry(people: dict[str, Any], case: Case, shelter: Service) -> SupportEntry:
    return services.add_support(acting_user=people["allowed"], case=case, plan=services.SupportPlan(
        support_type="Legal", provider=shelter.organisation, service=shelter, start_date=date(2026, 3, 5),
        planned_end_date=date(2026, 6, 5), objectives="legal counsel for the proceedings"))
