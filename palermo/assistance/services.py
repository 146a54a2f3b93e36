"""State changes of support plans: keyword-only, atomic, audited in the same transaction. The rules come from
``palermo.assistance.access``. Bad input raises ``ValidationError`` naming the field, and nothing is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor, person_of
from palermo.assistance.access import may_assist
from palermo.assistance.models import Outcome, SupportEntry
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases import codes
from palermo.cases.models import Case
from palermo.partners.models import Organisation
from palermo.referral.models import Service


@dataclass(frozen=True)
class SupportPlan:
    """What a support plan says, as the page form or the API gives it (HTCDS ``spl_Type``, ``spl_Objectives``,
    ``spl_ActionPlan``, ``spl_PlannedEndDate``), with its provider and start."""

    support_type: str
    provider: Organisation
    start_date: date
    service: Service | None = None
    planned_end_date: date | None = None
    objectives: str = ""
    action_plan: str = ""


def _problems(plan: SupportPlan, case: Case, actual_end_date: date | None = None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if plan.support_type not in codes.SupportPlanType.values:
        problems["support_type"] = [_("Unknown type of support %(value)r: use one of %(values)s (HTCDS).") % {
            "value": plan.support_type, "values": ", ".join(codes.SupportPlanType.values)}]
    if plan.service is not None:
        if plan.service.country_id != case.owner_country_id:
            problems["service"] = [_("The service is not in the case's country.")]
        elif plan.service.organisation_id != plan.provider.pk:
            problems["provider"] = [_("The provider is not the organisation of the service chosen.")]
    if plan.planned_end_date is not None and plan.planned_end_date < plan.start_date:
        problems["planned_end_date"] = [_("The planned end cannot come before the start.")]
    if actual_end_date is not None and actual_end_date < plan.start_date:
        problems["start_date"] = [_("The start cannot come after the end already recorded.")]
    return problems


def _audit_detail(entry: SupportEntry) -> dict[str, object]:
    """What the audit row keeps: codes and ids, never the free text of objectives, plan or outcome."""
    return {"case_code": entry.case.case_code, "type": entry.support_type, "provider": entry.provider_id,
            "service": entry.service_id}


@transaction.atomic
def add_support(*, acting_user: Actor, case: Case, plan: SupportPlan,
                request: HttpRequest | None = None) -> SupportEntry:
    """A new support plan on the case, open until it is closed."""
    if not may_assist(acting_user, case):
        raise Http404
    problems = _problems(plan, case)
    if problems:
        raise ValidationError(problems)
    entry = SupportEntry.objects.create(
        case=case, organisation_id=case.organisation_id, country_id=case.owner_country_id,
        support_type=plan.support_type, provider=plan.provider, service=plan.service,
        objectives=plan.objectives.strip(), action_plan=plan.action_plan.strip(), start_date=plan.start_date,
        planned_end_date=plan.planned_end_date, recorded_by=person_of(acting_user))
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="assistance.supportentry",
           object_id=entry.pk, country=entry.country_id, request=request, detail=_audit_detail(entry))
    return entry


@transaction.atomic
def update_support(*, acting_user: Actor, entry: SupportEntry, plan: SupportPlan,
                   request: HttpRequest | None = None) -> SupportEntry:
    """Correct or complete a support plan (its closure stays as recorded)."""
    locked = SupportEntry.objects.select_for_update().select_related("case").get(pk=entry.pk)
    if not may_assist(acting_user, locked.case):
        raise Http404
    problems = _problems(plan, locked.case, locked.actual_end_date)
    if problems:
        raise ValidationError(problems)
    values = {"support_type": plan.support_type, "provider_id": plan.provider.pk,
              "service_id": plan.service.pk if plan.service else None, "objectives": plan.objectives.strip(),
              "action_plan": plan.action_plan.strip(), "start_date": plan.start_date,
              "planned_end_date": plan.planned_end_date}
    changed = sorted(name.removesuffix("_id") for name, value in values.items() if getattr(locked, name) != value)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="assistance.supportentry",
           object_id=locked.pk, country=locked.country_id, request=request,
           detail={**_audit_detail(locked), "fields": changed})
    return locked


@transaction.atomic
def close_support(*, acting_user: Actor, entry: SupportEntry, end_date: date, outcome: str, note: str = "",
                  request: HttpRequest | None = None) -> SupportEntry:
    """The support plan ended on ``end_date`` (HTCDS ``spl_ActualEndDate``), with its outcome."""
    locked = SupportEntry.objects.select_for_update().select_related("case").get(pk=entry.pk)
    if not may_assist(acting_user, locked.case):
        raise Http404
    problems: dict[str, list[str]] = {}
    if locked.actual_end_date is not None:
        problems["actual_end_date"] = [_("This support plan is already closed.")]
    elif end_date < locked.start_date:
        problems["actual_end_date"] = [_("The end cannot come before the start (%(start)s).") % {
            "start": locked.start_date.isoformat()}]
    elif end_date > timezone.localdate():
        problems["actual_end_date"] = [_("The end date cannot be in the future.")]
    if outcome not in Outcome.values:
        problems["outcome"] = [_("Unknown outcome %(value)r: use one of %(values)s.") % {
            "value": outcome, "values": ", ".join(Outcome.values)}]
    if problems:
        raise ValidationError(problems)
    locked.actual_end_date, locked.outcome, locked.outcome_note = end_date, outcome, note.strip()
    locked.closed_by, locked.closed_at = person_of(acting_user), timezone.now()
    locked.save(update_fields=["actual_end_date", "outcome", "outcome_note", "closed_by", "closed_at"])
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="assistance.supportentry",
           object_id=locked.pk, country=locked.country_id, request=request,
           detail={**_audit_detail(locked), "closed": end_date.isoformat(), "outcome": outcome})
    return locked
