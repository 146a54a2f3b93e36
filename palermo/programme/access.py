"""Who may read and change what in the programme: every rule of the app, in one place.

Reads take the signed-in ``User``: ``access_*`` answer 404 for a forbidden object exactly as for a
missing one. Changes take an ``Actor``: a person, or the system running a command (commands, demo),
which passes every ``may_*`` rule. The scopes themselves (who reads and edits which actions) are the
``visible_to`` / ``editable_by`` methods of the models' querysets.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from palermo.accounts.access import Actor, SystemActor, is_active_user
from palermo.accounts.models import User
from palermo.accounts.roles import PORTFOLIO_ROLES, Role
from palermo.programme.models import (
    Action,
    ActionQuerySet,
    Budget,
    Document,
    GretaRecommendation,
    Indicator,
    Period,
    Result,
    Transaction,
)

M = TypeVar("M", bound=models.Model)
GRETA_UPLOAD_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.NATIONAL_COORDINATOR})
ACTION_CREATOR_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.EMBASSY_OFFICER})
PORTFOLIO_MANAGER_ROLES = frozenset({Role.PROGRAMME_MANAGER})


# Reading ------------------------------------------------------------------------------------------


def reads_portfolio(user: User) -> bool:
    """Roles that read actions in detail; the others read aggregates only."""
    return is_active_user(user) and user.role in PORTFOLIO_ROLES


def require_portfolio(user: User) -> None:
    if not reads_portfolio(user):
        raise Http404


def access_action(user: User, pk: int) -> Action:
    action = Action.objects.visible_to(user).filter(pk=pk).first()
    if action is None:
        raise Http404
    return action


def access_recommendation(user: User, pk: int) -> GretaRecommendation:
    recommendation = GretaRecommendation.objects.visible_to(user).filter(pk=pk).select_related("country").first()
    if recommendation is None:
        raise Http404
    return recommendation


def access_document(user: User, pk: int) -> Document:
    """A document of an action the user may read (its file is served to those readers only)."""
    document = Document.objects.filter(pk=pk, action__in=Action.objects.visible_to(user)).first()
    if document is None:
        raise Http404
    return document


# Changing -----------------------------------------------------------------------------------------


def editable_actions(actor: Actor) -> ActionQuerySet:
    """The actions ``actor`` may change: every action for the system, the user's scope otherwise."""
    if isinstance(actor, SystemActor):
        return Action.objects.all()
    return Action.objects.editable_by(actor)


def may_edit(actor: Actor, action: Action) -> bool:
    return isinstance(actor, SystemActor) or editable_actions(actor).filter(pk=action.pk).exists()


def require_editable(actor: Actor, action: Action) -> None:
    """For services: an actor who may not edit the action is refused before anything is written."""
    if not may_edit(actor, action):
        raise PermissionDenied


def may_create_action(actor: Actor) -> bool:
    """Programme managers and embassy officers (the latter within their countries, checked on save)."""
    return isinstance(actor, SystemActor) or (is_active_user(actor) and actor.role in ACTION_CREATOR_ROLES)


def may_manage_portfolio(actor: Actor) -> bool:
    """Set what only the programme's managers set: an action's programme, reporting organisation and
    origin, and removing an action."""
    return isinstance(actor, SystemActor) or (is_active_user(actor) and actor.role in PORTFOLIO_MANAGER_ROLES)


def may_upload_greta(actor: Actor) -> bool:
    """Programme managers (every country) and national coordinators (their countries' rows only)."""
    return isinstance(actor, SystemActor) or (is_active_user(actor) and actor.role in GRETA_UPLOAD_ROLES)


def greta_countries(actor: Actor) -> frozenset[str] | None:
    """The countries whose GRETA recommendations ``actor`` may load: None for every country."""
    if isinstance(actor, SystemActor) or actor.role == Role.PROGRAMME_MANAGER:
        return None
    return actor.country_codes() or frozenset()


def _editable(user: User, model: type[M], pk: int, path: str) -> M:
    found = model._default_manager.filter(pk=pk, **{f"{path}__in": Action.objects.editable_by(user)}).first()
    if found is None:
        raise Http404
    return found


def access_editable_action(user: User, pk: int) -> Action:
    return _editable(user, Action, pk, "pk")


def access_editable_result(user: User, pk: int) -> Result:
    return _editable(user, Result, pk, "action")


def access_editable_indicator(user: User, pk: int) -> Indicator:
    return _editable(user, Indicator, pk, "result__action")


def access_editable_period(user: User, pk: int) -> Period:
    return _editable(user, Period, pk, "indicator__result__action")


def access_editable_transaction(user: User, pk: int) -> Transaction:
    return _editable(user, Transaction, pk, "action")


def access_editable_budget(user: User, pk: int) -> Budget:
    return _editable(user, Budget, pk, "action")


def access_editable_document(user: User, pk: int) -> Document:
    return _editable(user, Document, pk, "action")
