"""The official statistics page (UNODC GLOTIP): an indicator by programme country and year, one country's
breakdowns by sex, age, form of exploitation and citizenship, and what UNODC publishes nothing on (Kosovo is no
reporting country: it appears only as the citizenship of persons other countries report). Tables, charts and
downloads are built here from the same cells.

A cell is what UNODC published: a number, ``"<5"`` for a suppressed count of 1 to 4, or, where several published
values add up (some categories are published more than once) and one of them is suppressed, ``"N+"``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from palermo import i18n
from palermo.diagnostics.charts import yearly
from palermo.diagnostics.models import Indicator, OfficialStatistic
from palermo.reference.models import Country

TOTAL = OfficialStatistic.TOTAL
SUPPRESSED = "<5"
BREAKDOWNS = ("sex", "age", "form", "citizenship")
TITLES = {
    "totals": gettext_lazy("By country and year"),
    "sex": gettext_lazy("By sex"),
    "age": gettext_lazy("By age"),
    "form": gettext_lazy("By form of exploitation"),
    "citizenship": gettext_lazy("By citizenship"),
    "reported_elsewhere": gettext_lazy("Persons of this citizenship reported by other countries"),
}
CATEGORY_LABELS = {
    "sex": {"female": gettext_lazy("female"), "male": gettext_lazy("male"), "other": gettext_lazy("other"),
            "unknown": gettext_lazy("unknown")},
    "age": {"0-17": gettext_lazy("children (0–17)"), "18+": gettext_lazy("adults (18 and over)"),
            "unknown": gettext_lazy("unknown")},
    "form": {"sexual_exploitation": gettext_lazy("sexual exploitation"),
             "forced_labour": gettext_lazy("forced labour"), "other": gettext_lazy("other forms of exploitation")},
}
Cell = int | str | None


def combined(parts: Iterable[tuple[int | None, bool]]) -> Cell:
    """The published values of one cell, added up: ``(value, suppressed)`` pairs -> a number, "<5" or "N+"."""
    total, suppressed, seen = 0, False, False
    for value, hidden in parts:
        seen = True
        if hidden:
            suppressed = True
        else:
            total += value or 0
    if not seen:
        return None
    if suppressed:
        return SUPPRESSED if total == 0 else f"{total}+"
    return total


def number(cell: Cell) -> int | None:
    """The cell as a number a chart can draw (a suppressed one is not drawn)."""
    return cell if isinstance(cell, int) else None


def shown(cell: Cell) -> str:
    """The cell as the page writes it: "1 770", "<5", "12+" or "–"."""
    if cell is None:
        return "–"
    if isinstance(cell, int):
        return i18n.number(cell)
    if cell.endswith("+"):
        return i18n.number(int(cell[:-1])) + "+"
    return cell


@dataclass
class Table:
    """``rows`` of ``(label, cells)`` under ``columns``; ``first`` names the first column. ``foreign`` marks
    labels kept as UNODC published them, in English."""

    name: str
    first: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)
    foreign: set[str] = field(default_factory=set)

    @property
    def title(self) -> str:
        return str(TITLES[self.name])

    @property
    def by_year(self) -> bool:
        """One row per year (totals, sex, age, form); else one row per citizenship or reporting country."""
        return self.name in ("totals", "sex", "age", "form")

    def download(self) -> tuple[list[str], list[list[Any]]]:
        """Headers and rows for a spreadsheet: numbers as numbers, "<5" and "N+" as published."""
        return [self.first, *self.columns], [[label, *("" if c is None else c for c in cells)]
                                             for label, cells in self.rows]


@dataclass
class OfficialPage:
    indicator: str
    country: Country | None
    imported: bool
    totals: Table | None = None
    breakdowns: list[Table] = field(default_factory=list)
    # programme countries with no published value, each with the countries that report persons of its citizenship
    silent: list[tuple[Country, list[str]]] = field(default_factory=list)

    def tables(self) -> dict[str, Table]:
        return {table.name: table for table in [*([self.totals] if self.totals else []), *self.breakdowns]}


def _values(indicator: str, **filters: Any) -> Any:
    return OfficialStatistic.objects.filter(indicator=indicator, **filters)


def build(indicator: str, country: Country | None) -> OfficialPage:
    """The page for an indicator: every programme country, or one country's breakdowns."""
    page = OfficialPage(indicator, country, imported=OfficialStatistic.objects.exists())
    if not page.imported:
        return page
    programme = list(Country.objects.programme())
    reporting = set(_values(indicator, country__is_programme=True).values_list("country_id", flat=True).distinct())
    silent = [c for c in programme if c.code not in reporting]
    reporters: dict[str, set[str]] = {}
    for citizenship, reporter in _values(indicator, dimension="citizenship", citizenship_id__in=[
            c.code for c in silent]).values_list("citizenship_id", "country_id").distinct():
        reporters.setdefault(citizenship, set()).add(reporter)
    names = {c.code: c.name for c in Country.objects.filter(code__in=set().union(*reporters.values()))}
    page.silent = [(c, sorted(names[code] for code in reporters.get(c.code, ()))) for c in silent]
    if country is None:
        page.totals = _totals(indicator, programme)
    elif country.code in reporting:
        page.breakdowns = [_breakdown(indicator, country, name) for name in BREAKDOWNS]
    else:
        page.breakdowns = [_reported_elsewhere(indicator, country)]
    return page


