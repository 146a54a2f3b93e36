"""Every change to the portfolio: keyword-only, atomic, audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.programme.models import (
    Action,
    ActionCountry,
    ActionObjective,
    ActionParticipation,
    ActionSector,
    ActionTargetGroup,
    Budget,
    Channel,
    Programme,
    Transaction,
)
from palermo.programme.money_services import save_budget, save_transaction
from palermo.programme.shares import share_problems
from palermo.reference.models import Objective

if TYPE_CHECKING:
    from palermo.accounts.models import User

CREATOR_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.EMBASSY_OFFICER})
SCALAR_FIELDS = (
    "iati_identifier", "title_en", "title_fr", "description_en", "description_fr", "channel", "status",
    "planned_start", "planned_end", "actual_start", "actual_end", "collaboration_type",
)


@dataclass
class ActionContent:
    """What an edit form or an API call sets on an action; ``None`` leaves a relation as it is."""

    fields: dict[str, Any] = field(default_factory=dict)
    countries: list[tuple[str, Decimal]] | None = None
    objectives: list[tuple[int, Decimal]] | None = None
    sectors: list[tuple[str, Decimal | None]] | None = None
    target_groups: list[str] | None = None
    exploitation_forms: list[str] | None = None
    beneficiaries: list[int] | None = None
    greta: list[int] | None = None
    participations: list[tuple[int, int]] | None = None  # (organisation id, IATI role)


def validate_shares(content: ActionContent) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
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


@transaction.atomic
def save_action(*, acting_user: User, content: ActionContent, action: Action | None = None,
                programme: Programme | None = None) -> Action:
    """Create (``action`` None) or update an action. Raises PermissionDenied when the user may not,
    and ValidationError (nothing saved) when the content is invalid or would leave the user's scope."""
    creating = action is None
    if action is None:
        if acting_user.role not in CREATOR_ROLES:
            raise PermissionDenied
        action = Action(programme=programme or Programme.objects.order_by("pk").first())
        if action.programme is not None:
            action.reporting_organisation_id = action.programme.reporting_organisation_id
    elif not Action.objects.editable_by(acting_user).filter(pk=action.pk).exists():
        raise PermissionDenied
    before = {name: str(getattr(action, name)) for name in SCALAR_FIELDS} if not creating else {}
    for name, value in content.fields.items():
        if name not in SCALAR_FIELDS:
            raise ValidationError({name: _("This field cannot be set.")})
        setattr(action, name, value)
    errors: dict[str, list[str]] = validate_shares(content)
    try:
        action.full_clean(exclude=["programme", "reporting_organisation"])
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)
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
    if not Action.objects.editable_by(acting_user).filter(pk=action.pk).exists():
        raise ValidationError({"channel": [_("This change would take the action out of your scope.")]})
    after = {name: str(getattr(action, name)) for name in SCALAR_FIELDS}
    changed = {name: after[name] for name in SCALAR_FIELDS if before.get(name) != after[name]}
    countries = list(action.country_shares.values_list("country_id", flat=True))
    record(
        actor=acting_user, action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
        object_type="programme.action", object_id=action.pk, country=countries[0] if len(countries) == 1 else "",
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
        action.participations.all().delete()
        ActionParticipation.objects.bulk_create(
            ActionParticipation(action=action, organisation_id=org, role=role)
            for org, role in sorted(set(content.participations))
        )


def add_transaction(*, acting_user: User, action: Action, transaction_type: int, date: Any, value: Decimal,
                    description: str = "") -> Transaction:
    return save_transaction(acting_user=acting_user, action=action, transaction_type=transaction_type, date=date,
                            value=value, description=description)


def add_budget(*, acting_user: User, action: Action, period_start: Any, period_end: Any, value: Decimal,
               status: int = Budget.Status.INDICATIVE) -> Budget:
    return save_budget(acting_user=acting_user, action=action, period_start=period_start, period_end=period_end,
                       value=value, status=status)


def may_create_action(user: User) -> bool:
    return bool(user.is_authenticated and user.role in CREATOR_ROLES)


def default_channel_for(user: User) -> str:
    return Channel.BILATERAL if user.role == Role.EMBASSY_OFFICER else Channel.MULTILATERAL
