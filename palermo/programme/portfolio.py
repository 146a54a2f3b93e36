"""Turn querysets of actions into the plain facts the complementarity logic works on."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy

from palermo.cases.models import Case
from palermo.i18n import in_active_language
from palermo.numbers import whole_number
from palermo.programme import complementarity as logic
from palermo.programme.models import (
    Action,
    ActionCountry,
    ActionObjective,
    ActionTargetGroup,
    GretaRecommendation,
    Transaction,
)


def facts_for(actions: QuerySet[Action]) -> list[logic.ActionFacts]:
    """Six queries whatever the number of actions."""
    rows = list(actions.values_list(
        "id", "iati_identifier", "title_en", "title_fr", "description_en", "description_fr", "channel", "status",
        "planned_start", "planned_end", "actual_start", "actual_end", "is_external", "trafficking_form",
    ))
    chosen = actions.values("pk")
    countries: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for action_id, country, share in ActionCountry.objects.filter(action__in=chosen).values_list(
            "action_id", "country_id", "percentage"):
        countries[action_id][country] = share
    objectives: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for action_id, number, share in ActionObjective.objects.filter(action__in=chosen).values_list(
            "action_id", "objective__number", "percentage"):
        objectives[action_id][number] = share
    groups: dict[int, set[str]] = defaultdict(set)
    for action_id, group in ActionTargetGroup.objects.filter(action__in=chosen).values_list("action_id", "group"):
        groups[action_id].add(group)
    beneficiaries: dict[int, set[int]] = defaultdict(set)
    through = Action.beneficiary_organisations.through
    for action_id, organisation_id in through.objects.filter(action__in=chosen).values_list(
            "action_id", "organisation_id"):
        beneficiaries[action_id].add(organisation_id)
    greta: dict[int, set[int]] = defaultdict(set)
    for action_id, recommendation_id in Action.greta_recommendations.through.objects.filter(
            action__in=chosen).values_list("action_id", "gretarecommendation_id"):
        greta[action_id].add(recommendation_id)
    money: dict[int, dict[tuple[int, int], Decimal]] = defaultdict(dict)
    sums = (
        Transaction.objects.filter(action__in=chosen, transaction_type__in=(logic.COMMITMENT, logic.DISBURSEMENT))
        .annotate(year=ExtractYear("date")).values_list("action_id", "transaction_type", "year")
        .annotate(total=Sum("value")).order_by()
    )
    for action_id, kind, year, total in sums:
        money[action_id][(kind, year)] = Decimal(total)
    return [
        logic.ActionFacts(
            id=pk, identifier=identifier, title=in_active_language(title_en, title_fr),
            description=in_active_language(description_en, description_fr), channel=channel, status=status,
            start=actual_start or planned_start, end=actual_end or planned_end,
            countries=countries.get(pk, {}), objectives=objectives.get(pk, {}),
            target_groups=frozenset(groups.get(pk, ())), beneficiaries=frozenset(beneficiaries.get(pk, ())),
            greta=frozenset(greta.get(pk, ())), money=money.get(pk, {}), is_external=is_external,
            trafficking_form=trafficking_form,
        )
        for (pk, identifier, title_en, title_fr, description_en, description_fr, channel, status, planned_start,
             planned_end, actual_start, actual_end, is_external, trafficking_form) in rows
    ]


PORTFOLIO_YEARS = (2000, 2100)  # the years a year filter accepts, with room on both sides of the programme


def portfolio_year(text: str | None) -> int | None:
    """The year a filter asks for, or None when the text is not a year within PORTFOLIO_YEARS."""
    year = whole_number(text)
    return year if year is not None and PORTFOLIO_YEARS[0] <= year <= PORTFOLIO_YEARS[1] else None


QS = TypeVar("QS", bound=QuerySet[Action])


def running_in(actions: QS, year: int) -> QS:
    """The actions whose dates (actual, else planned; none means open) meet ``year``: ``ActionFacts.runs_during``
    in SQL."""
    last_day, first_day = date(year, 12, 31), date(year, 1, 1)
    no_start = Q(actual_start__isnull=True, planned_start__isnull=True)
    no_end = Q(actual_end__isnull=True, planned_end__isnull=True)
    started = Q(actual_start__lte=last_day) | Q(actual_start__isnull=True, planned_start__lte=last_day) | no_start
    not_ended = Q(actual_end__gte=first_day) | Q(actual_end__isnull=True, planned_end__gte=first_day) | no_end
    return actions.filter(started, not_ended)


def matrix_facts_for(actions: QuerySet[Action], *, year: int | None = None,
                     statuses: Iterable[int] | None = None) -> list[logic.ActionFacts]:
    """What ``complementarity.matrix(..., year=year, statuses=statuses)`` reads, and nothing more, in four
    queries: the actions running in ``year`` with one of ``statuses`` (filtered in SQL), their channel, dates
    and shares, and their commitments and disbursements summed per action and type in SQL (of ``year`` only
    when given). No identifier, title, description, target group, institution or GRETA link: these facts are
    for the matrix alone."""
    if statuses is not None:
        actions = actions.filter(status__in=list(statuses))
    if year is not None:
        actions = running_in(actions, year)
    rows = list(actions.values_list(
        "id", "channel", "status", "planned_start", "planned_end", "actual_start", "actual_end", "is_external",
    ).order_by())
    if not rows:
        return []
    chosen = actions.values("pk")
    countries: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for action_id, country, share in ActionCountry.objects.filter(action__in=chosen).values_list(
            "action_id", "country_id", "percentage").order_by():
        countries[action_id][country] = share
    objectives: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for action_id, number, share in ActionObjective.objects.filter(action__in=chosen).values_list(
            "action_id", "objective__number", "percentage").order_by():
        objectives[action_id][number] = share
    money: dict[int, dict[tuple[int, int], Decimal]] = defaultdict(dict)
    transactions = Transaction.objects.filter(action__in=chosen,
                                              transaction_type__in=(logic.COMMITMENT, logic.DISBURSEMENT))
    if year is not None:
        in_year = transactions.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31))
        for action_id, kind, total in in_year.values_list("action_id", "transaction_type").annotate(
                total=Sum("value")).order_by():
            money[action_id][(kind, year)] = Decimal(total)
    else:
        for action_id, kind, in_year_of, total in transactions.annotate(year=ExtractYear("date")).values_list(
                "action_id", "transaction_type", "year").annotate(total=Sum("value")).order_by():
            money[action_id][(kind, in_year_of)] = Decimal(total)
    return [
        logic.ActionFacts(
            id=pk, identifier="", title="", description="", channel=channel, status=status,
            start=actual_start or planned_start, end=actual_end or planned_end,
            countries=countries.get(pk, {}), objectives=objectives.get(pk, {}), money=money.get(pk, {}),
            is_external=is_external,
        )
        for pk, channel, status, planned_start, planned_end, actual_start, actual_end, is_external in rows
    ]


def matrix_for(actions: QuerySet[Action], *, year: int | None = None,
               statuses: Iterable[int] | None = None) -> logic.Matrix:
    """The complementarity matrix of ``actions``: the same cells as ``complementarity.matrix(facts_for(actions),
    year=year, statuses=statuses)``, with the filters and the money sums done in SQL."""
    wanted = None if statuses is None else sorted(set(statuses))
    return logic.matrix(matrix_facts_for(actions, year=year, statuses=wanted), year=year, statuses=wanted)


def recommendation_facts(recommendations: QuerySet[GretaRecommendation]) -> list[logic.Recommendation]:
    """The recommendations as the gap alerts and the review name them, in the active language; an invented demo
    recommendation keeps its demo marker, as its text does."""
    return [
        logic.Recommendation(id=r.pk, country=r.country_id, level=r.level, follow_up=r.follow_up,
                             label=f"{r} {DEMO_MARKER}" if r.is_demo else str(r))
        for r in recommendations
    ]


DEMO_MARKER = gettext_lazy("[DEMO - not GRETA text]")


# The case records the programme's figures count, as the diagnostics count them: possible and actual victims.
VICTIM_STATUSES = ("possible", "actual")


def case_forms(year: int | None = None) -> dict[tuple[str, str], int]:
    """Case records (possible or actual victims, identified in ``year`` when given) by (form of trafficking as the
    case data give it, country whose services recorded the case): one aggregate query, no record named."""
    cases = Case.objects.filter(trafficking_status__in=VICTIM_STATUSES).exclude(thb_form="")
    if year is not None:
        cases = cases.filter(year_identified=year)
    return {
        (form, country): count
        for form, country, count in cases.values_list("thb_form", "owner_country_id").annotate(
            count=Count("pk")).order_by()
    }
