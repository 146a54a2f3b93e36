"""Rules of the results framework and of dated money: plain data, no Django.

The services turn the problems found here into translated messages naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum

from palermo.programme.codes import AGE_BANDS, SEXES

# IATI IndicatorMeasure
UNIT, PERCENTAGE, NOMINAL, ORDINAL, QUALITATIVE = 1, 2, 3, 4, 5

DIMENSIONS = {"sex": SEXES, "age": AGE_BANDS}
AMOUNTS = ("target", "actual")


class ValueProblem(StrEnum):
    NO_NUMBER_FOR_QUALITATIVE = "qualitative"
    NEGATIVE = "negative"
    ABOVE_100 = "above_100"
    NOT_WHOLE = "not_whole"


def value_problem(measure: int, value: Decimal | None) -> ValueProblem | None:
    """What is wrong with a baseline, target or actual value under the indicator's measure.

    Units and percentages are counts or shares (non-negative, a percentage at most 100); nominal
    and ordinal values are category codes or ranks (non-negative whole numbers); a qualitative
    indicator holds no number (its values go in the comment)."""
    if value is None:
        return None
    if measure == QUALITATIVE:
        return ValueProblem.NO_NUMBER_FOR_QUALITATIVE
    if value < 0:
        return ValueProblem.NEGATIVE
    if measure == PERCENTAGE and value > 100:
        return ValueProblem.ABOVE_100
    if measure in (NOMINAL, ORDINAL) and value != value.to_integral_value():
        return ValueProblem.NOT_WHOLE
    return None


def breakdown_field(dimension: str, value: str, amount: str) -> str:
    """Form field name of one disaggregated value: ``sex_female_target``, ``age_0_17_actual``, ``age_40plus_target``."""
    slug = value.replace("+", "plus").replace("-", "_")
    return f"{dimension}_{slug}_{amount}"


def breakdown_sum_exceeds(total: Decimal | None, parts: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the disaggregated values when it is above the total, else ``None``."""
    given = [p for p in parts if p is not None]
    if total is None or not given:
        return None
    found = sum(given, Decimal(0))
    return found if found > total else None


def describe_parts(parts: Mapping[str, Decimal | None]) -> str:
    """``female 30 + male 25 = 55`` for a message."""
    given = [(k, v) for k, v in parts.items() if v is not None]
    total = sum((v for _k, v in given), Decimal(0))
    return " + ".join(f"{k} {_plain(v)}" for k, v in given) + f" = {_plain(total)}"


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def span(starts: Iterable[date | None], ends: Iterable[date | None]) -> tuple[date | None, date | None]:
    """The action's dates: the earliest known start and the latest known end (``None``: open)."""
    known_starts = [d for d in starts if d is not None]
    known_ends = [d for d in ends if d is not None]
    return (min(known_starts) if known_starts else None, max(known_ends) if known_ends else None)


def outside(day: date, first: date | None, last: date | None) -> bool:
    return (first is not None and day < first) or (last is not None and day > last)
