"""What the programme says about itself, as figures of the review: plain logic, no Django.

The programme text names two forms of trafficking (traditional, and along the migration route), a portfolio of
"bilateral and multilateral" actions whose complementarity is sought, a priority to minor victims and to
trafficking "in particular to France". Each gets figures here, drawn from the review's facts: its actions
(``figures.ActionLine``: channel, form, target groups, the French representation steering a multilateral action,
French counterparts), their money of the year, and the case facts (:class:`CaseFacts`), counted from the case
records and UNODC's published figures when the review is computed, and frozen with it.

Counting rules (the same as the rest of the review): an action counts once in each country and objective it
touches; money is split by country share and objective share. Case records count possible and actual victims, by
the country whose services recorded them (the owner country), in the year they were identified.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from palermo.steering.casefacts import CaseFacts, Cell
from palermo.steering.figures import CENT, HUNDRED, ActionLine, Money

CHANNELS = ("bilateral", "regional", "multilateral")
MINORS = "minors"


# --- channels ---------------------------------------------------------------------------------------------------

@dataclass
class ChannelRow:
    """One channel (and, for multilateral actions, one steering representation): what it carried in the year."""

    channel: str
    representation: str = ""  # the French representation steering it ("" for bilateral and regional)
    actions: int = 0
    money: Money = field(default_factory=Money)
    countries: set[str] = field(default_factory=set)
    objectives: set[int] = field(default_factory=set)


def part(line: ActionLine) -> Decimal:
    """The part of an action's money a review counts: all of it, or in a country version the shares of its
    countries (whose lines keep only those countries)."""
    return sum(line.countries.values(), Decimal("0")) / HUNDRED if line.countries else Decimal("1")


def _key(line: ActionLine) -> tuple[str, str]:
    return line.channel, line.representation if line.channel == "multilateral" else ""


def by_channel(actions: Mapping[int, ActionLine], implemented: Iterable[ActionLine],
               money: Mapping[int, Money]) -> list[ChannelRow]:
    """By channel, multilateral actions by the French representation that steers them: the actions implemented
    in the year (their countries and objectives), and the money of the year of every own action, as the
    stock-take's budget tables count it (so the rows add up to its total)."""
    rows: dict[tuple[str, str], ChannelRow] = {}
    for line in implemented:
        row = rows.setdefault(_key(line), ChannelRow(*_key(line)))
        row.actions += 1
        row.countries |= {code for code in line.countries if code} or {""}
        row.objectives |= set(line.objectives) or {0}
    for action_id, amounts in money.items():
        line = actions[action_id]
        rows.setdefault(_key(line), ChannelRow(*_key(line))).money.add(amounts, part(line))
    order = {channel: index for index, channel in enumerate(CHANNELS)}
    found = sorted(rows.values(), key=lambda r: (order.get(r.channel, 9), r.channel, r.representation == "",
                                                  r.representation))
    for row in found:
        row.money = row.money.rounded()
    return found


def channel_totals(rows: list[ChannelRow]) -> list[ChannelRow]:
    """One row per channel, the representations of the multilateral channel added up."""
    totals: dict[str, ChannelRow] = {}
    for row in rows:
        total = totals.setdefault(row.channel, ChannelRow(row.channel))
        total.actions += row.actions
        total.money.add(row.money)
        total.countries |= row.countries
        total.objectives |= row.objectives
    return list(totals.values())


@dataclass
class Complementarity:
    """One country and objective: bilateral, regional and multilateral actions of the year and their budget."""

    country: str
    objective: int
    actions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))
    budget: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(CHANNELS, Decimal("0")))

    @property
    def reading(self) -> str:
        """"both" (bilateral and multilateral), "bilateral", "multilateral" or "regional" (regional only)."""
        bilateral, multilateral = self.actions["bilateral"] > 0, self.actions["multilateral"] > 0
        if bilateral and multilateral:
            return "both"
        if bilateral:
            return "bilateral"
        if multilateral:
            return "multilateral"
        return "regional"


def complementarity(implemented: Iterable[ActionLine], money: Mapping[int, Money]) -> list[Complementarity]:
    """Bilateral against multilateral per country and objective: action counts (not split) and the budget of the
    year split by country share x objective share."""
    cells: dict[tuple[str, int], Complementarity] = {}
    for line in implemented:
        if line.channel not in CHANNELS:
            continue
        budget = money.get(line.id, Money()).budget
        for country, country_share in (line.countries or {"": HUNDRED}).items():
            for objective, objective_share in (line.objectives or {0: HUNDRED}).items():
                cell = cells.setdefault((country, objective), Complementarity(country, objective))
                cell.actions[line.channel] += 1
                cell.budget[line.channel] += budget * country_share * objective_share / (HUNDRED * HUNDRED)
    for cell in cells.values():
        cell.budget = {k: v.quantize(CENT, ROUND_HALF_UP) for k, v in cell.budget.items()}
    return [cells[key] for key in sorted(cells)]


# --- forms of trafficking -----------------------------------------------------------------------------------------

def forms_by_country(implemented: Iterable[ActionLine], cases: CaseFacts) -> dict[str, dict[str, int]]:
    """Per country: implemented actions of each form ("traditional", "migration_route", "both", "" unstated) and
    the case records of the year of each form ("cases:traditional", "cases:migration_route")."""
    found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line in implemented:
        for country in line.countries or {"": HUNDRED}:
            found[country][line.trafficking_form] += 1
    for (form, country), count in cases.forms.items():
        found[country][f"cases:{form}"] += count
    return {country: dict(values) for country, values in sorted(found.items())}


# --- minors first --------------------------------------------------------------------------------------------------

def minors_actions(implemented: Iterable[ActionLine]) -> list[ActionLine]:
    return [line for line in implemented if MINORS in line.target_groups]


def minors_gaps(implemented: Iterable[ActionLine], cases: CaseFacts, year: int,
                objectives: Iterable[int]) -> list[tuple[str, int, int]]:
    """(country, objective, child victims of the year) where case records show child victims and no implemented
    action aimed at minors serves that objective in that country."""
    covered = {(c, o) for line in minors_actions(implemented) for c in line.countries for o in line.objectives}
    children = {country: count for (country, in_year), count in cases.minors.items() if in_year == year and count}
    return [(country, objective, children[country]) for country in sorted(children) for objective in objectives
            if (country, objective) not in covered]


def child_victims_rows(cases: CaseFacts) -> list[tuple[str, int, int | None, Cell]]:
    """(country, year, case records of child victims, UNODC 0-17) for each country and year one source holds."""
    keys = {key for key in (*cases.minors, *cases.unodc_minors) if key[1] in cases.years}
    return [(country, year, cases.minors.get((country, year)), cases.unodc_minors.get((country, year)))
            for country, year in sorted(keys)]


# --- towards France -------------------------------------------------------------------------------------------------

def france_rows(cases: CaseFacts) -> list[tuple[str, int, int | None, int | None, Cell]]:
    """(country, year, case records exploited in France, of which minors, UNODC victims of that citizenship
    detected in France)."""
    keys = {key for key in (*cases.to_france, *cases.unodc_france) if key[1] in cases.years}
    return [(country, year, cases.to_france.get((country, year)), cases.to_france_minors.get((country, year)),
             cases.unodc_france.get((country, year))) for country, year in sorted(keys)]


def with_french_counterparts(lines: Iterable[ActionLine]) -> list[ActionLine]:
    return sorted((line for line in lines if line.french_partners), key=lambda line: line.identifier)
