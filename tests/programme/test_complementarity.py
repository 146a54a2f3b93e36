"""The complementarity logic on a constructed portfolio: exact figures, planted overlaps and gaps."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from palermo.programme import complementarity as logic
from palermo.programme.similarity import cosine, tfidf_vectors

CHILD = "Child-friendly interview rooms and training of police investigators to hear child victims of trafficking"


def facts(pk: int, **kw) -> logic.ActionFacts:
    base = dict(id=pk, identifier=f"A{pk}", title=f"Action {pk}", description="", channel="bilateral", status=2,
                start=date(2024, 1, 1), end=date(2025, 12, 31), countries={"RO": D(100)}, objectives={3: D(100)})
    base.update(kw)
    return logic.ActionFacts(**base)


def portfolio() -> list[logic.ActionFacts]:
    return [
        facts(1, countries={"AL": D(60), "RS": D(40)}, objectives={2: D(50), 3: D(50)},
              money={(2, 2024): D("100000"), (3, 2024): D("40000"), (3, 2025): D("30000")}),
        facts(2, channel="multilateral", countries={"AL": D(100)}, objectives={2: D(100)},
              money={(2, 2025): D("50000"), (3, 2025): D("50000")}),
        facts(3, status=5, money={(2, 2024): D("999")}),  # cancelled
        facts(4, channel="regional", countries={}, objectives={}, money={(2, 2024): D("10000")}, is_external=True),
    ]


def test_matrix_weights_money_by_country_and_objective_shares() -> None:
    result = logic.matrix(portfolio(), statuses=[2])
    assert result.actions == 3
    assert result.total_committed == D("160000")
    assert result.total_disbursed == D("120000")
    al2 = result.cell("AL", 2, "bilateral")
    assert (al2.actions, al2.committed, al2.disbursed, al2.share) == (1, D("30000.00"), D("21000.00"), D("18.75"))
    rs3 = result.cell("RS", 3, "bilateral")
    assert (rs3.committed, rs3.disbursed, rs3.share) == (D("20000.00"), D("14000.00"), D("12.50"))
    al2_multi = result.cell("AL", 2, "multilateral")
    assert (al2_multi.actions, al2_multi.committed, al2_multi.share) == (1, D("50000.00"), D("31.25"))
    unclassified = result.cell("", logic.UNCLASSIFIED_OBJECTIVE, "regional")
    assert (unclassified.committed, unclassified.share) == (D("10000.00"), D("6.25"))
    assert sum(c.committed for c in result.cells) == result.total_committed
    assert result.cell("RO", 3, "bilateral") is None  # the cancelled action is filtered out


def test_matrix_by_year_counts_only_that_years_money_and_running_actions() -> None:
    result = logic.matrix(portfolio(), year=2025, statuses=[2])
    assert result.total_committed == D("50000")
    assert result.total_disbursed == D("80000")
    assert result.cell("AL", 3, "bilateral").disbursed == D("9000.00")  # 30,000 x 60 % x 50 %
    assert logic.matrix(portfolio(), year=2030).actions == 0


def test_planted_overlaps_are_found_and_clean_pairs_are_not() -> None:
    actions = [
        facts(1, title=CHILD, target_groups=frozenset({"minors"})),
        facts(2, title="Setting up " + CHILD, channel="multilateral", countries={"RO": D(50), "MD": D(50)},
              target_groups=frozenset({"minors", "victims"}), start=date(2025, 1, 1), end=date(2027, 1, 1)),
        # same words, but in Serbia: no shared country
        facts(3, title=CHILD, countries={"RS": D(100)}, target_groups=frozenset({"minors"})),
        # same place and words, but it ended before the others began
        facts(4, title=CHILD, target_groups=frozenset({"minors"}), start=date(2019, 1, 1), end=date(2020, 1, 1),
              status=2),
        # same place and time and group, unrelated content
        facts(5, title="Financial investigations into the proceeds of trafficking by prosecutors",
              target_groups=frozenset({"minors"})),
        # same content, but no shared target group nor beneficiary
        facts(6, title=CHILD, target_groups=frozenset({"professionals"})),
        # cancelled duplicate
        facts(7, title=CHILD, target_groups=frozenset({"minors"}), status=5),
    ]
    found = logic.overlaps(actions)
    assert [(o.first.id, o.second.id) for o in found] == [(1, 2)]
    assert found[0].countries == ("RO",) and found[0].objectives == (3,) and found[0].target_groups == ("minors",)
    assert found[0].similarity >= 0.8


def test_a_shared_beneficiary_institution_is_enough_for_an_overlap() -> None:
    actions = [facts(1, title=CHILD, beneficiaries=frozenset({9})),
               facts(2, title=CHILD, beneficiaries=frozenset({9}))]
    assert [(o.first.id, o.second.id, o.beneficiaries) for o in logic.overlaps(actions)] == [(1, 2, (9,))]


def test_gaps_find_uncovered_cells_unanswered_urges_and_groups_minors_first() -> None:
    actions = [
        facts(1, countries={"AL": D(100)}, objectives={1: D(100)}, target_groups=frozenset({"victims"}),
              greta=frozenset({10})),
        facts(2, countries={"RS": D(100)}, objectives={1: D(100)}, target_groups=frozenset({"minors"}), status=1,
              greta=frozenset({11})),  # pipeline: answers a recommendation but covers nothing yet
        facts(3, countries={"RS": D(100)}, objectives={1: D(100)}, status=5, greta=frozenset({12})),  # cancelled
    ]
    recommendations = [
        logic.Recommendation(10, "AL", "urges", "not_implemented", "answered"),
        logic.Recommendation(11, "RS", "urges", "partly", "answered by the pipeline"),
        logic.Recommendation(12, "RS", "urges", "not_implemented", "only a cancelled action"),
        logic.Recommendation(13, "RS", "considers", "not_implemented", "not an urge"),
        logic.Recommendation(14, "AL", "urges", "implemented", "already implemented"),
    ]
    found = logic.gaps(actions, countries=["AL", "RS"], objectives=[1, 2], recommendations=recommendations,
                       year=2025)
    assert found.uncovered_cells == [("AL", 2), ("RS", 1), ("RS", 2)]
    assert [r.id for r in found.unanswered_urges] == [12]
    assert found.uncovered_groups[:3] == [("minors", "AL"), ("minors", "RS"), ("roma_minorities", "AL")]
    assert ("victims", "AL") not in found.uncovered_groups
    assert ("victims", "RS") in found.uncovered_groups


def test_tfidf_cosine_is_one_for_the_same_text_and_zero_for_disjoint_texts() -> None:
    vectors = tfidf_vectors({1: CHILD, 2: CHILD, 3: "Labour inspection of construction sites", 4: "x"})
    assert round(cosine(vectors[1], vectors[2]), 6) == 1.0
    assert cosine(vectors[1], vectors[3]) == 0.0
    assert vectors[4] == {}


def test_overlaps_within_a_year_are_the_full_answer_filtered_to_that_year() -> None:
    """The steering review compares only the actions of year N + 1; its answer must not differ from
    filtering every overlap afterwards (same pairs, same scores)."""
    import random

    from palermo.programme.demo import _planted_overlaps, _random_spec

    rng = random.Random(5)
    specs = [_random_spec(rng, number, ["AL", "BA", "BG", "HR", "GR", "XK", "MD", "ME", "MK", "RO", "RS"])
             for number in range(1, 120)] + _planted_overlaps()
    facts = [logic.ActionFacts(
        id=number, identifier=spec["identifier"], title=spec["topic"], description=spec["topic"],
        channel=spec["channel"], status=2, start=spec["start"], end=spec["end"],
        countries={code: D(100) / len(spec["countries"]) for code in spec["countries"]},
        objectives={n: D(100) / len(spec["objectives"]) for n in spec["objectives"]},
        target_groups=frozenset(spec["groups"]),
    ) for number, spec in enumerate(specs, start=1)]
    everything = logic.overlaps(facts, threshold=0.1)
    assert len(everything) > 3
    sizes = []
    for year in (2016, 2020, 2025, 2026):
        expected = [o for o in everything if o.first.runs_during(year) and o.second.runs_during(year)]
        assert logic.overlaps(facts, threshold=0.1, within_year=year) == expected
        sizes.append(len(expected))
    assert min(sizes[2:]) > 0  # recent years have overlaps
    assert max(sizes) < len(everything)  # and the year really narrows the answer
