"""The sections of the justice dashboard: each a title, a chart, its table (headers and raw rows, shown on the
page and written by the download) and a note, in the active language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from palermo import i18n
from palermo.diagnostics import charts as diagnostics_charts
from palermo.diagnostics.disclosure import TOTAL
from palermo.justice import charts, counting
from palermo.justice.counting import Comparison
from palermo.justice.figures import JusticeFigures
from palermo.reference.models import Country
from palermo.web.charts import chart_html

REASONS = {
    counting.NO_OFFICIAL: gettext_lazy("UNODC published no figure for this year (GLOTIP runs to 2021; Kosovo "
                                       "reports none)."),
    counting.OFFICIAL_SUPPRESSED: gettext_lazy("UNODC published “<5” (1 to 4 persons)."),
    counting.WITHIN_SUPPRESSED: gettext_lazy("UNODC published “<5” and ours is 1 to 4: consistent."),
    counting.EQUAL: gettext_lazy("The same count."),
    counting.COVERAGE: gettext_lazy("Fewer: our records hold only the proceedings in which victims followed by the "
                                    "programme's partners take part."),
    counting.MORE: gettext_lazy("More: the country counts otherwise (at the final decision, or offences rather than "
                                "persons) or later files were added; check the national statistics."),
    counting.LEGAL_PERSONS: gettext_lazy("Companies prosecuted are left out: UNODC counts persons."),
    counting.RELATED_ONLY: gettext_lazy("Persons charged with or convicted of related offences only are left out."),
    counting.PENDING_CASES: gettext_lazy("Some persons prosecuted that year still await a verdict."),
}
SENTENCE_LABELS = {
    "suspended": pgettext_lazy("a sentence", "suspended"), "under_12": gettext_lazy("under 1 year"),
    "12_35": gettext_lazy("1 to 3 years"), "36_59": gettext_lazy("3 to 5 years"),
    "60_119": gettext_lazy("5 to 10 years"), "120_plus": gettext_lazy("10 years or more"),
    "no_prison": gettext_lazy("no prison sentence"),
}
PARTICIPATION_LABELS = {
    "victims": gettext_lazy("Victims in proceedings"), "testified": gettext_lazy("Testified"),
    "protected_witness": gettext_lazy("Protected witnesses"),
    "compensation_ordered": gettext_lazy("Awarded compensation"),
    "compensation_paid": gettext_lazy("Received compensation"),
}


@dataclass
class Section:
    name: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    chart: SafeString | str = ""
    note: str = ""
    totals: set[int] = field(default_factory=set)  # indexes of total rows

    def shown_rows(self) -> list[dict[str, Any]]:
        return [{"cells": [cell_text(c) for c in row], "is_total": i in self.totals} for i, row in enumerate(self.rows)]


class Year(int):
    """A year in a table: a number in a download, written without grouping on the page (2021, never 2 021)."""


def cell_text(value: Any) -> str:
    """A cell as the page shows it, in the active language; "–" for a hidden or unknown one."""
    if value is None or value == "":
        return "–"
    if isinstance(value, Year):
        return str(int(value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return i18n.money(value, 0)
    if isinstance(value, float):
        return i18n.number(value, 1)
    if isinstance(value, int):
        return i18n.number(value)
    return str(value)


def download_cell(value: Any) -> Any:
    return "" if value is None else value


def html(figure: go.Figure, name: str) -> SafeString:
    spec = diagnostics_charts.to_spec(figure, settings.STATIC_URL)
    return chart_html(spec, div_id=f"chart-{name}", config=spec["config"])


def separators() -> str:
    marks = i18n.separators()
    return str(marks["decimal_separator"]) + str(marks["thousand_separator"])


def names_of(codes: Sequence[str]) -> dict[str, str]:
    names = {c.code: c.name for c in Country.objects.filter(code__in=list(codes))}
    names[TOTAL] = _("All countries")
    return names


def _official_cell(c: Comparison) -> int | str | None:
    if c.official.value is not None:
        return c.official.value
    return c.official.label or None


def comparison(name: str, title: str, rows: list[Comparison], figures: JusticeFigures,
               names: dict[str, str]) -> Section:
    headers = [_("Country"), _("Year"), _("Our records"), _("UNODC (GLOTIP)"), _("Difference"), _("Why")]
    table = [[names.get(c.country, c.country), Year(c.year), figures.shown(c.ours), _official_cell(c),
              c.difference if figures.scope.exact or c.ours >= counting.UNODC_SUPPRESSED or c.ours == 0 else None,
              " ".join(str(REASONS[r]) for r in c.reasons)] for c in rows]
    years = list(figures.scope.years)
    ours = {y: sum(c.ours for c in rows if c.year == y) for y in years}
    theirs: dict[int, int | None] = {}
    for y in years:
        published = [c.official.value for c in rows if c.year == y and c.official.value is not None]
        theirs[y] = sum(published) if published else None
    chart = charts.side_by_side(years, {_("Our records"): [figures.shown(ours[y]) for y in years],
                                        _("UNODC (numbers published)"): [theirs[y] for y in years]},
                                title, _("persons"), separators())
    note = _("UNODC's definitions: a person counts once per country and year, whatever the number of charges, "
             "victims or files; a conviction counts at the first finding of guilt of trafficking, whatever the "
             "instance, and an appeal never counts it again. The chart adds the countries' numbers; UNODC's “<5” "
             "is left out of it.")
    if not figures.scope.exact:
        note += " " + _("Outside your own countries, counts of 1 to 4 read “<5”, as UNODC publishes them.")
    return Section(name, title, headers, table, html(chart, name), note)


def durations(figures: JusticeFigures, names: dict[str, str]) -> Section:
    title = _("Time from the investigation to the first verdict")
    headers = [_("Country"), _("Proceedings with a verdict"), _("Median (days)"), _("90th percentile (days)")]
    order = [c for c in (*figures.scope.countries, "total") if c in figures.durations]
    rows = [[names.get(TOTAL if c == "total" else c, c), figures.shown(s.count), s.median, s.p90]
            for c in order for s in [figures.durations[c]]]
    shown = [c for c in order if c != "total"]
    chart = charts.grouped([names.get(c, c) for c in shown], {
        _("Median (days)"): [figures.durations[c].median for c in shown],
        _("90th percentile (days)"): [figures.durations[c].p90 for c in shown]}, title, _("days"),
        separators=separators())
    return Section("durations", title, headers, rows, html(chart, "durations"),
                   _("Days from the opening of the investigation to the first decision of a court on the merits "
                     "(convicted, acquitted or dismissed), for first verdicts in the years chosen. A median or "
                     "percentile over fewer than %(k)s proceedings is not shown.") % {"k": figures.scope.k},
                   {len(rows) - 1} if "total" in order else set())


def sentences(figures: JusticeFigures, names: dict[str, str]) -> Section:
    title = _("Sentences of the persons convicted")
    bands = counting.SENTENCE_BANDS
    headers = [_("Country"), *(str(SENTENCE_LABELS[b]) for b in bands)]
    countries = [c for c in figures.scope.countries if any((c, b) in figures.sentences for b in bands)]
    rows = [[names.get(c, c), *(figures.sentences.get((c, b), 0) for b in bands)] for c in countries]
    chart = charts.grouped([names.get(c, c) for c in countries],
                           {str(SENTENCE_LABELS[b]): [figures.sentences.get((c, b), 0) for c in countries]
                            for b in bands}, title, _("persons"), stacked=True, separators=separators())
    return Section("sentences", title, headers, rows, html(chart, "sentences"),
                   _("The sentence of the conviction that stands (the latest decision on the merits, an appeal "
                     "replacing the first instance), for persons first convicted of trafficking in the years "
                     "chosen; a person convicted in two proceedings counts once, at the longer sentence."))


def participation(figures: JusticeFigures, names: dict[str, str]) -> Section:
    title = _("Victims' participation in the proceedings")
    measures = counting.PARTICIPATION
    headers = [_("Country"), *(str(PARTICIPATION_LABELS[m]) for m in measures)]
    codes = [*figures.scope.countries, TOTAL]
    rows = [[names.get(c, c), *(figures.participation.get((c, m)) for m in measures)] for c in codes]
    countries = list(figures.scope.countries)
    chart = charts.grouped([names.get(c, c) for c in countries],
                           {str(PARTICIPATION_LABELS[m]): [figures.participation.get((c, m)) for c in countries]
                            for m in measures}, title, _("victims"), separators=separators())
    return Section("participation", title, headers, rows, html(chart, "participation"),
                   _("Distinct victims (case records) in the proceedings prosecuted in the years chosen; a victim "
                     "in two proceedings counts once.") + " " + _released(figures), {len(rows) - 1})


def compensation(figures: JusticeFigures, names: dict[str, str]) -> Section:
    title = _("Compensation ordered and paid to victims")
    headers = [_("Country"), _("Victims awarded compensation"), _("Victims who received some"),
               _("Amount ordered (EUR)"), _("Amount paid (EUR)"), _("Share paid")]
    codes = [*figures.scope.countries, TOTAL]
    rows = []
    for c in codes:
        ordered, paid = figures.amounts.get(c, (None, None))
        share = (f"{i18n.percent(paid / ordered)}" if ordered and paid is not None else None)
        rows.append([names.get(c, c), figures.participation.get((c, "compensation_ordered")),
                     figures.participation.get((c, "compensation_paid")), ordered, paid, share])
    countries = list(figures.scope.countries)
    chart = charts.grouped([names.get(c, c) for c in countries], {
        _("Amount ordered (EUR)"): [figures.amounts.get(c, (None, None))[0] for c in countries],
        _("Amount paid (EUR)"): [figures.amounts.get(c, (None, None))[1] for c in countries]},
        title, _("euros"), separators=separators())
    return Section("compensation", title, headers, rows, html(chart, "compensation"),
                   _("Compensation ordered by the courts to the victims, and what they received, in euros. An amount "
                     "is shown only beside a count of victims that is shown.") + " " + _released(figures),
                   {len(rows) - 1})


def _released(figures: JusticeFigures) -> str:
    if figures.scope.exact:
        return _("Exact counts for your countries.")
    return _("Released figures: counts rounded down to a multiple of %(k)s; cells below %(k)s and those that would "
             "reveal them are suppressed (“–”).") % {"k": figures.scope.k}


# Other parts of the dashboard (the trainings, added by palermo.justice.training_figures once capacity exists).
EXTRA_SECTIONS: list[Callable[[JusticeFigures, dict[str, str]], list[Section]]] = []

NAMES = ("prosecuted", "convicted", "durations", "sentences", "compensation", "participation")


def sections(figures: JusticeFigures) -> list[Section]:
    names = names_of(figures.scope.countries)
    found = [
        comparison("prosecuted", _("Persons prosecuted for trafficking: our records and UNODC's"),
                   figures.prosecuted, figures, names),
        comparison("convicted", _("Persons convicted of trafficking: our records and UNODC's"),
                   figures.convicted, figures, names),
        durations(figures, names),
        sentences(figures, names),
        compensation(figures, names),
        participation(figures, names),
    ]
    for extra in EXTRA_SECTIONS:
        found.extend(extra(figures, names))
    return found
