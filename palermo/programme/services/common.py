"""What every programme service shares: where an audit row is filed, and errors keyed by field."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from palermo.programme.models import Action

Errors = dict[str, list[str]]
M = TypeVar("M", bound=models.Model)


def audit_country(action: Action) -> str:
    """The country an audit row is filed under: the action's only country, else none."""
    codes_ = [share.country_id for share in action.country_shares.all()]
    return codes_[0] if len(codes_) == 1 else ""


def model_errors(instance: models.Model, exclude: list[str]) -> Errors:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        return dict(error.message_dict)
    return {}


def merge(errors: Errors, more: Errors) -> Errors:
    for key, messages in more.items():
        errors.setdefault(key, []).extend(messages)
    return errors


def locked(model: type[M], instance: M) -> M:
    """The row as the database holds it (locked until the transaction ends), whatever the caller's copy
    says: a service reads the "before" state itself."""
    return model._default_manager.select_for_update().get(pk=instance.pk)


def stored(model: type[M], instance: M | None) -> M | None:
    """``locked`` for a row that exists; None for a new one."""
    return None if instance is None or instance.pk is None else locked(model, instance)
