"""Gather the review of year N from the database: the stock-take of N and the proposal for N + 1."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from palermo.i18n import in_active_language
from palermo.partners.models import Organisation
from palermo.programme import complementarity
from palermo.programme.models import (
    Action,
    ActionCountry,
    ActionObjective,
    ActionParticipation,
    Budget,
    GretaRecommendation,
    Indicator,
    OrganisationRole,
    Period,
    Transaction,
)
from palermo.programme.portfolio import facts_for, recommendation_facts
from palermo.reference.models import Country, Objective
from palermo.steering import figures, story
from palermo.steering.cases import FRANCE, case_facts
from palermo.steering.figures import ActionLine, ExtraSection, IndicatorLine, Money, Proposal, Review

__all__ = ["Proposal", "Review", "build_review", "review_figures"]

# Other apps (trainings, awareness campaigns) add a part of the stock-take here: a callable taking
# the year and returning titled tables. See docs/steering.md.
STOCK_TAKE_CONTRIBUTORS: list[Callable[[int], list[ExtraSection]]] = []
# In the same way, other apps add a part of the proposal for N + 1 (shown after the portfolio's gaps): a callable
# taking the review's year N and returning titled tables (awareness: high-risk profiles no campaign reaches).
PROPOSAL_CONTRIBUTORS: list[Callable[[int], list[ExtraSection]]] = []

TRANSACTION_KINDS = {2: "committed", 3: "disbursed", 4: "expended"}


def action_lines(query: Q | None = None) -> dict[int, ActionLine]:
    """Every action (or those matching ``query``) with its shares: three queries."""
    actions = Action.objects.all() if query is None else Action.objects.filter(query)
    countries: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for action_id, country, share in ActionCountry.objects.filter(action__in=actions.values("pk")).values_list(
        "action_id", "country_id", "percentage"
    ):
        countries[action_id][country] = share
    objectives: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for action_id, number, share in ActionObjective.objects.filter(action__in=actions.values("pk")).values_list(
        "action_id", "objective__number", "percentage"
    ):
        objectives[action_id][number] = share
    lines = {}
    for (
        pk,
        identifier,
        title_en,
        title_fr,
        channel,
        status,
        planned_start,
        planned_end,
        actual_start,
        actual_end,
        is_external,
    ) in actions.values_list(
        "pk",
        "iati_identifier",
        "title_en",
        "title_fr",
        "channel",
        "status",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "is_external",
    ):
        lines[pk] = ActionLine(
            id=pk,
            identifier=identifier,
            title=in_active_language(title_en, title_fr),
            channel=channel,
            status=status,
            start=actual_start or planned_start,
            end=actual_end or planned_end,
            countries=countries.get(pk, {}),
            objectives=objectives.get(pk, {}),
            is_external=is_external,
        )
    return lines


def money_of_year(year: int) -> dict[int, Money]:
    """Per own action: budget of the year (revised budgets replace the original ones of the same action
    and year), commitments, disbursements and expenditure dated in the year."""
    money: dict[int, Money] = defaultdict(Money)
    budgets = (
        Budget.objects.filter(action__is_external=False, period_start__year=year)
        .values_list("action_id", "budget_type")
        .annotate(total=Sum("value"))
        .order_by()
    )
    by_type: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for action_id, budget_type, total in budgets:
        by_type[action_id][budget_type] = Decimal(total)
    for action_id, totals in by_type.items():
        money[action_id].budget = totals.get(Budget.Type.REVISED, totals.get(Budget.Type.ORIGINAL, Decimal("0")))
    sums = (
        Transaction.objects.filter(action__is_external=False, date__year=year, transaction_type__in=TRANSACTION_KINDS)
        .values_list("action_id", "transaction_type")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for action_id, kind, total in sums:
        setattr(money[action_id], TRANSACTION_KINDS[kind], Decimal(total))
    return dict(money)


def indicator_lines(year: int, identifiers: dict[int, str]) -> list[IndicatorLine]:
    """Quantitative indicator periods of own actions ending in ``year`` with a target and an actual value."""
    periods = (
        Period.objects.filter(
            period_end__year=year,
            target__isnull=False,
            actual__isnull=False,
            indicator__result__action__is_external=False,
        )
        .exclude(indicator__measure=Indicator.Measure.QUALITATIVE)
        .values_list(
            "indicator__result__action_id",
            "indicator__title_en",
            "indicator__title_fr",
            "indicator__unit",
            "period_end",
            "target",
            "actual",
            "indicator__ascending",
        )
        .order_by("indicator__result__action__iati_identifier", "indicator_id", "period_end")
    )
    return [
        IndicatorLine(
            action_id=action_id,
            action_identifier=identifiers[action_id],
            indicator=in_active_language(title_en, title_fr),
            unit=unit,
            period_end=end,
            target=Decimal(target or 0),
            actual=Decimal(actual or 0),
            ascending=ascending,
        )
        for action_id, title_en, title_fr, unit, end, target, actual, ascending in periods
    ]


def organisations_by_action() -> dict[int, frozenset[int]]:
    """The organisations taking part in each action (one query): an IO partner's version holds these."""
    found: dict[int, set[int]] = defaultdict(set)
    for action_id, organisation_id in ActionParticipation.objects.values_list("action_id", "organisation_id"):
        found[action_id].add(organisation_id)
    return {action_id: frozenset(ids) for action_id, ids in found.items()}


