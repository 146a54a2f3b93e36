"""Actions: create, change (with their countries, objectives, sectors and participants) and remove."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.programme.access import may_create_action, may_edit, may_manage_portfolio, require_editable
from palermo.programme.models import (
    Action,
    ActionCountry,
    ActionObjective,
    ActionParticipation,
    ActionSector,
    ActionTargetGroup,
    Channel,
    Document,
    Programme,
)
from palermo.programme.services.common import Errors, audit_country, merge, model_errors
from palermo.programme.shares import share_problems
from palermo.reference.models import Objective

SCALAR_FIELDS = (
    "iati_identifier", "title_en", "title_fr", "description_en", "description_fr", "channel", "trafficking_form",
    "status",
    "planned_start", "planned_end", "actual_start", "actual_end", "collaboration_type",
)
# Set by programme managers only (in the admin): where an action comes from and who reports it.
MANAGED_FIELDS = ("programme", "reporting_organisation", "is_external", "source")
IMPLEMENTING = 4


class Participation(NamedTuple):
    organisation: int
    role: int  # IATI OrganisationRole
    activity_id: str | None = None  # None keeps the identifier recorded for this organisation and role


@dataclass
class ActionContent:
    """What an edit form, the admin or an API call sets on an action; ``None`` leaves a relation as it is."""

    fields: dict[str, Any] = field(default_factory=dict)
    countries: list[tuple[str, Decimal]] | None = None
    objectives: list[tuple[int, Decimal]] | None = None
    sectors: list[tuple[str, Decimal | None]] | None = None
    target_groups: list[str] | None = None
    exploitation_forms: list[str] | None = None
    beneficiaries: list[int] | None = None
    greta: list[int] | None = None
    participations: list[Participation] | None = None


def validate_shares(content: ActionContent) -> Errors:
    """The share rules (at least one share, none twice, each above 0, summing to 100), keyed by relation."""
    errors: Errors = {}
    if content.countries is not None and (problems := share_problems(content.countries)):
        errors["countries"] = [_("Country shares: %(problem)s.") % {"problem": p} for p in problems]
    if content.objectives is not None:
        problems = share_problems([(str(n), s) for n, s in content.objectives])
        known = set(Objective.objects.values_list("number", flat=True))
        problems += [f"objective {n} does not exist" for n, _s in content.objectives if n not in known]
        if problems:
            errors["objectives"] = [_("Objective shares: %(problem)s.") % {"problem": p} for p in problems]
    if content.sectors and len(content.sectors) > 1:
        problems = share_problems(content.sectors)
        if problems:
            errors["sectors"] = [_("Sector shares: %(problem)s.") % {"problem": p} for p in problems]
    return errors


def default_channel_for(user: User) -> str:
    return Channel.BILATERAL if user.role == Role.EMBASSY_OFFICER else Channel.MULTILATERAL


def _snapshot(action: Action) -> dict[str, str]:
    names = SCALAR_FIELDS + MANAGED_FIELDS
    return {name: str(getattr(action, name)) for name in names}


@transaction.atomic
def save_action(*, acting_user: Actor, content: ActionContent, action: Action | None = None,
                programme: Programme | None = None) -> Action:
    """Create (``action`` None) or update an action. Raises PermissionDenied when the actor may not,
    and ValidationError (nothing saved) when the content is invalid or would leave the actor's scope.

    The action is read again from the database: the caller's copy is neither trusted nor changed."""
    creating = action is None
    if action is None:
        if not may_create_action(acting_user):
            raise PermissionDenied
        action = Action(programme=programme or Programme.objects.order_by("pk").first())
        before: dict[str, str] = {}
    else:
        require_editable(acting_user, action)
        action = Action.objects.select_for_update().get(pk=action.pk)
        before = _snapshot(action)
    settable = SCALAR_FIELDS + (MANAGED_FIELDS if may_manage_portfolio(acting_user) else ())
    for name, value in content.fields.items():
        if name not in settable:
            raise ValidationError({name: _("This field cannot be set.")})
        setattr(action, name, value)
    if creating and action.programme is not None and action.reporting_organisation_id is None:
        action.reporting_organisation_id = action.programme.reporting_organisation_id
    errors = validate_shares(content)
    merge(errors, model_errors(action, exclude=["programme", "reporting_organisation"]))
    if creating and content.countries is None:
        errors.setdefault("countries", []).append(_("Give the countries of the action."))
    if errors:
        raise ValidationError(errors)
    action.save()
    _replace_relations(action, content)
    if creating and action.programme is not None:
        ActionParticipation.objects.get_or_create(
            action=action, organisation_id=action.programme.reporting_organisation_id, role=1
        )
    if not may_edit(acting_user, action):
        raise ValidationError({"channel": [_("This change would take the action out of your scope.")]})
    after = _snapshot(action)
    changed = {name: value for name, value in after.items() if before.get(name) != value
               and (name in SCALAR_FIELDS or not creating)}
    record(
        actor=acting_user, action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
        object_type="programme.action", object_id=action.pk, country=audit_country(action),
        detail={"identifier": action.iati_identifier, "fields": changed,
                "relations": sorted(k for k, v in vars(content).items() if k != "fields" and v is not None)},
    )
    return action


