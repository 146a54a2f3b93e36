"""Who reads and who runs the steering committee."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from palermo.accounts.access import Principal, is_active_user, is_system
from palermo.accounts.roles import PORTFOLIO_ROLES, Role
from palermo.steering.figures import Scope

if TYPE_CHECKING:
    from palermo.accounts.models import User
    from palermo.steering.models import SteeringMeeting

# Every portfolio role reads the committee: the meetings and a review.
READ_ROLES = PORTFOLIO_ROLES
# The full review is the French administration's document: its own roles read it whole (the programme's management,
# the embassies, which sit on the committee, and the auditor). The others with the portfolio (national coordinators,
# international organisation partners) read the version of their scope: the actions they read everywhere else
# (``Action.objects.visible_to``), nothing of another country or organisation. See docs/steering.md.
FULL_REVIEW_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.EMBASSY_OFFICER, Role.AUDITOR})
MANAGE_ROLES = frozenset({Role.PROGRAMME_MANAGER})


def may_read_steering(user: Principal) -> bool:
    return is_system(user) or (is_active_user(user) and user.role in READ_ROLES)


def reads_full_review(user: Principal) -> bool:
    """Whether ``user`` reads the full review (the system does: commands and the demo)."""
    return is_system(user) or (is_active_user(user) and user.role in FULL_REVIEW_ROLES)


def review_scope(user: Principal) -> Scope | None:
    """The scope of the review ``user`` reads: None for the full review. A scope holds the actions
    ``Action.objects.visible_to(user)`` gives: a share in one of the user's countries, or, for an international
    organisation partner, its organisation taking part. Only for readers of the committee."""
    if reads_full_review(user):
        return None
    if not (is_active_user(user) and may_read_steering(user)):
        raise PermissionDenied
    if user.role == Role.IO_PARTNER:
        organisation = user.organisation
        if organisation is None:
            return Scope()  # no organisation: a version without any action
        return Scope(organisation=organisation.pk, organisation_name=organisation.name)
    return Scope(countries=user.country_codes() or frozenset())


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
