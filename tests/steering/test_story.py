"""The review's own-story sections: the channel table, minors first and towards France, each figure computed here
again from the records (not through ``story.py``), in English and in French; the sections survive the freeze, a
country's version keeps its countries, and the PDF still renders."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.utils import translation

from palermo.accounts.access import SYSTEM
from palermo.diagnostics.models import OfficialStatistic, StatisticsImport
from palermo.partners.models import Organisation
from palermo.programme.models import (
    Action,
    ActionParticipation,
    ActionTargetGroup,
    Budget,
    Transaction,
)
from palermo.reference.models import Country
from palermo.steering import services
from palermo.steering.figures import Scope
from palermo.steering.record import record_bytes, review_from_record
from palermo.steering.report import render_document, render_pdf, review_and_tables
from palermo.steering.review import review_figures
from palermo.steering.scope import scoped_review
from palermo.steering.tables import build_tables
from tests.programme.story_cases import case_record
from tests.steering.builders import Portfolio, _action

pytestmark = pytest.mark.django_db
YEAR = 2024
CENT = Decimal("0.01")


def org(name: str, kind: str, country: str | None = "FR") -> Organisation:
    return Organisation.objects.get_or_create(name=name, country_id=country, defaults={"kind": kind})[0]


@pytest.fixture
def world(portfolio: Portfolio) -> Portfolio:
    """The steering portfolio, plus: the UN representation steering its multilateral action, an OSCE action
    under the OSCE representation, OCRTEH and a victims' association beside the bilateral action aimed at minors;
    case records and UNODC figures."""
    vienna = org("Permanent Representation of France to the United Nations in Vienna", "permanent_representation")
    osce_rep = org("Permanent Representation of France to the OSCE", "permanent_representation")
    ocrteh = org("Central Office for the Repression of Trafficking in Human Beings (OCRTEH)", "police")
    association = org("Victims' Voice Romania", "victims_association", "RO")
    osce = org("Organization for Security and Co-operation in Europe", "international_organisation", None)
    ActionParticipation.objects.create(action=portfolio.multilateral, organisation=vienna, role=3)
    ActionParticipation.objects.create(action=portfolio.bilateral, organisation=ocrteh, role=4)
    ActionParticipation.objects.create(action=portfolio.bilateral, organisation=association, role=4)
    ActionTargetGroup.objects.create(action=portfolio.bilateral, group="minors")
    Action.objects.filter(pk=portfolio.bilateral.pk).update(trafficking_form="traditional")
    Action.objects.filter(pk=portfolio.multilateral.pk).update(trafficking_form="both")
    second = _action(portfolio.programme, "XM-DAC-4-TEST-THB-5", "multilateral", 2, {"AL": "50", "RO": "50"},
                     {3: "100"}, planned_start=date(2024, 3, 1), planned_end=date(2025, 12, 31),
                     actual_start=date(2024, 3, 1))
    Action.objects.filter(pk=second.pk).update(trafficking_form="migration_route")
    ActionParticipation.objects.create(action=second, organisation=osce_rep, role=3)
    ActionParticipation.objects.create(action=second, organisation=osce, role=4)
    Budget.objects.create(action=second, period_start=date(2024, 3, 1), period_end=date(2024, 12, 31),
                          value=Decimal("30000"))
    Transaction.objects.create(action=second, transaction_type=3, date=date(2024, 4, 1), value=Decimal("12345.67"))
    # Case records: (country, year, minor, exploited in)
    for country, year, minor, place in [
        ("RO", 2024, True, "FR"), ("RO", 2024, True, None), ("RO", 2024, True, None), ("RO", 2024, False, "FR"),
        ("RO", 2024, False, "FR"), ("RO", 2022, True, "FR"), ("RS", 2023, True, None), ("AL", 2024, True, None),
        ("AL", 2024, False, "DE"), ("RO", 2018, True, "FR"),  # before the five years shown
    ]:
        case_record(country, year, minor=minor, exploited_in=place, form="traditional" if minor else "migration_route")
    case_record("RS", 2024, minor=True, status="not_victim", exploited_in="FR")  # not a victim: not counted
    batch = StatisticsImport.objects.create(source="GLOTIP", file_name="test.xlsx", sha256="0" * 64)

    def stat(country: str, year: int, value: int | None, **values: Any) -> None:
        OfficialStatistic.objects.create(country_id=country, year=year, indicator="detected_victims", value=value,
                                         suppressed=value is None, source="GLOTIP", batch=batch, **values)

    stat("RO", 2021, 40, age="0-17")  # total 0-17
    stat("RO", 2021, 30, age="0-17", sex="female")  # a breakdown: the total wins
    stat("RS", 2022, 3, age="0-17", sex="female")
    stat("RS", 2022, None, age="0-17", sex="male")  # no total: girls and boys added up, one suppressed
    stat("RO", 2022, 500)  # all ages: not a child figure
    stat("FR", 2020, 95, dimension="citizenship", citizenship_id="RO", category_label="Romania")
    stat("FR", 2021, None, dimension="citizenship", citizenship_id="RS", category_label="Serbia")
    stat("FR", 2021, 207, dimension="citizenship", citizenship_id="FR", category_label="France")  # not programme
    stat("FR", 2014, 60, dimension="citizenship", citizenship_id="RO", category_label="Romania")  # too early
    return portfolio


def own_actions(year: int = YEAR) -> list[Action]:
    """The own actions implemented in the year, computed here: status 2-4, dates (actual, else planned) meeting it."""
    found = []
    for action in Action.objects.filter(is_external=False, status__in=(2, 3, 4)):
        start = action.actual_start or action.planned_start
        end = action.actual_end or action.planned_end
        if (start is None or start <= date(year, 12, 31)) and (end is None or end >= date(year, 1, 1)):
            found.append(action)
    return found


def budget_of(action: Action, year: int = YEAR) -> Decimal:
    lines = {b.budget_type: Decimal(0) for b in action.budgets.filter(period_start__year=year)}
    for b in action.budgets.filter(period_start__year=year):
        lines[b.budget_type] += b.value
    return lines.get(2, lines.get(1, Decimal(0)))


def disbursed_of(action: Action, year: int = YEAR) -> Decimal:
    return sum((t.value for t in action.transactions.filter(transaction_type=3, date__year=year)), Decimal(0))


def expected_channels(year: int = YEAR) -> dict[tuple[str, str], list[Any]]:
    """(channel, representation) -> [actions, budget, disbursed, countries, objectives] from the records."""
    rows: dict[tuple[str, str], list[Any]] = {}
    implemented = {a.pk for a in own_actions(year)}
    for action in Action.objects.filter(is_external=False):
        representation = "; ".join(sorted(action.participations.filter(
            organisation__kind="permanent_representation").values_list("organisation__name", flat=True)))
        key = (action.channel, representation if action.channel == "multilateral" else "")
        budget, disbursed = budget_of(action, year), disbursed_of(action, year)
        if action.pk not in implemented and not budget and not disbursed \
                and not action.transactions.filter(date__year=year).exists():
            continue
        row = rows.setdefault(key, [0, Decimal(0), Decimal(0), set(), set()])
        row[1] += budget
        row[2] += disbursed
        if action.pk in implemented:
            row[0] += 1
            row[3] |= set(action.country_shares.values_list("country_id", flat=True))
            row[4] |= set(action.objective_shares.values_list("objective__number", flat=True))
    return rows


def rows_of(tables: Any, slug: str) -> list[list[Any]]:
    return tables.get(slug).rows


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_channel_table_equals_the_records(world: Portfolio, language: str) -> None:
    meeting = services.create_meeting(acting_user=SYSTEM, year=YEAR, date=date(2025, 2, 10), place="Vienna")
    review, tables = review_and_tables(meeting, language)
    expected = expected_channels()
    with translation.override(language):
        labels = {"bilateral": "bilatéral" if language == "fr" else "bilateral",
                  "multilateral": "multilatéral" if language == "fr" else "multilateral"}
        got = {(row[0], row[1]): row[2:] for row in rows_of(tables, "by-channel")[:-1]}
    assert len(got) == len(expected) == 3
    for (channel, representation), (actions, budget, disbursed, countries, objectives) in expected.items():
        row = got[(labels[channel], representation)]
        rate = (disbursed * 100 / budget).quantize(Decimal("0.1"), ROUND_HALF_UP) if budget else None
        assert row == [actions, budget.quantize(CENT), disbursed.quantize(CENT), rate, len(countries),
                       len(objectives)], (channel, representation)
    assert got[(labels["multilateral"], "Permanent Representation of France to the OSCE")][:3] == [
        1, Decimal("30000.00"), Decimal("12345.67")]
    total = rows_of(tables, "by-channel")[-1]
    assert total[2:5] == [sum(v[0] for v in expected.values()), sum(v[1] for v in expected.values()),
                          sum(v[2] for v in expected.values())]
    assert total[3] == review.stock_take.money.budget  # the same money as the stock-take's budget tables
    assert tables.charts["by-channel"].series[0][1] == [float(sum(v[1] for k, v in expected.items() if k[0] == c))
                                                        for c in ("bilateral", "multilateral")]
    figures = review_figures(review)
    assert [(row["channel"], row["actions"], row["budget"]) for row in figures["by_channel"]] == [
        (channel, values[0], f"{values[1]:.2f}") for (channel, _rep), values in sorted(
            expected.items(), key=lambda item: (item[0][0], item[0][1] == "", item[0][1]))]
    # Bilateral against multilateral in Romania, objective 3: only the two multilateral actions serve it.
    cells = {(row[0], row[1]): row for row in rows_of(tables, "complementarity-by-channel")}
    with translation.override(language):
        romania, objective_3 = Country.objects.get(code="RO").name, f"3. {review.objective_names[3]}"
    assert cells[(romania, objective_3)][2:8] == [0, Decimal("0.00"), 0, Decimal("0.00"), 2,
                                                  Decimal("200000") * Decimal("0.6") * Decimal("0.6")
                                                  + Decimal("30000") * Decimal("0.5")]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_minors_first_and_towards_france_equal_the_records(world: Portfolio, language: str) -> None:
    meeting = services.create_meeting(acting_user=SYSTEM, year=YEAR, date=date(2025, 2, 10), place="Vienna")
    review, tables = review_and_tables(meeting, language)
    with translation.override(language):
        names = {c.code: c.name for c in Country.objects.filter(code__in=["AL", "RO", "RS", "FR"])}
    years = range(YEAR - 4, YEAR + 1)
    children: dict[tuple[str, int], int] = defaultdict(int)
    towards: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    from palermo.cases.models import Case

    for case in Case.objects.filter(trafficking_status__in=["possible", "actual"], year_identified__in=years):
        key = (case.owner_country_id, case.year_identified)
        if case.is_minor:
            children[key] += 1
        if case.country_of_exploitation_id == "FR":
            towards[key][0] += 1
            towards[key][1] += int(bool(case.is_minor))
    unodc = {("RO", 2021): 40, ("RS", 2022): "3+"}
    expected = sorted({*children, *unodc})
    assert rows_of(tables, "child-victims") == [
        [names[c], str(y), children.get((c, y)), unodc.get((c, y))] for c, y in expected]
    france_unodc = {("RO", 2020): 95, ("RS", 2021): "<5"}
    keys = sorted({*towards, *france_unodc})
    assert rows_of(tables, "towards-france") == [
        [names[c], str(y), towards[(c, y)][0] if (c, y) in towards else None,
         (towards[(c, y)][1] or None) if (c, y) in towards else None, france_unodc.get((c, y))] for c, y in keys]
    minors = rows_of(tables, "minors-actions")
    assert [row[0] for row in minors] == ["XM-DAC-4-TEST-THB-1", "total"]
    assert minors[0][4:] == [Decimal("120000.00"), Decimal("80000.00")]  # the revised budget, disbursed in 2024
    # Child victims in 2024 in Albania and Romania; the only action for minors serves Romania, objective 2.
    gaps = {(row[0], row[1]) for row in rows_of(tables, "minors-gaps")}
    objective = {n: f"{n}. {review.objective_names[n]}" for n in review.objective_names}
    assert gaps == ({(names["AL"], objective[n]) for n in (1, 2, 3, 4)}
                    | {(names["RO"], objective[n]) for n in (1, 3, 4)})
    assert [row[0] for row in rows_of(tables, "french-counterparts")] == ["XM-DAC-4-TEST-THB-1"]
    assert "OCRTEH" in rows_of(tables, "french-counterparts")[0][3]
    figures = review_figures(review)
    assert figures["minors"]["actions"] == ["XM-DAC-4-TEST-THB-1"]
    assert figures["towards_france"]["victims"][0] == ["RO", 2020, None, None, 95]
    document = render_document(meeting, language).decode()
    for slug in ("by-channel", "complementarity-by-channel", "child-victims", "minors-actions", "minors-gaps",
                 "towards-france", "french-counterparts", "forms-by-country", "gaps-forms"):
        assert f'id="{slug}"' in document
    if language == "fr":
        assert "Les mineurs d’abord" in document or "Les mineurs d'abord" in document
        assert "Vers la France" in document


def test_the_sections_survive_the_freeze_and_a_country_version_keeps_its_countries(world: Portfolio) -> None:
    meeting = services.create_meeting(acting_user=SYSTEM, year=YEAR, date=date(2025, 2, 10), place="Vienna")
    review, tables = review_and_tables(meeting, "en")
    again = review_from_record(record_bytes(review))
    with translation.override("en"):
        frozen = build_tables(again)
    for slug in ("by-channel", "child-victims", "towards-france", "minors-actions", "french-counterparts",
                 "forms-by-country", "gaps-forms", "minors-gaps"):
        assert frozen.get(slug).rows == tables.get(slug).rows, slug
    version = scoped_review(review, Scope(countries=frozenset({"RS"})))
    with translation.override("en"):
        serbian = build_tables(version)
    assert {row[0] for row in serbian.get("child-victims").rows} == {"Serbia"}
    assert {row[0] for row in serbian.get("towards-france").rows} == {"Serbia"}
    # Serbia's 40 % of the UN-steered multilateral action: its budget and disbursement of 2024
    rows = {(row[0], row[1]): row for row in serbian.get("by-channel").rows}
    assert rows[("multilateral", "Permanent Representation of France to the United Nations in Vienna")][2:5] == [
        1, Decimal("80000.00"), Decimal("60000.00")]
    # the cancelled bilateral action's payment
    assert rows[("bilateral", "")][2:5] == [0, Decimal("0.00"), Decimal("5000.00")]


def test_the_pdf_of_the_review_with_its_sections_renders(world: Portfolio) -> None:
    meeting = services.create_meeting(acting_user=SYSTEM, year=YEAR, date=date(2025, 2, 10), place="Vienna")
    assert render_pdf(render_document(meeting, "fr")).startswith(b"%PDF-")
