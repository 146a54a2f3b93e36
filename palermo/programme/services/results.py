"""The results framework of an action: results -> indicators -> periods (with values by sex and age).

Every change is keyword-only, atomic and audited; a user who may not edit the action is refused
(PermissionDenied) and bad values are refused (ValidationError keyed by field) before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.programme import feeds
from palermo.programme import framework_rules as rules
from palermo.programme.access import require_editable
from palermo.programme.models import Action, Indicator, Period, PeriodDisaggregation, Result
from palermo.programme.services.common import audit_country, locked, merge, model_errors, stored
from palermo.programme.services.money import date_problems

RESULT_FIELDS = ("result_type", "title_en", "title_fr", "description", "aggregation_status", "order")
INDICATOR_FIELDS = ("title_en", "title_fr", "description", "measure", "unit", "ascending", "baseline_year",
                    "baseline_value", "baseline_comment", "disaggregated_by_sex", "disaggregated_by_age",
                    "means_of_verification", "measured_by", "order")
EDITABLE_RESULT_TYPES = (Result.Type.OUTPUT, Result.Type.OUTCOME, Result.Type.IMPACT)
FIRST_BASELINE_YEAR, LAST_BASELINE_YEAR = 1990, 2100


@dataclass(frozen=True)
class Breakdown:
    """A target and an actual value for one sex or one age band of a period."""

    dimension: str  # "sex" | "age"
    value: str
    target: Decimal | None = None
    actual: Decimal | None = None


def value_message(problem: rules.ValueProblem) -> str:
    return {
        rules.ValueProblem.NO_NUMBER_FOR_QUALITATIVE: _(
            "A qualitative indicator holds no number: describe the value in the comment."),
        rules.ValueProblem.NEGATIVE: _("This value cannot be negative."),
        rules.ValueProblem.ABOVE_100: _("A percentage is at most 100."),
        rules.ValueProblem.NOT_WHOLE: _("Nominal and ordinal values are whole numbers."),
    }[problem]


def _audit(acting_user: Actor, verb: str, object_type: str, pk: Any, action: Action, **detail: Any) -> None:
    record(actor=acting_user, action=verb, object_type=object_type, object_id=pk, country=audit_country(action),
           detail={"action": action.iati_identifier} | detail)


def _changed(instance: Result | Indicator, names: tuple[str, ...], values: dict[str, Any]) -> dict[str, str]:
    return {name: str(values[name]) for name in names if name in values and getattr(instance, name) != values[name]}


# Results ------------------------------------------------------------------------------------------


@transaction.atomic
def save_result(*, acting_user: Actor, action: Action, result: Result | None = None, **fields: Any) -> Result:
    """Add (``result`` None) or change a result (output, outcome or impact) of the action."""
    require_editable(acting_user, action)
    existing = stored(Result, result)
    creating = existing is None
    if existing is not None and existing.action_id != action.pk:
        raise ValidationError({"result": [_("This result belongs to another action.")]})
    result = existing or Result(action=action)
    unknown = [name for name in fields if name not in RESULT_FIELDS]
    if unknown:
        raise ValidationError({name: [_("This field cannot be set.")] for name in unknown})
    changed = _changed(result, RESULT_FIELDS, fields)
    for name, value in fields.items():
        setattr(result, name, value)
    errors = model_errors(result, exclude=["action"])
    if result.result_type not in EDITABLE_RESULT_TYPES and "result_type" in changed:
        errors.setdefault("result_type", []).append(_("A result is an output, an outcome or an impact."))
    if errors:
        raise ValidationError(errors)
    result.save()
    _audit(acting_user, AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE, "programme.result",
           result.pk, action, fields=changed)
    return result


@transaction.atomic
def delete_result(*, acting_user: Actor, result: Result) -> None:
    """Remove a result with its indicators and their periods."""
    result = locked(Result, result)
    action = result.action
    require_editable(acting_user, action)
    pk, title = result.pk, result.title_en
    indicators = result.indicators.count()
    periods = Period.objects.filter(indicator__result=result).count()
    result.delete()
    _audit(acting_user, AuditEvent.Action.DELETE, "programme.result", pk, action, title=title,
           indicators=indicators, periods=periods)


# Indicators ---------------------------------------------------------------------------------------


@transaction.atomic
def save_indicator(*, acting_user: Actor, result: Result, indicator: Indicator | None = None,
                   **fields: Any) -> Indicator:
    """Add (``indicator`` None) or change an indicator of a result. A change of measure or of
    disaggregation is refused when a recorded period would no longer fit it."""
    action = result.action
    require_editable(acting_user, action)
    existing = stored(Indicator, indicator)
    creating = existing is None
    if existing is not None and existing.result_id != result.pk:
        raise ValidationError({"indicator": [_("This indicator belongs to another result.")]})
    indicator = existing or Indicator(result=result)
    unknown = [name for name in fields if name not in INDICATOR_FIELDS]
    if unknown:
        raise ValidationError({name: [_("This field cannot be set.")] for name in unknown})
    changed = _changed(indicator, INDICATOR_FIELDS, fields)
    for name, value in fields.items():
        setattr(indicator, name, value)
    errors = model_errors(indicator, exclude=["result"])
    if (problem := rules.value_problem(indicator.measure, indicator.baseline_value)) is not None:
        errors.setdefault("baseline_value", []).append(value_message(problem))
    year = indicator.baseline_year
    if year is not None and not FIRST_BASELINE_YEAR <= year <= LAST_BASELINE_YEAR:
        errors.setdefault("baseline_year", []).append(
            _("Give a year from %(first)s to %(last)s.") % {"first": FIRST_BASELINE_YEAR, "last": LAST_BASELINE_YEAR})
    if indicator.measured_by:
        if feeds.feed(indicator.measured_by) is None:
            errors.setdefault("measured_by", []).append(
                _("No records of the platform are called “%(key)s”.") % {"key": indicator.measured_by})
        elif indicator.measure != Indicator.Measure.UNIT:
            errors.setdefault("measured_by", []).append(
                _("Records give a count: an indicator measured from them is measured in units."))
    if not creating and "measured_by" not in errors:
        merge(errors, _recorded_periods_problems(indicator))
    if errors:
        raise ValidationError(errors)
    indicator.save()
    _audit(acting_user, AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE, "programme.indicator",
           indicator.pk, action, result=result.pk, fields=changed)
    if indicator.measured_by and "measured_by" in changed:
        _remeasure(acting_user, indicator, action)
    return indicator


def _recorded_periods_problems(indicator: Indicator) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for period in indicator.periods.prefetch_related("disaggregations"):
        label = str(period)
        values = [period.target, period.actual]
        values += [v for d in period.disaggregations.all() for v in (d.target, d.actual)]
        if any(rules.value_problem(indicator.measure, v) for v in values):
            errors.setdefault("measure", []).append(
                _("The period %(period)s holds values this measure does not allow; change them first.")
                % {"period": label})
        dimensions = {d.dimension for d in period.disaggregations.all()}
        for dimension, field, label_ in (("sex", "disaggregated_by_sex", _("sex")),
                                         ("age", "disaggregated_by_age", _("age"))):
            if dimension in dimensions and not getattr(indicator, field):
                errors.setdefault(field, []).append(
                    _("The period %(period)s holds values by %(dimension)s; remove them first.")
                    % {"period": label, "dimension": label_})
    return errors


@transaction.atomic
def delete_indicator(*, acting_user: Actor, indicator: Indicator) -> None:
    indicator = locked(Indicator, indicator)
    action = indicator.result.action
    require_editable(acting_user, action)
    pk, title, periods = indicator.pk, indicator.title_en, indicator.periods.count()
    indicator.delete()
    _audit(acting_user, AuditEvent.Action.DELETE, "programme.indicator", pk, action, title=title, periods=periods)


# Periods ------------------------------------------------------------------------------------------


def period_problems(indicator: Indicator, action: Action, *, period_start: date, period_end: date,
                    target: Decimal | None, actual: Decimal | None,
                    breakdown: list[Breakdown]) -> dict[str, list[str]]:
    """Every problem of a period, keyed by the form field it concerns."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if period_end <= period_start:
        add("period_end", _("The period end must be after its start."))
    for key, messages in date_problems(action, {"period_start": period_start, "period_end": period_end}).items():
        for message in messages:
            add(key, message)
    totals = {"target": target, "actual": actual}
    for amount, value in totals.items():
        if (problem := rules.value_problem(indicator.measure, value)) is not None:
            add(amount, value_message(problem))
    enabled = {"sex": indicator.disaggregated_by_sex, "age": indicator.disaggregated_by_age}
    seen: set[tuple[str, str]] = set()
    for part in breakdown:
        if part.dimension not in rules.DIMENSIONS or part.value not in rules.DIMENSIONS[part.dimension]:
            add("breakdown", _("Unknown disaggregation: %(dimension)s %(value)s.")
                % {"dimension": part.dimension, "value": part.value})
            continue
        if (part.dimension, part.value) in seen:
            add("breakdown", _("%(dimension)s %(value)s is given twice.")
                % {"dimension": part.dimension, "value": part.value})
        seen.add((part.dimension, part.value))
        if not enabled[part.dimension] and (part.target is not None or part.actual is not None):
            add("breakdown", _("This indicator is not disaggregated by %(dimension)s.")
                % {"dimension": _("sex") if part.dimension == "sex" else _("age")})
            continue
        for amount, value in (("target", part.target), ("actual", part.actual)):
            if (problem := rules.value_problem(indicator.measure, value)) is not None:
                add(rules.breakdown_field(part.dimension, part.value, amount), value_message(problem))
    for dimension in rules.DIMENSIONS:
        for amount in rules.AMOUNTS:
            parts = {p.value: getattr(p, amount) for p in breakdown if p.dimension == dimension}
            given = {k: v for k, v in parts.items() if v is not None}
            if not given:
                continue
            total_label = _("target") if amount == "target" else _("actual")
            dimension_label = _("sex") if dimension == "sex" else _("age")
            total = totals[amount]
            if total is None:
                add(amount, _("Give the total %(amount)s before its breakdown by %(dimension)s.")
                    % {"amount": total_label, "dimension": dimension_label})
            elif indicator.measure == rules.UNIT and rules.breakdown_sum_exceeds(total, given.values()):
                add(amount, _("The %(amount)s by %(dimension)s (%(parts)s) exceeds the total %(amount)s %(total)s.")
                    % {"amount": total_label, "dimension": dimension_label, "parts": rules.describe_parts(given),
                       "total": f"{total.normalize():f}"})
    return errors