def _replace_relations(action: Action, content: ActionContent) -> None:
    if content.countries is not None:
        action.country_shares.all().delete()
        ActionCountry.objects.bulk_create(
            ActionCountry(action=action, country_id=code, percentage=share) for code, share in content.countries
        )
    if content.objectives is not None:
        action.objective_shares.all().delete()
        by_number = dict(Objective.objects.values_list("number", "pk"))
        ActionObjective.objects.bulk_create(
            ActionObjective(action=action, objective_id=by_number[n], percentage=s) for n, s in content.objectives
        )
    if content.sectors is not None:
        action.sectors.all().delete()
        ActionSector.objects.bulk_create(
            ActionSector(action=action, code=code, percentage=share) for code, share in content.sectors
        )
    if content.target_groups is not None:
        action.target_groups.all().delete()
        ActionTargetGroup.objects.bulk_create(ActionTargetGroup(action=action, group=g) for g in content.target_groups)
    if content.exploitation_forms is not None:
        action.exploitation_forms.set(content.exploitation_forms)  # type: ignore[arg-type]  # slug pks
    if content.beneficiaries is not None:
        action.beneficiary_organisations.set(content.beneficiaries)
    if content.greta is not None:
        action.greta_recommendations.set(content.greta)
    if content.participations is not None:
        _replace_participations(action, content.participations)


def _replace_participations(action: Action, wanted: list[Participation]) -> None:
    """Keep the rows that stay (with their own activity identifier unless a new one is given), remove
    the others, add the new ones."""
    recorded = {(p.organisation_id, p.role): p for p in action.participations.all()}
    keys = {(p.organisation, p.role): p.activity_id for p in wanted}
    gone = [row.pk for key, row in recorded.items() if key not in keys]
    ActionParticipation.objects.filter(pk__in=gone).delete()
    for (organisation, role), activity_id in sorted(keys.items()):
        row = recorded.get((organisation, role))
        if row is None:
            ActionParticipation.objects.create(action=action, organisation_id=organisation, role=role,
                                               activity_id=activity_id or "")
        elif activity_id is not None and activity_id != row.activity_id:
            row.activity_id = activity_id
            row.save(update_fields=["activity_id"])


@transaction.atomic
def delete_action(*, acting_user: Actor, action: Action) -> None:
    """Remove an action with everything it holds (programme managers only)."""
    if not may_manage_portfolio(acting_user):
        raise PermissionDenied
    action = Action.objects.select_for_update().get(pk=action.pk)
    pk, identifier, country = action.pk, action.iati_identifier, audit_country(action)
    files = [d.file.name for d in action.documents.all() if d.file.name]
    title = action.title_en
    action.delete()
    storage = Document.file.field.storage

    def delete_files() -> None:  # stored outside the database: removed once the removal is committed
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
    record(actor=acting_user, action=AuditEvent.Action.DELETE, object_type="programme.action", object_id=pk,
           country=country, detail={"identifier": identifier, "title": title, "files": len(files)})
