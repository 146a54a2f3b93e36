"""The people of the objective-3 permission tests (screening, referral, assistance, the timeline)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from palermo.accounts.roles import Role


def case_work_people(user_factory: Callable[..., Any]) -> dict[str, Any]:
    """Allowed (a case worker in Romania), the same role in Serbia (another organisation), an outsider (Romania's
    national coordinator) and a viewer."""
    return {"allowed": user_factory("cw-ro", Role.CASE_WORKER, ("RO",)),
            "other_country": user_factory("cw-rs", Role.CASE_WORKER, ("RS",)),
            "outsider": user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",)),
            "viewer": user_factory("viewer", Role.VIEWER)}