@transaction.atomic
def save_period(*, acting_user: Actor, indicator: Indicator, period: Period | None = None, period_start: date,
                period_end: date, target: Decimal | None = None, actual: Decimal | None = None, comment: str = "",
                breakdown: list[Breakdown] | None = None) -> Period:
    """Add (``period`` None) or change a reporting period of an indicator, its values by sex and
    age replacing those recorded."""
    action = indicator.result.action
    require_editable(acting_user, action)
    existing = stored(Period, period)
    creating = existing is None
    if existing is not None and existing.indicator_id != indicator.pk:
        raise ValidationError({"period": [_("This period belongs to another indicator.")]})
    period = existing or Period(indicator=indicator)
    if indicator.measured_by:
        actual, breakdown = _measured_values(indicator, period_start, period_end, breakdown or [])
    parts = [p for p in (breakdown or []) if p.target is not None or p.actual is not None]
    period.period_start, period.period_end = period_start, period_end
    period.target, period.actual, period.comment = target, actual, comment
    errors = model_errors(period, exclude=["indicator"])
    problems = period_problems(indicator, action, period_start=period_start, period_end=period_end,
                               target=target, actual=actual, breakdown=parts)
    if "period_end" in problems:
        errors.pop("period_end", None)  # the model says the same in other words
    merge(errors, problems)
    if errors:
        raise ValidationError(errors)
    period.save()
    period.disaggregations.all().delete()
    PeriodDisaggregation.objects.bulk_create(
        PeriodDisaggregation(period=period, dimension=p.dimension, value=p.value, target=p.target, actual=p.actual)
        for p in parts
    )
    _audit(acting_user, AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE, "programme.period",
           period.pk, action, indicator=indicator.pk, period_start=str(period_start), period_end=str(period_end),
           target=str(target), actual=str(actual),
           breakdown={f"{p.dimension}:{p.value}": [str(p.target), str(p.actual)] for p in parts})
    return period


