"""The person's rights over their record: a subject-access export, and erasure on request leaving a tombstone
that the statistics still count. Each keyword-only, atomic, audited in the same transaction; the rules come
from ``palermo.cases.access`` (the case worker of the owning organisation, never on a legal hold for erasure).
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor
from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases import codes, index
from palermo.cases.access import may_exercise_subject_rights
from palermo.cases.fields import EncryptedDateField
from palermo.cases.models import IDENTIFYING_FIELDS, Case, Perpetrator, StatusChange, TraffickingEvent
from palermo.cases.services.records import read_identity
from palermo.cases.subject import linked_models, linked_rows, subject_record

EXPORT_FORMATS = ("json", "html")

# What the statistics read of a case (palermo/cases/flat.py is that contract), kept by an erasure; the confirmation
# page lists them.
STATISTICS_FIELDS = (
    "case_code", "organisation", "owner_country", "year_identified", "gender", "age_band", "is_minor", "citizenship",
    "country_of_exploitation", "transit_countries", "forms", "means_of_control", "recruitment_methods",
    "recruiter_relation", "thb_form", "trafficking_status", "case_status", "citizenships", "recruiter_relations",
    "forced_labour_industries", "sex_exploitation_types", "other_exploitation", "trafficking_duration", "data_source",
)
# What an erasure empties on the case besides the identifying fields: whatever could lead back to the person
# (source record, exact dates and ages, free text, personal circumstances). What the statistics read stays:
# sex, age band, minor, year, citizenship, countries of the route, forms, means of control, recruitment,
# form of THB, trafficking and case status (palermo/cases/flat.py is that contract).
ERASED_CASE_VALUES: dict[str, Any] = {
    "source": "", "source_record_id": "", "identification_date": None, "status_decided_on": None,
    "age_at_identification": None, "age_when_trafficked": None, "marital_status": "", "highest_education": "",
    "consent": None, "thb_form_override_reason": "", "legal_hold_reason": "",
    # HTCDS fields kept since issue 14: free text, names, exact dates and personal circumstances; the source row.
    "deceased": None, "number_of_children": None, "primary_language": "", "secondary_language": "",
    "vulnerabilities": [], "vulnerability_details": "", "reason_for_closure": "", "case_owner_name": "",
    "referring_organisation": "", "incoming_referral_date": None, "referring_case_worker": "",
    "incoming_referral_reason": "", "incoming_referral_details": "", "referred_organisation": "",
    "referred_case_worker": "", "outgoing_referral_reason": "", "outgoing_referral_date": None,
    "outgoing_referral_details": "", "source_file": "", "source_row": None,
}
# The same for the case's own children.
ERASED_CHILD_VALUES: dict[type[models.Model], dict[str, Any]] = {
    TraffickingEvent: {"place": "", "date_from": None, "date_to": None, "city": "", "state": "", "street": "",
                       "postal_code": "", "latitude": None, "longitude": None, "description": ""},
    StatusChange: {"decided_on": None, "source": ""},
    Perpetrator: {"role_details": ""},
}


class ErasureRefused(Exception):
    """The erasure cannot be done now (a legal hold); nothing was changed. The message is for the person."""


def _check(acting_user: Actor, case: Case) -> User:
    """The acting person, if they may answer this person's requests; Http404 otherwise (as for a missing case)."""
    if not isinstance(acting_user, User) or not may_exercise_subject_rights(acting_user, case):
        raise Http404
    return acting_user


@transaction.atomic
def export_subject_record(*, acting_user: Actor, case: Case, file_format: str,
                          request: HttpRequest | None = None) -> dict[str, Any]:
    """The person's whole record (identity decrypted, every field with its label, the linked records, who read
    it), for the case worker of the owning organisation. Audited twice in one transaction: a read of
    identifying data (channel ``subject access``) and an export naming the format."""
    person = _check(acting_user, case)
    if file_format not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {file_format!r}: use one of {', '.join(EXPORT_FORMATS)}")
    identity = read_identity(acting_user=acting_user, case=case, request=request, channel="subject access")
    record(actor=acting_user, action=AuditEvent.Action.EXPORT, object_type="cases.case", object_id=case.pk,
           country=case.owner_country_id, request=request,
           detail={"case_code": case.case_code, "export": "subject access", "format": file_format})
    return subject_record(case, identity, by=person)


def _blank_text_fields(model: type[models.Model]) -> dict[str, Any]:
    """Free text of a record another app links to the case: emptied (null where the column allows it)."""
    return {model_field.name: (None if model_field.null else "") for model_field in model._meta.concrete_fields
            if isinstance(model_field, models.TextField | EncryptedDateField) and not model_field.primary_key}


@transaction.atomic
def erase_case(*, acting_user: Actor, case: Case, reason: str, request: HttpRequest | None = None) -> Case:
    """Erase the person's data on their request: the identifying fields and everything else that could lead back
    to them are emptied, the case is marked erased (a tombstone: when, by whom, on which ground) and keeps only
    what the statistics count. Irreversible; refused while the case is on legal hold (``ErasureRefused``).

    Records other apps link to the case lose their free text (their structured values stay, as the statistics
    of those apps may count them). The audit row names the ground and the fields emptied, never a value.
    """
    person = _check(acting_user, case)
    if reason not in codes.ErasureReason.values:
        raise ValueError(f"unknown ground {reason!r}: use one of {', '.join(codes.ErasureReason.values)}")
    locked = Case.objects.select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise Http404
    _check(acting_user, locked)  # erased meanwhile: no longer the owner's to edit
    if locked.on_legal_hold:
        raise ErasureRefused(_("This case is on legal hold: it cannot be erased until the hold is lifted."))
    now = timezone.now()
    values = {name: "" for name in IDENTIFYING_FIELDS} | ERASED_CASE_VALUES
    Case.objects.filter(pk=locked.pk).update(
        **values, erased_at=now, erased_by=person, erasure_reason=reason, updated_at=now)
    index.drop([locked.pk])
    children: dict[str, int] = {}
    for relation, grandchildren in linked_models():
        related = relation.related_model
        rows = linked_rows(relation, locked)
        blank = ERASED_CHILD_VALUES.get(related) or _blank_text_fields(related)
        if blank:
            children[related._meta.label_lower] = rows.update(**blank)
        for child in grandchildren:
            child_blank = _blank_text_fields(child.related_model)
            if child_blank:
                changed = child.related_model._default_manager.filter(
                    **{f"{child.field.name}__in": rows.values("pk")}).update(**child_blank)
                children[child.related_model._meta.label_lower] = changed
    record(actor=acting_user, action=AuditEvent.Action.DELETE, object_type="cases.case", object_id=locked.pk,
           country=locked.owner_country_id, request=request,
           detail={"case_code": locked.case_code, "erasure": reason,
                   "fields": sorted([*IDENTIFYING_FIELDS, *ERASED_CASE_VALUES]), "linked_records": children})
    locked.refresh_from_db()
    return locked
