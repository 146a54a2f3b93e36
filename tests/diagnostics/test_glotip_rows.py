"""Checking GLOTIP rows without the database: names, codes, values."""

from __future__ import annotations

import pytest

from palermo.diagnostics.glotip import COLUMNS, check_rows, parse_value


def row(country: str = "Republic of Moldova", iso3: str = "MDA", dimension: str = "Total", category: str = "Total",
        value: object = "12", sex: str = "Total", age: str = "Total", year: object = 2020) -> tuple:
    return (iso3, country, "Europe", "Eastern Europe", "Detected trafficking victims", dimension, category, sex, age,
            year, "Counts", value, "GLOTIP")


def test_names_map_to_iso_codes_explicitly() -> None:
    report = check_rows([COLUMNS,
                         row(),
                         row("North Macedonia", "MKD"),
                         row("Serbia", "SRB", "by citizenship", "Kosovo under UNSCR 1244"),
                         row("Greece", "GRC", "by citizenship", "The former Yugoslav Republic of Macedonia"),
                         row("Greece", "GRC", "by citizenship", "Unknown"),
                         row("", "SAM"),  # a regional aggregate reporter
                         ])
    assert report.ok, report.problems
    assert [(v.country, v.citizenship) for v in report.values] == [
        ("MD", ""), ("MK", ""), ("RS", "XK"), ("GR", "MK"), ("GR", "")]
    assert report.aggregate_rows_skipped == 1


def test_unknown_names_and_values_are_reported_with_row_column_and_reason() -> None:
    report = check_rows([COLUMNS, row(), row("Atlantis", "ATL"), row(dimension="by citizenship", category="Mars"),
                         row(value="-3"), row(sex="F"), row(year="20x1")], known_countries={"MD"})
    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (3, "Country", "Atlantis"), (4, "Category", "Mars"), (5, "txtVALUE", "-3"), (6, "Sex", "F"),
        (7, "Year", "20x1")]
    assert "glotip_names" in report.problems[0].reason


def test_a_missing_column_is_named() -> None:
    header = tuple(c for c in COLUMNS if c != "txtVALUE")
    report = check_rows([header, row()[:-2]])
    assert [(p.row, p.column, p.reason) for p in report.problems] == [(1, "txtVALUE", "missing column")]


@pytest.mark.parametrize(("text", "expected"), [("<5", (None, True)), ("1,011", (1011, False)), ("0", (0, False)),
                                                (7, (7, False)), (" 42 ", (42, False))])
def test_values(text, expected) -> None:
    assert parse_value(text) == expected


@pytest.mark.parametrize("text", ["", None, "1.5", "1,01", "five", -1])
def test_bad_values(text) -> None:
    with pytest.raises(ValueError):
        parse_value(text)
