"""Who may do what in entity resolution.

- The review queue, the records and judgements: analysts, on the records of their countries (a pair: both
  records). Reads go through ``LinkRecord.objects.visible_to`` / ``Candidate.objects.visible_to``;
  ``access_candidate`` answers 404 for a forbidden pair exactly as for a missing one.
- The models, their evaluation and the unique-victim figures (no identifier in them): programme managers,
  national coordinators and analysts.
- Commands, jobs and the demo act as the system, which passes every rule.
"""

from __future__ import annotations

from django.http import Http404

from palermo.accounts.access import Principal, is_active_user, is_system
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.linkage.models import REVIEW_ROLES, Candidate

FIGURE_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.NATIONAL_COORDINATOR, Role.ANALYST})


def may_review(user: Principal | None) -> bool:
    return is_system(user) or (is_active_user(user) and user.role in REVIEW_ROLES)


def may_see_linkage_figures(user: Principal | None) -> bool:
    return is_system(user) or (is_active_user(user) and user.role in FIGURE_ROLES)


def may_judge(user: Principal | None, candidate: Candidate) -> bool:
    """The pair's two records are in the user's countries."""
    if is_system(user):
        return True
    if not (is_active_user(user) and user.role in REVIEW_ROLES):
        return False
    return (user.covers_country(candidate.left.country_id)
            and user.covers_country(candidate.right.country_id))


def access_candidate(user: User, pk: int) -> Candidate:
    found = Candidate.objects.visible_to(user).filter(pk=pk).select_related("left", "right", "model").first()
    if found is None or not may_judge(user, found):
        raise Http404
    return found
