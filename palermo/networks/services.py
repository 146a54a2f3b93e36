"""State changes of networks and diagnoses: keyword-only, atomic, audited in the same transaction; the rules come
from ``palermo.networks.access``. A refused change raises ``Http404`` (the object is not the actor's to see or
change) or ``ValidationError`` naming the field, and writes nothing. Imports are in ``importing.py``."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor, is_system, person_of
from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases.models import Case
from palermo.networks.access import may_comment, may_cosign, may_edit_network, may_work_in
from palermo.networks.models import (
    CaseLink,
    Diagnosis,
    DiagnosisStep,
    Entity,
    Network,
    RoleAnnotation,
    RoleSuggestion,
)
from palermo.reference.models import Country


def _bump(network: Network) -> None:
    Network.objects.filter(pk=network.pk).update(version=F("version") + 1)


@transaction.atomic
def create_network(*, acting_user: Actor, name: str, owner_country: str, description: str = "",
                   request: HttpRequest | None = None) -> Network:
    name = name.strip()
    if not may_work_in(acting_user, owner_country):
        raise Http404
    problems: dict[str, list[str]] = {}
    if not name or len(name) > 200:
        problems["name"] = [_("Give a name of at most 200 characters.")]
    elif Network.objects.filter(name=name).exists():
        problems["name"] = [_("A network already has this name.")]
    if problems:
        raise ValidationError(problems)
    network = Network.objects.create(name=name, owner_country_id=owner_country, description=description.strip(),
                                     created_by=person_of(acting_user))
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="networks.network", object_id=network.pk,
           country=owner_country, request=request, detail={"name": name})
    return network


@transaction.atomic
def update_network(*, acting_user: Actor, network: Network, name: str, description: str,
                   request: HttpRequest | None = None) -> Network:
    locked = Network.objects.select_for_update().get(pk=network.pk)
    if not may_edit_network(acting_user, locked):
        raise Http404
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationError({"name": [_("Give a name of at most 200 characters.")]})
    if Network.objects.filter(name=name).exclude(pk=locked.pk).exists():
        raise ValidationError({"name": [_("A network already has this name.")]})
    changed = [field for field, value in (("name", name), ("description", description.strip()))
               if getattr(locked, field) != value]
    locked.name, locked.description = name, description.strip()
    locked.save(update_fields=["name", "description", "updated_at"])
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="networks.network", object_id=locked.pk,
           country=locked.owner_country_id, request=request, detail={"fields": changed})
    return locked


@transaction.atomic
def share_network(*, acting_user: Actor, network: Network, countries: Iterable[str],
                  request: HttpRequest | None = None) -> Network:
    """The countries whose analysts and national coordinators read the network besides its owner's (the whole
    list: a country left out is no longer shared with)."""
    locked = Network.objects.select_for_update().get(pk=network.pk)
    if not may_edit_network(acting_user, locked):
        raise Http404
    codes = sorted({code.upper() for code in countries} - {locked.owner_country_id})
    known = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
    if unknown := [code for code in codes if code not in known]:
        raise ValidationError({"countries": [_("Unknown country code: %(codes)s.") % {"codes": ", ".join(unknown)}]})
    before = sorted(locked.shared_with.values_list("code", flat=True))
    locked.shared_with.set(Country.objects.filter(code__in=codes))
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="networks.network", object_id=locked.pk,
           country=locked.owner_country_id, request=request,
           detail={"shared_with": codes, "before": before})
    return locked


@transaction.atomic
def annotate_role(*, acting_user: Actor, entity: Entity, role: str, note: str = "",
                  request: HttpRequest | None = None) -> RoleAnnotation:
    if not may_edit_network(acting_user, entity.network):
        raise Http404
    if role not in RoleSuggestion.values:
        raise ValidationError({"role": [_("Unknown role %(value)r: use one of %(values)s.") % {
            "value": role, "values": ", ".join(RoleSuggestion.values)}]})
    annotation, _created = RoleAnnotation.objects.update_or_create(
        entity=entity, role=role, defaults={"note": note.strip(), "annotated_by": person_of(acting_user)})
    _bump(entity.network)
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="networks.entity", object_id=entity.pk,
           country=entity.network.owner_country_id, request=request, detail={"role": role, "annotated": True})
    return annotation


@transaction.atomic
def remove_role(*, acting_user: Actor, entity: Entity, role: str, request: HttpRequest | None = None) -> None:
    if not may_edit_network(acting_user, entity.network):
        raise Http404
    deleted, _detail = RoleAnnotation.objects.filter(entity=entity, role=role).delete()
    if not deleted:
        raise ValidationError({"role": [_("This role was not annotated.")]})
    _bump(entity.network)
    record(actor=acting_user, action=AuditEvent.Action.DELETE, object_type="networks.entity", object_id=entity.pk,
           country=entity.network.owner_country_id, request=request, detail={"role": role, "annotated": False})


@transaction.atomic
def link_case(*, acting_user: Actor, entity: Entity, case: Case, role: str,
              request: HttpRequest | None = None) -> CaseLink:
    """A person of the network is a victim or perpetrator of a case record the actor may read."""
    if not may_edit_network(acting_user, entity.network):
        raise Http404
    if not is_system(acting_user) and not Case.objects.visible_to(acting_user).filter(pk=case.pk).exists():  # type: ignore[arg-type]
        raise ValidationError({"case": [_("No case with this code in your scope.")]})
    if entity.schema != "Person":
        raise ValidationError({"entity": [_("Only a person is linked to a case.")]})
    if role not in CaseLink.Role.values:
        raise ValidationError({"role": [_("Unknown role %(value)r: use victim or perpetrator.") % {"value": role}]})
    link, _created = CaseLink.objects.update_or_create(entity=entity, case=case, defaults={
        "role": role, "linked_by": person_of(acting_user)})
    _bump(entity.network)
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="networks.entity", object_id=entity.pk,
           country=entity.network.owner_country_id, request=request,
           detail={"case_code": case.case_code, "case_role": role})
    return link


def record_export(*, acting_user: Actor, network: Network, fmt: str, rows: int,
                  request: HttpRequest | None = None) -> None:
    """Every export of a network (GraphML, GEXF, CSV, FtM JSON lines) leaves an audit row."""
    record(actor=acting_user, action=AuditEvent.Action.EXPORT, object_type="networks.network", object_id=network.pk,
           country=network.owner_country_id, request=request, detail={"format": fmt, "rows": rows})


# --- diagnoses ------------------------------------------------------------------------------------------------------

def _step(diagnosis: Diagnosis, step: str, actor: Actor, comment: str, request: HttpRequest | None) -> None:
    if is_system(actor):
        name, country = actor.audit_name, None
    else:
        assert isinstance(actor, User)
        name, country = actor.get_username(), next(iter(sorted(actor.country_codes() or [])), None)
    DiagnosisStep.objects.create(diagnosis=diagnosis, step=step, actor=person_of(actor), actor_name=name[:150],
                                 country_id=country, comment=comment.strip())
    record(actor=actor, action=AuditEvent.Action.UPDATE if step != "drafted" else AuditEvent.Action.CREATE,
           object_type="networks.diagnosis", object_id=diagnosis.pk, country=diagnosis.network.owner_country_id,
           request=request, detail={"step": step, "status": diagnosis.status, "year": diagnosis.year})


@transaction.atomic
def draft_diagnosis(*, acting_user: Actor, network: Network, year: int, summary: str = "",
                    source_country: str = "", request: HttpRequest | None = None) -> Diagnosis:
    if not may_edit_network(acting_user, network):
        raise Http404
    source = (source_country or network.owner_country_id).upper()
    if not Country.objects.filter(code=source).exists():
        raise ValidationError({"source_country": [_("Unknown country code.")]})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("Give a year between 2000 and 2100.")]})
    if Diagnosis.objects.filter(network=network, year=year).exists():
        raise ValidationError({"year": [_("This network already has a diagnosis for this year.")]})
    diagnosis = Diagnosis.objects.create(network=network, year=year, source_country_id=source,
                                         summary=summary.strip(), drafted_by=person_of(acting_user))
    _step(diagnosis, DiagnosisStep.Step.DRAFTED, acting_user, "", request)
    return diagnosis


@transaction.atomic
def edit_diagnosis(*, acting_user: Actor, diagnosis: Diagnosis, summary: str,
                   request: HttpRequest | None = None) -> Diagnosis:
    locked = Diagnosis.objects.select_for_update().select_related("network").get(pk=diagnosis.pk)
    if not may_edit_network(acting_user, locked.network):
        raise Http404
    if locked.status == Diagnosis.Status.COSIGNED:
        raise ValidationError({"summary": [_("A co-signed diagnosis is no longer edited.")]})
    locked.summary = summary.strip()
    locked.save(update_fields=["summary"])
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="networks.diagnosis",
           object_id=locked.pk, country=locked.network.owner_country_id, request=request,
           detail={"fields": ["summary"]})
    return locked


@transaction.atomic
def share_diagnosis(*, acting_user: Actor, diagnosis: Diagnosis, request: HttpRequest | None = None) -> Diagnosis:
    """Shared with the source country's national coordinator (who then reads it, comments and co-signs)."""
    locked = Diagnosis.objects.select_for_update().select_related("network").get(pk=diagnosis.pk)
    if not may_edit_network(acting_user, locked.network):
        raise Http404
    if locked.status != Diagnosis.Status.DRAFTING:
        raise ValidationError({"status": [_("This diagnosis is already shared.")]})
    locked.status = Diagnosis.Status.SHARED
    locked.save(update_fields=["status"])
    _step(locked, DiagnosisStep.Step.SHARED, acting_user, "", request)
    return locked


