"""The matrix's fast path (filters and money sums in SQL, only what the matrix reads) gives exactly the cells of
the full path (every action's complete facts filtered in Python), on a portfolio built to hit the edges: year
boundaries, actual dates overriding planned ones, open and missing dates, an external action without shares,
an action without objective shares, a cancelled action, expenditure (not counted) and money of other years."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from palermo.accounts.roles import Role
from palermo.programme import complementarity as logic
from palermo.programme import portfolio
from palermo.programme.models import Action, ActionCountry, ActionObjective, Transaction
from palermo.reference.models import Objective
from tests.programme.helpers import client_for

pytestmark = pytest.mark.django_db

COMMITMENT, DISBURSEMENT, EXPENDITURE = 2, 3, 4


@pytest.fixture
def edge_portfolio(programme):
    numbers = {o.number: o for o in Objective.objects.all()}

    def make(identifier, *, channel="bilateral", status=2, countries=(), objectives=(), money=(), **dates):
        action = Action.objects.create(programme=programme, iati_identifier=f"FR-3-FAST-{identifier}",
                                       title_en=f"Action {identifier}", description_en="Long description",
                                       channel=channel, status=status, **dates)
        for code, share in countries:
            ActionCountry.objects.create(action=action, country_id=code, percentage=D(share))
        for number, share in objectives:
            ActionObjective.objects.create(action=action, objective=numbers[number], percentage=D(share))
        for kind, on, value in money:
            Transaction.objects.create(action=action, transaction_type=kind, date=on, value=D(value))
        return action

    make("A1", countries=[("AL", 60), ("RS", 40)], objectives=[(2, 50), (3, 50)],
         planned_start=date(2024, 1, 1), planned_end=date(2025, 12, 31),
         money=[(COMMITMENT, date(2024, 3, 1), "100000.00"), (DISBURSEMENT, date(2024, 6, 1), "40000.00"),
                (DISBURSEMENT, date(2025, 2, 1), "30000.00"), (EXPENDITURE, date(2024, 6, 1), "5000.00")])
    make("A2", channel="multilateral", status=3, countries=[("AL", 100)], objectives=[(2, 100)],
         planned_start=date(2023, 1, 1), planned_end=date(2023, 6, 30), actual_end=date(2025, 3, 31),
         money=[(COMMITMENT, date(2024, 2, 1), "50000.00"), (DISBURSEMENT, date(2024, 11, 30), "20000.00"),
                (DISBURSEMENT, date(2025, 5, 1), "30000.00")])
    make("A3", status=5, countries=[("RO", 100)], objectives=[(3, 100)],
         planned_start=date(2024, 1, 1), planned_end=date(2026, 12, 31),
         money=[(COMMITMENT, date(2024, 4, 1), "999.00")])
    external = make("A4", channel="regional", planned_start=date(2024, 1, 1),  # no end, no shares
                    money=[(COMMITMENT, date(2024, 7, 1), "10000.00"), (DISBURSEMENT, date(2024, 8, 1), "3333.33")])
    external.is_external = True
    external.programme = None
    external.save()
    make("A5", status=1, countries=[("RS", 100)], objectives=[(1, 100)],  # no dates at all
         money=[(COMMITMENT, date(2023, 12, 31), "7000.01"), (COMMITMENT, date(2024, 1, 1), "2000.00")])
    make("A6", countries=[("BG", 100)], objectives=[(1, 100)],  # ended before 2024, money dated 2024
         planned_start=date(2021, 1, 1), planned_end=date(2023, 12, 31),
         money=[(COMMITMENT, date(2024, 3, 1), "8888.00")])
    make("A7", countries=[("HR", 100)], objectives=[(2, 100)],  # starts after 2024
         planned_start=date(2025, 1, 1), planned_end=date(2026, 1, 1),
         money=[(COMMITMENT, date(2025, 1, 1), "4444.00")])
    make("A8", countries=[("RS", 100)], objectives=[(4, 100)],  # actual start overrides a later planned one
         planned_start=date(2026, 1, 1), planned_end=date(2027, 1, 1), actual_start=date(2024, 12, 31),
         money=[(COMMITMENT, date(2024, 12, 31), "1234.56")])
    make("A9", channel="regional", countries=[("MD", 100)],  # a country but no objective shares
         planned_start=date(2024, 5, 1), planned_end=date(2024, 5, 31),
         money=[(COMMITMENT, date(2024, 5, 2), "3000.00")])


def cells_of(result: logic.Matrix) -> dict[tuple[str, int, str], tuple[int, D, D, D]]:
    return {(c.country, c.objective, c.channel): (c.actions, c.committed, c.disbursed, c.share) for c in result.cells}


def test_the_fast_matrix_of_2024_has_the_exact_figures(edge_portfolio, django_assert_num_queries) -> None:
    with django_assert_num_queries(4):
        result = portfolio.matrix_for(Action.objects.all(), year=2024)
    assert (result.actions, result.total_committed, result.total_disbursed) == (7, D("167233.56"), D("63333.33"))
    assert cells_of(result) == {
        ("AL", 2, "bilateral"): (1, D("30000.00"), D("12000.00"), D("17.94")),
        ("AL", 3, "bilateral"): (1, D("30000.00"), D("12000.00"), D("17.94")),
        ("RS", 2, "bilateral"): (1, D("20000.00"), D("8000.00"), D("11.96")),
        ("RS", 3, "bilateral"): (1, D("20000.00"), D("8000.00"), D("11.96")),
        ("AL", 2, "multilateral"): (1, D("50000.00"), D("20000.00"), D("29.90")),
        ("RO", 3, "bilateral"): (1, D("999.00"), D("0.00"), D("0.60")),
        ("", logic.UNCLASSIFIED_OBJECTIVE, "regional"): (1, D("10000.00"), D("3333.33"), D("5.98")),
        ("RS", 1, "bilateral"): (1, D("2000.00"), D("0.00"), D("1.20")),
        ("RS", 4, "bilateral"): (1, D("1234.56"), D("0.00"), D("0.74")),
        ("MD", logic.UNCLASSIFIED_OBJECTIVE, "regional"): (1, D("3000.00"), D("0.00"), D("1.79")),
    }


@pytest.mark.parametrize("year", [None, 2023, 2024, 2025, 2030])
@pytest.mark.parametrize("statuses", [None, [2], [2, 3], [1, 5], []])
def test_the_fast_matrix_equals_the_full_path(edge_portfolio, year, statuses) -> None:
    full = logic.matrix(portfolio.facts_for(Action.objects.all()), year=year, statuses=statuses)
    fast = portfolio.matrix_for(Action.objects.all(), year=year, statuses=statuses)
    assert fast == full
    assert fast.actions == len(logic.select(portfolio.facts_for(Action.objects.all()), year=year, statuses=statuses))


@pytest.mark.parametrize("year", [2022, 2023, 2024, 2025, 2026, 2027])
def test_running_in_is_runs_during_in_sql(edge_portfolio, year) -> None:
    facts = portfolio.facts_for(Action.objects.all())
    expected = {f.identifier for f in facts if f.runs_during(year)}
    found = set(portfolio.running_in(Action.objects.all(), year).values_list("iati_identifier", flat=True))
    assert found == expected
    assert "FR-3-FAST-A5" in found  # no dates: runs every year


def test_the_page_download_and_api_serve_the_fast_figures(edge_portfolio, user_factory) -> None:
    client = client_for(user_factory("viewer-fast", Role.VIEWER))
    api = client.get("/api/programme/matrix/?year=2024&status=2&status=3").json()
    assert (api["actions"], api["total_committed_eur"], api["total_disbursed_eur"]) == (
        5, "164234.56", "63333.33")
    unclassified = [c for c in api["cells"] if c["country"] == ""]
    assert unclassified == [{"country": "", "objective": 0, "channel": "regional", "actions": 1,
                             "committed_eur": "10000.00", "disbursed_eur": "3333.33", "share_percent": "6.09"}]
    csv_text = client.get("/programme/complementarity/?year=2024&format=csv").content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert "Serbia,4. Cooperate with institutional partners,bilateral,1,1234.56,0.00,0.74" in lines
    assert lines[-1] == "no country given,no objective given,regional,1,10000.00,3333.33,5.98"  # last, as listed
    page = client.get("/programme/complementarity/?year=2024")
    assert page.status_code == 200
    assert page.context["result"] == portfolio.matrix_for(Action.objects.all(), year=2024)


@pytest.mark.parametrize("year", ["abc", "1999", "2101", "-1", "99999"])
def test_the_api_refuses_a_year_it_cannot_read(edge_portfolio, user_factory, year) -> None:
    client = client_for(user_factory("viewer-year", Role.VIEWER))
    response = client.get(f"/api/programme/matrix/?year={year}")
    assert response.status_code == 400
    assert response.json() == {"year": ["Give a year from 2000 to 2100."]}


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_the_action_list_filters_a_year_as_the_matrix_does(edge_portfolio, user_factory, year) -> None:
    """An action with no dates at all is open: it runs every year, in the list as in the matrix."""
    client = client_for(user_factory("manager-list", Role.PROGRAMME_MANAGER))
    listed = {row["iati_identifier"] for row in
              client.get(f"/api/programme/actions/?year={year}&origin=all&limit=100").json()["results"]}
    running = set(portfolio.running_in(Action.objects.all(), year).values_list("iati_identifier", flat=True))
    expected = {action.iati_identifier for action in Action.objects.all()
                if portfolio.facts_for(Action.objects.filter(pk=action.pk))[0].runs_during(year)}
    assert running == expected
    assert "FR-3-FAST-A5" in expected
    assert {i for i in listed if i.startswith("FR-3-FAST-")} == expected


@pytest.mark.parametrize("year", ["99999", "0", "²"])
def test_a_year_outside_the_portfolio_is_refused_by_the_lists_as_by_the_matrix(edge_portfolio, user_factory,
                                                                               year) -> None:
    client = client_for(user_factory("manager-years", Role.PROGRAMME_MANAGER))
    api = client.get(f"/api/programme/actions/?origin=all&limit=100&year={year}")
    assert (api.status_code, api.json()) == (400, {"year": ["Give a year from 2000 to 2100."]})
    for url in ("/programme/actions/", "/programme/complementarity/", "/programme/complementarity/gaps/"):
        page = client.get(url, {"year": year})
        assert page.status_code == 400, url
        assert "Give a year from 2000 to 2100." in page.content.decode(), url
    assert list(client.get("/programme/actions/", {"year": year}).context["page"]) == []
    assert client.get("/programme/actions/", {"year": year, "format": "csv"})["Content-Type"].startswith("text/html")


def test_the_timeline_refuses_an_unknown_country_and_downloads_keep_a_clean_file_name(
    edge_portfolio, user_factory
) -> None:
    from palermo.web.listing import download

    client = client_for(user_factory("manager-timeline", Role.PROGRAMME_MANAGER))
    assert client.get("/programme/complementarity/timeline/", {"country": 'a\nb"', "format": "csv"}).status_code == 404
    response = client.get("/programme/complementarity/timeline/", {"country": "AL", "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="timeline_AL.csv"'
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user_factory("manager-names", Role.PROGRAMME_MANAGER)
    odd = download(request, name='x"y\r\nz', fmt="csv", headers=("a",), rows=[[1]])
    assert odd["Content-Disposition"] == 'attachment; filename="x_y_z.csv"'
