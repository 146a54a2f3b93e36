"""The risk ranking and campaign coverage (plain logic, no database)."""

from __future__ import annotations

from datetime import date

from palermo.awareness import measures, risk
from palermo.awareness.risk import CampaignFacts, CaseFacts, Profile


def cases(country: str, sex: str, band: str, form: str, *, recent: int, previous: int) -> list[CaseFacts]:
    """``recent`` victims in 2023-2024, ``previous`` in 2021-2022 (alternating years)."""
    made = [CaseFacts(country, 2023 + i % 2, sex=sex, age_band=band, form=(form,)) for i in range(recent)]
    made += [CaseFacts(country, 2021 + i % 2, sex=sex, age_band=band, form=(form,)) for i in range(previous)]
    return made


CONSTRUCTED = [
    *cases("RO", "female", "0-17", "sexual_exploitation", recent=20, previous=4),  # the planted rising profile
    *cases("RO", "female", "25-39", "sexual_exploitation", recent=25, previous=30),  # more recent victims, falling
    *cases("RO", "male", "25-39", "forced_labour", recent=15, previous=15),
    *cases("RO", "male", "18-24", "begging", recent=6, previous=1),  # below k
    *cases("RO", "female", "18-24", "forced_labour", recent=3, previous=9),  # below k
    *cases("RO", "male", "40+", "forced_labour", recent=0, previous=12),  # below k: none recently
    *cases("RS", "female", "0-17", "sexual_exploitation", recent=40, previous=0),  # another country
    CaseFacts("RO", 2019, sex="female", age_band="0-17", form=("sexual_exploitation",)),  # outside both windows
]


def profile(country: str, sex: str, band: str, form: str) -> Profile:
    return Profile(country, (("sex", sex), ("age_band", band), ("form", form)))


RISING = profile("RO", "female", "0-17", "sexual_exploitation")


def test_the_planted_rising_profile_comes_first_and_profiles_below_k_are_marked_uncertain() -> None:
    ranking = risk.rank(CONSTRUCTED, year=2024, window=2, k=10)
    ro = ranking["RO"]
    assert [(line.rank, line.profile.values, line.recent, line.previous, line.too_few(10)) for line in ro] == [
        (1, RISING.values, 20, 4, False),
        (2, (("sex", "female"), ("age_band", "25-39"), ("form", "sexual_exploitation")), 25, 30, False),
        (3, (("sex", "male"), ("age_band", "25-39"), ("form", "forced_labour")), 15, 15, False),
        (4, (("sex", "male"), ("age_band", "18-24"), ("form", "begging")), 6, 1, True),
        (5, (("sex", "female"), ("age_band", "18-24"), ("form", "forced_labour")), 3, 9, True),
        (6, (("sex", "male"), ("age_band", "40+"), ("form", "forced_labour")), 0, 12, True),
    ]
    assert [line.score for line in ro] == [36, 25, 15, 11, 3, 0]
    assert [line.trend for line in ro[:3]] == [risk.RISING, risk.UNCLEAR, risk.UNCLEAR]
    assert ro[0].interval == (12.2, 30.9)  # the exact Poisson interval of 20 is 12.22-30.89
    assert [line.profile.country for line in ranking["RS"]] == ["RS"]


def test_a_falling_trend_and_the_intervals_of_small_counts() -> None:
    assert risk.trend(2, 20) == risk.FALLING
    assert risk.trend(5, 5) == risk.UNCLEAR
    assert risk.trend(0, 0) == risk.UNCLEAR
    assert risk.poisson_interval(0) == (0.0, 3.7)
    assert risk.poisson_interval(3) == (0.6, 8.8)


def test_multi_valued_dimensions_and_unknown_values() -> None:
    case = CaseFacts("RO", 2024, sex="female", recruitment=("AtWork", "ThroughOnlineSocialNetworks"))
    assert [p.key for p in risk.profiles_of(case, ["recruitment", "sex", "thb_form"])] == [
        "RO|sex=female|recruitment=AtWork|thb_form=unknown",
        "RO|sex=female|recruitment=ThroughOnlineSocialNetworks|thb_form=unknown",
    ]
    assert risk.age_band(17) == "0-17" and risk.age_band(24) == "18-24" and risk.age_band(40) == "40+"
    assert risk.age_band(None, "24-26") == "25-39" and risk.age_band(None, "") == risk.UNKNOWN


def campaign(pk: int, countries: set[str], start: date, end: date, **targets: set[str]) -> CampaignFacts:
    return CampaignFacts(pk, frozenset(countries), start, end, {k: frozenset(v) for k, v in targets.items()})


def test_coverage_needs_the_country_the_period_and_the_aims() -> None:
    period = (date(2023, 1, 1), date(2024, 12, 31))
    in_ro = campaign(1, {"RO"}, date(2024, 3, 1), date(2024, 6, 30), sex={"female"}, age_band={"0-17"})
    in_rs = campaign(2, {"RS"}, date(2024, 3, 1), date(2024, 6, 30), sex={"female"}, age_band={"0-17"})
    later = campaign(3, {"RO"}, date(2025, 3, 1), date(2025, 6, 30), sex={"female"}, age_band={"0-17"})
    boys = campaign(4, {"RO"}, date(2024, 3, 1), date(2024, 6, 30), sex={"male"})
    anyone = campaign(5, {"RO", "RS"}, date(2022, 6, 1), date(2023, 1, 1))
    assert risk.covers(in_ro, RISING, *period)
    assert not risk.covers(in_rs, RISING, *period)  # the same profile in another country
    assert not risk.covers(later, RISING, *period)  # outside the period
    assert not risk.covers(boys, RISING, *period)
    assert risk.covers(anyone, RISING, *period)  # no aims: anyone in its countries; touches the period's first day
    assert risk.covers(in_rs, profile("RS", "female", "0-17", "sexual_exploitation"), *period)


def test_the_gap_list_holds_the_high_risk_profiles_no_campaign_covers() -> None:
    ranking = risk.rank(CONSTRUCTED, year=2024, window=2, k=10)
    in_ro = campaign(1, {"RO"}, date(2024, 3, 1), date(2024, 6, 30), sex={"female"}, age_band={"0-17"})
    in_rs = campaign(2, {"RS"}, date(2024, 3, 1), date(2024, 6, 30), sex={"female"}, age_band={"0-17"})
    risk.attach_campaigns(ranking, [in_ro, in_rs], date(2023, 1, 1), date(2024, 12, 31))
    assert [line.campaigns for line in ranking["RO"]] == [[1], [], [], [], [], []]
    assert [(g.profile.country, g.rank) for g in risk.gaps(ranking, k=10)] == [("RO", 2), ("RO", 3)]


def test_the_knowledge_gain_has_an_interval_only_with_enough_answers() -> None:
    gain = measures.survey_gain(100, 40, 100, 65)
    assert gain is not None and round(gain.gain, 2) == 0.25
    assert (round(gain.low or 0, 3), round(gain.high or 0, 3)) == (0.112, 0.375)  # Newcombe (1998), method 10
    few = measures.survey_gain(20, 5, 25, 20)
    assert few is not None and not few.enough and round(few.gain, 2) == 0.55
    assert measures.survey_gain(None, None, 50, 30) is None
