"""Query-count pins (exact): each list of the diagnostics app costs the same number of queries for 3 rows as for
60, so that an N+1 (a query per row) fails here. A change in a count is a change to explain."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.diagnostics.models import OfficialStatistic, Release, StatisticsImport
from palermo.reference.models import Country
from tests.conftest import verified_login
from tests.diagnostics.helpers import many, write_rows

FEW, MANY = 3, 60


@pytest.fixture(params=[FEW, MANY], ids=["few", "many"])
def world(request: Any, settings: Any, tmp_path: Any, user_factory: Any) -> dict[str, Any]:
    count = request.param
    settings.DIAGNOSTICS_SNAPSHOT = str(tmp_path / "cases.parquet")
    write_rows(many(count) + many(count, owner_country="RS", citizenship="RS"), tmp_path / "cases.parquet")
    manager = user_factory("manager", Role.PROGRAMME_MANAGER, is_staff=True)
    analyst = user_factory("analyst-ro", Role.ANALYST, ("RO",))
    # the analyst's own releases, and as many by other people (one author each), all listed for the manager
    makers = [analyst] * count + [user_factory(f"analyst-{n}", Role.ANALYST, ("RO",)) for n in range(count)]
    Release.objects.bulk_create(
        Release(kind=Release.Kind.AGGREGATES, created_by=maker, countries=["RO"], parameters={"dims": ["sex"]},
                file_name=f"release-{n}.csv", sha256="0" * 64) for n, maker in enumerate(makers))
    batch = StatisticsImport.objects.create(source="test", file_name="glotip.xlsx", sha256="0" * 64)
    OfficialStatistic.objects.bulk_create(
        OfficialStatistic(country=Country.objects.get(pk=code), year=1950 + n, indicator="detected_victims",
                          value=n + 5, source="test", source_row=n, batch=batch)
        for n in range(count) for code in ("RO", "RS"))
    return {"count": count, "manager": manager, "analyst": analyst}


def signed_in(user: User) -> Client:
    client = Client()
    verified_login(client, user)
    return client


# Every signed-in request reads the session and the user, for a manager the second factor it passed, and for a
# country-scoped user its countries. Then what each list shows.
@pytest.mark.parametrize(("who", "url", "queries"), [
    # + countries of the form's select, count, the page with its authors joined, the user's releases being made
    ("manager", "/diagnostics/releases/", 7),
    ("analyst", "/diagnostics/releases/", 7),
    # + whether anything is imported, programme countries, the countries that report, who reports the citizens of
    # the others (their names are one more query when some do), the values of the table, the countries of the filter
    ("manager", "/diagnostics/official-statistics/", 9),
    # the same, but one country's four breakdowns instead of the table of every country
    ("manager", "/diagnostics/official-statistics/?country=RO", 13),
    # + count, page
    ("manager", "/api/official-statistics/", 5),
    # + the country checked
    ("manager", "/api/official-statistics/?country=ro&indicator=detected_victims&sex=total", 6),
    # the figures come from the snapshot file, not the database
    ("analyst", "/api/diagnostics/", 3),
    # + labels (countries, forms, forms of THB), official figures, the programme countries of the filter, a refresh
    # of the snapshot under way (whether the reader may follow it is asked only when there is one), the names of
    # the countries of the scope, the latest unique-victim count (linkage)
    ("analyst", "/diagnostics/", 11),
])
def test_a_list_costs_the_same_queries_whatever_its_length(world, django_assert_num_queries, who, url,
                                                           queries) -> None:
    client = signed_in(world[who])
    assert client.get(url).status_code == 200  # warm the caches a first request fills (content types, ...)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
