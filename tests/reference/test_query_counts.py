"""Every reference API list answers in a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from palermo.accounts.roles import Role
from tests.pins import pin
from tests.reference.builders import add_reference_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(user_factory) -> APIClient:
    client = APIClient()
    client.force_login(user_factory("viewer", Role.VIEWER))
    return client


# session, user, count, rows; + one per prefetched relation; + the country a filter names
@pytest.mark.parametrize(("url", "queries"), [
    ("/api/reference/countries/", 4),
    ("/api/reference/countries/?programme=true&eu_member=false", 4),
    ("/api/reference/objectives/", 4),
    ("/api/reference/thb-forms/", 4),
    ("/api/reference/exploitation-forms/", 4),
    ("/api/reference/instruments/", 6),
    ("/api/reference/instrument-statuses/", 4),
    ("/api/reference/instrument-statuses/?country=RS&status=signed", 5),
    ("/api/reference/indicator-dimensions/", 4),
    ("/api/reference/indicator-lists/", 6),
    ("/api/reference/indicator-lists/?population=adult&exploitation=labour", 6),
])
def test_every_reference_list_takes_a_fixed_number_of_queries(api, django_assert_num_queries, url, queries) -> None:
    add_reference_rows()
    pin(api, url, queries, django_assert_num_queries, grow=add_reference_rows)