@transaction.atomic
def delete_period(*, acting_user: Actor, period: Period) -> None:
    period = locked(Period, period)
    indicator = period.indicator
    action = indicator.result.action
    require_editable(acting_user, action)
    pk, dates = period.pk, f"{period.period_start}/{period.period_end}"
    period.delete()
    _audit(acting_user, AuditEvent.Action.DELETE, "programme.period", pk, action, indicator=indicator.pk,
           period=dates)


# Periods measured from the platform's records (palermo.programme.feeds) -------------------------------


def _measured_values(indicator: Indicator, start: date, end: date,
                     breakdown: list[Breakdown]) -> tuple[Decimal | None, list[Breakdown]]:
    """The period's actual total and actuals by sex and age as the feed computes them, the targets as given."""
    found = feeds.feed(indicator.measured_by)
    measurement = found.compute(indicator.result.action_id, start, end) if found else None
    targets = {(p.dimension, p.value): p.target for p in breakdown}
    actuals: dict[tuple[str, str], Decimal | None] = {}
    if measurement is not None:
        if indicator.disaggregated_by_sex:
            actuals |= {("sex", value): amount for value, amount in measurement.by_sex.items()}
        if indicator.disaggregated_by_age:
            actuals |= {("age", value): amount for value, amount in measurement.by_age.items()}
    keys = sorted(set(targets) | set(actuals))
    return (None if measurement is None else measurement.total,
            [Breakdown(dimension, value, targets.get((dimension, value)), actuals.get((dimension, value)))
             for dimension, value in keys])


