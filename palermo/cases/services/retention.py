"""Retention of identities: the per-country policies, legal holds on cases, and the purge that empties the
identifying fields of cases closed for longer than their country keeps them.

Each state change is keyword-only, atomic and audited in the same transaction; the rules come from
``palermo.cases.access``. Without a policy for a country, nothing of that country is ever purged.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor
from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases import codes, index
from palermo.cases.access import may_hold_case, may_purge, may_set_retention
from palermo.cases.models import IDENTIFYING_FIELDS, Case, RetentionPolicy
from palermo.reference.models import Country

MAX_YEARS = 99
MAX_REASON = 500
POLICY_OBJECT = "cases.retentionpolicy"
RUN_OBJECT = "cases.retention"


class RetentionError(ValueError):
    """Bad input (the message names the field and the reason, in the reader's language); nothing changed."""


def _person(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _text(value: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise RetentionError(_("%(field)s: give a text.") % {"field": label})
    if len(text) > MAX_REASON:
        raise RetentionError(_("%(field)s: at most %(max)d characters.") % {"field": label, "max": MAX_REASON})
    return text


@transaction.atomic
def set_policy(*, acting_user: Actor, country: Country, years_after_closure: int, legal_basis: str,
               request: HttpRequest | None = None) -> RetentionPolicy:
    """Set (or change) how many years after closure a country's cases keep their identity, with its legal basis."""
    if not may_set_retention(acting_user):
        raise Http404
    if not 1 <= years_after_closure <= MAX_YEARS:
        raise RetentionError(_("Years kept after closure: give a whole number from 1 to %(max)d.") % {"max": MAX_YEARS})
    basis = _text(legal_basis, _("Legal basis or source"))
    existing = RetentionPolicy.objects.select_for_update().filter(country=country).first()
    before = ({"years_after_closure": existing.years_after_closure, "legal_basis": existing.legal_basis}
              if existing else None)
    policy = existing or RetentionPolicy(country=country)
    policy.years_after_closure, policy.legal_basis = years_after_closure, basis
    policy.set_by, policy.set_at = _person(acting_user), timezone.now()
    policy.save()
    record(actor=acting_user, action=AuditEvent.Action.UPDATE if existing else AuditEvent.Action.CREATE,
           object_type=POLICY_OBJECT, object_id=country.pk, country=country.pk, request=request,
           detail={"years_after_closure": years_after_closure, "legal_basis": basis, "before": before})
    return policy


@transaction.atomic
def remove_policy(*, acting_user: Actor, country: Country, request: HttpRequest | None = None) -> None:
    """Remove a country's policy: from then on nothing of that country is purged."""
    if not may_set_retention(acting_user):
        raise Http404
    existing = RetentionPolicy.objects.select_for_update().filter(country=country).first()
    if existing is None:
        raise RetentionError(_("%(country)s has no retention policy.") % {"country": country.name})
    record(actor=acting_user, action=AuditEvent.Action.DELETE, object_type=POLICY_OBJECT, object_id=country.pk,
           country=country.pk, request=request,
           detail={"before": {"years_after_closure": existing.years_after_closure,
                              "legal_basis": existing.legal_basis}})
    existing.delete()


def _locked(acting_user: Actor, case: Case) -> Case:
    if not may_hold_case(acting_user, case):
        raise Http404
    locked = Case.objects.select_for_update().filter(pk=case.pk).first()
    if locked is None or not may_hold_case(acting_user, locked):
        raise Http404
    return locked


@transaction.atomic
def set_legal_hold(*, acting_user: Actor, case: Case, reason: str, request: HttpRequest | None = None) -> Case:
    """Put a case on legal hold (proceedings, a complaint, a court's order): neither the purge nor an erasure
    touches it until the hold is lifted. The reason is kept on the case and in the audit row."""
    text = _text(reason, _("Reason"))
    locked = _locked(acting_user, case)
    if locked.on_legal_hold:
        raise RetentionError(_("This case is already on legal hold."))
    now = timezone.now()
    Case.objects.filter(pk=locked.pk).update(legal_hold_since=now, legal_hold_reason=text,
                                             legal_hold_by=_person(acting_user))
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="cases.case", object_id=locked.pk,
           country=locked.owner_country_id, request=request,
           detail={"case_code": locked.case_code, "legal_hold": "set", "reason": text})
    locked.refresh_from_db()
    return locked


@transaction.atomic
def lift_legal_hold(*, acting_user: Actor, case: Case, reason: str, request: HttpRequest | None = None) -> Case:
    """Lift a case's legal hold, saying why; the purge and erasure apply to it again."""
    text = _text(reason, _("Reason"))
    locked = _locked(acting_user, case)
    if not locked.on_legal_hold:
        raise RetentionError(_("This case is not on legal hold."))
    since = locked.legal_hold_since
    Case.objects.filter(pk=locked.pk).update(legal_hold_since=None, legal_hold_reason="", legal_hold_by=None)
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="cases.case", object_id=locked.pk,
           country=locked.owner_country_id, request=request,
           detail={"case_code": locked.case_code, "legal_hold": "lifted", "reason": text,
                   "held_since": since.isoformat() if since else None})
    locked.refresh_from_db()
    return locked


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February gives 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


HOLDS_IDENTITY = functools.reduce(operator.or_, [~Q(**{name: ""}) for name in IDENTIFYING_FIELDS])


def closed_with_identity() -> QuerySet[Case]:
    """Closed cases, not erased, still holding at least one identifying value."""
    return Case.objects.filter(case_status__in=sorted(codes.CLOSED_CASE_STATUSES), erased_at__isnull=True).filter(
        HOLDS_IDENTITY)


def due_for_purge(policy: RetentionPolicy, today: date) -> QuerySet[Case]:
    """The country's closed cases whose retention has ended (closed on or before the cutoff), held or not."""
    return closed_with_identity().filter(owner_country_id=policy.country_id,
                                         closed_on__lte=years_before(today, policy.years_after_closure))


@dataclass
class CountryPurge:
    country: str
    years_after_closure: int
    cutoff: date
    purged: int = 0
    held: int = 0  # due, but on legal hold: kept


@dataclass
class PurgeReport:
    dry_run: bool
    countries: list[CountryPurge] = field(default_factory=list)
    without_policy: dict[str, int] = field(default_factory=dict)  # closed cases with identity, kept: no policy

    @property
    def purged(self) -> int:
        return sum(country.purged for country in self.countries)


def _purge_batch(acting_user: Actor, policy: RetentionPolicy, candidates: QuerySet[Case], batch_size: int) -> int:
    with transaction.atomic():
        rows = list(candidates.select_for_update().order_by("pk").values_list("pk", "case_code", "closed_on")
                    [:batch_size])
        if not rows:
            return 0
        now = timezone.now()
        purged = [pk for pk, _code, _closed in rows]
        Case.objects.filter(pk__in=purged).update(**{name: "" for name in IDENTIFYING_FIELDS}, identity_purged_at=now)
        index.drop(purged)
        for pk, case_code, closed_on in rows:
            record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="cases.case", object_id=pk,
                   country=policy.country_id,
                   detail={"case_code": case_code, "purge": "end of retention",
                           "closed_on": closed_on.isoformat() if closed_on else None,
                           "years_after_closure": policy.years_after_closure})
        return len(rows)


