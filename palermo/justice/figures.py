"""The justice figures of a scope, read from the database and computed by the counting rules (``counting.py``).

Counts run over every record of the scope's countries, whoever recorded them (they are aggregates). Whether they
are exact is the diagnostics' scope rule (:func:`palermo.diagnostics.access.scope_for`): exact over a
country-bound user's own countries; otherwise counts of persons accused of 1 to 4 read "<5", UNODC's own rule,
so that ours and the official figures are shown on equal terms, and victims' figures go through the diagnostics'
disclosure control (k-rounding with complementary suppression, :func:`palermo.diagnostics.disclosure.protect`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.models import User
from palermo.diagnostics import disclosure
from palermo.diagnostics.access import scope_for
from palermo.diagnostics.disclosure import TOTAL
from palermo.diagnostics.models import Indicator, OfficialStatistic
from palermo.diagnostics.official import combined
from palermo.diagnostics.views_support import ScopeError, four_digit_year
from palermo.justice import counting
from palermo.justice.counting import Comparison, DecisionFacts, Key, Official, ProceedingFacts, Summary, VictimFacts
from palermo.justice.models import Decision, Proceeding, VictimParticipation
from palermo.reference.models import Country

YEARS_SHOWN = 11  # by default: this year and the ten before
FIRST_YEAR, LAST_YEAR = 1990, 2100
YEAR_SCHEMA = {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}


class OutOfScope(ScopeError):
    """A country the user may not see: the API answers 403."""


@dataclass(frozen=True)
class JusticeScope:
    countries: tuple[str, ...]
    exact: bool
    k: int
    year_from: int
    year_to: int

    @property
    def years(self) -> range:
        return range(self.year_from, self.year_to + 1)


def scope_of(user: User, params: Mapping[str, Any]) -> JusticeScope:
    """The scope a query asks for (``country``, ``year_from``, ``year_to`` in either order), or ``ScopeError``
    naming the field: an unknown country, one outside a country-bound user's own, a year that is not four digits
    from 1990 to 2100."""
    country = str(params.get("country") or "").strip().upper()
    if country:
        if len(country) != 2 or not Country.objects.filter(code=country).exists():
            raise ScopeError("country", _("Unknown country code %(code)r: give an ISO 3166 alpha-2 code such as RO.")
                             % {"code": country})
        if not user.covers_country(country):
            raise OutOfScope("country", _("You see the figures of your own countries only: %(codes)s.")
                             % {"codes": ", ".join(sorted(user.country_codes() or ())) or "–"})
    this_year = timezone.localdate().year
    years: dict[str, int] = {}
    for name, default in (("year_from", this_year - YEARS_SHOWN + 1), ("year_to", this_year)):
        text = str(params.get(name) or "").strip()
        value = four_digit_year(text) if text else default
        if value is None or not FIRST_YEAR <= value <= LAST_YEAR:
            raise ScopeError(name, _("A year is four digits, from 1990 to 2100, such as 2021."))
        years[name] = value
    first, last = sorted((years["year_from"], years["year_to"]))  # in either order
    scope = scope_for(user, country or None)
    countries = (tuple(sorted(scope.countries)) if scope.countries is not None else
                 tuple(Country.objects.programme().order_by("code").values_list("code", flat=True)))
    return JusticeScope(countries, scope.exact, scope.k, first, last)


def default_scope(user: User) -> JusticeScope:
    return scope_of(user, {})


# --- reading the records -----------------------------------------------------------------------------------------

def proceeding_facts(countries: Iterable[str]) -> list[ProceedingFacts]:
    """Every proceeding of ``countries`` as the counting rules read it: two queries (one when there is none). Whether
    the trafficking article is charged is the proceeding's stored summary, kept by every write (``services``)."""
    codes = list(countries)
    rows = list(Proceeding.objects.filter(country_id__in=codes).order_by("pk").values_list(
        "pk", "defendant_id", "country_id", "investigation_opened", "prosecuted_on", "thb_charged",
        "defendant__is_legal_person", "defendant__sex", "defendant__birth_year"))
    if not rows:
        return []
    decisions: dict[int, list[DecisionFacts]] = defaultdict(list)
    for proceeding, instance, day, outcome, thb, months, suspended in Decision.objects.filter(
            proceeding__country_id__in=codes).order_by("decided_on", "pk").values_list(
            "proceeding_id", "instance", "decided_on", "outcome", "convicted_of_thb", "sentence_months", "suspended"):
        decisions[proceeding].append(DecisionFacts(instance, day, outcome, thb, months, suspended))
    return [ProceedingFacts(person=str(defendant), country=country, investigation_opened=opened,
                            prosecuted_on=prosecuted, thb_charged=thb, legal_person=legal, sex=sex,
                            decisions=tuple(decisions.get(pk, ())), pk=pk, birth_year=born)
            for pk, defendant, country, opened, prosecuted, thb, legal, sex, born in rows]


