"""State changes of single case records: record, edit, read the identity. Each one keyword-only, atomic,
audited in the same transaction; the rules come from ``palermo.cases.access``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, cast

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone

from palermo.accounts.access import Actor, person_of
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases import codes, index, rules
from palermo.cases.access import may_edit_case
from palermo.cases.models import IDENTIFYING_FIELDS, RETENTION_FIELDS, Case, StatusChange, TraffickingEvent
from palermo.cases.signals import announce_cases_changed
from palermo.reference.models import ExploitationForm

# What an edit may change, compared with the stored case for the audit row (derived fields follow from these).
EDITABLE_FIELDS = tuple((f.name, f.attname) for f in Case._meta.concrete_fields if f.editable and not f.primary_key)


@dataclass
class Route:
    recruitment_country: str = ""
    recruitment_place: str = ""
    recruitment_date: date | None = None
    transit_countries: list[str] = field(default_factory=list)
    exploitation_country: str = ""
    exploitation_place: str = ""
    exploitation_date: date | None = None

    def events(self, case_id: int) -> list[TraffickingEvent]:
        legs: list[TraffickingEvent] = []
        if self.recruitment_country or self.recruitment_place or self.recruitment_date:
            legs.append(TraffickingEvent(case_id=case_id, kind=codes.EventType.RECRUITMENT, sequence=0,
                                         country_id=self.recruitment_country or None, place=self.recruitment_place,
                                         date_from=self.recruitment_date))
        for position, country in enumerate(self.transit_countries, start=1):
            legs.append(TraffickingEvent(case_id=case_id, kind=codes.EventType.TRANSIT, sequence=position,
                                         country_id=country))
        if self.exploitation_country or self.exploitation_place or self.exploitation_date:
            legs.append(TraffickingEvent(case_id=case_id, kind=codes.EventType.EXPLOITATION,
                                         sequence=len(self.transit_countries) + 1,
                                         country_id=self.exploitation_country or None,
                                         place=self.exploitation_place, date_from=self.exploitation_date))
        return legs

    @classmethod
    def of(cls, case: Case) -> Route:
        route = cls()
        for event in case.events.all():
            if event.kind == codes.EventType.RECRUITMENT:
                route.recruitment_country = event.country_id or ""
                route.recruitment_place, route.recruitment_date = event.place, event.date_from
            elif event.kind == codes.EventType.TRANSIT and event.country_id:
                route.transit_countries.append(event.country_id)
            elif event.kind == codes.EventType.EXPLOITATION:
                route.exploitation_country = event.country_id or ""
                route.exploitation_place, route.exploitation_date = event.place, event.date_from
        return route


def apply_derived(case: Case, route: Route) -> None:
    values = rules.derived_fields(
        birth_date=cast("date | None", case.birth_date), identification_date=case.identification_date,
        age_at_identification=case.age_at_identification, age_when_trafficked=case.age_when_trafficked,
        exploitation_date=route.exploitation_date, citizenship=case.citizenship_id or "",
        recruitment_country=route.recruitment_country, transit_countries=route.transit_countries,
        exploitation_country=route.exploitation_country, thb_form_override=case.thb_form_override,
    )
    for name, value in values.items():
        setattr(case, name, value)


def _check_scope(acting_user: Actor, case: Case) -> None:
    if not may_edit_case(acting_user, case):
        raise Http404


def _note_override(case: Case, acting_user: Actor, previous: str) -> None:
    if case.thb_form_override != previous:
        case.thb_form_override_by = person_of(acting_user) if case.thb_form_override else None
        case.thb_form_override_at = timezone.now() if case.thb_form_override else None
        if not case.thb_form_override:
            case.thb_form_override_reason = ""


def _note_closure(case: Case, previous_status: str) -> None:
    """A case closed now is dated today (its retention period runs from then); a reopened case has no date."""
    if case.case_status not in codes.CLOSED_CASE_STATUSES:
        case.closed_on = None
    elif previous_status not in codes.CLOSED_CASE_STATUSES or case.closed_on is None:
        case.closed_on = timezone.localdate()


@transaction.atomic
def create_case(*, acting_user: Actor, case: Case, forms: Iterable[str], route: Route,
                request: HttpRequest | None = None) -> Case:
    """Save a new case for the acting case worker's organisation, with its route and first status."""
    _check_scope(acting_user, case)
    case.case_code = codes.new_case_code()
    _note_override(case, acting_user, "")
    _note_closure(case, "")
    apply_derived(case, route)
    case.save()
    case.forms.set(list(ExploitationForm.objects.filter(code__in=list(forms))))
    TraffickingEvent.objects.bulk_create(route.events(case.pk))
    index.replace([case])
    StatusChange.objects.create(case=case, status=case.trafficking_status, decided_by=case.status_decided_by,
                                decided_on=case.status_decided_on, recorded_by=person_of(acting_user))
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="cases.case", object_id=case.pk,
           country=case.owner_country_id, detail={"case_code": case.case_code}, request=request)
    announce_cases_changed(count=1)
    return case


