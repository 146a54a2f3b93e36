"""State changes of justice records: keyword-only, atomic, audited in the same transaction. The rules come from
``palermo.justice.access``; bad input raises ``ValidationError`` naming the field, and nothing is written.

After every write that can change the counts, ``results_changed`` refreshes the indicator periods measured by the
justice feeds (``palermo.justice.feeds``) in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor, is_active_user, person_of
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases.models import Case, Perpetrator
from palermo.justice import counting
from palermo.justice.access import may_edit, may_link_case, may_record_justice
from palermo.justice.models import (
    THB_OFFENCES,
    Charge,
    Decision,
    Defendant,
    Instance,
    Offence,
    Outcome,
    Proceeding,
    Sex,
    VictimParticipation,
)
from palermo.partners.models import Organisation
from palermo.reference.models import Country

EARLIEST = date(1990, 1, 1)


def _problem(problems: dict[str, list[str]], name: str, message: str) -> None:
    problems.setdefault(name, []).append(message)


def _day(problems: dict[str, list[str]], name: str, value: date | None) -> None:
    if value is not None and not EARLIEST <= value <= timezone.localdate():
        _problem(problems, name, _("The date must lie between 1990 and today."))


def results_changed(*, acting_user: Actor, country: str) -> None:
    """The figures of ``country`` changed: refresh the measured indicator periods of the actions in it."""
    from palermo.justice import feeds

    feeds.refresh(acting_user=acting_user, country=country)


# --- defendants ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    """What the form or the API says of a defendant."""

    reference: str
    is_legal_person: bool = False
    sex: str = Sex.UNKNOWN
    birth_year: int | None = None
    citizenship: str = ""
    perpetrators: Sequence[Perpetrator] = ()


def _person_problems(actor: Actor, person: Person) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not person.reference.strip():
        _problem(problems, "reference", _("Give the prosecution's reference for the person (never a name)."))
    if person.sex not in Sex.values:
        _problem(problems, "sex", _("Unknown sex %(value)r.") % {"value": person.sex})
    if person.birth_year is not None and not 1900 <= person.birth_year <= timezone.localdate().year:
        _problem(problems, "birth_year", _("A year of birth lies between 1900 and this year."))
    if person.is_legal_person and (person.birth_year is not None or person.sex != Sex.UNKNOWN):
        _problem(problems, "is_legal_person", _("A company has neither sex nor year of birth."))
    if person.citizenship and not Country.objects.filter(code=person.citizenship).exists():
        _problem(problems, "citizenship", _("Unknown country code %(code)r.") % {"code": person.citizenship})
    for perpetrator in person.perpetrators:
        if not may_link_case(actor, perpetrator.case):
            _problem(problems, "perpetrators", _("A perpetrator of a case record you do not read cannot be linked."))
            break
    return problems


def _person_detail(defendant: Defendant) -> dict[str, object]:
    return {"reference": defendant.reference, "legal_person": defendant.is_legal_person, "sex": defendant.sex,
            "perpetrators": sorted(defendant.perpetrators.values_list("pk", flat=True))}


@transaction.atomic
def record_defendant(*, acting_user: Actor, country: str, person: Person, organisation: Organisation | None = None,
                     request: HttpRequest | None = None) -> Defendant:
    """A new defendant, recorded by the acting case worker's organisation (the system names one)."""
    if not may_record_justice(acting_user, country):
        raise Http404
    owner = acting_user.organisation if is_active_user(acting_user) else organisation
    if owner is None:
        raise ValidationError({"organisation": [_("A defendant is recorded by an organisation.")]})
    problems = _person_problems(acting_user, person)
    if Defendant.objects.filter(country_id=country, organisation=owner, reference=person.reference.strip()).exists():
        _problem(problems, "reference", _("This reference is already recorded: choose the defendant instead."))
    if problems:
        raise ValidationError(problems)
    defendant = Defendant.objects.create(
        country_id=country, organisation=owner, reference=person.reference.strip(),
        is_legal_person=person.is_legal_person, sex=person.sex, birth_year=person.birth_year,
        citizenship_id=person.citizenship or None, recorded_by=person_of(acting_user))
    defendant.perpetrators.set(person.perpetrators)
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="justice.defendant",
           object_id=defendant.pk, country=country, request=request, detail=_person_detail(defendant))
    return defendant


