"""Disclosure control for counts that leave a country's scope. Plain Python: no Django.

Three tools, documented in ``docs/diagnostics.md``:

- :func:`protect` — k-rounding with primary and complementary (secondary) suppression of an
  N-dimensional table of counts with its marginal totals;
- :func:`dp_counts` — differentially private counts (discrete Laplace noise from OpenDP) with a declared epsilon;
- :func:`k_anonymous_microdata` (in :mod:`palermo.diagnostics.microdata`) — the CTDC 2024 microdata export.

Rules of :func:`protect`, for a privacy resolution ``k`` (default 10):

1. every cell whose true count is below ``k`` — zero included — is suppressed (primary suppression), so a
   released 0 never tells that nobody is in a cell and no released cell is below ``k``;
2. a *line* is a cell of the table together with all cells that differ from it in one coordinate only, the
   marginal total included (the cells whose sum is the total). A line holding suppressed cells must hold at least
   two that an attacker cannot prove to be 0 from the released totals (:func:`zero_pinned`); otherwise its
   smallest released cell (ties broken by position) is suppressed too. This repeats until every line complies
   (a fixpoint: each pass suppresses one more cell, so it ends);
3. released counts are rounded down to a multiple of ``k``: ``k`` is also the smallest difference between
   two released counts.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

TOTAL = "__total__"
DEFAULT_K = 10

Key = tuple[str, ...]


def round_down(count: int, k: int) -> int:
    """The largest multiple of ``k`` not above ``count``."""
    if k < 1:
        raise ValueError("the privacy resolution k must be at least 1")
    return (count // k) * k


@dataclass(frozen=True)
class ProtectedTable:
    """A table after disclosure control. ``released[key]`` is ``None`` for a suppressed cell.

    Keys have one coordinate per dimension; :data:`TOTAL` in a coordinate is the marginal total over it.
    """

    dims: tuple[str, ...]
    categories: tuple[tuple[str, ...], ...]
    k: int
    released: dict[Key, int | None]
    primary: frozenset[Key] = field(default_factory=frozenset)
    secondary: frozenset[Key] = field(default_factory=frozenset)

    @property
    def suppressed(self) -> frozenset[Key]:
        return self.primary | self.secondary

    def value(self, *key: str) -> int | None:
        return self.released[tuple(key)]

    def rows(self) -> list[dict[str, Any]]:
        """One dict per cell (totals included), in category order; ``count`` is ``None`` when suppressed."""
        out = []
        for key in self.keys():
            row: dict[str, Any] = dict(zip(self.dims, key, strict=True))
            row["count"] = self.released[key]
            out.append(row)
        return out

    def keys(self) -> list[Key]:
        return list(itertools.product(*[(*cats, TOTAL) for cats in self.categories]))


def lines_of(categories: Sequence[Sequence[str]]) -> list[list[Key]]:
    """Every line of a table with margins: cells that vary along one dimension, the others fixed."""
    axes = [(*cats, TOTAL) for cats in categories]
    lines: list[list[Key]] = []
    for d, axis in enumerate(axes):
        others = [a for i, a in enumerate(axes) if i != d]
        for fixed in itertools.product(*others):
            line = []
            for value in axis:
                key = list(fixed)
                key.insert(d, value)
                line.append(tuple(key))
            lines.append(line)
    return lines


def complete_table(dims: Sequence[str], counts: Mapping[Key, int],
                   categories: Sequence[Sequence[str]] | None = None) -> tuple[tuple[tuple[str, ...], ...],
                                                                                dict[Key, int]]:
    """Fill the margins of a table given by its inner cells; missing inner cells count 0.

    Use this when every person is in exactly one category of each dimension (the margins are sums). For
    multi-valued dimensions, pass margins you counted yourself (distinct persons) to :func:`protect`.
    """
    if categories is None:
        categories = [sorted({key[d] for key in counts}) for d in range(len(dims))]
    cats = tuple(tuple(c) for c in categories)
    full: dict[Key, int] = {}
    for key in itertools.product(*[(*c, TOTAL) for c in cats]):
        full[key] = 0
    for key, count in counts.items():
        if count < 0:
            raise ValueError(f"negative count {count} for {key}")
        for mask in itertools.product((False, True), repeat=len(dims)):
            target = tuple(TOTAL if m else v for v, m in zip(key, mask, strict=True))
            full[target] += count
    return cats, full


def protect(dims: Sequence[str], cells: Mapping[Key, int], k: int = DEFAULT_K,
            categories: Sequence[Sequence[str]] | None = None, rounding: bool = True) -> ProtectedTable:
    """Apply rules 1-3 of this module to a table.

    ``cells`` holds the inner cells and may hold margins (keys with :data:`TOTAL`); missing margins are summed.
    """
    if k < 1:
        raise ValueError("the privacy resolution k must be at least 1")
    dims = tuple(dims)
    inner = {key: count for key, count in cells.items() if TOTAL not in key}
    cats, full = complete_table(dims, inner, categories)
    for key, count in cells.items():
        if TOTAL in key:
            full[key] = count  # a margin counted by the caller (distinct persons) wins over the sum
    primary = {key for key, count in full.items() if count < k}
    suppressed = complementary_suppression(full, lines_of(cats), primary)
    released: dict[Key, int | None] = {
        key: None if key in suppressed else (round_down(count, k) if rounding else count)
        for key, count in full.items()
    }
    return ProtectedTable(dims, cats, k, released, frozenset(primary), frozenset(suppressed - primary))


def zero_pinned(full: Mapping[Key, int], lines: Sequence[Sequence[Key]], suppressed: set[Key]) -> set[Key]:
    """Suppressed cells an attacker can prove to be 0: a line whose total is known (released, or itself proven
    0) and whose other unknown cells sum to 0 pins each of them to 0 (counts are never negative)."""
    pinned: set[Key] = set()
    changed = True
    while changed:
        changed = False
        for line in lines:
            total, inner = line[-1], line[:-1]
            if total in suppressed and total not in pinned:
                continue
            unknown = [key for key in inner if key in suppressed and key not in pinned]
            if unknown and sum(full[key] for key in unknown) == 0:
                pinned.update(unknown)
                changed = True
    return pinned


def complementary_suppression(full: Mapping[Key, int], lines: Sequence[Sequence[Key]],
                              primary: set[Key]) -> set[Key]:
    """Rule 2 to a fixpoint. A suppressed cell proven to be 0 (:func:`zero_pinned`) protects nothing and is
    itself disclosed, so a line with any suppressed cell needs two that are not proven 0."""
    suppressed = set(primary)
    order = {key: position for position, key in enumerate(full)}
    while True:
        pinned = zero_pinned(full, lines, suppressed)
        added = False
        for line in lines:
            hidden = [key for key in line if key in suppressed]
            unknown = [key for key in hidden if key not in pinned]
            if not hidden or len(unknown) > 1:
                continue
            candidates = [key for key in line if key not in suppressed]
            if not candidates:
                continue
            suppressed.add(min(candidates, key=lambda key: (full[key], order[key])))
            added = True
            break  # a new suppression can change which cells are proven 0: recompute
        if not added:
            return suppressed


def protect_1d(counts: Mapping[str, int], k: int = DEFAULT_K, total: int | None = None,
               categories: Sequence[str] | None = None, rounding: bool = True) -> ProtectedTable:
    """A one-dimensional table; ``total`` is the denominator when the field is multi-valued."""
    cells: dict[Key, int] = {(name,): count for name, count in counts.items()}
    if total is not None:
        cells[(TOTAL,)] = total
    return protect(("value",), cells, k, [list(categories)] if categories is not None else None, rounding)


# --- differential privacy -------------------------------------------------------------------------------------

def dp_counts(counts: Sequence[int], epsilon: float, contributions: int = 1) -> list[int]:
    """Counts with discrete Laplace noise calibrated so that the whole vector is ``epsilon``-DP.

    ``contributions`` is the largest number of cells one person adds to (1 for a partition such as sex;
    the number of categories for a multi-valued field). Noisy counts below 0 are reported as 0 (post-processing
    keeps the guarantee).
    """
    if not math.isfinite(epsilon) or epsilon <= 0:
        raise ValueError("epsilon must be a positive number")
    if contributions < 1:
        raise ValueError("contributions must be at least 1")
    measurement = dp_measurement(epsilon, contributions)
    noisy = measurement([int(c) for c in counts]) if counts else []
    return [max(0, int(value)) for value in noisy]


def dp_measurement(epsilon: float, contributions: int = 1) -> Any:
    """The OpenDP measurement used by :func:`dp_counts`; ``measurement.map(contributions) <= epsilon``."""
    import opendp.prelude as dp

    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    return dp.m.make_laplace(*space, scale=contributions / epsilon)


def dp_epsilon_spent(epsilon: float, contributions: int = 1) -> float:
    """The privacy loss OpenDP certifies for one person changing ``contributions`` cells."""
    return float(dp_measurement(epsilon, contributions).map(contributions))


# --- checks used by tests and by the release service -----------------------------------------------------------

def lonely_suppressions(table: ProtectedTable) -> list[list[Key]]:
    """Lines holding exactly one suppressed cell (always empty for a table made by :func:`protect`)."""
    suppressed = table.suppressed
    return [line for line in lines_of(table.categories) if sum(key in suppressed for key in line) == 1]


def released_below_k(table: ProtectedTable) -> list[Key]:
    return [key for key, value in table.released.items() if value is not None and value < table.k]


def iter_released(table: ProtectedTable) -> Iterable[tuple[Key, int]]:
    for key, value in table.released.items():
        if value is not None:
            yield key, value
