"""The support plans of a case, shown on its referral page (``palermo.referral.sections``)."""

from __future__ import annotations

from typing import Any

from palermo.accounts.models import User
from palermo.assistance.access import may_assist
from palermo.assistance.models import SupportEntry
from palermo.cases.models import Case


def case_section(user: User, case: Case) -> dict[str, Any] | None:
    if not may_assist(user, case):
        return None
    entries = SupportEntry.objects.visible_to(user).filter(case=case).select_related(
        "provider", "service__organisation").order_by("start_date", "pk")
    return {"case": case, "entries": list(entries)}