def _remeasure(acting_user: Actor, indicator: Indicator, action: Action) -> int:
    changed = 0
    for period in indicator.periods.select_for_update().prefetch_related("disaggregations"):
        recorded = {(d.dimension, d.value): d for d in period.disaggregations.all()}
        breakdown = [Breakdown(d.dimension, d.value, d.target, d.actual) for d in recorded.values()]
        actual, parts = _measured_values(indicator, period.period_start, period.period_end, breakdown)
        new = {(p.dimension, p.value): p.actual for p in parts}
        old = {key: d.actual for key, d in recorded.items()}
        if actual == period.actual and {k: v for k, v in new.items() if v is not None} == {
                k: v for k, v in old.items() if v is not None}:
            continue
        period.actual = actual
        period.save(update_fields=["actual"])
        for part in parts:
            if part.target is None and part.actual is None:
                if (part.dimension, part.value) in recorded:
                    recorded[(part.dimension, part.value)].delete()
                continue
            PeriodDisaggregation.objects.update_or_create(
                period=period, dimension=part.dimension, value=part.value,
                defaults={"target": part.target, "actual": part.actual})
        _audit(acting_user, AuditEvent.Action.UPDATE, "programme.period", period.pk, action,
               indicator=indicator.pk, measured_by=indicator.measured_by, actual=str(actual),
               breakdown={f"{p.dimension}:{p.value}": str(p.actual) for p in parts if p.actual is not None})
        changed += 1
    return changed


@transaction.atomic
def refresh_measured_periods(*, acting_user: Actor, action_ids: Iterable[int]) -> int:
    """Recompute the actuals of every period of the measured indicators of these actions; one audit row per
    period whose values changed. Returns how many changed. Called by the apps whose records feed indicators,
    in the transaction of their own change: the acting user is whoever changed those records (no edit right on
    the action is needed: the values follow the records)."""
    indicators = (Indicator.objects.filter(result__action_id__in=set(action_ids)).exclude(measured_by="")
                  .select_related("result__action"))
    return sum(_remeasure(acting_user, indicator, indicator.result.action) for indicator in indicators)
