"""Who may do what in the national referral mechanism: every rule of the referral app, in one place.

Reads go through ``Referral.objects.visible_to(user)`` and ``Service.objects.visible_to(user)`` (models.py);
the ``access_*`` helpers answer 404 for a forbidden object exactly as for a missing one. The system
(``SYSTEM.running("demo")``) passes every ``may_*`` rule.
"""

from __future__ import annotations

from django.http import Http404

from palermo.accounts.access import Actor, Principal, is_active_user, is_system
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.referral.models import Referral, Service

# Who keeps the service directory of their countries.
DIRECTORY_EDITORS = frozenset({Role.CASE_WORKER, Role.NATIONAL_COORDINATOR})


def may_use_referrals(user: Principal | None) -> bool:
    """Case workers of an organisation carry cases through the NRM and read their organisation's worklist."""
    return is_active_user(user) and user.role == Role.CASE_WORKER and bool(user.organisation_id)


def may_refer(actor: Actor, case: Case) -> bool:
    """A case of the case worker's own organisation, owned by one of the case worker's countries; never an erased
    case (its tombstone holds statistics only)."""
    if case.erased:
        return False
    if is_system(actor):
        return True
    return (may_use_referrals(actor) and is_active_user(actor) and actor.organisation_id == case.organisation_id
            and actor.covers_country(case.owner_country_id))


def access_referral(user: User, pk: int) -> Referral:
    found = Referral.objects.visible_to(user).filter(pk=pk).select_related("case", "service").first()
    if found is None:
        raise Http404
    return found


def may_edit_directory(actor: Actor, country: str) -> bool:
    """Case workers and national coordinators add and confirm the services of their countries."""
    if is_system(actor):
        return True
    return is_active_user(actor) and actor.role in DIRECTORY_EDITORS and actor.covers_country(country)


def access_service(user: User, pk: int) -> Service:
    found = Service.objects.visible_to(user).filter(pk=pk).select_related("organisation").first()
    if found is None:
        raise Http404
    return found
