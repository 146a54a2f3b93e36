"""Demo support plans, consistent with the demo referrals (runs after ``palermo.referral.demo``): each person
accepted into the referral mechanism gets support from the demo directory's providers, chosen by the case record
(rehabilitation by form of exploitation, legal aid for everyone, education and social care for a child). Plans
whose planned end has passed are closed with an outcome; the others are still open. Deterministic (fixed rules,
dates from the referral steps), idempotent (a case with support plans is skipped)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from palermo.accounts.access import SYSTEM
from palermo.assistance import services
from palermo.assistance.models import Outcome, SupportEntry
from palermo.cases import codes
from palermo.cases.models import Case
from palermo.partners.models import Organisation
from palermo.referral import workflow
from palermo.referral.models import Referral, Service

OUTCOMES = [Outcome.MET, Outcome.MET, Outcome.PARTLY_MET, Outcome.DISCONTINUED, Outcome.MET, Outcome.NOT_MET]
DEMO_NOTE = "DEMO: illustrative support plan"


def load(log: list[str], now: datetime | None = None) -> None:
    """``now``: the moment the demo is loaded (tests fix it)."""
    actor = SYSTEM.running("demo")
    today = timezone.localdate(now or timezone.now())
    added = closed = 0
    accepted = (Referral.objects.filter(step__in=[workflow.ACCEPTED, workflow.IDENTIFIED, workflow.NOT_IDENTIFIED],
                                        case__support_entries__isnull=True)
                .select_related("case", "country").order_by("country_id", "pk"))
    for position, referral in enumerate(accepted):
        start = _accepted_on(referral)
        for offset, (support_type, provider, service, months) in enumerate(_plan(referral)):
            entry = services.add_support(acting_user=actor, case=referral.case, plan=services.SupportPlan(
                support_type=support_type, provider=provider, service=service, start_date=start,
                planned_end_date=start + timedelta(days=30 * months), objectives=DEMO_NOTE))
            added += 1
            assert entry.planned_end_date is not None
            if entry.planned_end_date < today:
                outcome = OUTCOMES[(position + offset) % len(OUTCOMES)]
                ended = entry.planned_end_date - timedelta(days=45 if outcome == Outcome.DISCONTINUED else 0)
                services.close_support(acting_user=actor, entry=entry, end_date=max(ended, start), outcome=outcome,
                                       note=DEMO_NOTE)
                closed += 1
    log.append(f"assistance: {added} demo support plans ({closed} closed), {SupportEntry.objects.count()} in all")


def _accepted_on(referral: Referral) -> date:
    step = referral.steps.filter(step=workflow.ACCEPTED).order_by("at", "pk").first()
    moment = step.at if step is not None else referral.presumed_at
    return workflow.local_day(moment, referral.time_zone)


def _provider(short: str, country: str) -> tuple[Organisation | None, Service | None]:
    organisation = Organisation.objects.filter(short_name=short).first()
    service = Service.objects.filter(organisation=organisation, country_id=country).first() if organisation else None
    return organisation, service


def _plan(referral: Referral) -> list[tuple[str, Organisation, Service | None, int]]:
    """(type, provider, directory service, months) for the person, from the case record."""
    case: Case = referral.case
    code = referral.country_id
    ngo, shelter = _provider(f"NGO-{code}", code)
    association, legal = _provider(f"VA-{code}", code)
    forms = set(case.forms.values_list("code", flat=True))
    plan: list[tuple[str, Organisation | None, Service | None, int]] = []
    if "sexual_exploitation" in forms:
        plan.append((codes.SupportPlanType.SEXUAL_REHABILITATION.value, ngo, shelter, 6))
    elif "forced_labour" in forms:
        plan.append((codes.SupportPlanType.LABOUR_REHABILITATION.value, ngo, shelter, 6))
    else:
        plan.append((codes.SupportPlanType.HEALTH.value, ngo, shelter, 3))
    plan.append((codes.SupportPlanType.LEGAL.value, association, legal, 12))
    if referral.minor:
        plan.append((codes.SupportPlanType.EDUCATION.value, ngo, None, 9))
        plan.append((codes.SupportPlanType.SOCIAL_CARE.value, ngo, shelter, 12))
    return [(kind, provider, service, months) for kind, provider, service, months in plan if provider is not None]
