"""A reader's version of the review, as plain logic: what it holds, how its figures are counted, and the frozen
facts it is drawn from."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from palermo.programme import complementarity
from palermo.steering.figures import (
    ActionLine,
    DecisionLine,
    IndicatorLine,
    Money,
    Review,
    Scope,
    assemble,
)
from palermo.steering.record import record_bytes, review_from_record
from palermo.steering.review import review_figures
from palermo.steering.scope import scoped_review

D = Decimal
UNODC = 7


def line(pk: int, countries: dict[str, str], status: int = 2, organisations: tuple[int, ...] = ()) -> ActionLine:
    return ActionLine(pk, f"ID-{pk}", f"Action {pk}", "bilateral", status, date(2024, 1, 1), date(2025, 12, 31),
                      {code: D(share) for code, share in countries.items()}, {2: D(50), 3: D(50)},
                      organisations=frozenset(organisations))


def facts(action: ActionLine) -> complementarity.ActionFacts:
    return complementarity.ActionFacts(action.id, action.identifier, action.title, "", action.channel,
                                       action.status, action.start, action.end, action.countries, action.objectives)


def full_review() -> Review:
    actions = {
        1: line(1, {"RO": "100"}),
        2: line(2, {"RO": "60", "RS": "40"}, organisations=(UNODC,)),
        3: line(3, {"RS": "100"}),
        4: line(4, {"RS": "100"}, status=1),  # pipeline
    }
    overlap = complementarity.Overlap(facts(actions[2]), facts(actions[3]), ("RS",), (2,), ("minors",), (), 0.8)
    return assemble(
        year=2024, generated_at="2025-02-01 10:00", actions=actions,
        money={1: Money(budget=D("1000")), 2: Money(budget=D("1000"), disbursed=D("333.33")),
               3: Money(budget=D("500"))},
        indicators=[IndicatorLine(2, "ID-2", "people trained", "people", date(2024, 12, 31), D(10), D(12), True),
                    IndicatorLine(3, "ID-3", "people trained", "people", date(2024, 12, 31), D(10), D(2), True)],
        gaps=complementarity.Gaps(
            [("RO", 1), ("RS", 1)],
            [complementarity.Recommendation(9, "RS", "urges", "not_assessed", "GRETA RS R3 §12 (urges)")],
            [("minors", "RO"), ("minors", "RS")]),
        overlaps=[overlap],
        decisions=[DecisionLine("About Romania", ((1, "ID-1"),), "MEAE", None),
                   DecisionLine("About both", ((1, "ID-1"), (3, "ID-3")), "MEAE", None),
                   DecisionLine("About nothing in particular", (), "MEAE", None),
                   DecisionLine("About the joint action", ((2, "ID-2"),), "UNODC", date(2025, 6, 30))],
        country_names={"RO": "Romania", "RS": "Serbia"}, objective_names={1: "Understand", 2: "Warn", 3: "Protect"},
    )


def test_a_country_version_holds_its_actions_and_counts_its_share_of_their_money() -> None:
    review = full_review()
    romania = scoped_review(review, Scope(countries=frozenset({"RO"})))
    assert romania.version == "Romania" and romania.scope == Scope(countries=frozenset({"RO"}))
    assert [a.identifier for a in romania.stock_take.implemented] == ["ID-1", "ID-2"]
    assert romania.stock_take.implemented[1].countries == {"RO": D("60")}  # Serbia's share is not shown
    assert romania.proposal.pipeline == []
    # 1000 + 60 % of 1000; disbursed 60 % of 333.33 = 199.998 -> 200.00, as the full review's Romania row.
    assert romania.stock_take.money == Money(D("1600.00"), D("0.00"), D("200.00"), D("0.00"))
    assert romania.stock_take.money == review.stock_take.money_by_country["RO"]
    assert list(romania.stock_take.money_by_country) == ["RO"]
    assert romania.stock_take.money_by_objective == {2: Money(D("800.00"), D("0.00"), D("100.00"), D("0.00")),
                                                     3: Money(D("800.00"), D("0.00"), D("100.00"), D("0.00"))}
    assert romania.stock_take.implemented_by_country() == {"RO": 2} == {
        "RO": review.stock_take.implemented_by_country()["RO"]}
    assert romania.stock_take.achievement == review.stock_take.achievement_by_country["RO"]
    assert list(romania.stock_take.achievement_by_country) == ["RO"]
    assert romania.proposal.gaps == complementarity.Gaps([("RO", 1)], [], [("minors", "RO")])
    assert romania.proposal.overlaps == []  # action 3 is Serbia's, and the pair overlaps in Serbia
    assert [d.text for d in romania.decisions] == ["About Romania", "About the joint action"]
    assert romania.country_names == {"RO": "Romania"}


def test_another_country_version_holds_only_that_country() -> None:
    serbia = scoped_review(full_review(), Scope(countries=frozenset({"RS"})))
    assert [a.identifier for a in serbia.stock_take.implemented] == ["ID-2", "ID-3"]
    assert [a.identifier for a in serbia.proposal.pipeline] == ["ID-4"]
    assert serbia.stock_take.money == Money(D("900.00"), D("0.00"), D("133.33"), D("0.00"))
    assert [(o.first.identifier, o.second.identifier, o.countries) for o in serbia.proposal.overlaps] == [
        ("ID-2", "ID-3", ("RS",))]
    assert [d.text for d in serbia.decisions] == ["About the joint action"]
    assert serbia.proposal.gaps.unanswered_urges[0].label == "GRETA RS R3 §12 (urges)"
    both = scoped_review(full_review(), Scope(countries=frozenset({"RO", "RS"})))
    assert both.version == "Romania, Serbia" and both.stock_take.money == full_review().stock_take.money
    assert [d.text for d in both.decisions] == ["About Romania", "About both", "About the joint action"]


def test_an_organisation_version_holds_the_actions_it_takes_part_in_with_all_their_money() -> None:
    unodc = scoped_review(full_review(), Scope(organisation=UNODC, organisation_name="UNODC"))
    assert unodc.version == "UNODC"
    assert [a.identifier for a in unodc.stock_take.implemented] == ["ID-2"]
    assert unodc.stock_take.implemented[0].countries == {"RO": D("60"), "RS": D("40")}
    assert unodc.stock_take.money == Money(D("1000.00"), D("0.00"), D("333.33"), D("0.00"))
    assert {code: m.budget for code, m in unodc.stock_take.money_by_country.items()} == {
        "RO": D("600.00"), "RS": D("400.00")}
    assert unodc.proposal.overlaps == [] and [d.text for d in unodc.decisions] == ["About the joint action"]
    assert unodc.proposal.gaps.uncovered_cells == [("RO", 1), ("RS", 1)]  # the countries where it works
    nothing = scoped_review(full_review(), Scope())
    assert nothing.stock_take.implemented == [] and nothing.stock_take.money == Money(*[D("0.00")] * 4)
    assert nothing.decisions == [] and nothing.version == "—"


def test_the_frozen_facts_give_back_the_same_review_and_versions() -> None:
    review = full_review()
    back = review_from_record(record_bytes(review))
    assert review_figures(back) == review_figures(review)
    assert back.decisions == review.decisions and back.proposal.gaps == review.proposal.gaps
    assert [(o.first.id, o.second.id, o.similarity) for o in back.proposal.overlaps] == [(2, 3, 0.8)]
    for scope in (Scope(countries=frozenset({"RO"})), Scope(countries=frozenset({"RS"})), Scope(organisation=UNODC)):
        assert review_figures(scoped_review(back, scope)) == review_figures(scoped_review(review, scope))
    assert record_bytes(back) == record_bytes(review)
