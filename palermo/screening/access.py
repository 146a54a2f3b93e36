"""Who may screen and read screenings: every rule of the screening app, in one place.

Reads go through ``Screening.objects.visible_to(user)`` (models.py); ``access_screening`` answers 404 for a
forbidden screening exactly as for a missing one. The system (``SYSTEM.running("demo")``) passes every rule.
"""

from __future__ import annotations

from django.http import Http404

from palermo.accounts.access import Actor, Principal, is_active_user, is_system
from palermo.accounts.models import User
from palermo.screening.models import SCREENING_ROLES, Screening


def may_screen(user: Principal | None) -> bool:
    """Case workers of an organisation screen possible victims and read their organisation's screenings."""
    return is_active_user(user) and user.role in SCREENING_ROLES and bool(user.organisation_id)


def may_screen_for(actor: Actor, *, organisation_id: int | None, country: str) -> bool:
    """A screening for the case worker's own organisation, in one of the case worker's countries."""
    if is_system(actor):
        return organisation_id is not None
    return (may_screen(actor) and is_active_user(actor) and actor.organisation_id == organisation_id
            and actor.covers_country(country))


def may_handle_screening(actor: Actor, screening: Screening) -> bool:
    """Open a case from a screening: the screening's organisation and country must be the case worker's."""
    return may_screen_for(actor, organisation_id=screening.organisation_id, country=screening.country_id)


def access_screening(user: User, pk: int) -> Screening:
    """The screening if the user may read it; Http404 for a forbidden one exactly as for a missing one."""
    found = Screening.objects.visible_to(user).filter(pk=pk).select_related(
        "indicator_list", "country", "case", "screened_by").first()
    if found is None:
        raise Http404
    return found
