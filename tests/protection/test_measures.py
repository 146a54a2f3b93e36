"""The dashboard's pure computation, with exact values: percentiles, days, the guardian rule, the four tables."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from palermo.diagnostics.disclosure import TOTAL
from palermo.protection import measures
from palermo.protection.measures import Options, ReferralRecord, SupportRecord

BUCHAREST = "Europe/Bucharest"
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
START = datetime(2025, 3, 3, 9, tzinfo=UTC)


def record(country: str = "RO", *, referred: int | None = None, identified: int | None = None,
           **fields: object) -> ReferralRecord:
    """A referral opened at START, referred and identified that many days later."""
    return ReferralRecord(
        country=country, time_zone=BUCHAREST, first_contact=fields.pop("first_contact", START),  # type: ignore[arg-type]
        referred=START + timedelta(days=referred) if referred is not None else None,
        identified=START + timedelta(days=identified) if identified is not None else None,
        **fields)  # type: ignore[arg-type]


def options(*countries: str, exact: bool = True, k: int = 3, year: int | None = None,
            support_types: tuple[str, ...] = ()) -> Options:
    return Options(countries=countries or ("RO",), exact=exact, k=k, now=NOW, year=year, support_types=support_types)


@pytest.mark.parametrize(("values", "q", "expected"), [
    ([1, 2, 3, 4], 50, 2.5),
    ([1, 2, 3, 4], 90, 3.7),
    ([4, 1, 3, 2], 90, 3.7),  # unsorted input
    ([5], 50, 5),
    ([5], 90, 5),
    ([0, 10], 90, 9.0),
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5.5),
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9.1),
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90, 10.0),
    ([3, 3, 3], 0, 3),
    ([1, 2, 9], 100, 9),
])
def test_percentiles_interpolate_between_the_closest_ranks(values: list[int], q: float, expected: float) -> None:
    assert measures.percentile(values, q) == pytest.approx(expected)


def test_a_percentile_of_nothing_or_outside_0_100_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        measures.percentile([], 50)
    with pytest.raises(ValueError, match="between 0 and 100"):
        measures.percentile([1], 101)


def test_a_summary_under_k_durations_shows_no_median() -> None:
    assert measures.summarise([1, 2], 3) == measures.Summary(2, None, None)
    assert measures.summarise([], 1) == measures.Summary(0, None, None)
    assert measures.summarise([1, 2, 3, 10], 3) == measures.Summary(4, 2.5, 7.9)
    assert measures.summarise([1, 2, 3], 3) == measures.Summary(3, 2.0, 2.8)


def test_days_are_counted_in_the_country_calendar() -> None:
    # 00:30 and 23:00 on 2 January in Bucharest: the same local day, although UTC dates differ
    assert measures.days_between(datetime(2025, 1, 1, 22, 30, tzinfo=UTC), datetime(2025, 1, 2, 21, tzinfo=UTC),
                                 BUCHAREST) == 0
    # across the spring clock change: 23:30 on 28 March (EET) to 01:30 on 30 March (EEST)
    assert measures.days_between(datetime(2026, 3, 28, 21, 30, tzinfo=UTC), datetime(2026, 3, 29, 22, 30, tzinfo=UTC),
                                 BUCHAREST) == 2


def test_first_contact_is_the_earliest_moment_or_the_start_of_the_day_in_the_country() -> None:
    moments = (START, None, START - timedelta(hours=1))
    assert measures.first_contact(BUCHAREST, moments) == START - timedelta(hours=1)
    assert measures.first_contact(BUCHAREST, moments, date(2025, 3, 3)).isoformat() == "2025-03-03T00:00:00+02:00"
    assert measures.first_contact(BUCHAREST, (), date(2025, 7, 1)).isoformat() == "2025-07-01T00:00:00+03:00"
    assert measures.first_contact(BUCHAREST, moments, date(2025, 3, 4)) == START - timedelta(hours=1)
    with pytest.raises(ValueError, match="at least one moment or day"):
        measures.first_contact(BUCHAREST, (None,))


def test_the_year_of_a_record_is_that_of_first_contact_in_the_country() -> None:
    assert record(first_contact=datetime(2024, 12, 31, 22, 30, tzinfo=UTC)).year == 2025
    assert record(first_contact=datetime(2024, 12, 31, 21, 30, tzinfo=UTC)).year == 2024


DUE = datetime(2026, 3, 30, 21, tzinfo=UTC)


@pytest.mark.parametrize(("minor", "due", "appointed", "now", "expected"), [
    (False, DUE, None, NOW, None),
    (None, DUE, None, NOW, None),
    (True, None, None, NOW, "no_deadline"),
    (True, None, DUE, NOW, "no_deadline"),
    (True, DUE, DUE, NOW, "on_time"),  # the deadline's own moment is within it
    (True, DUE, DUE - timedelta(days=2), NOW, "on_time"),
    (True, DUE, DUE + timedelta(seconds=1), NOW, "late"),
    (True, DUE, None, DUE, "overdue"),  # at the deadline, as the worklist says
    (True, DUE, None, DUE - timedelta(seconds=1), "pending"),
])
def test_the_guardian_rule(minor: bool | None, due: datetime | None, appointed: datetime | None, now: datetime,
                           expected: str | None) -> None:
    assert measures.guardian_status(minor, due, appointed, now) == expected


def test_the_share_within_the_deadline() -> None:
    assert measures.share_on_time({"on_time": 3, "late": 1, "overdue": 0, "pending": 7}) == 0.75
    assert measures.share_on_time({"on_time": 0, "late": 1, "overdue": 1}) == 0.0
    assert measures.share_on_time({"on_time": 0, "late": 0, "overdue": 0, "pending": 2}) is None
    assert measures.share_on_time({"on_time": 10, "late": None, "overdue": 10}) is None


def test_bands_and_sexes_outside_the_lists_are_unknown() -> None:
    assert [measures.band(b) for b in ("9-17", "48+", "", "17-19")] == ["9-17", "48+", "unknown", "unknown"]
    assert [measures.sex(s) for s in ("female", "male", "other", "", "x")] == [
        "female", "male", "other", "unknown", "unknown"]
    assert measures.AGE_BANDS == ("0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+",
                                  "unknown")


def test_durations_exact_per_country_and_in_total() -> None:
    records = [record("RO", referred=d, identified=i) for d, i in ((1, 10), (2, 20), (3, None), (10, None))]
    records += [record("RS", referred=5), record("RS")]
    rows = measures.durations(records, options("RO", "RS"))
    assert rows == [
        {"country": "RO", "referred": 4, "referral_median": 2.5, "referral_p90": 7.9, "identified": 2,
         "identification_median": None, "identification_p90": None},
        {"country": "RS", "referred": 1, "referral_median": None, "referral_p90": None, "identified": 0,
         "identification_median": None, "identification_p90": None},
        {"country": TOTAL, "referred": 5, "referral_median": 3.0, "referral_p90": 8.0, "identified": 2,
         "identification_median": None, "identification_p90": None},
    ]


def test_durations_released_hide_a_median_beside_a_suppressed_count() -> None:
    # RO 25 durations, RS 4: RS is below k, so RO is suppressed with it (complementary suppression); RO's
    # median is hidden although 25 >= k, the total's (29 durations) is shown.
    records = [record("RO", referred=day % 5) for day in range(25)] + [record("RS", referred=9) for _ in range(4)]
    rows = measures.durations(records, options("RO", "RS", exact=False, k=10))
    assert [(r["country"], r["referred"], r["referral_median"], r["referral_p90"]) for r in rows] == [
        ("RO", None, None, None), ("RS", None, None, None), (TOTAL, 20, 2.0, 9.0)]
    assert [r["identified"] for r in rows] == [None, None, None]


def test_the_year_filter_selects_first_contacts_of_that_year() -> None:
    records = [record("RO", referred=1), record("RO", referred=2, first_contact=datetime(2024, 5, 1, tzinfo=UTC))]
    assert measures.durations(records, options("RO", year=2024, k=1))[0]["referred"] == 1
    # 1 May 2024 to 5 March 2025
    assert measures.durations(records, options("RO", year=2024, k=1))[0]["referral_median"] == 308.0
    assert measures.durations(records, options("RO", k=1))[0]["referred"] == 2


def test_guardians_exact() -> None:
    due = START + timedelta(days=3)
    records = [
        record(minor=True, guardian_due=due, guardian_appointed=due - timedelta(days=1)),
        record(minor=True, guardian_due=due, guardian_appointed=due),
        record(minor=True, guardian_due=due, guardian_appointed=due + timedelta(days=1)),
        record(minor=True, guardian_due=due),  # deadline passed long before NOW
        record(minor=True, guardian_due=NOW + timedelta(days=1)),
        record(minor=True),
        record(minor=False),
        record(minor=None),
        record("RS", minor=True, guardian_due=due, guardian_appointed=due),
    ]
    rows = measures.guardians(records, options("RO", "RS"))
    assert rows == [
        {"country": "RO", "on_time": 2, "late": 1, "overdue": 1, "pending": 1, "no_deadline": 1, "minors": 6,
         "share_on_time": 0.5},
        {"country": "RS", "on_time": 1, "late": 0, "overdue": 0, "pending": 0, "no_deadline": 0, "minors": 1,
         "share_on_time": 1.0},
        {"country": TOTAL, "on_time": 3, "late": 1, "overdue": 1, "pending": 1, "no_deadline": 1, "minors": 7,
         "share_on_time": 0.6},
    ]


def test_guardians_released() -> None:
    due = START + timedelta(days=3)
    records = ([record(minor=True, guardian_due=due, guardian_appointed=due) for _ in range(23)]
               + [record(minor=True, guardian_due=due) for _ in range(12)]
               + [record(minor=True, guardian_due=due, guardian_appointed=NOW) for _ in range(3)])
    rows = measures.guardians(records, options("RO", exact=False, k=10))
    # late (3) and the empty outcomes are suppressed; the RO row equals the total row, both released
    assert rows[0] == {"country": "RO", "on_time": 20, "late": None, "overdue": 10, "pending": None,
                       "no_deadline": None, "minors": 30, "share_on_time": None}
    assert rows[1] == {**rows[0], "country": TOTAL}


def test_assistance_counts_persons_once_per_type_and_once_per_margin() -> None:
    supports = [
        SupportRecord("RO", "1", "Health", 2025), SupportRecord("RO", "1", "Health", 2025),
        SupportRecord("RO", "1", "Legal", 2025), SupportRecord("RO", "2", "Legal", 2025),
        SupportRecord("RS", "1", "Legal", 2025),  # another person: keys are per country
        SupportRecord("RS", "3", "Health", 2024), SupportRecord("BG", "9", "Health", 2025),
    ]
    rows = measures.assistance(supports, options("RO", "RS", k=1, support_types=("Health", "Legal", "Education")))
    assert [(r["support_type"], r["country"], r["persons"]) for r in rows] == [
        ("Health", "RO", 1), ("Health", "RS", 1), ("Health", TOTAL, 2),
        ("Legal", "RO", 2), ("Legal", "RS", 1), ("Legal", TOTAL, 3),
        ("Education", "RO", 0), ("Education", "RS", 0), ("Education", TOTAL, 0),
        (TOTAL, "RO", 2), (TOTAL, "RS", 2), (TOTAL, TOTAL, 4),
    ]
    in_2025 = measures.assistance(supports, options("RO", "RS", k=1, year=2025, support_types=("Health",)))
    assert [(r["support_type"], r["country"], r["persons"]) for r in in_2025] == [
        ("Health", "RO", 1), ("Health", "RS", 0), ("Health", TOTAL, 1),
        (TOTAL, "RO", 2), (TOTAL, "RS", 1), (TOTAL, TOTAL, 3)]


def test_assistance_without_a_type_list_shows_the_types_recorded() -> None:
    rows = measures.assistance([SupportRecord("RO", "1", "Legal", 2025)], options("RO", k=1))
    assert [(r["support_type"], r["country"], r["persons"]) for r in rows] == [
        ("Legal", "RO", 1), ("Legal", TOTAL, 1), (TOTAL, "RO", 1), (TOTAL, TOTAL, 1)]


def test_referrals_by_country_sex_and_age_band_exact() -> None:
    records = ([record("RO", sex="female", age_band="9-17")] * 3 + [record("RO", sex="male", age_band="")]
               + [record("RS", sex="", age_band="30-38")])
    rows = measures.referrals(records, options("RO", "RS"))
    table = {(r["country"], r["sex"], r["age_band"]): r["referrals"] for r in rows}
    assert len(table) == 3 * 5 * 11
    assert table[("RO", "female", "9-17")] == 3
    assert table[("RO", "male", "unknown")] == 1
    assert table[("RS", "unknown", "30-38")] == 1
    assert table[("RO", TOTAL, TOTAL)] == 4
    assert table[(TOTAL, "female", TOTAL)] == 3
    assert table[(TOTAL, TOTAL, "9-17")] == 3
    assert table[(TOTAL, TOTAL, TOTAL)] == 5
    assert table[("RS", "female", "9-17")] == 0


def test_referrals_released_are_protected_as_one_table() -> None:
    records = [record("RO", sex="female", age_band="18-20")] * 34 + [record("RO", sex="male", age_band="18-20")] * 3
    rows = measures.referrals(records, options("RO", exact=False, k=10))
    table = {(r["country"], r["sex"], r["age_band"]): r["referrals"] for r in rows}
    assert table[("RO", "female", "18-20")] is None  # suppressed beside the 3 men (complementary)
    assert table[("RO", "male", "18-20")] is None
    # the empty bands are proven 0 by the released margin, so the one band holding people is suppressed too
    # (the complementary rule): only the totals (37, rounded down) are released
    assert {key: value for key, value in table.items() if value is not None} == {
        ("RO", TOTAL, TOTAL): 30, (TOTAL, TOTAL, TOTAL): 30}


def test_the_dashboard_holds_the_four_tables() -> None:
    result = measures.dashboard([record(referred=1)], [], options(k=1))
    assert list(result.sections) == list(measures.SECTIONS)
    assert measures.as_rows(result.sections["durations"])[-1]["country"] == "total"
