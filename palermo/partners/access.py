"""Who reads the directory: organisations and partnerships are for every signed-in person, their contact
people (personal data) only for the roles that work on the portfolio."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from palermo.accounts.access import Principal, is_active_user, is_system
from palermo.accounts.roles import PORTFOLIO_ROLES

if TYPE_CHECKING:
    from palermo.accounts.models import User
    from palermo.partners.models import Organisation

PEOPLE_ROLES = PORTFOLIO_ROLES


def may_read_directory(user: Principal) -> bool:
    """Organisations and partnerships are directory data: every signed-in person reads them."""
    return is_system(user) or is_active_user(user)


def may_read_people(user: Principal) -> bool:
    """Contact people are personal data: only the roles that work on the portfolio read them."""
    return is_system(user) or (is_active_user(user) and user.role in PEOPLE_ROLES)


def access_organisation(user: User, pk: int) -> Organisation:
    """The organisation if the user may read it; forbidden and missing answer alike."""
    from palermo.partners.models import Organisation

    organisation = Organisation.objects.visible_to(user).filter(pk=pk).select_related("country").first()
    if organisation is None:
        raise Http404
    return organisation
