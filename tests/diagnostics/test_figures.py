"""Diagnostics figures on a constructed set of cases: exact counts, CTDC shares, trends, flows, releases."""

from __future__ import annotations

import pytest

from palermo.diagnostics import figures
from palermo.diagnostics.disclosure import TOTAL
from palermo.diagnostics.figures import Scope, Snapshot
from palermo.diagnostics.microdata import CTDC_2024_COLUMNS, k_anonymous_microdata, smallest_group
from palermo.diagnostics.releases import ReleaseError, aggregates
from tests.diagnostics.helpers import flat_row, many, write_rows

ROMANIA = Scope(frozenset({"RO"}), exact=True)


@pytest.fixture
def snapshot(tmp_path):
    rows = [
        # CTDC's own example (codebook 2024 §6): FL; SE; other; nothing; FL+SE.
        flat_row(forms=["forced_labour"], sex="male", age_band="9-17", is_minor=True, year_identified=2020),
        flat_row(forms=["sexual_exploitation"], year_identified=2020),
        flat_row(forms=["organ_removal"], sex="unknown", age_band="", is_minor=None),
        flat_row(forms=[], citizenship="MD", transit_countries=["RS"], thb_form="migration_route"),
        flat_row(forms=["forced_labour", "sexual_exploitation"], means_of_control=["DebtBondage", "FalsePromises"],
                 citizenship="MD", transit_countries=["RS", "HU"]),
        # not counted: not a victim, or another country's case
        flat_row(status="not_victim"),
        flat_row(owner_country="RS", country_of_exploitation="RS", citizenship="RS"),
    ]
    path = write_rows(rows, tmp_path / "cases.parquet")
    with Snapshot(path) as snap:
        yield snap


def test_forms_use_the_ctdc_denominator_and_sum_past_one_hundred_percent(snapshot) -> None:
    figure = figures.distribution(snapshot, "forms", ROMANIA)
    shares = {row.category: (row.count, row.share) for row in figure.rows}
    assert figure.denominator == 4  # the person with no form is left out
    assert figure.unknown == 1
    assert shares == {"forced_labour": (2, 0.5), "sexual_exploitation": (2, 0.5), "organ_removal": (1, 0.25)}
    assert sum(share for _count, share in shares.values()) == pytest.approx(1.25)


def test_single_valued_fields_count_unknown_apart(snapshot) -> None:
    sex = figures.distribution(snapshot, "sex", ROMANIA)
    assert [(r.category, r.count, r.share) for r in sex.rows] == [("female", 3, 0.75), ("male", 1, 0.25)]
    assert (sex.denominator, sex.unknown) == (4, 1)
    minors = figures.distribution(snapshot, "minors", ROMANIA)
    assert {r.category: r.count for r in minors.rows} == {"adult": 3, "minor": 1}
    ages = figures.distribution(snapshot, "age_band", ROMANIA)
    assert [r.category for r in ages.rows] == ["9-17", "21-23"]  # CTDC band order, not by size
    means = figures.distribution(snapshot, "means_of_control", ROMANIA)
    assert {r.category: (r.count, r.share) for r in means.rows} == {"DebtBondage": (1, 1.0), "FalsePromises": (1, 1.0)}


def test_trend_gives_the_change_on_the_year_before(snapshot) -> None:
    trend = figures.trend(snapshot, ROMANIA)
    assert [(r.category, r.count, r.change) for r in trend.rows] == [("2020", 2, None), ("2021", 3, 0.5)]


def test_flows_follow_each_transit_country(snapshot) -> None:
    flows = figures.flows(snapshot, ROMANIA)
    links = {(link["stage"], link["source"], link["target"]): link["count"] for link in flows.extra["links"]}
    assert links == {
        ("origin", "MD", "HU"): 1, ("origin", "MD", "RS"): 2, ("origin", "RO", "direct"): 3,
        ("destination", "HU", "RO"): 1, ("destination", "RS", "RO"): 2, ("destination", "direct", "RO"): 3,
    }
    assert flows.denominator == 5


def test_released_scope_rounds_down_and_suppresses(tmp_path) -> None:
    rows = many(57, sex="female") + many(23, sex="male") + many(3, sex="other")
    with Snapshot(write_rows(rows, tmp_path / "c.parquet")) as snap:
        released = figures.distribution(snap, "sex", Scope(None, exact=False, k=10))
        exact = figures.distribution(snap, "sex", Scope(None, exact=True))
    assert {r.category: r.count for r in released.rows} == {"female": 50, "male": None, "other": None}
    assert released.denominator == 80
    assert {r.category: r.count for r in exact.rows} == {"female": 57, "male": 23, "other": 3}
    assert released.rows[0].share == pytest.approx(50 / 80)


