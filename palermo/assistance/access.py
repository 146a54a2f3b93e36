"""Who may record and read the support given on a case: the rules of the case's referral (the case worker's
organisation, in the case worker's countries); the system (the demo) passes them.

Reads go through ``SupportEntry.objects.visible_to(user)`` (models.py); ``access_support_entry`` answers 404 for a
forbidden entry exactly as for a missing one.
"""

from __future__ import annotations

from django.http import Http404

from palermo.accounts.access import Actor, Principal
from palermo.accounts.models import User
from palermo.assistance.models import SupportEntry
from palermo.cases.models import Case
from palermo.referral.access import may_refer, may_use_referrals


def may_use_assistance(user: Principal | None) -> bool:
    """Case workers of an organisation, as for referrals."""
    return may_use_referrals(user)


def may_assist(actor: Actor, case: Case) -> bool:
    """The same rule as the case's referral."""
    return may_refer(actor, case)


def access_support_entry(user: User, pk: int) -> SupportEntry:
    found = SupportEntry.objects.visible_to(user).filter(pk=pk).select_related(
        "case", "provider", "service__organisation").first()
    if found is None or not may_assist(user, found.case):
        raise Http404
    return found