def with_story(lines: dict[int, ActionLine], facts: list[complementarity.ActionFacts]) -> dict[int, ActionLine]:
    """The lines with what the programme says of itself (``story.py``): form of trafficking, target groups, the
    French permanent representation taking part and the other French institutions taking part (one query)."""
    representations: dict[int, set[str]] = defaultdict(set)
    french: dict[int, set[str]] = defaultdict(set)
    rows = ActionParticipation.objects.filter(organisation__country_id=FRANCE).exclude(
        role=OrganisationRole.FUNDING).values_list("action_id", "organisation__kind", "organisation__name")
    for action_id, kind, name in rows:
        if kind == Organisation.Kind.PERMANENT_REPRESENTATION:
            representations[action_id].add(name)
        elif kind != Organisation.Kind.DONOR:
            french[action_id].add(name)
    by_id = {f.id: f for f in facts}
    return {
        pk: replace(
            line,
            trafficking_form=by_id[pk].trafficking_form if pk in by_id else line.trafficking_form,
            target_groups=by_id[pk].target_groups if pk in by_id else line.target_groups,
            representation="; ".join(sorted(representations.get(pk, ()))),
            french_partners=tuple(sorted(french.get(pk, ()))),
        )
        for pk, line in lines.items()
    }


def lines_of(facts: list[complementarity.ActionFacts],
             organisations: dict[int, frozenset[int]] | None = None) -> dict[int, ActionLine]:
    """The review's view of the complementarity facts (loaded once for the stock-take and the proposal)."""
    organisations = organisations or {}
    return {
        f.id: ActionLine(
            id=f.id,
            identifier=f.identifier,
            title=f.title,
            channel=f.channel,
            status=f.status,
            start=f.start,
            end=f.end,
            countries=f.countries,
            objectives=f.objectives,
            is_external=f.is_external,
            organisations=organisations.get(f.id, frozenset()),
        )
        for f in facts
    }


def computed_at() -> str:
    """When the figures are computed, as the review prints it (to the minute)."""
    return timezone.localtime().strftime("%Y-%m-%d %H:%M")


def build_review(year: int) -> Review:
    """The full review of ``year`` (the stock-take of ``year``, the proposal for ``year + 1``) in the active
    language: seven queries for the facts of every action, a few for the money and indicators of the year, the
    gaps and the names. Its decisions are the caller's (``report.review_for``)."""
    facts = facts_for(Action.objects.all())
    lines = with_story(lines_of(facts, organisations_by_action()), facts)
    next_year = year + 1
    programme_countries = list(Country.objects.programme().values_list("code", flat=True))
    cases = case_facts(year, programme_countries)
    gaps = complementarity.gaps(
        facts,
        countries=programme_countries,
        case_forms=cases.forms,
        objectives=list(Objective.objects.values_list("number", flat=True)),
        recommendations=recommendation_facts(GretaRecommendation.objects.all()),
        year=next_year,
    )
    return figures.assemble(
        year=year,
        generated_at=computed_at(),
        actions=lines,
        money=money_of_year(year),
        indicators=indicator_lines(year, {pk: line.identifier for pk, line in lines.items()}),
        extra_sections=[section for contribute in STOCK_TAKE_CONTRIBUTORS for section in contribute(year)],
        proposal_sections=[section for contribute in PROPOSAL_CONTRIBUTORS for section in contribute(year)],
        gaps=gaps,
        overlaps=complementarity.overlaps(facts, within_year=next_year),
        decisions=[],
        country_names={
            c.code: c.name
            for c in Country.objects.filter(Q(is_programme=True) | Q(action_shares__isnull=False)).distinct()
        },
        objective_names={o.number: o.name for o in Objective.objects.all()},
        cases=cases,
    )


