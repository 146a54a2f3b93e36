"""What waits for the case worker: the deadlines of the organisation's referrals (the worklist page), and the same
on the home page with the open cases that have no referral yet (``palermo.web.registry.add_panel``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.models import User
from palermo.cases import codes
from palermo.cases.models import IDENTIFYING_FIELDS, Case, minor_when_identified, minors_first
from palermo.referral import workflow
from palermo.referral.access import may_use_referrals
from palermo.referral.models import Referral

FINAL = frozenset({workflow.IDENTIFIED, workflow.NOT_IDENTIFIED})
SHOWN = 10


@dataclass
class Due:
    referral: Referral
    what: str
    due: datetime | None
    urgency: str


def pending(referral: Referral, now: datetime) -> list[Due]:
    items = []
    if referral.minor and referral.guardian_appointed_at is None:
        label = _("guardian to appoint") if referral.guardian_due else _("guardian to appoint (no deadline set)")
        items.append(Due(referral, label, referral.guardian_due, workflow.urgency(referral.guardian_due, now)))
    if referral.step not in FINAL:
        items.append(Due(referral, _("end of the recovery and reflection period"), referral.reflection_ends,
                         workflow.urgency(referral.reflection_ends, now)))
    return items


def items_for(user: User, now: datetime | None = None) -> list[Due]:
    """The deadlines of the user's referrals: overdue first, then due soon; minors first within each."""
    now = now or timezone.now()
    referrals = (Referral.objects.visible_to(user).select_related("case").order_by("pk")
                 .defer(*(f"case__{name}" for name in IDENTIFYING_FIELDS)))  # the worklist shows no identity
    items = [item for referral in referrals for item in pending(referral, now)]
    items.sort(key=lambda item: workflow.worklist_key(item.urgency, item.referral.minor, item.due))
    return items


def next_steps(user: User) -> dict[str, Any] | None:
    """The home page's panel: the first deadlines, and the open cases not referred yet (their next step is the
    referral), minors first. None for anyone without a worklist."""
    if not may_use_referrals(user):
        return None
    items = items_for(user)
    unreferred = Case.objects.visible_to(user).filter(case_status__in=codes.OPEN_CASE_STATUSES, erased_at__isnull=True,
                                                      referral__isnull=True)
    shown = unreferred.only("pk", "case_code", "age_at_identification", "age_band", "identification_date")
    return {"items": items[:SHOWN], "more": max(0, len(items) - SHOWN),
            "unreferred": list(minors_first(shown)[:SHOWN]), "unreferred_count": unreferred.count(),
            "unreferred_minors": unreferred.filter(minor_when_identified()).count()}
