"""State changes of screenings: keyword-only, atomic, audited in the same transaction. The rules they apply
live in ``palermo.screening.access``; the system actor (the demo) passes them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone

from palermo.accounts.access import Actor, person_of
from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases.models import Case
from palermo.cases.services import Route, create_case
from palermo.partners.models import Organisation
from palermo.reference.models import IndicatorList
from palermo.screening import lists, scoring
from palermo.screening.access import may_handle_screening, may_screen_for
from palermo.screening.models import Screening


@transaction.atomic
def create_screening(*, acting_user: Actor, indicator_list: IndicatorList, country: str, ticked: Iterable[str],
                     organisation: Organisation | None = None, at: datetime | None = None,
                     request: HttpRequest | None = None) -> Screening:
    """Score the ticked indicators with the list's active version and keep the result as computed, in both
    languages. A case worker screens for their own organisation (``organisation`` is for the system, which has
    none). Raises ``scoring.ScreeningInputError`` for indicators the list does not hold."""
    if organisation is None and isinstance(acting_user, User):
        organisation = acting_user.organisation
    if organisation is None or not (may_screen_for(acting_user, organisation_id=organisation.pk, country=country)
                                    and lists.is_active(indicator_list)):
        raise Http404
    result = scoring.score(lists.spec_of(indicator_list), ticked)
    screening = Screening.objects.create(
        indicator_list=indicator_list, organisation=organisation, country_id=country,
        screened_by=person_of(acting_user), screened_at=at or timezone.now(), ticked=result.ticked,
        result={"en": result.as_dict("en"), "fr": result.as_dict("fr")},
        possible_victim=result.possible_victim, referral=result.referral,
    )
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="screening.screening",
           object_id=screening.pk, country=country, request=request,
           detail={"list": indicator_list.code, "version": indicator_list.version,
                   "possible_victim": result.possible_victim, "referral": result.referral})
    return screening


@transaction.atomic
def open_case(*, acting_user: Actor, screening: Screening, request: HttpRequest | None = None) -> Case:
    """A case record for the person screened (a possible victim, owned by the screener's organisation), through the
    cases services; a screening opens at most one case."""
    locked = Screening.objects.select_for_update().get(pk=screening.pk)
    if not may_handle_screening(acting_user, locked):
        raise Http404
    if locked.case_id is not None:
        return Case.objects.get(pk=locked.case_id)
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
