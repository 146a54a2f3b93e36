"""One person's record as a whole, for a subject-access export and for an erasure (reads only; the audited
services are ``palermo.cases.services.subject``).

Beside the case, its route, status history and perpetrators, the records that other apps link to the case
(a referral and its steps, screenings, and whatever app links to a case later) are found from the model
registry, one level of children deep: the cases app never imports those apps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.cases import codes
from palermo.cases.choices import labels
from palermo.cases.models import IDENTIFYING_FIELDS, Case

# JSON lists of the case stored as codes: shown with their labels.
CODED_LISTS: dict[str, type[codes.CodeList]] = {
    "recruitment_methods": codes.RecruitmentMethod, "means_of_control": codes.MeansOfControl,
    "sex_exploitation_types": codes.SexExploitationType, "roles": codes.PerpetratorRole,
}
# Internal columns that say nothing about the person.
SKIPPED = frozenset({"id"})
# Labels for columns whose model gives none (Django would make an English one from the name).
LABELS = {
    "thb_form_override_by": gettext_lazy("form of THB set by"),
    "thb_form_override_at": gettext_lazy("form of THB set at"),
    "created_at": gettext_lazy("recorded at"), "updated_at": gettext_lazy("last changed at"),
    "recorded_by": gettext_lazy("recorded by"),
}


@dataclass
class Item:
    """One field of one record: its name, its label in the reader's language, its stored value (JSON-safe) and
    the text a person reads."""

    field: str
    label: str
    value: Any
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "label": self.label, "value": self.value, "text": self.text}


@dataclass
class Group:
    """The records of one model linked to the case (or to one of its linked records)."""

    model: str  # app_label.model_name
    title: str
    records: list[list[Item]] = field(default_factory=list)
    children: list[list[Group]] = field(default_factory=list)  # per record, its own linked groups

    def as_dict(self) -> dict[str, Any]:
        return {"model": self.model, "title": self.title, "records": [
            {"fields": [item.as_dict() for item in items],
             "linked": [group.as_dict() for group in (self.children[index] if index < len(self.children) else [])]}
            for index, items in enumerate(self.records)]}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def _text(instance: models.Model, model_field: models.Field[Any, Any], value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if model_field.choices:
        return str(getattr(instance, f"get_{model_field.name}_display")())
    if isinstance(value, User):
        return value.get_username()
    if isinstance(value, models.Model):
        return str(getattr(value, "name", None) or value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if timezone.is_aware(value) else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list) and model_field.name in CODED_LISTS:
        return ", ".join(labels(CODED_LISTS[model_field.name], value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def items_of(instance: models.Model, *, skip: frozenset[str] = frozenset()) -> list[Item]:
    """Every concrete field of a record but its key and the ``skip`` names, with label and text."""
    result = []
    for model_field in instance._meta.concrete_fields:
        if model_field.name in SKIPPED or model_field.name in skip or model_field.primary_key:
            continue
        value = getattr(instance, model_field.name)
        named = model_field.verbose_name != model_field.name.replace("_", " ")
        label = str(model_field.verbose_name if named or model_field.name not in LABELS else LABELS[model_field.name])
        result.append(Item(model_field.name, label, _plain(value), _text(instance, model_field, value)))
    return result


def _reverse_relations(model: type[models.Model]) -> list[ForeignObjectRel]:
    return [relation for relation in model._meta.related_objects
            if (relation.one_to_many or relation.one_to_one) and not relation.field.model._meta.auto_created]


def linked_models() -> list[tuple[ForeignObjectRel, list[ForeignObjectRel]]]:
    """The relations that point at a case, each with the relations that point at its records (one level)."""
    return [(relation, _reverse_relations(relation.related_model)) for relation in _reverse_relations(Case)]


def linked_rows(relation: ForeignObjectRel, parent: models.Model) -> models.QuerySet[Any]:
    related: type[models.Model] = relation.related_model
    return related._default_manager.filter(**{relation.field.name: parent}).order_by("pk")


def _group(relation: ForeignObjectRel, parent: models.Model, children: list[ForeignObjectRel]) -> Group:
    related = relation.related_model
    group = Group(related._meta.label_lower, str(related._meta.verbose_name_plural))
    for row in linked_rows(relation, parent):
        group.records.append(items_of(row, skip=frozenset({relation.field.name})))
        group.children.append([_group(child, row, []) for child in children])
    return group


def linked_groups(case: Case) -> list[Group]:
    """The records linked to the case, model by model (every model, even without records, so that the export
    says what it looked for)."""
    return [_group(relation, case, children) for relation, children in linked_models()]


def linked_keys(case: Case) -> list[tuple[str, str]]:
    """(model label, primary key) of every record linked to the case, children included."""
    keys = []
    for relation, children in linked_models():
        for row in linked_rows(relation, case):
            keys.append((row._meta.label_lower, str(row.pk)))
            for child in children:
                keys += [(child_row._meta.label_lower, str(child_row.pk)) for child_row in linked_rows(child, row)]
    return keys


def audit_trail(case: Case) -> list[dict[str, Any]]:
    """Every audit row about the case or a record linked to it: who created, changed, read or exported what.

    The audit log is otherwise read by auditors only; the person's right of access covers who read their record,
    so this reads the rows of this record and nothing else."""
    wanted = models.Q(object_type="cases.case", object_id=str(case.pk))
    for label, pk in linked_keys(case):
        wanted |= models.Q(object_type=label, object_id=pk)
    actions = dict(AuditEvent.Action.choices)
    return [
        {"at": timezone.localtime(event.at).isoformat(), "user": event.actor_username,
         "action": event.action, "action_label": str(actions.get(event.action, event.action)),
         "object": event.object_type, "channel": str(event.detail.get("channel", ""))}
        for event in AuditEvent.objects.filter(wanted).order_by("seq")
    ]


def subject_record(case: Case, identity: dict[str, Any], *, by: User) -> dict[str, Any]:
    """The whole record of the person as one document: identity, case fields with labels, forms of exploitation,
    every linked record (route, status history, perpetrators, referral, screenings...), and the audit trail."""
    identity_items = [
        Item(name, str(getattr(Case._meta.get_field(name), "verbose_name", name)), identity.get(name) or "",
             str(identity.get(name) or "")) for name in IDENTIFYING_FIELDS
    ]
    forms = [form.name for form in case.forms.all()]
    return {
        "format": "palermo-subject-access-1",
        "generated_at": timezone.localtime().isoformat(),
        "generated_by": by.get_username(),
        "case_code": case.case_code,
        "organisation": str(case.organisation),
        "owner_country": case.owner_country_id,
        "identity": [item.as_dict() for item in identity_items],
        "case": [item.as_dict() for item in items_of(case, skip=frozenset(IDENTIFYING_FIELDS))],
        "forms": forms,
        "linked": [group.as_dict() for group in linked_groups(case)],
        "audit": audit_trail(case),
    }