@transaction.atomic
def update_defendant(*, acting_user: Actor, defendant: Defendant, person: Person,
                     request: HttpRequest | None = None) -> Defendant:
    locked = Defendant.objects.select_for_update().get(pk=defendant.pk)
    if not may_edit(acting_user, locked):
        raise Http404
    problems = _person_problems(acting_user, person)
    if Defendant.objects.filter(country_id=locked.country_id, organisation_id=locked.organisation_id,
                                reference=person.reference.strip()).exclude(pk=locked.pk).exists():
        _problem(problems, "reference", _("This reference is already recorded for another defendant."))
    if problems:
        raise ValidationError(problems)
    values = {"reference": person.reference.strip(), "is_legal_person": person.is_legal_person, "sex": person.sex,
              "birth_year": person.birth_year, "citizenship_id": person.citizenship or None}
    changed = sorted(name.removesuffix("_id") for name, value in values.items() if getattr(locked, name) != value)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    before = set(locked.perpetrators.values_list("pk", flat=True))
    if before != {p.pk for p in person.perpetrators}:
        changed.append("perpetrators")
        locked.perpetrators.set(person.perpetrators)
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="justice.defendant", object_id=locked.pk,
           country=locked.country_id, request=request, detail={**_person_detail(locked), "fields": sorted(changed)})
    results_changed(acting_user=acting_user, country=locked.country_id)
    return locked


# --- proceedings ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChargeSpec:
    offence: str
    article: str = ""


@dataclass(frozen=True)
class ProceedingSpec:
    """What the form or the API says of a proceeding."""

    investigation_opened: date
    prosecuted_on: date | None = None
    file_number: str = ""
    authority: str = ""
    charges: Sequence[ChargeSpec] = field(default_factory=tuple)


def _proceeding_problems(spec: ProceedingSpec, decided: Iterable[date] = ()) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    _day(problems, "investigation_opened", spec.investigation_opened)
    _day(problems, "prosecuted_on", spec.prosecuted_on)
    if spec.prosecuted_on is not None and spec.prosecuted_on < spec.investigation_opened:
        _problem(problems, "prosecuted_on", _("The prosecution cannot start before the investigation."))
    offences = [c.offence for c in spec.charges]
    for offence in offences:
        if offence not in Offence.values:
            _problem(problems, "charges", _("Unknown offence %(value)r.") % {"value": offence})
    if len(set(offences)) != len(offences):
        _problem(problems, "charges", _("Each offence is charged once."))
    if spec.prosecuted_on is not None and not offences:
        _problem(problems, "charges", _("A prosecution names at least one charge."))
    earliest = min(decided, default=None)
    if earliest is not None and earliest < spec.investigation_opened:
        _problem(problems, "investigation_opened", _("A decision already recorded comes before this date."))
    return problems


def facts_of(proceeding: Proceeding, decisions: Iterable[Decision] | None = None,
             charges: Iterable[Charge] | None = None) -> counting.ProceedingFacts:
    """The proceeding as the counting rules read it."""
    found = list(proceeding.decisions.all() if decisions is None else decisions)
    offences = {c.offence for c in (proceeding.charges.all() if charges is None else charges)}
    defendant = proceeding.defendant
    return counting.ProceedingFacts(
        person=str(proceeding.defendant_id), country=proceeding.country_id,
        investigation_opened=proceeding.investigation_opened, prosecuted_on=proceeding.prosecuted_on,
        thb_charged=bool(offences & THB_OFFENCES), legal_person=defendant.is_legal_person, sex=defendant.sex,
        decisions=tuple(counting.DecisionFacts(d.instance, d.decided_on, d.outcome, d.convicted_of_thb,
                                               d.sentence_months, d.suspended) for d in found),
        pk=proceeding.pk, birth_year=defendant.birth_year)