def _by_year(rows: Iterable[tuple[Any, int, int | None, bool]]) -> dict[Any, dict[int, Cell]]:
    parts: dict[Any, dict[int, list[tuple[int | None, bool]]]] = {}
    for key, year, value, suppressed in rows:
        parts.setdefault(key, {}).setdefault(year, []).append((value, suppressed))
    return {key: {year: combined(values) for year, values in years.items()} for key, years in parts.items()}


def _totals(indicator: str, programme: Sequence[Country]) -> Table:
    cells = _by_year(_values(indicator, country__is_programme=True, dimension=TOTAL, sex=TOTAL, age=TOTAL,
                             form=TOTAL).values_list("country_id", "year", "value", "suppressed"))
    shown_countries = [c for c in programme if c.code in cells]
    years = sorted({year for by_year in cells.values() for year in by_year})
    table = Table("totals", _("Year"), [c.name for c in shown_countries])
    table.rows = [(str(year), [cells[c.code].get(year) for c in shown_countries]) for year in years]
    return table


def _breakdown(indicator: str, country: Country, name: str) -> Table:
    values = _values(indicator, country=country)
    if name == "citizenship":
        rows = values.filter(dimension="citizenship", sex=TOTAL, age=TOTAL).select_related("citizenship")
        unlabelled = _("no category published")
        cells = _by_year((r.citizenship.name if r.citizenship else r.category_label or unlabelled, r.year, r.value,
                          r.suppressed) for r in rows)
        foreign = {r.category_label for r in rows if r.citizenship is None and r.category_label}
        years = sorted({year for by_year in cells.values() for year in by_year})
        latest = years[-1] if years else 0
        # most persons in the latest year first, then by name
        order = sorted(cells, key=lambda label: (-(number(cells[label].get(latest)) or 0), label))
        table = Table(name, _("Citizenship"), [str(year) for year in years], foreign=foreign)
        table.rows = [(label, [cells[label].get(year) for year in years]) for label in order]
        return table
    if name == "form":
        rows = values.filter(dimension="form", sex=TOTAL, age=TOTAL)
    else:
        rows = values.filter(dimension=TOTAL, form=TOTAL, **{"sex" if name == "age" else "age": TOTAL}).exclude(
            **{name: TOTAL})
    cells = _by_year(rows.values_list(name, "year", "value", "suppressed"))
    labels = CATEGORY_LABELS[name]
    categories = [code for code in labels if code in cells] + sorted(code for code in cells if code not in labels)
    years = sorted({year for by_year in cells.values() for year in by_year})
    table = Table(name, _("Year"), [str(labels.get(code, code)) for code in categories])
    table.rows = [(str(year), [cells[code].get(year) for code in categories]) for year in years]
    return table


def _reported_elsewhere(indicator: str, country: Country) -> Table:
    rows = _values(indicator, dimension="citizenship", citizenship=country, sex=TOTAL, age=TOTAL)
    cells = _by_year(rows.values_list("country__code", "year", "value", "suppressed"))
    names = {c.code: c.name for c in Country.objects.filter(code__in=cells)}
    years = sorted({year for by_year in cells.values() for year in by_year})
    table = Table("reported_elsewhere", _("Reported by"), [str(year) for year in years])
    table.rows = [(names[code], [cells[code].get(year) for year in years])
                  for code in sorted(cells, key=lambda code: names[code])]
    return table


def indicator_label(indicator: str) -> str:
    return str(dict(Indicator.choices).get(indicator, indicator))


def chart(table: Table, indicator: str) -> go.Figure:
    """Lines over the years for the totals (broken where a year is missing or suppressed), stacked bars for a
    breakdown by year, horizontal bars of the latest year for one by citizenship or reporting country."""
    figure = go.Figure()
    unit = indicator_label(indicator)
    if table.name == "totals":
        for index, column in enumerate(table.columns):
            years, counts = yearly({int(label): number(cells[index]) for label, cells in table.rows})
            figure.add_trace(go.Scatter(x=years, y=counts, name=column, mode="lines+markers", connectgaps=False))
        figure.update_yaxes(rangemode="tozero", title=unit)
    elif table.by_year:
        for index, column in enumerate(table.columns):
            figure.add_trace(go.Bar(x=[int(label) for label, _cells in table.rows],
                                    y=[number(cells[index]) for _label, cells in table.rows], name=column))
        figure.update_layout(barmode="stack")
        figure.update_yaxes(rangemode="tozero", title=unit)
    else:
        latest = len(table.columns) - 1  # the most recent year, its twelve largest rows
        shown_rows = [(label, number(cells[latest])) for label, cells in table.rows][:12] if latest >= 0 else []
        figure.add_trace(go.Bar(y=[label for label, _value in shown_rows], x=[value for _label, value in shown_rows],
                                orientation="h", name=table.columns[latest] if table.columns else ""))
        figure.update_yaxes(autorange="reversed")
        figure.update_xaxes(rangemode="tozero", title=unit)
    title = table.title if table.by_year or not table.columns else f"{table.title} ({table.columns[-1]})"
    marks = i18n.separators()
    figure.update_layout(title=title, height=380, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                         separators=marks["decimal_separator"] + marks["thousand_separator"])
    return figure
