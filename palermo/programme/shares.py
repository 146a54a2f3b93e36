"""Checks on percentage shares (countries, objectives, sectors): plain logic, no Django."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

HUNDRED = Decimal("100")


def share_problems(shares: Sequence[tuple[str, Decimal | str | None]]) -> list[str]:
    """Return the problems of a list of (key, percentage) rows, in English, empty when the shares are valid.

    Valid shares: at least one row, no key twice, each share above 0 and at most 100, summing to exactly 100.
    """
    if not shares:
        return ["at least one share is needed"]
    problems: list[str] = []
    seen: set[str] = set()
    total = Decimal("0")
    for key, raw in shares:
        if key in seen:
            problems.append(f"{key} is given twice")
        seen.add(key)
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            problems.append(f"{key}: {raw!r} is not a number")
            continue
        if not value.is_finite() or value <= 0 or value > HUNDRED:
            problems.append(f"{key}: a share lies above 0 and at most 100 (got {raw})")
            continue
        total += value
    if not problems and total != HUNDRED:
        problems.append(f"the shares sum to {total.normalize():f}, not 100")
    return problems
