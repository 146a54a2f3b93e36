"""Budget lines and transactions of an action: add, edit, remove; keyword-only, atomic, audited.

Amounts are EUR in ``Decimal``, above zero; dates fall inside the action's dates (the earliest
planned or actual start to the latest planned or actual end). The same rules check the admin's rows
(``transaction_problems``, ``budget_problems``) before the admin saves them through these services.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from palermo import i18n
from palermo.accounts.access import Actor
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.partners.models import Organisation
from palermo.programme import framework_rules as rules
from palermo.programme.access import require_editable
from palermo.programme.models import Action, Budget, Transaction
from palermo.programme.services.common import Errors, audit_country, locked, merge, model_errors, stored


def action_span(action: Action) -> tuple[date | None, date | None]:
    return rules.span((action.planned_start, action.actual_start), (action.planned_end, action.actual_end))


def describe_span(action: Action) -> str:
    first, last = action_span(action)
    return f"{i18n.day(first) if first else '…'} – {i18n.day(last) if last else '…'}"


def date_problems(action: Action, dates: dict[str, date | None]) -> Errors:
    """A message for each named date that falls outside the action's dates."""
    first, last = action_span(action)
    return {
        name: [_("%(date)s is outside the action's dates (%(span)s).")
               % {"date": i18n.day(day), "span": describe_span(action)}]
        for name, day in dates.items() if day is not None and rules.outside(day, first, last)
    }


def amount_problems(value: Decimal | None) -> Errors:
    if value is not None and value <= 0:
        return {"value": [_("Give an amount above 0 EUR.")]}
    return {}


def transaction_problems(action: Action, *, date: date | None, value: Decimal | None) -> Errors:
    """The programme's rules on a transaction, beyond the model's own."""
    return merge(amount_problems(value), date_problems(action, {"date": date}))


def budget_problems(action: Action, *, period_start: date | None, period_end: date | None,
                    value: Decimal | None) -> Errors:
    """The programme's rules on a budget line, beyond the model's own (a period of at most a year)."""
    return merge(amount_problems(value),
                 date_problems(action, {"period_start": period_start, "period_end": period_end}))


KEEP = object()  # a provider or receiver not given: left as recorded


def _money_detail(action: Action, **values: Any) -> dict[str, Any]:
    return {"action": action.iati_identifier} | {k: str(v) for k, v in values.items()}


@transaction.atomic
def save_transaction(*, acting_user: Actor, action: Action, entry: Transaction | None = None, transaction_type: int,
                     date: date, value: Decimal, description: str = "",
                     provider_organisation: Organisation | object | None = KEEP,
                     receiver_organisation: Organisation | object | None = KEEP) -> Transaction:
    """Add (``entry`` None) or change a transaction of the action; the provider and receiver organisations (IATI
    provider-org, receiver-org) are kept as they are unless given."""
    require_editable(acting_user, action)
    existing = stored(Transaction, entry)
    if existing is not None and existing.action_id != action.pk:
        raise ValidationError({"action": [_("This transaction belongs to another action.")]})
    target = existing or Transaction(action=action)
    before = {"type": target.transaction_type, "date": str(target.date), "value": str(target.value)}
    target.transaction_type, target.date, target.value, target.description = (transaction_type, date, value,
                                                                              description)
    if provider_organisation is not KEEP:
        target.provider_organisation = provider_organisation  # type: ignore[assignment]
    if receiver_organisation is not KEEP:
        target.receiver_organisation = receiver_organisation  # type: ignore[assignment]
    errors = model_errors(target, exclude=["action"])
    errors.update(amount_problems(value))
    merge(errors, date_problems(action, {"date": date}))
    if errors:
        raise ValidationError(errors)
    target.save()
    detail = _money_detail(action, type=transaction_type, date=date, value=value)
    if existing is not None:
        detail["before"] = before
    record(actor=acting_user, action=AuditEvent.Action.UPDATE if existing else AuditEvent.Action.CREATE,
           object_type="programme.transaction", object_id=target.pk, country=audit_country(action), detail=detail)
    return target


@transaction.atomic
def delete_transaction(*, acting_user: Actor, entry: Transaction) -> None:
    existing = locked(Transaction, entry)
    action = existing.action
    require_editable(acting_user, action)
    pk = existing.pk
    detail = _money_detail(action, type=existing.transaction_type, date=existing.date, value=existing.value)
    existing.delete()
    record(actor=acting_user, action=AuditEvent.Action.DELETE, object_type="programme.transaction", object_id=pk,
           country=audit_country(action), detail=detail)


@transaction.atomic
def save_budget(*, acting_user: Actor, action: Action, budget: Budget | None = None, period_start: date,
                period_end: date, value: Decimal, status: int = Budget.Status.INDICATIVE,
                budget_type: int | None = None) -> Budget:
    """Add (``budget`` None) or change a budget line of the action (a period of at most a year)."""
    require_editable(acting_user, action)
    existing = stored(Budget, budget)
    if existing is not None and existing.action_id != action.pk:
        raise ValidationError({"action": [_("This budget belongs to another action.")]})
    target = existing or Budget(action=action)
    before = {"period_start": str(target.period_start), "period_end": str(target.period_end),
              "value": str(target.value), "status": target.status}
    target.period_start, target.period_end, target.value = period_start, period_end, value
    target.status = status
    if budget_type is not None:
        target.budget_type = budget_type
    errors = model_errors(target, exclude=["action"])
    errors.update(amount_problems(value))
    merge(errors, date_problems(action, {"period_start": period_start, "period_end": period_end}))
    if errors:
        raise ValidationError(errors)
    target.save()
    detail = _money_detail(action, period_start=period_start, period_end=period_end, value=value, status=status)
    if existing is not None:
        detail["before"] = before
    record(actor=acting_user, action=AuditEvent.Action.UPDATE if existing else AuditEvent.Action.CREATE,
           object_type="programme.budget", object_id=target.pk, country=audit_country(action), detail=detail)
    return target


@transaction.atomic
def delete_budget(*, acting_user: Actor, budget: Budget) -> None:
    existing = locked(Budget, budget)
    action = existing.action
    require_editable(acting_user, action)
    pk = existing.pk
    detail = _money_detail(action, period_start=existing.period_start, period_end=existing.period_end,
                           value=existing.value)
    existing.delete()
    record(actor=acting_user, action=AuditEvent.Action.DELETE, object_type="programme.budget", object_id=pk,
           country=audit_country(action), detail=detail)
