"""Query-count pins on every programme list page, download and API list: the count is exact and the
same for 3 actions as for 30, so a query per row (N+1) fails here. When a change adds a query on
purpose, update the pin in the same commit and say why."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from palermo.accounts.roles import Role
from palermo.programme.models import (
    Action,
    ActionTargetGroup,
    Budget,
    GretaRecommendation,
    Indicator,
    Period,
    Result,
    Transaction,
)
from tests.programme.helpers import client_for

pytestmark = pytest.mark.django_db

# url -> exact number of queries for a signed-in programme manager: session, user and the second factor every
# manager passes (3), then the page's own
# (a count and a page of rows, one query per prefetched relation, the filter menus); a download adds the
# queries of its audit row and drops the page's count and menus.
PINS = {
    "/programme/actions/": 9,
    "/programme/actions/?format=csv": 13,
    "/programme/actions/?format=xlsx&country=RO": 14,
    "/programme/greta/": 6,
    "/programme/greta/?format=csv&answered=no": 10,
    "/programme/complementarity/": 9,
    "/programme/complementarity/?format=csv&year=2025": 14,
    "/programme/complementarity/overlaps/": 12,  # + the names of the countries the alerts name
    "/programme/complementarity/gaps/?year=2025": 14,  # + the case records by form of trafficking
    "/programme/complementarity/timeline/?country=RO": 5,
    "/api/programme/actions/": 12,
    "/api/programme/actions/?country=RS&year=2025": 13,
    "/api/programme/greta-recommendations/": 5,
    "/api/programme/matrix/?year=2025&status=2": 7,
}


@pytest.fixture
def grow(user_factory, organisation_factory, make_action):
    """Add actions (with shares, participants, target groups, GRETA links, money and results) up to ``n``."""
    iom = organisation_factory("IOM", "international_organisation")

    def to(n: int) -> None:
        for number in range(Action.objects.count() + 1, n + 1):
            country = ("RO", "RS", "AL")[number % 3]
            action = make_action(f"FR-3-PIN-{number:03d}", countries={country: 60, "MD": 40},
                                 objectives={2: 50, 3: 50}, channel="multilateral", organisations=(iom,),
                                 committed="1000.00", title_en=f"Action {number} on shelters and training")
            ActionTargetGroup.objects.create(action=action, group="minors")
            recommendation = GretaRecommendation.objects.create(
                country_id=country, round=3, report_date="2021-06-03", paragraph=str(number), theme="prevention",
                level="urges", text=f"[DEMO] recommendation {number}")
            action.greta_recommendations.add(recommendation)
            Transaction.objects.create(action=action, transaction_type=3, date=date(2025, 3, 1), value=D("500"))
            Budget.objects.create(action=action, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31),
                                  value=D("1000"))
            result = Result.objects.create(action=action, result_type=Result.Type.OUTPUT, title_en="Trained")
            indicator = Indicator.objects.create(result=result, title_en="People trained")
            Period.objects.create(indicator=indicator, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31),
                                  target=D("10"))

    return to


@pytest.mark.parametrize("url", list(PINS))
def test_each_list_costs_the_same_queries_for_3_and_30_actions(grow, user_factory, django_assert_num_queries,
                                                               url) -> None:
    client = client_for(user_factory("pin-manager", Role.PROGRAMME_MANAGER))
    for size in (3, 30):
        grow(size)
        with django_assert_num_queries(PINS[url]):
            response = client.get(url)
        assert response.status_code == 200, (url, size)