def _derive(proceeding: Proceeding) -> None:
    """The stored summaries the lists filter on: charged with trafficking, outcome, first verdict."""
    facts = facts_of(proceeding)
    verdict = counting.first_verdict(facts)
    proceeding.thb_charged = facts.thb_charged
    proceeding.outcome = counting.outcome(facts)
    proceeding.first_verdict_on = verdict.decided_on if verdict else None
    proceeding.save(update_fields=["thb_charged", "outcome", "first_verdict_on", "updated_at"])


def _proceeding_detail(proceeding: Proceeding) -> dict[str, object]:
    return {"defendant": proceeding.defendant_id, "file_number": proceeding.file_number,
            "charges": sorted(proceeding.charges.values_list("offence", flat=True)),
            "investigation_opened": proceeding.investigation_opened.isoformat(),
            "prosecuted_on": proceeding.prosecuted_on.isoformat() if proceeding.prosecuted_on else None}


def _set_charges(proceeding: Proceeding, charges: Sequence[ChargeSpec]) -> None:
    proceeding.charges.all().delete()
    Charge.objects.bulk_create([Charge(proceeding=proceeding, offence=c.offence, article=c.article.strip())
                                for c in charges])


@transaction.atomic
def open_proceeding(*, acting_user: Actor, defendant: Defendant, spec: ProceedingSpec,
                    request: HttpRequest | None = None) -> Proceeding:
    """A proceeding against ``defendant``, in the defendant's country, recorded by the defendant's organisation."""
    if not may_edit(acting_user, defendant):
        raise Http404
    problems = _proceeding_problems(spec)
    if problems:
        raise ValidationError(problems)
    proceeding = Proceeding.objects.create(
        country_id=defendant.country_id, organisation_id=defendant.organisation_id, defendant=defendant,
        file_number=spec.file_number.strip(), authority=spec.authority.strip(),
        investigation_opened=spec.investigation_opened, prosecuted_on=spec.prosecuted_on,
        recorded_by=person_of(acting_user))
    _set_charges(proceeding, spec.charges)
    _derive(proceeding)
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="justice.proceeding",
           object_id=proceeding.pk, country=proceeding.country_id, request=request,
           detail=_proceeding_detail(proceeding))
    results_changed(acting_user=acting_user, country=proceeding.country_id)
    return proceeding


@transaction.atomic
def update_proceeding(*, acting_user: Actor, proceeding: Proceeding, spec: ProceedingSpec,
                      request: HttpRequest | None = None) -> Proceeding:
    locked = Proceeding.objects.select_for_update().select_related("defendant").get(pk=proceeding.pk)
    if not may_edit(acting_user, locked):
        raise Http404
    problems = _proceeding_problems(spec, locked.decisions.values_list("decided_on", flat=True))
    thb = any(c.offence in THB_OFFENCES for c in spec.charges)
    if not thb and locked.decisions.filter(convicted_of_thb=True).exists():
        _problem(problems, "charges", _("A decision convicts of trafficking: the trafficking charge stays."))
    if problems:
        raise ValidationError(problems)
    values = {"investigation_opened": spec.investigation_opened, "prosecuted_on": spec.prosecuted_on,
              "file_number": spec.file_number.strip(), "authority": spec.authority.strip()}
    changed = sorted(name for name, value in values.items() if getattr(locked, name) != value)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    before = sorted((c.offence, c.article) for c in locked.charges.all())
    if before != sorted((c.offence, c.article.strip()) for c in spec.charges):
        changed.append("charges")
        _set_charges(locked, spec.charges)
    _derive(locked)
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="justice.proceeding", object_id=locked.pk,
           country=locked.country_id, request=request, detail={**_proceeding_detail(locked), "fields": sorted(changed)})
    results_changed(acting_user=acting_user, country=locked.country_id)
    return locked


