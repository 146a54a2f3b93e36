"""Who reads what in the portfolio; one helper per object, 404 for forbidden and missing alike."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from palermo.accounts.roles import PORTFOLIO_ROLES, Role
from palermo.programme.models import (
    Action,
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


def reads_portfolio(user: Any) -> bool:
    """Roles that read actions in detail; the others read aggregates only."""
    return bool(user.is_authenticated and user.is_active and user.role in PORTFOLIO_ROLES)


def require_portfolio(user: Any) -> None:
    if not reads_portfolio(user):
        raise Http404


def access_action(user: Any, pk: int) -> Action:
    action = Action.objects.visible_to(user).filter(pk=pk).first()
    if action is None:
        raise Http404
    return action


def access_recommendation(user: Any, pk: int) -> GretaRecommendation:
    recommendation = GretaRecommendation.objects.visible_to(user).filter(pk=pk).select_related("country").first()
    if recommendation is None:
        raise Http404
    return recommendation


def may_edit(user: Any, action: Action) -> bool:
    return Action.objects.editable_by(user).filter(pk=action.pk).exists()


def require_editable(user: Any, action: Action) -> None:
    """For services: a user who may not edit the action is refused before anything is written."""
    if not may_edit(user, action):
        raise PermissionDenied


def access_editable_action(user: Any, pk: int) -> Action:
    action = Action.objects.editable_by(user).filter(pk=pk).first()
    if action is None:
        raise Http404
    return action


def _editable(user: Any, model: type[M], pk: int, path: str) -> M:
    found = model.objects.filter(pk=pk, **{f"{path}__in": Action.objects.editable_by(user)}).first()  # type: ignore[attr-defined]
    if found is None:
        raise Http404
    return found  # type: ignore[no-any-return]


def access_editable_result(user: Any, pk: int) -> Result:
    return _editable(user, Result, pk, "action")


def access_editable_indicator(user: Any, pk: int) -> Indicator:
    return _editable(user, Indicator, pk, "result__action")


def access_editable_period(user: Any, pk: int) -> Period:
    return _editable(user, Period, pk, "indicator__result__action")


def access_editable_transaction(user: Any, pk: int) -> Transaction:
    return _editable(user, Transaction, pk, "action")


def access_editable_budget(user: Any, pk: int) -> Budget:
    return _editable(user, Budget, pk, "action")


def access_editable_document(user: Any, pk: int) -> Document:
    return _editable(user, Document, pk, "action")


def access_document(user: Any, pk: int) -> Document:
    """A document of an action the user may read (its file is served to those readers only)."""
    document = Document.objects.filter(pk=pk, action__in=Action.objects.visible_to(user)).first()
    if document is None:
        raise Http404
    return document


def audit_country(action: Action) -> str:
    """The country an audit row is filed under: the action's only country, else none."""
    codes_ = [share.country_id for share in action.country_shares.all()]
    return codes_[0] if len(codes_) == 1 else ""


def may_upload_greta(user: Any) -> bool:
    """Programme managers (every country) and national coordinators (their countries' rows only)."""
    return bool(user.is_authenticated and user.is_active and user.role in GRETA_UPLOAD_ROLES)
