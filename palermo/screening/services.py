"""State changes of screenings: keyword-only, atomic, audited in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import Http404, HttpRequest

from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases.models import Case
from palermo.cases.services import Route, create_case
from palermo.reference.models import IndicatorList
from palermo.screening import lists, scoring
from palermo.screening.models import SCREENING_ROLES, Screening

if TYPE_CHECKING:
    from palermo.accounts.models import User


def may_screen(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in SCREENING_ROLES and user.organisation_id)


def access_screening(user: User, pk: int) -> Screening:
    """The screening if the user may read it; Http404 for a forbidden one exactly as for a missing one."""
    found = Screening.objects.visible_to(user).filter(pk=pk).select_related(
        "indicator_list", "country", "case", "screened_by").first()
    if found is None:
        raise Http404
    return found


@transaction.atomic
def create_screening(*, acting_user: User, indicator_list: IndicatorList, country: str, ticked: Iterable[str],
                     request: HttpRequest | None = None) -> Screening:
    """Score the ticked indicators with the list's active version and keep the result as computed, in both
    languages. Raises ``scoring.ScreeningInputError`` for indicators the list does not hold."""
    organisation = acting_user.organisation
    if not (may_screen(acting_user) and organisation and acting_user.covers_country(country)
            and lists.is_active(indicator_list)):
        raise Http404
    result = scoring.score(lists.spec_of(indicator_list), ticked)
    screening = Screening.objects.create(
        indicator_list=indicator_list, organisation=organisation, country_id=country,
        screened_by=acting_user, ticked=result.ticked, result={"en": result.as_dict("en"), "fr": result.as_dict("fr")},
        possible_victim=result.possible_victim, referral=result.referral,
    )
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="screening.screening",
           object_id=screening.pk, country=country, request=request,
           detail={"list": indicator_list.code, "version": indicator_list.version,
                   "possible_victim": result.possible_victim, "referral": result.referral})
    return screening


@transaction.atomic
def open_case(*, acting_user: User, screening: Screening, request: HttpRequest | None = None) -> Case:
    """A case record for the person screened (a possible victim, owned by the screener's organisation), through the
    cases services; a screening opens at most one case."""
    locked = Screening.objects.select_for_update().get(pk=screening.pk)
    if locked.case_id is not None:
        return Case.objects.get(pk=locked.case_id)
    if locked.organisation_id != acting_user.organisation_id or not acting_user.covers_country(locked.country_id):
        raise Http404
    case = create_case(acting_user=acting_user, case=Case(organisation_id=locked.organisation_id,
                                                          owner_country_id=locked.country_id),
                       forms=[], route=Route(), request=request)
    locked.case = case
    locked.save(update_fields=["case"])
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="screening.screening",
           object_id=locked.pk, country=locked.country_id, request=request,
           detail={"case_code": case.case_code, "fields": ["case"]})
    screening.case = case
    return case