# --- decisions -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    instance: str
    decided_on: date
    outcome: str
    convicted_of_thb: bool = False
    sentence_months: int | None = None
    suspended: bool = False
    confiscation_ordered: Decimal = Decimal(0)
    court: str = ""


def _verdict_problems(proceeding: Proceeding, verdict: Verdict) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if verdict.instance not in Instance.values:
        _problem(problems, "instance", _("Unknown instance %(value)r.") % {"value": verdict.instance})
    if verdict.outcome not in Outcome.values:
        _problem(problems, "outcome", _("Unknown outcome %(value)r.") % {"value": verdict.outcome})
    _day(problems, "decided_on", verdict.decided_on)
    if verdict.decided_on < proceeding.investigation_opened:
        _problem(problems, "decided_on", _("A decision cannot come before the investigation opened (%(day)s).")
                 % {"day": proceeding.investigation_opened.isoformat()})
    if proceeding.prosecuted_on is None and verdict.outcome in (Outcome.CONVICTED, Outcome.ACQUITTED):
        _problem(problems, "outcome", _("A court convicts or acquits only once the prosecution started: record its "
                                        "date first."))
    if verdict.instance == Instance.APPEAL and not proceeding.decisions.filter(
            instance=Instance.FIRST_INSTANCE, decided_on__lte=verdict.decided_on).exists():
        _problem(problems, "instance", _("An appeal follows a first-instance decision: record that one first."))
    convicted = verdict.outcome == Outcome.CONVICTED
    if verdict.convicted_of_thb and not convicted:
        _problem(problems, "convicted_of_thb", _("Only a conviction convicts of trafficking."))
    if verdict.convicted_of_thb and not proceeding.charges.filter(offence__in=THB_OFFENCES).exists():
        _problem(problems, "convicted_of_thb", _("The proceeding has no trafficking charge."))
    if not convicted and (verdict.sentence_months or verdict.suspended or verdict.confiscation_ordered):
        _problem(problems, "sentence_months", _("A sentence or a confiscation follows a conviction only."))
    if verdict.suspended and not verdict.sentence_months:
        _problem(problems, "suspended", _("A suspended sentence has its length in months."))
    if verdict.sentence_months is not None and verdict.sentence_months > 600:
        _problem(problems, "sentence_months", _("A sentence of more than 50 years: write it in months, up to 600."))
    if verdict.confiscation_ordered < 0:
        _problem(problems, "confiscation_ordered", _("An amount cannot be negative."))
    return problems


@transaction.atomic
def record_decision(*, acting_user: Actor, proceeding: Proceeding, verdict: Verdict,
                    request: HttpRequest | None = None) -> Decision:
    """A court's decision in the proceeding; the proceeding's outcome and first verdict follow."""
    locked = Proceeding.objects.select_for_update().select_related("defendant").get(pk=proceeding.pk)
    if not may_edit(acting_user, locked):
        raise Http404
    problems = _verdict_problems(locked, verdict)
    if problems:
        raise ValidationError(problems)
    decision = Decision.objects.create(
        proceeding=locked, instance=verdict.instance, decided_on=verdict.decided_on, outcome=verdict.outcome,
        convicted_of_thb=verdict.convicted_of_thb, sentence_months=verdict.sentence_months,
        suspended=verdict.suspended, confiscation_ordered=verdict.confiscation_ordered, court=verdict.court.strip(),
        recorded_by=person_of(acting_user))
    _derive(locked)
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="justice.decision", object_id=decision.pk,
           country=locked.country_id, request=request,
           detail={"proceeding": locked.pk, "instance": decision.instance, "outcome": decision.outcome,
                   "decided_on": decision.decided_on.isoformat(), "thb": decision.convicted_of_thb})
    results_changed(acting_user=acting_user, country=locked.country_id)
    return decision