@transaction.atomic
def update_case(*, acting_user: Actor, case: Case, forms: Iterable[str], route: Route,
                request: HttpRequest | None = None) -> Case:
    """Save an edited case; a new trafficking status adds a dated entry to its history.

    The state before the edit is read here, from the database, locked until the commit: the audit row's list
    of changed fields and the status history compare with what was stored, whatever the caller passes.
    """
    before = Case.objects.select_for_update().filter(pk=case.pk).first()
    if before is None:
        raise Http404
    _check_scope(acting_user, before)
    _check_scope(acting_user, case)
    forms = sorted(set(forms))
    changed = _changed_fields(before, case, forms, route)
    _note_override(case, acting_user, before.thb_form_override)
    for name in RETENTION_FIELDS:  # as stored (locked), whatever the edited instance holds
        setattr(case, name, getattr(before, name))
    _note_closure(case, before.case_status)
    apply_derived(case, route)
    case.save()
    case.forms.set(list(ExploitationForm.objects.filter(code__in=forms)))
    case.events.all().delete()
    TraffickingEvent.objects.bulk_create(route.events(case.pk))
    index.replace([case])
    if case.trafficking_status != before.trafficking_status:
        StatusChange.objects.create(case=case, status=case.trafficking_status, decided_by=case.status_decided_by,
                                    decided_on=case.status_decided_on, recorded_by=person_of(acting_user))
    # Only field names go to the audit log, never identifying values.
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="cases.case", object_id=case.pk,
           country=case.owner_country_id, detail={"case_code": case.case_code, "fields": changed},
           request=request)
    announce_cases_changed(count=1)
    return case


@transaction.atomic
def record_status_decision(*, acting_user: Actor, case: Case, status: str, decided_by: str = "",
                           decided_on: date | None = None, source: str = "",
                           request: HttpRequest | None = None) -> bool:
    """A decision on the trafficking status taken outside the case form (the referral mechanism's formal
    identification): the case's status, who decided and on what day, a dated entry in its history and an audit
    row, in the caller's transaction. False, and nothing written, when the case already says exactly that."""
    if status not in codes.TraffickingStatus.values:
        raise ValueError(f"unknown trafficking status {status!r}")
    stored = Case.objects.select_for_update().only(
        "pk", "case_code", "organisation", "owner_country", "trafficking_status", "status_decided_by",
        "status_decided_on").filter(pk=case.pk).first()
    if stored is None:
        raise Http404
    _check_scope(acting_user, stored)
    after = {"trafficking_status": status, "status_decided_by": decided_by, "status_decided_on": decided_on}
    changed = sorted(name for name, value in after.items() if getattr(stored, name) != value)
    if not changed:
        return False
    Case.objects.filter(pk=stored.pk).update(**after, updated_at=timezone.now())
    StatusChange.objects.create(case=stored, status=status, decided_by=decided_by, decided_on=decided_on,
                                recorded_by=person_of(acting_user), source=source)
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="cases.case", object_id=stored.pk,
           country=stored.owner_country_id, request=request,
           detail={"case_code": stored.case_code, "fields": changed, "source": source})
    announce_cases_changed(count=1)
    for name, value in after.items():
        setattr(case, name, value)
    return True


def _changed_fields(before: Case, after: Case, forms: list[str], route: Route) -> list[str]:
    """Names of what the edit changes: the case's own fields, ``forms``, and the legs of the route."""
    changed = [name for name, attname in EDITABLE_FIELDS if getattr(before, attname) != getattr(after, attname)]
    if before.form_codes() != forms:
        changed.append("forms")
    stored = asdict(Route.of(before))
    changed += [name for name, value in asdict(route).items() if stored[name] != value]
    return sorted(changed)


@transaction.atomic
def read_identity(*, acting_user: Actor, case: Case, request: HttpRequest | None = None,
                  channel: str = "web") -> dict[str, Any]:
    """The direct identifiers of a case, for a case worker of the owning organisation; the read is audited."""
    _check_scope(acting_user, case)
    fresh = Case.objects.only(*IDENTIFYING_FIELDS).get(pk=case.pk)
    record(actor=acting_user, action=AuditEvent.Action.READ_IDENTIFYING, object_type="cases.case",
           object_id=case.pk, country=case.owner_country_id,
           detail={"case_code": case.case_code, "channel": channel}, request=request)
    values = {name: getattr(fresh, name) for name in IDENTIFYING_FIELDS}
    if values["birth_date"]:
        values["birth_date"] = values["birth_date"].isoformat()
    return values
