"""Disclosure control: no released cell below k, no suppressed cell recomputable from what is released."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from palermo.diagnostics import disclosure
from palermo.diagnostics.disclosure import TOTAL, complete_table, lines_of, protect, protect_1d

counts = st.integers(min_value=0, max_value=40)


@st.composite
def tables(draw, max_rows: int = 4, max_cols: int = 4):
    rows = draw(st.integers(min_value=1, max_value=max_rows))
    cols = draw(st.integers(min_value=1, max_value=max_cols))
    values = draw(st.lists(counts, min_size=rows * cols, max_size=rows * cols))
    cells = {(f"r{r}", f"c{c}"): values[r * cols + c] for r in range(rows) for c in range(cols)}
    return cells


def feasible_values(table: disclosure.ProtectedTable, truth: dict, cell: tuple, bound: int) -> set[int]:
    """Every value ``cell`` can take in a nonnegative integer table matching the released cells exactly."""
    lines = lines_of(table.categories)
    unknown = sorted(table.suppressed)
    found: set[int] = set()

    def consistent(assign: dict) -> bool:
        for line in lines:
            total_key = next(key for key in line if TOTAL in key and sum(v == TOTAL for v in key) ==
                             max(sum(v == TOTAL for v in k) for k in line))
            inner = [key for key in line if key != total_key]
            values = [assign.get(key, table.released[key]) for key in inner]
            total = assign.get(total_key, table.released[total_key])
            if total is None or any(v is None for v in values):
                known = sum(v for v in values if v is not None)
                if total is not None and known > total:
                    return False
                continue
            if sum(values) != total:
                return False
        return True

    def search(index: int, assign: dict) -> None:
        if index == len(unknown):
            found.add(assign[cell])
            return
        key = unknown[index]
        for value in range(bound + 1):
            assign[key] = value
            if consistent(assign):
                search(index + 1, assign)
            del assign[key]
            if len(found) > 1:
                return

    search(0, {})
    assert found, "the true table must be feasible"
    return found


@given(tables(), st.sampled_from([3, 5, 10]))
@settings(max_examples=300, deadline=None)
def test_no_released_cell_is_below_k_and_no_line_has_a_single_suppression(cells, k) -> None:
    table = protect(("row", "col"), cells, k=k)
    assert disclosure.released_below_k(table) == []
    assert disclosure.lonely_suppressions(table) == []
    for value in table.released.values():
        if value is not None:
            assert value % k == 0


@given(st.dictionaries(st.sampled_from("abcdef"), counts, min_size=1), st.sampled_from([5, 10]))
@settings(max_examples=300, deadline=None)
def test_one_dimensional_tables_follow_the_same_rules(counts_by_value, k) -> None:
    table = protect_1d(counts_by_value, k=k)
    assert disclosure.released_below_k(table) == []
    assert disclosure.lonely_suppressions(table) == []
    assert all(table.value(name) is None for name, count in counts_by_value.items() if count < k)


@given(tables(max_rows=2, max_cols=3), st.sampled_from([5, 10]))
@settings(max_examples=80, deadline=None)
def test_no_suppressed_cell_is_pinned_to_one_value_by_the_released_totals(cells, k) -> None:
    """The strongest attacker: released cells known exactly (no rounding), counts known to be non-negative.
    Every suppressed cell — a zero too — must keep more than one possible value."""
    table = protect(("row", "col"), cells, k=k, rounding=False)
    _cats, truth = complete_table(("row", "col"), cells, table.categories)
    bound = truth[(TOTAL, TOTAL)] + k
    for cell in table.suppressed:
        assert len(feasible_values(table, truth, cell, bound)) > 1, cell


def test_a_zero_proven_by_its_line_gets_a_complement_found_by_hypothesis() -> None:
    cells = {("r0", "c0"): 0, ("r0", "c1"): 0, ("r0", "c2"): 6, ("r1", "c0"): 12, ("r1", "c1"): 0, ("r1", "c2"): 5}
    table = protect(("row", "col"), cells, k=5, rounding=False)
    _cats, truth = complete_table(("row", "col"), cells, table.categories)
    assert ("r0", "c2") in table.suppressed  # without it, row r0 proves r0c0 = 0 and column c0 pins r1c0 = 12
    assert len(feasible_values(table, truth, ("r1", "c0"), 40)) > 1


def test_a_small_cell_and_its_smallest_neighbour_are_suppressed_then_the_rest_is_rounded_down() -> None:
    table = protect_1d({"female": 57, "male": 23, "other": 3}, k=10)
    assert table.value("other") is None  # primary: 3 < 10
    assert table.value("male") is None  # secondary: the smallest other cell of the line
    assert table.value("female") == 50
    assert table.value(TOTAL) == 80  # 83 rounded down
    assert table.primary == {("other",)}
    assert table.secondary == {("male",)}


def test_zero_is_suppressed_like_any_count_below_k() -> None:
    table = protect_1d({"a": 0, "b": 40, "c": 55}, k=10, categories=["a", "b", "c"])
    assert table.value("a") is None
    assert table.value("b") is None
    assert table.value("c") == 50


def test_complementary_suppression_reaches_a_fixpoint_across_rows_and_columns() -> None:
    cells = {("2020", "f"): 4, ("2020", "m"): 30, ("2021", "f"): 50, ("2021", "m"): 60}
    table = protect(("year", "sex"), cells, k=10)
    assert table.suppressed == {("2020", "f"), ("2020", "m"), ("2021", "f"), ("2021", "m")}
    assert table.value("2020", TOTAL) == 30
    assert table.value(TOTAL, "f") == 50
    assert table.value(TOTAL, TOTAL) == 140
    assert disclosure.lonely_suppressions(table) == []


def test_a_multi_valued_margin_given_by_the_caller_is_kept() -> None:
    # 10 persons with a known form; 8 sexual, 6 labour (some have both): shares sum past 100 %.
    table = protect_1d({"sexual": 18, "labour": 16}, k=5, total=20)
    assert table.value(TOTAL) == 20
    assert table.value("sexual") == 15


def test_k_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        protect_1d({"a": 3}, k=0)


def test_differentially_private_counts_declare_the_epsilon_opendp_certifies() -> None:
    assert disclosure.dp_epsilon_spent(0.5) == pytest.approx(0.5)
    assert disclosure.dp_epsilon_spent(1.0, contributions=3) == pytest.approx(1.0)
    noisy = disclosure.dp_counts([100, 0, 50], epsilon=1.0)
    assert len(noisy) == 3
    assert all(value >= 0 for value in noisy)
    with pytest.raises(ValueError, match="positive"):
        disclosure.dp_counts([1], epsilon=0)


def test_lines_of_a_two_by_two_table_with_margins() -> None:
    lines = lines_of([["a", "b"], ["x", "y"]])
    assert len(lines) == 6
    assert [("a", "x"), ("a", "y"), ("a", TOTAL)] in lines
    assert all(len(line) == 3 for line in lines)
    assert len(set(itertools.chain.from_iterable(lines))) == 9


def test_release_refusals_read_in_english_and_in_french() -> None:
    from django.utils import translation

    from palermo.diagnostics.releases import ReleaseError, check_dims

    with pytest.raises(ReleaseError) as refused:
        check_dims(["year", "sex", "age_band", "forms"])
    assert str(refused.value) == "at most 3 dimensions per table"
    with translation.override("fr"):
        assert translation.gettext(refused.value.message) % refused.value.params == "au plus 3 dimensions par tableau"
