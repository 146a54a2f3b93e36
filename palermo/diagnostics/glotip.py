"""Reading and checking UNODC's GLOTIP country data file (``data_glotip.xlsx``). No Django.

:func:`read_glotip` validates every row before anything is written and returns either the parsed values or
the list of problems (row, column, value, reason). ``<5`` is a suppressed count of 1 to 4: it is kept as
``value=None, suppressed=True``, never 0 and never an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from palermo.diagnostics import glotip_names

COLUMNS = ("Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension", "Category", "Sex", "Age",
           "Year", "Unit of measurement", "txtVALUE", "Source")
INDICATORS = {
    "Detected trafficking victims": "detected_victims",
    "Persons prosecuted": "persons_prosecuted",
    "Persons convicted": "persons_convicted",
    "Persons brought into formal contact": "persons_in_formal_contact",
    "Offences of trafficking in persons": "offences",
}
DIMENSIONS = {
    "Total": "total",
    "by form of exploitation": "form",
    "by citizenship": "citizenship",
    "by country of repatriation": "repatriation",
}
FORMS = {
    "Sexual exploitation": "sexual_exploitation",
    "Forced labour": "forced_labour",
    "Other forms of exploitation": "other",
}
SEXES = {"Total": "total", "Female": "female", "Male": "male", "Other": "other", "Unknown": "unknown"}
AGES = {"Total": "total", "0 to 17 years": "0-17", "18 years or over": "18+", "Unknown": "unknown"}
SUPPRESSED = "<5"
YEARS = range(1990, 2100)
_NUMBER = re.compile(r"^\d{1,3}(,\d{3})*$|^\d+$")


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}, value {self.value!r}: {self.reason}"


@dataclass(frozen=True)
class GlotipValue:
    row: int
    country: str  # ISO alpha-2
    year: int
    indicator: str
    dimension: str
    sex: str
    age: str
    form: str
    citizenship: str  # ISO alpha-2, "" when the category names no single country or the dimension is not one
    category_label: str
    value: int | None
    suppressed: bool
    source: str


@dataclass
class GlotipReport:
    values: list[GlotipValue] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    aggregate_rows_skipped: int = 0
    repeated_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def suppressed_count(self) -> int:
        return sum(1 for v in self.values if v.suppressed)


def parse_value(text: Any) -> tuple[int | None, bool]:
    """``(value, suppressed)`` from a ``txtVALUE`` cell; raises ``ValueError`` with the reason."""
    if text is None or (isinstance(text, str) and not text.strip()):
        raise ValueError("empty value (a suppressed count is written '<5')")
    if isinstance(text, bool):
        raise ValueError("not a count")
    if isinstance(text, int):
        if text < 0:
            raise ValueError("a count cannot be negative")
        return text, False
    if isinstance(text, float):
        if text.is_integer() and text >= 0:
            return int(text), False
        raise ValueError("not a whole, non-negative count")
    stripped = str(text).strip()
    if stripped == SUPPRESSED:
        return None, True
    if not _NUMBER.match(stripped):
        raise ValueError("not a count: expected digits (thousands separated by ',') or '<5'")
    return int(stripped.replace(",", "")), False


def read_rows(path: str | Path) -> Iterator[tuple[Any, ...]]:
    """The rows of the first sheet, header included (openpyxl in read-only mode)."""
    import openpyxl

    workbook = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def read_glotip(path: str | Path, known_countries: Iterable[str] | None = None) -> GlotipReport:
    """Parse and check the whole file; ``known_countries`` are the ISO codes the database holds."""
    return check_rows(read_rows(path), known_countries)


def check_rows(rows: Iterable[Sequence[Any]], known_countries: Iterable[str] | None = None) -> GlotipReport:
    report = GlotipReport()
    known = frozenset(known_countries) if known_countries is not None else None
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        report.problems.append(Problem(1, "", "", "the file is empty"))
        return report
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    index: dict[str, int] = {}
    for column in COLUMNS:
        if column.lower() not in names:
            report.problems.append(Problem(1, column, "", "missing column"))
        else:
            index[column] = names.index(column.lower())
    if report.problems:
        return report
    seen: set[tuple[Any, ...]] = set()
    for number, raw in enumerate(iterator, start=2):
        if raw is None or all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in raw):
            continue
        report.rows_read += 1
        cells = {column: (raw[i] if i < len(raw) else None) for column, i in index.items()}
        value = _check_row(number, cells, known, report)
        if value is None:
            continue
        key = (value.country, value.year, value.indicator, value.dimension, value.category_label, value.sex,
               value.age)
        if key in seen:
            # UNODC publishes several rows under one label (e.g. distinct "Other forms of exploitation"):
            # each is kept as published, with its row number.
            report.repeated_rows += 1
        seen.add(key)
        report.values.append(value)
    return report


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _check_row(number: int, cells: dict[str, Any], known: frozenset[str] | None,
               report: GlotipReport) -> GlotipValue | None:
    problems: list[Problem] = []

    def problem(column: str, reason: str) -> None:
        problems.append(Problem(number, column, _text(cells[column]), reason))

    iso3, name = _text(cells["Iso3_code"]), _text(cells["Country"])
    if iso3 in glotip_names.AGGREGATE_REPORTERS or name in glotip_names.AGGREGATE_REPORTERS:
        report.aggregate_rows_skipped += 1
        return None
    country = glotip_names.REPORTER_ISO2.get(name, "")
    if not country:
        problem("Country", "unknown country name: add it to palermo/diagnostics/data/glotip_names.json")
    elif known is not None and country not in known:
        problem("Country", f"{country} is not in the reference list of countries")
    indicator = INDICATORS.get(_text(cells["Indicator"]), "")
    if not indicator:
        problem("Indicator", f"unknown indicator; expected one of {', '.join(INDICATORS)}")
    dimension = DIMENSIONS.get(_text(cells["Dimension"]), "")
    if not dimension:
        problem("Dimension", f"unknown dimension; expected one of {', '.join(DIMENSIONS)}")
    label = _text(cells["Category"])
    form, citizenship = "total", ""
    if dimension == "total" and label != "Total":
        problem("Category", "the category of a total must be 'Total'")
    elif dimension == "form":
        form = FORMS.get(label, "")
        if not form:
            problem("Category", f"unknown form of exploitation; expected one of {', '.join(FORMS)}")
    elif dimension in ("citizenship", "repatriation"):
        citizenship = glotip_names.CATEGORY_ISO2.get(label, "")
        if not citizenship and label not in glotip_names.NON_COUNTRY_CATEGORIES:
            problem("Category", "unknown country name: add it to palermo/diagnostics/data/glotip_names.json")
        elif citizenship and known is not None and citizenship not in known:
            problem("Category", f"{citizenship} is not in the reference list of countries")
    sex = SEXES.get(_text(cells["Sex"]), "")
    if not sex:
        problem("Sex", f"unknown sex; expected one of {', '.join(SEXES)}")
    age = AGES.get(_text(cells["Age"]), "")
    if not age:
        problem("Age", f"unknown age group; expected one of {', '.join(AGES)}")
    year = 0
    try:
        year = int(str(cells["Year"]).strip())
        if year not in YEARS:
            problem("Year", "year out of range")
    except ValueError:
        problem("Year", "not a year")
    if _text(cells["Unit of measurement"]) != "Counts":
        problem("Unit of measurement", "only 'Counts' is understood")
    amount: int | None = None
    suppressed = False
    try:
        amount, suppressed = parse_value(cells["txtVALUE"])
    except ValueError as error:
        problem("txtVALUE", str(error))
    if problems:
        report.problems.extend(problems)
        return None
    return GlotipValue(number, country, year, indicator, dimension, sex, age, form, citizenship, label[:200],
                       amount, suppressed, _text(cells["Source"]) or "GLOTIP")