def purge(*, acting_user: Actor, dry_run: bool = False, today: date | None = None,
          batch_size: int = 500) -> PurgeReport:
    """Empty the identifying fields of every closed case whose country's retention has ended and that is not on
    legal hold. One transaction per batch, one audit row per case purged (its code, closure date and the
    policy's years; never a value) and one for the run with the counts per country. A second run finds nothing
    left to purge. ``dry_run`` counts and writes nothing."""
    if not may_purge(acting_user):
        raise PermissionDenied("the purge is run by the system (palermo cases purge)")
    today = today or timezone.localdate()
    report = PurgeReport(dry_run=dry_run)
    policies = list(RetentionPolicy.objects.order_by("country_id"))
    for policy in policies:
        due = due_for_purge(policy, today)
        outcome = CountryPurge(policy.country_id, policy.years_after_closure,
                               years_before(today, policy.years_after_closure),
                               held=due.filter(legal_hold_since__isnull=False).count())
        candidates = due.filter(legal_hold_since__isnull=True)
        if dry_run:
            outcome.purged = candidates.count()
        else:
            while done := _purge_batch(acting_user, policy, candidates, batch_size):
                outcome.purged += done
        report.countries.append(outcome)
    report.without_policy = dict(
        closed_with_identity().exclude(owner_country_id__in=[policy.country_id for policy in policies])
        .values_list("owner_country_id").annotate(count=Count("pk")).order_by("owner_country_id"))
    if not dry_run:
        record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type=RUN_OBJECT, object_id=today.isoformat(),
               detail={"purge": "end of retention", "purged": {c.country: c.purged for c in report.countries},
                       "held": {c.country: c.held for c in report.countries},
                       "without_policy": report.without_policy})
    return report
