"""The trainings on the justice dashboard (the ``capacity`` app's records, read here; capacity never imports justice):
people trained per country, profession and year, and persons convicted in the countries where judges or
prosecutors were trained beside those where none were — a description, never a causal claim.

Who counts as trained is the capacity app's rule (``palermo.capacity.figures.trained``: attended a training that
was held; a person on two trainings counts twice), a training counting in the year of its last day. Counts are
exact over the reader's own countries, else released through the diagnostics' disclosure control, as the victims'
figures (``palermo.justice.figures``)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Min
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from palermo.capacity.choices import Profession
from palermo.capacity.figures import trained
from palermo.capacity.models import Participant
from palermo.diagnostics import disclosure
from palermo.diagnostics.disclosure import TOTAL
from palermo.diagnostics.models import Indicator
from palermo.justice import charts, counting
from palermo.justice.dashboard import EXTRA_SECTIONS, Section, Year, html, separators
from palermo.justice.figures import JusticeFigures, JusticeScope, official_figures

JUSTICE_PROFESSIONS = (Profession.JUDGE.value, Profession.PROSECUTOR.value)
Cells = dict[tuple[str, ...], int]


def _released(cells: Cells, dims: tuple[str, ...], categories: list[tuple[str, ...]],
              scope: JusticeScope) -> dict[tuple[str, ...], int | None]:
    """The table with its margins, exact or released."""
    inner = {key: count for key, count in cells.items() if TOTAL not in key}
    if scope.exact:
        _cats, full = disclosure.complete_table(dims, inner, categories)
        return dict(full)
    return disclosure.protect(dims, inner, k=scope.k, categories=categories).released


def trained_counts(scope: JusticeScope) -> tuple[Cells, Cells]:
    """Participations trained in the scope's countries and years: by (country, profession) and (country, year)."""
    rows = (Participant.objects.filter(trained(), training__country_id__in=scope.countries,
                                       training__end_date__year__gte=scope.year_from,
                                       training__end_date__year__lte=scope.year_to)
            .annotate(year=ExtractYear("training__end_date"))
            .values_list("training__country_id", "profession", "year").annotate(n=Count("pk")).order_by())
    by_profession: Cells = defaultdict(int)
    by_year: Cells = defaultdict(int)
    for country, profession, year, n in rows:
        by_profession[(country, profession)] += n
        by_year[(country, str(year))] += n
    return dict(by_profession), dict(by_year)


def first_justice_training(scope: JusticeScope) -> dict[str, int]:
    """The year each country of the scope first had judges or prosecutors trained (up to the last year chosen)."""
    rows = (Participant.objects.filter(trained(), profession__in=JUSTICE_PROFESSIONS,
                                       training__country_id__in=scope.countries,
                                       training__end_date__year__lte=scope.year_to)
            .values_list("training__country_id").annotate(first=Min("training__end_date")).order_by())
    return {country: first.year for country, first in rows}


def sections(figures: JusticeFigures, names: dict[str, str]) -> list[Section]:
    scope = figures.scope
    countries = list(scope.countries)
    by_profession, by_year = trained_counts(scope)
    professions = tuple(Profession.values)
    labels = dict(Profession.choices)
    table = _released(by_profession, ("country", "profession"), [tuple(countries), professions], scope)
    rows = [[names.get(c, c), *(table.get((c, p)) for p in professions), table.get((c, TOTAL))]
            for c in (*countries, TOTAL)]
    title = _("People trained by country and profession")
    chart = charts.grouped([names.get(c, c) for c in countries],
                           {str(labels[p]): [table.get((c, p)) for c in countries] for p in professions},
                           title, _("people trained"), stacked=True, separators=separators())
    note = _("Participants who attended a training held in the years chosen, in the year of its last day; a person "
             "on two trainings counts twice.") + " " + (
        _("Exact counts for your countries.") if scope.exact else
        _("Released figures: counts rounded down to a multiple of %(k)s; cells below %(k)s and those that would "
          "reveal them are suppressed (“–”).") % {"k": scope.k})
    found = [Section("trained", title, [_("Country"), *(str(labels[p]) for p in professions), _("Total")], rows,
                     html(chart, "trained"), note, {len(rows) - 1})]

    years = tuple(str(y) for y in scope.years)
    yearly = _released(by_year, ("country", "year"), [tuple(countries), years], scope)
    title = _("People trained by country and year")
    rows = [[names.get(c, c), *(yearly.get((c, y)) for y in years), yearly.get((c, TOTAL))]
            for c in (*countries, TOTAL)]
    chart = charts.lines(list(scope.years), {names.get(c, c): [yearly.get((c, y)) for y in years]
                                             for c in countries}, title, _("people trained"), separators())
    found.append(Section("trained_years", title, [_("Country"), *years, _("Total")], rows,
                         html(chart, "trained_years"), note, {len(rows) - 1}))
    found.append(trend(figures, names))
    return found


def trend(figures: JusticeFigures, names: dict[str, str]) -> Section:
    """Persons convicted per year in the countries where judges or prosecutors were trained, beside the others."""
    scope = figures.scope
    first = first_justice_training(scope)
    groups = {c: c in first for c in scope.countries}
    ours = {(c.country, c.year): c.ours for c in figures.convicted}
    official = official_figures(Indicator.PERSONS_CONVICTED, scope.countries, scope.years)
    by_group = counting.trend_by_group(ours, official, groups, scope.years)
    with_, without = _("with trainings of judges or prosecutors"), _("without")
    title = _("Persons convicted: countries with and without trainings of judges or prosecutors")
    headers = [_("Year"), _("Our records: countries with trainings"), _("UNODC: countries with trainings"),
               _("Our records: countries without"), _("UNODC: countries without")]
    rows = [[Year(w.year), figures.shown(w.ours), w.official, figures.shown(o.ours), o.official]
            for w, o in zip(by_group[True], by_group[False], strict=True)]
    years = list(scope.years)
    chart = charts.lines(years, {
        f"{_('Our records')} — {with_}": [figures.shown(w.ours) for w in by_group[True]],
        f"{_('Our records')} — {without}": [figures.shown(o.ours) for o in by_group[False]],
        f"UNODC — {with_}": [w.official for w in by_group[True]],
        f"UNODC — {without}": [o.official for o in by_group[False]]}, title, _("persons"), separators())
    trained_names = sorted(f"{names.get(c, c)} ({year})" for c, year in first.items())
    others = sorted(names.get(c, c) for c, trained_ in groups.items() if not trained_)
    note = " ".join([
        _("A description, not a causal claim: the two groups of countries differ in size, law, caseload and "
          "reporting; trainings are few; a conviction follows the investigation by years; UNODC's sums cover only "
          "the countries that published a number that year."),
        _("Countries where judges or prosecutors were trained (first year): %(names)s.")
        % {"names": ", ".join(trained_names) or "–"},
        _("Countries without: %(names)s.") % {"names": ", ".join(others) or "–"},
    ])
    return Section("trend", title, headers, rows, html(chart, "trend"), note)


def register() -> None:
    if sections not in EXTRA_SECTIONS:
        EXTRA_SECTIONS.append(sections)
