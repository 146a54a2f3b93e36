"""Who reads and who runs the steering committee."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from palermo.accounts.access import Principal, is_active_user, is_system
from palermo.accounts.roles import PORTFOLIO_ROLES, Role

if TYPE_CHECKING:
    from palermo.accounts.models import User
    from palermo.steering.models import SteeringMeeting

# The committee's review is the programme's shared document: every portfolio role reads it whole.
READ_ROLES = PORTFOLIO_ROLES
MANAGE_ROLES = frozenset({Role.PROGRAMME_MANAGER})


def may_read_steering(user: Principal) -> bool:
    return is_system(user) or (is_active_user(user) and user.role in READ_ROLES)


def may_manage_steering(user: Principal) -> bool:
    return is_system(user) or (is_active_user(user) and user.role in MANAGE_ROLES)


def access_meeting(user: User, year: int) -> SteeringMeeting:
    """The meeting of ``year`` if the user may read it; forbidden and missing answer alike."""
    from palermo.steering.models import SteeringMeeting

    meeting = SteeringMeeting.objects.visible_to(user).filter(year=year).first()
    if meeting is None:
        raise Http404
    return meeting


def access_managed_meeting(user: User, year: int) -> SteeringMeeting:
    if not may_manage_steering(user):
        raise Http404
    return access_meeting(user, year)
