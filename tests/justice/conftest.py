from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from palermo.accounts.roles import Role
from palermo.cases.models import Case, Perpetrator
from palermo.cases.services import Route, create_case
from palermo.justice import services
from palermo.justice.models import Proceeding


@pytest.fixture(autouse=True)
def english() -> Any:
    """Figures built outside a request read the active language: a French page of an earlier test leaves it on."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def people(user_factory: Callable[..., Any]) -> dict[str, Any]:
    """Allowed (a case worker in Romania), the same role in Serbia, an outsider (an embassy officer in Romania),
    readers (Romania's analyst, Serbia's coordinator, the programme manager)."""
    return {"allowed": user_factory("cw-ro", Role.CASE_WORKER, ("RO",)),
            "other_country": user_factory("cw-rs", Role.CASE_WORKER, ("RS",)),
            "outsider": user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",)),
            "analyst": user_factory("analyst-ro", Role.ANALYST, ("RO",)),
            "coordinator_rs": user_factory("coordinator-rs", Role.NATIONAL_COORDINATOR, ("RS",)),
            "manager": user_factory("manager", Role.PROGRAMME_MANAGER),
            "viewer": user_factory("viewer", Role.VIEWER)}


@pytest.fixture
def case(people: dict[str, Any]) -> Case:
    user = people["allowed"]
    case = create_case(acting_user=user, case=Case(organisation=user.organisation, owner_country_id="RO"), forms=[],
                       route=Route())
    Perpetrator.objects.create(case=case, roles=["Exploiter"], gender="Male")
    return case


@pytest.fixture
def proceeding(people: dict[str, Any], case: Case) -> Proceeding:
    user = people["allowed"]
    defendant = services.record_defendant(acting_user=user, country="RO", person=services.Person(
        reference="RO-D-1", sex="male", birth_year=1980))
    proceeding = services.open_proceeding(acting_user=user, defendant=defendant, spec=services.ProceedingSpec(
        investigation_opened=date(2021, 1, 10), prosecuted_on=date(2021, 6, 1), file_number="123/2021",
        charges=[services.ChargeSpec("thb", "Art. 210"), services.ChargeSpec("money_laundering")]))
    services.set_victim(acting_user=user, proceeding=proceeding, case=case,
                        part=services.Part(testified=True))
    return proceeding
