"""The counting rules on UNODC's definitions, on plain records (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from palermo.justice import counting
from palermo.justice.counting import DecisionFacts, Official, ProceedingFacts, VictimFacts


def convicted(day: date, instance: str = counting.FIRST_INSTANCE, thb: bool = True, months: int | None = 48,
              suspended: bool = False) -> DecisionFacts:
    return DecisionFacts(instance, day, counting.CONVICTED, thb, months, suspended)


def acquitted(day: date, instance: str = counting.FIRST_INSTANCE) -> DecisionFacts:
    return DecisionFacts(instance, day, counting.ACQUITTED)


PROCEEDINGS = [
    # A: prosecuted 2020 in two proceedings (two victims, two files): once in 2020; convicted 2021 at first
    # instance, confirmed on appeal 2022: once, in 2021.
    ProceedingFacts("A", "RO", date(2019, 5, 1), date(2020, 2, 1), decisions=(
        convicted(date(2021, 3, 1)), convicted(date(2022, 6, 1), counting.APPEAL)), sex="male"),
    ProceedingFacts("A", "RO", date(2019, 9, 1), date(2020, 11, 1), decisions=(convicted(date(2021, 9, 1)),),
                    sex="male"),
    # B: prosecuted 2020, acquitted 2021, convicted on appeal 2022: convicted in 2022.
    ProceedingFacts("B", "RO", date(2020, 1, 10), date(2020, 6, 1), decisions=(
        acquitted(date(2021, 4, 1)), convicted(date(2022, 2, 1), counting.APPEAL)), sex="female"),
    # C: prosecuted 2021, convicted 2021, quashed on appeal 2022: still convicted in 2021 (UN-CTS).
    ProceedingFacts("C", "RO", date(2021, 1, 5), date(2021, 2, 1), decisions=(
        convicted(date(2021, 12, 1)), acquitted(date(2022, 5, 1), counting.APPEAL))),
    # D: charged with related offences only: never counted.
    ProceedingFacts("D", "RO", date(2020, 1, 1), date(2020, 3, 1), thb_charged=False,
                    decisions=(convicted(date(2021, 1, 1), thb=False),)),
    # E: a company: never counted.
    ProceedingFacts("E", "RO", date(2020, 1, 1), date(2020, 3, 1), legal_person=True,
                    decisions=(convicted(date(2021, 1, 1)),)),
    # F: charged with THB, convicted of a related offence only: prosecuted, not convicted.
    ProceedingFacts("F", "RS", date(2020, 1, 1), date(2020, 3, 1), decisions=(convicted(date(2021, 1, 1), thb=False),)),
    # G: investigation only, never charged.
    ProceedingFacts("G", "RS", date(2021, 1, 1)),
]


def test_persons_prosecuted_once_per_person_per_country_and_year() -> None:
    assert counting.persons_prosecuted(PROCEEDINGS) == {("RO", 2020): 2, ("RO", 2021): 1, ("RS", 2020): 1}


def test_persons_convicted_at_the_first_finding_of_guilt_appeals_never_double_count() -> None:
    assert counting.persons_convicted(PROCEEDINGS) == {("RO", 2021): 2, ("RO", 2022): 1}
    assert counting.persons_convicted(PROCEEDINGS, countries=["RS"]) == {}


def test_a_person_convicted_in_two_years_counts_in_each() -> None:
    again = ProceedingFacts("A", "RO", date(2022, 1, 1), date(2022, 2, 1), decisions=(convicted(date(2022, 10, 1)),))
    assert counting.persons_convicted([*PROCEEDINGS, again]) == {("RO", 2021): 2, ("RO", 2022): 2}


def test_the_exclusions_say_what_unodc_leaves_out() -> None:
    out = counting.exclusions(PROCEEDINGS)
    assert out.legal_persons == {("RO", 2020): 1}
    assert out.related_only == {("RO", 2020): 1}
    assert out.convicted_related_only == {("RO", 2021): 1, ("RS", 2021): 1}


def test_comparison_with_the_official_figures_explains_the_difference() -> None:
    ours = {("RO", 2020): 2, ("RO", 2021): 3, ("RS", 2020): 1, ("RS", 2021): 4}
    official = {("RO", 2020): Official(10), ("RO", 2021): Official(3), ("RS", 2020): Official(None, True)}
    rows = counting.compare(ours, official, [("RO", 2020), ("RO", 2021), ("RS", 2020), ("RS", 2021), ("RO", 2022)],
                            {"legal_persons": {("RO", 2020): 1}})
    assert [(r.country, r.year, r.ours, r.difference, r.reasons) for r in rows] == [
        ("RO", 2020, 2, -8, ("coverage", "legal_persons")), ("RO", 2021, 3, 0, ("equal",)),
        ("RS", 2020, 1, None, ("within_suppressed",)), ("RS", 2021, 4, None, ("no_official",)),
        ("RO", 2022, 0, None, ("no_official",))]
    assert counting.shown(3, exact=False) == "<5" and counting.shown(3, exact=True) == 3
    assert counting.shown(0, exact=False) == 0 and counting.shown(5, exact=False) == 5


def test_time_to_first_verdict_median_and_p90_withheld_under_k() -> None:
    proceedings = [ProceedingFacts(str(i), "RO", date(2020, 1, 1), decisions=(acquitted(date(2020, 1, 1 + i)),))
                   for i in range(10)]
    summary = counting.durations(proceedings, k=10)
    assert summary["RO"] == counting.Summary(10, 4.5, 8.1)
    assert counting.durations(proceedings[:9], k=10)["RO"] == counting.Summary(9, None, None)
    # pending decisions are no verdict
    pending = ProceedingFacts("x", "RO", date(2020, 1, 1),
                              decisions=(DecisionFacts(counting.FIRST_INSTANCE, date(2020, 2, 1), counting.PENDING),))
    assert counting.days_to_first_verdict(pending) is None


def test_sentences_by_band_of_the_conviction_that_stands() -> None:
    counts = counting.sentences(PROCEEDINGS)
    # A: two proceedings, 48 months each (appeal stands): once, 36-59; B: appeal conviction 48 months; C: quashed.
    assert counts == {("RO", "36_59"): 2}
    assert counting.sentence_band(6, True) == "suspended" and counting.sentence_band(None, False) == "no_prison"
    assert counting.sentence_band(120, False) == "120_plus" and counting.sentence_band(11, False) == "under_12"


def test_victims_participation_counts_each_victim_once_per_measure() -> None:
    victims = [VictimFacts("RO", "v1", testified=True, compensation_ordered=Decimal(1000)),
               VictimFacts("RO", "v1", testified=True, protected_witness=True),
               VictimFacts("RO", "v2", compensation_ordered=Decimal(500), compensation_paid=Decimal(200))]
    assert counting.participation(victims) == {
        ("RO", "victims"): 2, ("RO", "testified"): 1, ("RO", "protected_witness"): 1,
        ("RO", "compensation_ordered"): 2, ("RO", "compensation_paid"): 1}
    assert counting.compensation_amounts(victims) == {"RO": (Decimal(1500), Decimal(200))}


def test_by_sex_and_age_over_a_period() -> None:
    dated = [ProceedingFacts("Y", "RO", date(2020, 1, 1), date(2020, 2, 1), sex="female", birth_year=2000,
                             decisions=(convicted(date(2021, 5, 1)),)),
             ProceedingFacts("Y", "RO", date(2020, 3, 1), date(2020, 4, 1), sex="female", birth_year=2000,
                             decisions=(convicted(date(2021, 8, 1)),))]
    assert counting.persons_in_period([*PROCEEDINGS, *dated], date(2021, 1, 1), date(2022, 12, 31), ["RO"],
                                      convicted=True) == {"total": 4, "male": 1, "female": 2, "unknown": 1,
                                                          "18-24": 1}
    assert counting.persons_in_period(PROCEEDINGS, date(2020, 1, 1), date(2020, 12, 31), ["RO", "RS"],
                                      convicted=False) == {"total": 3, "male": 1, "female": 1, "unknown": 1}
    assert counting.age_band(1990, 2007) == "0-17" and counting.age_band(None, 2020) is None
