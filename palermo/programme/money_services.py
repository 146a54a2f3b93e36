"""Budget lines and transactions of an action: add, edit, remove; keyword-only, atomic, audited.

Amounts are EUR in ``Decimal``, above zero; dates fall inside the action's dates (the earliest
planned or actual start to the latest planned or actual end).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.programme import framework_rules as rules
from palermo.programme.access import audit_country, require_editable
from palermo.programme.models import Action, Budget, Transaction

if TYPE_CHECKING:
    from palermo.accounts.models import User


def action_span(action: Action) -> tuple[date | None, date | None]:
    return rules.span((action.planned_start, action.actual_start), (action.planned_end, action.actual_end))


def describe_span(action: Action) -> str:
    first, last = action_span(action)
    return f"{first.isoformat() if first else '…'} – {last.isoformat() if last else '…'}"


def date_problems(action: Action, dates: dict[str, date | None]) -> dict[str, list[str]]:
    """A message for each named date that falls outside the action's dates."""
    first, last = action_span(action)
    return {
        name: [_("%(date)s is outside the action's dates (%(span)s).")
               % {"date": day.isoformat(), "span": describe_span(action)}]
        for name, day in dates.items() if day is not None and rules.outside(day, first, last)
    }


def amount_problems(value: Decimal | None) -> dict[str, list[str]]:
    if value is not None and value <= 0:
        return {"value": [_("Give an amount above 0 EUR.")]}
    return {}


def _merge(errors: dict[str, list[str]], more: dict[str, list[str]]) -> None:
    for key, messages in more.items():
        errors.setdefault(key, []).extend(messages)


def _model_errors(instance: Any, exclude: list[str]) -> dict[str, list[str]]:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        return dict(error.message_dict)
    return {}


def _money_detail(action: Action, **values: Any) -> dict[str, Any]:
    return {"action": action.iati_identifier} | {k: str(v) for k, v in values.items()}


@transaction.atomic
def save_transaction(*, acting_user: User, action: Action, entry: Transaction | None = None, transaction_type: int,
                     date: date, value: Decimal, description: str = "") -> Transaction:
    """Add (``entry`` None) or change a transaction of the action."""
    require_editable(acting_user, action)
    creating = entry is None
    if entry is None:
        entry = Transaction(action=action)
    elif entry.action_id != action.pk:
        raise ValidationError({"action": [_("This transaction belongs to another action.")]})
    before = {"type": entry.transaction_type, "date": str(entry.date), "value": str(entry.value)}
    entry.transaction_type, entry.date, entry.value, entry.description = transaction_type, date, value, description
    errors = _model_errors(entry, exclude=["action"])
    errors.update(amount_problems(value))
    _merge(errors, date_problems(action, {"date": date}))
    if errors:
        if not creating:
            entry.refresh_from_db()  # the caller's object is left as it was
        raise ValidationError(errors)
    entry.save()
    detail = _money_detail(action, type=transaction_type, date=date, value=value)
    if not creating:
        detail["before"] = before
    record(actor=acting_user, action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
           object_type="programme.transaction", object_id=entry.pk, country=audit_country(action), detail=detail)
    return entry


@transaction.atomic
def delete_transaction(*, acting_user: User, entry: Transaction) -> None:
    action = entry.action
    require_editable(acting_user, action)
    pk = entry.pk
    detail = _money_detail(action, type=entry.transaction_type, date=entry.date, value=entry.value)
    entry.delete()
    record(actor=acting_user, action=AuditEvent.Action.DELETE, object_type="programme.transaction", object_id=pk,
           country=audit_country(action), detail=detail)


@transaction.atomic
def save_budget(*, acting_user: User, action: Action, budget: Budget | None = None, period_start: date,
                period_end: date, value: Decimal, status: int = Budget.Status.INDICATIVE,
                budget_type: int | None = None) -> Budget:
    """Add (``budget`` None) or change a budget line of the action (a period of at most a year)."""
    require_editable(acting_user, action)
    creating = budget is None
    if budget is None:
        budget = Budget(action=action)
    elif budget.action_id != action.pk:
        raise ValidationError({"action": [_("This budget belongs to another action.")]})
    before = {"period_start": str(budget.period_start), "period_end": str(budget.period_end),
              "value": str(budget.value), "status": budget.status}
    budget.period_start, budget.period_end, budget.value = period_start, period_end, value
    budget.status = status
    if budget_type is not None:
        budget.budget_type = budget_type
    errors = _model_errors(budget, exclude=["action"])
    errors.update(amount_problems(value))
    _merge(errors, date_problems(action, {"period_start": period_start, "period_end": period_end}))
    if errors:
        if not creating:
            budget.refresh_from_db()  # the caller's object is left as it was
        raise ValidationError(errors)
    budget.save()
    detail = _money_detail(action, period_start=period_start, period_end=period_end, value=value, status=status)
    if not creating:
        detail["before"] = before
    record(actor=acting_user, action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
           object_type="programme.budget", object_id=budget.pk, country=audit_country(action), detail=detail)
    return budget


@transaction.atomic
def delete_budget(*, acting_user: User, budget: Budget) -> None:
    action = budget.action
    require_editable(acting_user, action)
    pk = budget.pk
    detail = _money_detail(action, period_start=budget.period_start, period_end=budget.period_end, value=budget.value)
    budget.delete()
    record(actor=acting_user, action=AuditEvent.Action.DELETE, object_type="programme.budget", object_id=pk,
           country=audit_country(action), detail=detail)