@transaction.atomic
def comment_diagnosis(*, acting_user: Actor, diagnosis: Diagnosis, comment: str,
                      request: HttpRequest | None = None) -> Diagnosis:
    locked = Diagnosis.objects.select_for_update().select_related("network").get(pk=diagnosis.pk)
    if not may_comment(acting_user, locked):
        raise Http404
    if not comment.strip():
        raise ValidationError({"comment": [_("Write the comment.")]})
    if locked.status == Diagnosis.Status.DRAFTING and not may_edit_network(acting_user, locked.network):
        raise Http404
    if locked.status == Diagnosis.Status.COSIGNED:
        raise ValidationError({"comment": [_("A co-signed diagnosis takes no more comments.")]})
    if locked.status == Diagnosis.Status.SHARED and may_cosign(acting_user, locked):
        locked.status = Diagnosis.Status.COMMENTED
        locked.save(update_fields=["status"])
    _step(locked, DiagnosisStep.Step.COMMENTED, acting_user, comment, request)
    return locked


@transaction.atomic
def cosign_diagnosis(*, acting_user: Actor, diagnosis: Diagnosis, comment: str = "",
                     request: HttpRequest | None = None) -> Diagnosis:
    """The source country's national coordinator co-signs: the diagnosis was established jointly."""
    locked = Diagnosis.objects.select_for_update().select_related("network").get(pk=diagnosis.pk)
    if not may_cosign(acting_user, locked):
        raise Http404
    if locked.status not in (Diagnosis.Status.SHARED, Diagnosis.Status.COMMENTED):
        raise ValidationError({"status": [_("Only a shared diagnosis is co-signed.")]})
    locked.status = Diagnosis.Status.COSIGNED
    locked.cosigned_by, locked.cosigned_at = person_of(acting_user), timezone.now()
    locked.save(update_fields=["status", "cosigned_by", "cosigned_at"])
    _step(locked, DiagnosisStep.Step.COSIGNED, acting_user, comment, request)
    return locked
