"""Query-count pins (exact): each list of the cases app costs the same number of queries for 3 rows as for 60,
so that an N+1 (a query per row) fails here. A change in a count is a change to explain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from palermo.accounts.access import SYSTEM
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.cases.models import ImportJob
from palermo.cases.samples import HTCDS_COLUMNS
from palermo.cases.services import import_rows
from palermo.partners.models import Organisation
from tests.cases.conftest import sample_rows
from tests.conftest import verified_login

FEW, MANY = 3, 60


@pytest.fixture(params=[FEW, MANY], ids=["few", "many"])
def world(request: Any, user_factory: Callable[..., User],
          organisation_factory: Callable[..., Organisation]) -> dict[str, Any]:
    count = request.param
    ngo = organisation_factory("NGO-AL", country="AL")
    report = import_rows(HTCDS_COLUMNS, sample_rows(count), layout="htcds", source="pins", organisation=ngo,
                         country="AL", acting_user=SYSTEM.running("test"))
    assert report.ok, report.as_dict()
    case_worker = user_factory("cw-al", Role.CASE_WORKER, ("AL",), organisation=ngo)
    ImportJob.objects.bulk_create(
        ImportJob(created_by=case_worker, organisation=ngo, owner_country_id="AL", file_name=f"f{n}.csv",
                  file_path="", layout="htcds", source=f"s{n}") for n in range(count))
    return {"count": count, "case_worker": case_worker, "analyst": user_factory("an-al", Role.ANALYST, ("AL",))}


def signed_in(user: User) -> Client:
    client = Client()
    verified_login(client, user)
    return client


# Every signed-in request reads the session, the user and its countries; a case worker's also its second factor
# (4 for a case worker, 3 for an analyst). Then: count, page, and what each list shows.
@pytest.mark.parametrize(("who", "url", "queries"), [
    # + count, forms of the filter's select, the page, the forms of the page's cases
    ("case_worker", "/cases/", 8),
    ("analyst", "/cases/", 7),
    # + the form named in the filter, checked
    ("case_worker", "/cases/?form=sexual_exploitation&status=actual", 9),
    # + count, countries of the upload form's select, the page
    ("case_worker", "/cases/imports/", 7),
    # + count, page, forms and route legs of the page's cases, and the audit row of the read (savepoint, chain head
    # locked, row, head, savepoint released)
    ("case_worker", "/api/cases/", 13),
    ("analyst", "/api/cases/", 12),
    ("analyst", "/api/cases/?country=al&form=forced_labour", 14),  # + the country code checked to exist
])
def test_a_list_costs_the_same_queries_whatever_its_length(world, django_assert_num_queries, who, url,
                                                           queries) -> None:
    client = signed_in(world[who])
    assert client.get(url).status_code == 200  # warm the caches a first request fills (content types, ...)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
