"""The figures of a steering committee's review, and how they add up: plain logic, no Django.

Money of a multi-country or multi-objective action is split by its shares: an action that disbursed
EUR 100,000 in year N, 60 % Albania / 40 % Serbia, counts EUR 60,000 for Albania and 40,000 for
Serbia; the by-objective table splits the same way by objective shares. Counts are not split: an
action touching two countries counts once in each. Sums are exact ``Decimal`` rounded half-up to
the cent at the end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from palermo.programme import complementarity
from palermo.steering.casefacts import CaseFacts

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
MONEY_KINDS = ("budget", "committed", "disbursed", "expended")


@dataclass(frozen=True)
class ActionLine:
    id: int
    identifier: str
    title: str
    channel: str
    status: int
    start: date | None
    end: date | None
    countries: dict[str, Decimal]
    objectives: dict[int, Decimal]
    is_external: bool = False
    organisations: frozenset[int] = frozenset()  # the organisations taking part (an IO partner's scope)
    trafficking_form: str = ""  # "traditional", "migration_route", "both", "" when not stated
    target_groups: frozenset[str] = frozenset()
    representation: str = ""  # the French permanent representation taking part (steering a multilateral action)
    french_partners: tuple[str, ...] = ()  # French institutions taking part besides the funder and representations

    def runs_during(self, year: int) -> bool:
        return (self.start is None or self.start <= date(year, 12, 31)) and (
            self.end is None or self.end >= date(year, 1, 1)
        )


@dataclass
class Money:
    budget: Decimal = Decimal("0")
    committed: Decimal = Decimal("0")
    disbursed: Decimal = Decimal("0")
    expended: Decimal = Decimal("0")

    def add(self, other: Money, weight: Decimal = Decimal("1")) -> None:
        for kind in MONEY_KINDS:
            setattr(self, kind, getattr(self, kind) + getattr(other, kind) * weight)

    def rounded(self) -> Money:
        return Money(*(getattr(self, kind).quantize(CENT, ROUND_HALF_UP) for kind in MONEY_KINDS))

    @property
    def disbursement_rate(self) -> Decimal | None:
        """Disbursed as a percentage of the budget of the year; ``None`` without a budget."""
        return (self.disbursed * HUNDRED / self.budget).quantize(Decimal("0.1"), ROUND_HALF_UP) if self.budget else None

    @property
    def expenditure_rate(self) -> Decimal | None:
        return (self.expended * HUNDRED / self.budget).quantize(Decimal("0.1"), ROUND_HALF_UP) if self.budget else None


@dataclass(frozen=True)
class IndicatorLine:
    action_id: int
    action_identifier: str
    indicator: str
    unit: str
    period_end: date
    target: Decimal
    actual: Decimal
    ascending: bool

    @property
    def met(self) -> bool:
        return self.actual >= self.target if self.ascending else self.actual <= self.target


@dataclass
class Achievement:
    assessed: int = 0
    met: int = 0

    @property
    def rate(self) -> Decimal | None:
        return (
            (Decimal(self.met) * HUNDRED / self.assessed).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if self.assessed
            else None
        )


@dataclass(frozen=True)
class ExtraSection:
    """A part of the stock-take contributed by another app (trainings, campaigns): a titled table."""

    title: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class StockTake:
    year: int
    implemented: list[ActionLine]
    money: Money
    money_by_country: dict[str, Money]
    money_by_objective: dict[int, Money]
    indicators: list[IndicatorLine]
    achievement: Achievement
    achievement_by_country: dict[str, Achievement]
    achievement_by_objective: dict[int, Achievement]
    extra_sections: list[ExtraSection] = field(default_factory=list)

    def implemented_by_country(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for line in self.implemented:
            for country in line.countries or {"": HUNDRED}:
                counts[country] += 1
        return dict(sorted(counts.items()))

    def implemented_by_objective(self) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for line in self.implemented:
            for objective in line.objectives or {0: HUNDRED}:
                counts[objective] += 1
        return dict(sorted(counts.items()))

    def implemented_by_channel(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for line in self.implemented:
            counts[line.channel] += 1
        return dict(sorted(counts.items()))


IMPLEMENTED_STATUSES = frozenset({2, 3, 4})  # IATI implementation, finalisation, closed


def implemented(actions: Iterable[ActionLine], year: int) -> list[ActionLine]:
    """The programme's own actions carried out during ``year``: implementation, finalisation or closed
    now, with a period (actual dates, else planned) that meets the year."""
    return sorted(
        (a for a in actions if not a.is_external and a.status in IMPLEMENTED_STATUSES and a.runs_during(year)),
        key=lambda a: a.identifier,
    )


def split_money(
    actions: dict[int, ActionLine], money: dict[int, Money], countries: frozenset[str] | None = None
) -> tuple[Money, dict[str, Money], dict[int, Money]]:
    """Total, by country and by objective, each action's money split by its shares.

    With ``countries``, only the part of each action's money that falls to these countries (its shares in them)
    is counted: the total and each objective take that part, and only these countries have a row."""
    total = Money()
    by_country: dict[str, Money] = defaultdict(Money)
    by_objective: dict[int, Money] = defaultdict(Money)
    for action_id, amounts in money.items():
        action = actions[action_id]
        shares = action.countries or {"": HUNDRED}
        weight = Decimal("1")
        if countries is not None:
            shares = {country: share for country, share in shares.items() if country in countries}
            weight = sum(shares.values(), Decimal("0")) / HUNDRED
            if not shares:
                continue
        total.add(amounts, weight)
        for country, share in shares.items():
            by_country[country].add(amounts, share / HUNDRED)
        for objective, share in (action.objectives or {0: HUNDRED}).items():
            by_objective[objective].add(amounts, weight * share / HUNDRED)
    return (
        total.rounded(),
        {k: v.rounded() for k, v in sorted(by_country.items())},
        {k: v.rounded() for k, v in sorted(by_objective.items())},
    )


def achievements(
    lines: Iterable[IndicatorLine], actions: dict[int, ActionLine]
) -> tuple[Achievement, dict[str, Achievement], dict[int, Achievement]]:
    total = Achievement()
    by_country: dict[str, Achievement] = defaultdict(Achievement)
    by_objective: dict[int, Achievement] = defaultdict(Achievement)
    for line in lines:
        action = actions[line.action_id]
        cells = [
            total,
            *(by_country[c] for c in action.countries or {"": HUNDRED}),
            *(by_objective[o] for o in action.objectives or {0: HUNDRED}),
        ]
        for cell in cells:
            cell.assessed += 1
            cell.met += int(line.met)
    return total, dict(sorted(by_country.items())), dict(sorted(by_objective.items()))


def pipeline(actions: Iterable[ActionLine], year: int) -> list[ActionLine]:
    """The programme's own pipeline actions due to start by the end of ``year`` (or with no start yet)."""
    return sorted(
        (a for a in actions if not a.is_external and a.status == complementarity.PIPELINE
         and (a.start is None or a.start <= date(year, 12, 31))),
        key=lambda a: a.identifier,
    )