def _money_json(money: figures.Money) -> dict[str, str | None]:
    rate = money.disbursement_rate
    return {
        "budget": f"{money.budget:.2f}",
        "committed": f"{money.committed:.2f}",
        "disbursed": f"{money.disbursed:.2f}",
        "expended": f"{money.expended:.2f}",
        "disbursement_rate": None if rate is None else f"{rate:.1f}",
    }


def _achievement_json(cell: figures.Achievement) -> dict[str, int | str | None]:
    return {"assessed": cell.assessed, "met": cell.met, "rate": None if cell.rate is None else f"{cell.rate:.1f}"}


def review_figures(review: Review) -> dict[str, object]:
    """The review's figures by code (country ISO code, objective number, "" / 0 = not classified), the same
    in every language: what the API serves, and what closing a meeting freezes beside the documents."""
    take, plan = review.stock_take, review.proposal
    return {
        "year": review.year,
        "implemented": len(take.implemented),
        "implemented_by_country": take.implemented_by_country(),
        "implemented_by_objective": {str(k): v for k, v in take.implemented_by_objective().items()},
        "implemented_by_channel": take.implemented_by_channel(),
        "money": _money_json(take.money),
        "money_by_country": {k: _money_json(v) for k, v in take.money_by_country.items()},
        "money_by_objective": {str(k): _money_json(v) for k, v in take.money_by_objective.items()},
        "indicator_periods": len(take.indicators),
        "achievement": _achievement_json(take.achievement),
        "achievement_by_country": {k: _achievement_json(v) for k, v in take.achievement_by_country.items()},
        "achievement_by_objective": {str(k): _achievement_json(v) for k, v in take.achievement_by_objective.items()},
        "proposal": {
            "year": plan.year,
            "pipeline": len(plan.pipeline),
            "uncovered_cells": len(plan.gaps.uncovered_cells),
            "unanswered_urges": len(plan.gaps.unanswered_urges),
            "uncovered_groups": len(plan.gaps.uncovered_groups),
            "uncovered_forms": len(plan.gaps.uncovered_forms),
            "overlaps": len(plan.overlaps),
        },
        **story_figures(review),
    }


def story_figures(review: Review) -> dict[str, object]:
    """The figures of the review's own-story sections (``story.py``), by code."""
    take, cases = review.stock_take, review.cases
    minors = story.minors_actions(take.implemented)
    return {
        "by_channel": [
            {"channel": row.channel, "representation": row.representation, "actions": row.actions,
             "budget": f"{row.money.budget:.2f}", "disbursed": f"{row.money.disbursed:.2f}",
             "countries": sorted(code for code in row.countries if code),
             "objectives": sorted(number for number in row.objectives if number)}
            for row in story.by_channel(review.actions, take.implemented, review.money_by_action)
        ],
        "minors": {
            "child_victims": [[code, year, records, unodc]
                              for code, year, records, unodc in story.child_victims_rows(cases)],
            "actions": [line.identifier for line in minors],
            "gaps": [list(gap) for gap in story.minors_gaps(take.implemented, cases, review.year,
                                                            sorted(review.objective_names))],
        },
        "towards_france": {
            "victims": [list(row) for row in story.france_rows(cases)],
            "actions": [line.identifier
                        for line in story.with_french_counterparts([*take.implemented, *review.proposal.pipeline])],
        },
    }