def victim_facts(countries: Iterable[str], years: range) -> list[VictimFacts]:
    """Victims' part in the proceedings of ``countries`` prosecuted in ``years`` (never charged: opened then)."""
    rows = VictimParticipation.objects.filter(proceeding__country_id__in=list(countries)).values_list(
        "proceeding__country_id", "case_id", "testified", "protected_witness", "compensation_ordered",
        "compensation_paid", "proceeding__prosecuted_on", "proceeding__investigation_opened")
    return [VictimFacts(country, str(case), testified, protected, ordered, paid)
            for country, case, testified, protected, ordered, paid, prosecuted, opened in rows
            if (prosecuted or opened).year in years]


def official_figures(indicator: str, countries: Iterable[str], years: range) -> dict[Key, Official]:
    """UNODC's totals for each (country, year): a number, "<5", or "N+" where one of several published parts is
    suppressed (``palermo.diagnostics.official.combined``)."""
    return officials([indicator], countries, years)[indicator]


def officials(indicators: Iterable[str], countries: Iterable[str], years: range) -> dict[str, dict[Key, Official]]:
    """``official_figures`` of several indicators, in one query."""
    wanted = list(indicators)
    parts: dict[str, dict[Key, list[tuple[int | None, bool]]]] = {name: defaultdict(list) for name in wanted}
    rows = OfficialStatistic.objects.filter(
        indicator__in=wanted, country_id__in=list(countries), year__gte=years.start, year__lt=years.stop,
        dimension=OfficialStatistic.TOTAL, sex=OfficialStatistic.TOTAL, age=OfficialStatistic.TOTAL,
        form=OfficialStatistic.TOTAL).values_list("indicator", "country_id", "year", "value", "suppressed")
    for indicator, country, year, value, suppressed in rows:
        parts[indicator][(country, year)].append((value, suppressed))
    out: dict[str, dict[Key, Official]] = {}
    for indicator, cells in parts.items():
        out[indicator] = {}
        for key, values in cells.items():
            cell = combined(values)
            out[indicator][key] = Official(cell, False) if isinstance(cell, int) else Official(None, True, str(cell))
    return out


# --- the figures -------------------------------------------------------------------------------------------------

@dataclass
class JusticeFigures:
    scope: JusticeScope
    prosecuted: list[Comparison] = field(default_factory=list)
    convicted: list[Comparison] = field(default_factory=list)
    durations: dict[str, Summary] = field(default_factory=dict)
    sentences: dict[tuple[str, str], int | str | None] = field(default_factory=dict)
    participation: dict[tuple[str, str], int | None] = field(default_factory=dict)
    amounts: dict[str, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)

    def shown(self, count: int | None) -> int | str | None:
        return counting.shown(count, self.scope.exact)