@dataclass(frozen=True)
class DecisionLine:
    """A decision of the committee as the review shows it: text in the review's language, the actions it
    concerns as (id, IATI identifier)."""

    text: str
    actions: tuple[tuple[int, str], ...]
    owner: str
    due_date: date | None


@dataclass(frozen=True)
class Scope:
    """Whose version of the review: a country reader's countries, or an international organisation partner's
    organisation. The version holds the actions the reader reads everywhere else (a share in one of the
    countries; the organisation taking part)."""

    countries: frozenset[str] = frozenset()
    organisation: int | None = None
    organisation_name: str = ""

    @property
    def key(self) -> str:
        """Names the version where it is stored: ``RO``, ``MD+RO``, ``organisation-12``."""
        if self.organisation is not None:
            return f"organisation-{self.organisation}"
        return "+".join(sorted(self.countries)) or "none"

    def holds(self, action: ActionLine) -> bool:
        if self.organisation is not None:
            return self.organisation in action.organisations
        return not self.countries.isdisjoint(action.countries)


@dataclass
class Proposal:
    year: int
    pipeline: list[ActionLine]
    gaps: complementarity.Gaps
    overlaps: list[complementarity.Overlap]
    extra_sections: list[ExtraSection] = field(default_factory=list)


@dataclass
class Review:
    """The review of year ``year``: its facts (``actions``, ``money_by_action``, the stock-take's indicators, the
    proposal's gaps and overlaps, ``decisions``) and what is computed from them. ``scope`` is None for the full
    review, else the scope of this version, named ``version`` in the review's language."""

    year: int
    generated_at: str
    stock_take: StockTake
    proposal: Proposal
    country_names: dict[str, str] = field(default_factory=dict)
    objective_names: dict[int, str] = field(default_factory=dict)
    actions: dict[int, ActionLine] = field(default_factory=dict)
    money_by_action: dict[int, Money] = field(default_factory=dict)
    decisions: list[DecisionLine] = field(default_factory=list)
    scope: Scope | None = None
    version: str = ""
    cases: CaseFacts = field(default_factory=CaseFacts)  # counts from the case records and UNODC (``story.py``)


def assemble(
    *,
    year: int,
    generated_at: str,
    actions: dict[int, ActionLine],
    money: dict[int, Money],
    indicators: list[IndicatorLine],
    gaps: complementarity.Gaps,
    overlaps: list[complementarity.Overlap],
    decisions: list[DecisionLine],
    country_names: dict[str, str],
    objective_names: dict[int, str],
    extra_sections: list[ExtraSection] | None = None,
    money_countries: frozenset[str] | None = None,
    cases: CaseFacts | None = None,
    proposal_sections: list[ExtraSection] | None = None,
) -> Review:
    """The review computed from its facts: the stock-take of ``year`` and the proposal for ``year + 1``.
    ``money_countries``: count only these countries' part of the money (see :func:`split_money`)."""
    total, by_country, by_objective = split_money(actions, money, money_countries)
    achievement, achievement_by_country, achievement_by_objective = achievements(indicators, actions)
    take = StockTake(
        year=year,
        implemented=implemented(actions.values(), year),
        money=total,
        money_by_country=by_country,
        money_by_objective=by_objective,
        indicators=indicators,
        achievement=achievement,
        achievement_by_country=achievement_by_country,
        achievement_by_objective=achievement_by_objective,
        extra_sections=extra_sections or [],
    )
    plan = Proposal(year=year + 1, pipeline=pipeline(actions.values(), year + 1), gaps=gaps, overlaps=overlaps,
                    extra_sections=proposal_sections or [])
    return Review(
        year=year,
        generated_at=generated_at,
        stock_take=take,
        proposal=plan,
        country_names=country_names,
        objective_names=objective_names,
        actions=actions,
        money_by_action=money,
        decisions=decisions,
        cases=cases or CaseFacts(),
    )
