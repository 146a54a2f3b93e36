"""State changes of referrals and the service directory: keyword-only, atomic, audited in the same transaction.
The rules they apply live in ``palermo.referral.access``; the system actor (the demo) passes them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone

from palermo.accounts.access import Actor, person_of
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases import codes
from palermo.cases.models import Case
from palermo.cases.services import record_status_decision
from palermo.partners.models import Organisation
from palermo.referral import workflow
from palermo.referral.access import may_edit_directory, may_refer
from palermo.referral.models import COUNTRY_ZONES, CountryNrm, Referral, ReferralStep, Service

# A formal decision of the NRM sets the case's trafficking status (REFERENCE.md §2.8: an actual victim is one
# formally identified; "not a victim" is kept); leaving a final step makes the person a presumed victim again.
STATUS_OF_STEP = {workflow.IDENTIFIED: codes.TraffickingStatus.ACTUAL.value,
                  workflow.NOT_IDENTIFIED: codes.TraffickingStatus.NOT_VICTIM.value}


@dataclass(frozen=True)
class Deadlines:
    time_zone: str
    reflection_days: int
    guardian_days: int | None


def deadlines_for(country: str) -> Deadlines:
    """The country's settings; without a row, its known time zone and the Warsaw minimum, no guardian deadline."""
    settings_row = CountryNrm.objects.filter(country_id=country).first()
    if settings_row is not None:
        return Deadlines(settings_row.time_zone, workflow.reflection_days(settings_row.reflection_days),
                         settings_row.guardian_days)
    if country not in COUNTRY_ZONES:
        raise workflow.WorkflowError(f"no time zone is recorded for {country}: a programme manager sets it")
    return Deadlines(COUNTRY_ZONES[country], workflow.MIN_REFLECTION_DAYS, None)


@transaction.atomic
def open_referral(*, acting_user: Actor, case: Case, minor: bool | None, at: datetime | None = None,
                  request: HttpRequest | None = None) -> Referral:
    """The case enters the NRM as a possible (presumed) victim: the reflection period and, for a minor, the
    guardian deadline start now, in the country's time zone."""
    if not may_refer(acting_user, case):
        raise Http404
    if Referral.objects.filter(case=case).exists():
        raise workflow.WorkflowError("this case is already in the referral mechanism")
    at = at or timezone.now()
    rules = deadlines_for(case.owner_country_id)
    guardian_due = (workflow.period_end(at, rules.guardian_days, rules.time_zone)
                    if minor and rules.guardian_days is not None else None)
    referral = Referral.objects.create(
        case=case, organisation_id=case.organisation_id, country_id=case.owner_country_id, minor=minor,
        step=workflow.POSSIBLE, presumed_at=at, time_zone=rules.time_zone,
        reflection_ends=workflow.period_end(at, rules.reflection_days, rules.time_zone), guardian_due=guardian_due)
    ReferralStep.objects.create(referral=referral, step=workflow.POSSIBLE, kind="next", at=at,
                                recorded_by=person_of(acting_user))
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="referral.referral",
           object_id=referral.pk, country=referral.country_id, request=request,
           detail={"case_code": case.case_code, "step": workflow.POSSIBLE, "minor": minor})
    return referral


@transaction.atomic
def record_step(*, acting_user: Actor, referral: Referral, step: str, reason: str = "", decided_by: str = "",
                service: Service | None = None, at: datetime | None = None,
                request: HttpRequest | None = None) -> ReferralStep:
    """The next step, or any other with a recorded reason (``WorkflowError`` otherwise). Reaching "formally
    identified" or "not identified", or leaving it, updates the case's trafficking status in the same
    transaction (``cases.services.record_status_decision``, audited there)."""
    locked = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    if not may_refer(acting_user, locked.case):
        raise Http404
    if decided_by and decided_by not in codes.DecisionMaker.values:
        raise workflow.WorkflowError(f"unknown decision maker {decided_by!r}")
    if service is not None and service.country_id != locked.country_id:
        raise workflow.WorkflowError("the service is not in the referral's country")
    move = workflow.check_move(locked.step, step, reason)
    entry = ReferralStep.objects.create(referral=locked, step=step, kind=move.kind, reason=reason.strip(),
                                        decided_by=decided_by, service=service, at=at or timezone.now(),
                                        recorded_by=person_of(acting_user))
    locked.step = step
    if service is not None:
        locked.service = service
    locked.save(update_fields=["step", "service"])
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="referral.referral",
           object_id=locked.pk, country=locked.country_id, request=request,
           detail={"case_code": locked.case.case_code, "from": move.previous, "step": step, "move": move.kind,
                   "reason_given": bool(reason.strip()), "decided_by": decided_by,
                   "service": service.pk if service else None})
    if step in STATUS_OF_STEP:
        record_status_decision(acting_user=acting_user, case=locked.case, status=STATUS_OF_STEP[step],
                               decided_by=decided_by, decided_on=workflow.local_day(entry.at, locked.time_zone),
                               source="referral", request=request)
    elif move.previous in STATUS_OF_STEP:
        record_status_decision(acting_user=acting_user, case=locked.case,
                               status=codes.TraffickingStatus.POSSIBLE.value, source="referral", request=request)
    referral.step, referral.service = locked.step, locked.service
    return entry


@transaction.atomic
def appoint_guardian(*, acting_user: Actor, referral: Referral, at: datetime | None = None,
                     request: HttpRequest | None = None) -> Referral:
    locked = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    if not may_refer(acting_user, locked.case):
        raise Http404
    if locked.guardian_appointed_at is not None:
        raise workflow.WorkflowError("a guardian is already recorded")
    locked.guardian_appointed_at = at or timezone.now()
    locked.save(update_fields=["guardian_appointed_at"])
    on_time = locked.guardian_due is None or locked.guardian_appointed_at <= locked.guardian_due
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="referral.referral",
           object_id=locked.pk, country=locked.country_id, request=request,
           detail={"case_code": locked.case.case_code, "guardian_appointed": True, "on_time": on_time})
    referral.guardian_appointed_at = locked.guardian_appointed_at
    return referral


# ------------------------------------------------------------------------------------------ directory


@transaction.atomic
def add_service(*, acting_user: Actor, organisation: Organisation, country: str, service_types: Sequence[str],
                area: str, languages: str, contact: str, last_verified: date,
                request: HttpRequest | None = None) -> Service:
    if not may_edit_directory(acting_user, country):
        raise Http404
    service = Service.objects.create(organisation=organisation, country_id=country, service_types=list(service_types),
                                     area=area, languages=languages, contact=contact, last_verified=last_verified,
                                     recorded_by=person_of(acting_user))
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="referral.service", object_id=service.pk,
           country=country, request=request, detail={"organisation": organisation.pk, "types": list(service_types)})
    return service


@transaction.atomic
def confirm_service(*, acting_user: Actor, service: Service, request: HttpRequest | None = None) -> Service:
    """The service's details were checked today."""
    if not may_edit_directory(acting_user, service.country_id):
        raise Http404
    service.last_verified = timezone.localdate()
    service.save(update_fields=["last_verified"])
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="referral.service", object_id=service.pk,
           country=service.country_id, request=request, detail={"fields": ["last_verified"]})
    return service