def test_cube_counts_distinct_persons_in_the_margins_of_multi_valued_fields(snapshot) -> None:
    cells, categories = figures.cube(snapshot, ["forms", "sex"], ROMANIA)
    assert cells[(TOTAL, TOTAL)] == 5
    assert cells[("forced_labour", TOTAL)] == 2
    assert cells[(TOTAL, "female")] == 3
    assert "unknown" in categories[0]


def test_aggregate_release_csv_has_no_cell_below_k(tmp_path) -> None:
    rows = many(40, year_identified=2020) + many(25, year_identified=2021, sex="male") + many(4, year_identified=2021)
    with Snapshot(write_rows(rows, tmp_path / "c.parquet")) as snap:
        content = aggregates(snap, ["year", "sex"], None, k=10)
        with pytest.raises(ReleaseError, match="unknown dimension"):
            aggregates(snap, ["name"], None, k=10)
    lines = content.data.decode().splitlines()
    assert lines[0] == "year,sex,count"
    counts = [line.rsplit(",", 1)[1] for line in lines[1:]]
    assert all(c == "" or (int(c) >= 10 and int(c) % 10 == 0) for c in counts)
    # 2020 male is 0 and 2021 female is 4: both suppressed, then their complements; the totals stay.
    assert lines[1:] == [
        "2020,female,", "2020,male,", "2020,Total,40",
        "2021,female,", "2021,male,", "2021,Total,20",
        "Total,female,40", "Total,male,20", "Total,Total,60",
    ]
    assert content.cells_suppressed == 4
    assert len(content.sha256) == 64


def test_microdata_is_k_anonymous_in_the_ctdc_2024_layout() -> None:
    rows = many(12, citizenship="MD") + many(3, citizenship="UA") + many(1, citizenship="AL", sex="male")
    rows += [flat_row(country_of_exploitation="XK", means_of_control=["TakesEarnings", "DebtBondage"],
                      recruiter_relation="Familial") for _ in range(10)]
    records, stats = k_anonymous_microdata(rows, 5, {"MD": "MDA", "UA": "UKR", "AL": "ALB", "RO": "ROU"},
                                           {"sexual_exploitation": "isSexualExploit"})
    assert list(records[0]) == list(CTDC_2024_COLUMNS)
    assert len(CTDC_2024_COLUMNS) == 27
    assert smallest_group(records) >= 5
    assert stats == {"input": 26, "generalised": 4, "dropped": 4}  # 3 UA + 1 AL stay rarer than 5
    kosovo = [r for r in records if r["CountryOfExploitation"] == "SRB"]
    assert len(kosovo) == 10  # Kosovo goes out as Serbia (CTDC convention)
    assert all(r["meansDebtBondageEarnings"] == "1" and r["recruiterRelationFamily"] == "1" for r in kosovo)
    assert all(r["isSexualExploit"] == "1" for r in records)


def test_a_release_file_escapes_a_category_a_spreadsheet_would_run(tmp_path) -> None:
    rows = many(12, recruiter_relation="=HYPERLINK(\"http://x\")") + many(12, recruiter_relation="-Familial")
    with Snapshot(write_rows(rows, tmp_path / "c.parquet")) as snap:
        content = aggregates(snap, ["recruiter_relation"], None, k=10)
    assert content.data.decode().splitlines() == [
        "recruiter_relation,count", "'-Familial,10", "\"'=HYPERLINK(\"\"http://x\"\")\",10", "Total,20"]


def test_the_form_of_exploitation_is_a_quasi_identifier_of_microdata() -> None:
    """Someone who knows the person knows what they were exploited for: a record alone with its form is dropped,
    never released with the flag blanked (an empty flag means "no")."""
    rows = many(6, citizenship="MD") + many(1, citizenship="MD", forms=["forced_labour"])
    forms = {"sexual_exploitation": "isSexualExploit", "forced_labour": "isForcedLabour"}
    records, stats = k_anonymous_microdata(rows, 5, {"MD": "MDA", "RO": "ROU"}, forms)
    assert stats == {"input": 7, "generalised": 1, "dropped": 1}
    assert [(r["isSexualExploit"], r["isForcedLabour"]) for r in records] == [("1", "")] * 6