@transaction.atomic
def delete_decision(*, acting_user: Actor, decision: Decision, request: HttpRequest | None = None) -> None:
    """Remove a decision recorded by mistake (an appeal first, if the first instance has one after it)."""
    locked = Proceeding.objects.select_for_update().select_related("defendant").get(pk=decision.proceeding_id)
    if not may_edit(acting_user, locked):
        raise Http404
    if decision.instance == Instance.FIRST_INSTANCE and not locked.decisions.filter(
            instance=Instance.FIRST_INSTANCE).exclude(pk=decision.pk).exists() and locked.decisions.filter(
            instance=Instance.APPEAL).exists():
        raise ValidationError({"instance": [_("Remove the appeal first: it follows this decision.")]})
    detail = {"proceeding": locked.pk, "instance": decision.instance, "outcome": decision.outcome,
              "decided_on": decision.decided_on.isoformat()}
    pk = decision.pk
    decision.delete()
    _derive(locked)
    record(actor=acting_user, action=AuditEvent.Action.DELETE, object_type="justice.decision", object_id=pk,
           country=locked.country_id, request=request, detail=detail)
    results_changed(acting_user=acting_user, country=locked.country_id)


# --- victims -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Part:
    testified: bool = False
    protected_witness: bool = False
    compensation_ordered: Decimal = Decimal(0)
    compensation_paid: Decimal = Decimal(0)


@transaction.atomic
def set_victim(*, acting_user: Actor, proceeding: Proceeding, case: Case, part: Part,
               request: HttpRequest | None = None) -> VictimParticipation:
    """Link a victim's case record to the proceeding, or update its part in it."""
    locked = Proceeding.objects.select_for_update().get(pk=proceeding.pk)
    if not may_edit(acting_user, locked):
        raise Http404
    problems: dict[str, list[str]] = {}
    if not may_link_case(acting_user, case):
        _problem(problems, "case", _("Choose a case record you read."))
    if part.compensation_ordered < 0 or part.compensation_paid < 0:
        _problem(problems, "compensation_ordered", _("An amount cannot be negative."))
    elif part.compensation_paid > part.compensation_ordered:
        _problem(problems, "compensation_paid", _("More paid than ordered: record the amount ordered first."))
    if problems:
        raise ValidationError(problems)
    existing = VictimParticipation.objects.filter(proceeding=locked, case=case).first()
    values = {"testified": part.testified, "protected_witness": part.protected_witness,
              "compensation_ordered": part.compensation_ordered, "compensation_paid": part.compensation_paid}
    if existing is None:
        existing = VictimParticipation.objects.create(proceeding=locked, case=case, **values)
        action, changed = AuditEvent.Action.CREATE, sorted(values)
    else:
        changed = sorted(name for name, value in values.items() if getattr(existing, name) != value)
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
        action = AuditEvent.Action.UPDATE
    record(actor=acting_user, action=action, object_type="justice.victimparticipation", object_id=existing.pk,
           country=locked.country_id, request=request,
           detail={"proceeding": locked.pk, "case_code": case.case_code, "fields": changed})
    return existing


@transaction.atomic
def remove_victim(*, acting_user: Actor, part: VictimParticipation, request: HttpRequest | None = None) -> None:
    locked = Proceeding.objects.select_for_update().get(pk=part.proceeding_id)
    if not may_edit(acting_user, locked):
        raise Http404
    detail = {"proceeding": locked.pk, "case_code": part.case.case_code}
    pk = part.pk
    part.delete()
    record(actor=acting_user, action=AuditEvent.Action.DELETE, object_type="justice.victimparticipation",
           object_id=pk, country=locked.country_id, request=request, detail=detail)
