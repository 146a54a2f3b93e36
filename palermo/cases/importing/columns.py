"""Validate a table column by column: each distinct value of a column is checked once, in Python, with the same
functions a row-by-row check would use, and the results are joined back to the rows. A million rows hold a few
hundred distinct codes and a few thousand distinct dates, so validation costs what the distinct values cost.

Problems name the file's row, the column as written in the file, the value and the reason, exactly as a row-by-row
check would. Pure: polars and plain Python, no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from palermo.cases.importing.records import MISSING, SPLIT, Problem, gettext_noop, masked, parse_date

ROW = "row"
# What a check returns for one distinct value: the parsed value, and the problems as (value shown, reason), where
# a value shown of None means the cell as written.
Failures = list[tuple[str | None, str]]
Check = Callable[[str], tuple[Any, Failures]]


def missing_to_empty(column: pl.Expr) -> pl.Expr:
    """The cell, or "" when it holds a missing-value code (records.MISSING, case-insensitive)."""
    return pl.when(column.str.to_lowercase().is_in(sorted(MISSING))).then(pl.lit("")).otherwise(column)


class ColumnChecks:
    """The cells of one file (canonical column name -> stripped text, ``row`` -> the file's row number)."""

    def __init__(self, frame: pl.DataFrame, file_names: dict[str, str], problems: list[Problem],
                 identifying: frozenset[str] = frozenset()) -> None:
        self.frame = frame
        self.file_names = file_names  # canonical name -> name as written in the file
        self.identifying = identifying  # canonical names whose values a problem never repeats
        self.problems = problems
        self.rows = frame[ROW]
        self._texts: dict[str, pl.Series] = {}

    def has(self, column: str) -> bool:
        return column in self.frame.columns

    def raw(self, column: str) -> pl.Series:
        if column in self.frame.columns:
            return self.frame[column]
        return pl.Series(column, [""] * self.frame.height, dtype=pl.String)

    def text(self, column: str) -> pl.Series:
        """The cells with missing-value codes read as ""."""
        if column not in self._texts:
            raw = self.raw(column)
            self._texts[column] = raw.to_frame().select(missing_to_empty(pl.col(column)).alias(column))[column]
        return self._texts[column]

    def fail(self, row: int, column: str, value: str, reason: str) -> None:
        shown = masked(value) if column in self.identifying else value
        self.problems.append(Problem(row, self.file_names.get(column, column), shown, reason))

    def check(self, column: str, check: Check, dtype: pl.DataType | type[pl.DataType],
              only: pl.Series | None = None) -> pl.Series:
        """Apply ``check`` to each distinct cell text of the column (the rows where ``only`` is true, if given:
        the others read as empty) and return the values row by row; record the problems of every failing row."""
        text = self.text(column)
        if only is not None:
            text = text.zip_with(only, pl.Series([""] * len(text), dtype=pl.String))
        keys = text.unique().to_list()
        values: list[Any] = []
        bad: dict[str, Failures] = {}
        for key in keys:
            value, failures = check(key)
            values.append(value)
            if failures:
                bad[key] = failures
        table = pl.DataFrame({"key": pl.Series(keys, dtype=pl.String), "value": pl.Series(values, dtype=dtype)})
        result = text.rename("key").to_frame().join(table, on="key", how="left", maintain_order="left")["value"]
        if bad:
            failing = pl.DataFrame({ROW: self.rows, "key": text, "raw": self.raw(column)}).filter(
                pl.col("key").is_in(list(bad)))
            for row, key, raw in failing.iter_rows():
                for shown, reason in bad[key]:
                    self.fail(row, column, raw if shown is None else shown, reason)
        return result.rename(column)

    def choice(self, column: str, allowed: Callable[[str], str | None], reason: str,
               only: pl.Series | None = None) -> pl.Series:
        def check(text: str) -> tuple[str, Failures]:
            if not text:
                return "", []
            found = allowed(text)
            return ("", [(None, reason)]) if found is None else (found, [])

        return self.check(column, check, pl.String, only)

    def many(self, column: str, allowed: Callable[[str], str | None], reason: str) -> pl.Series:
        """A multi-select cell: codes separated by ``;``, ``,`` or spaces; each wrong part is its own problem."""
        def check(text: str) -> tuple[list[str], Failures]:
            found: list[str] = []
            failures: Failures = []
            for part in SPLIT.split(text):
                if not part:
                    continue
                code = allowed(part)
                if code is None:
                    failures.append((part, reason))
                elif code not in found:
                    found.append(code)
            return found, failures

        return self.check(column, check, pl.List(pl.String))

    def date(self, column: str, only: pl.Series | None = None) -> pl.Series:
        def check(text: str) -> tuple[Any, Failures]:
            if not text:
                return None, []
            parsed = parse_date(text)
            return (None, [(None, gettext_noop("not a date: write YYYY-MM-DD"))]) if parsed is None else (parsed, [])

        return self.check(column, check, pl.Date, only)

    def number(self, column: str, low: int, high: int) -> pl.Series:
        def check(text: str) -> tuple[int | None, Failures]:
            if not text:
                return None, []
            try:
                number = int(float(text))
            except (ValueError, OverflowError):
                return None, [(None, gettext_noop("not a whole number"))]
            if not low <= number <= high:
                return None, [(None, f"out of range {low}-{high}")]
            return number, []

        return self.check(column, check, pl.Int64)

    def first_filled(self, columns: Sequence[str]) -> tuple[pl.Series, pl.Series]:
        """Per row, the text of the first of ``columns`` that is filled ("" if none) and that column's name."""
        present = [column for column in columns if self.has(column)]
        if not present:
            empty = pl.Series([""] * self.frame.height, dtype=pl.String)
            return empty, empty
        frame = pl.DataFrame({column: self.text(column) for column in present})
        value = frame.select(pl.coalesce([pl.when(pl.col(c) != "").then(pl.col(c)) for c in present])
                             .fill_null("").alias("value"))["value"]
        name = frame.select(pl.coalesce([pl.when(pl.col(c) != "").then(pl.lit(c)) for c in present])
                            .fill_null("").alias("name"))["name"]
        return value, name