def _keys(ours: Mapping[Key, int], official: Mapping[Key, Official], scope: JusticeScope) -> list[Key]:
    """The (country, year) rows a table shows: those with a record of ours or a published figure."""
    keys = {key for key, count in ours.items() if count} | {key for key, o in official.items() if o.published}
    return sorted(key for key in keys if key[0] in scope.countries and key[1] in scope.years)


def comparisons(scope: JusticeScope, facts: list[ProceedingFacts]) -> tuple[list[Comparison], list[Comparison]]:
    """Persons prosecuted and persons convicted beside UNODC's, with the reasons they differ (one query)."""
    excluded = counting.exclusions(facts)
    official = officials([Indicator.PERSONS_PROSECUTED, Indicator.PERSONS_CONVICTED], scope.countries, scope.years)
    found = []
    for ours, indicator, left_out in (
            (counting.persons_prosecuted(facts), Indicator.PERSONS_PROSECUTED,
             {counting.LEGAL_PERSONS: excluded.legal_persons, counting.RELATED_ONLY: excluded.related_only}),
            (counting.persons_convicted(facts), Indicator.PERSONS_CONVICTED,
             {counting.LEGAL_PERSONS: {}, counting.RELATED_ONLY: excluded.convicted_related_only,
              counting.PENDING_CASES: excluded.pending})):
        theirs = official[indicator]
        found.append(counting.compare(ours, theirs, _keys(ours, theirs, scope), left_out))
    return found[0], found[1]


def compute(scope: JusticeScope) -> JusticeFigures:
    facts = proceeding_facts(scope.countries)
    victims = victim_facts(scope.countries, scope.years)
    result = JusticeFigures(scope)
    result.prosecuted, result.convicted = comparisons(scope, facts)
    in_years = [f for f in facts if _first_verdict_year(f) in scope.years]
    result.durations = counting.durations(in_years, scope.k)
    sentenced = [f for f in facts if (c := counting.conviction_day(f)) is not None and c.year in scope.years]
    result.sentences = {key: result.shown(count) for key, count in counting.sentences(sentenced).items()}
    participation, amounts = _victims(victims, scope)
    result.participation, result.amounts = participation, amounts
    return result


def _first_verdict_year(facts: ProceedingFacts) -> int | None:
    verdict = counting.first_verdict(facts)
    return verdict.decided_on.year if verdict else None


def _victims(victims: list[VictimFacts],
             scope: JusticeScope) -> tuple[dict[tuple[str, str], int | None], dict[str, tuple[Any, Any]]]:
    """Victims' part in the proceedings: exact, or released per measure over the countries with the total as
    margin; the amounts only beside a released count of victims awarded compensation."""
    in_years = victims
    counts = counting.participation(in_years)
    totals = counting.participation([VictimFacts(TOTAL, v.victim, v.testified, v.protected_witness,
                                                 v.compensation_ordered, v.compensation_paid) for v in in_years])
    out: dict[tuple[str, str], int | None] = {}
    for measure in counting.PARTICIPATION:
        cells: dict[tuple[str, ...], int] = {(c,): counts.get((c, measure), 0) for c in scope.countries}
        cells[(TOTAL,)] = totals.get((TOTAL, measure), 0)
        if scope.exact:
            released: Mapping[tuple[str, ...], int | None] = cells
        else:
            released = disclosure.protect(("country",), cells, k=scope.k, categories=[scope.countries]).released
        for (country,), value in released.items():
            out[(country, measure)] = value
    sums = counting.compensation_amounts(in_years)
    whole = (sum((o for o, _p in sums.values()), Decimal(0)), sum((p for _o, p in sums.values()), Decimal(0)))
    amounts: dict[str, tuple[Any, Any]] = {}
    for country in (*scope.countries, TOTAL):
        ordered, paid = whole if country == TOTAL else sums.get(country, (Decimal(0), Decimal(0)))
        visible = out.get((country, "compensation_ordered")) is not None
        amounts[country] = (ordered, paid) if visible else (None, None)
    return out, amounts

