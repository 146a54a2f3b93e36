"""Every reference API list answers in a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from itertools import count

import pytest
from rest_framework.test import APIClient

from palermo.accounts.roles import Role
from palermo.reference.models import (
    ExploitationForm,
    Indicator,
    IndicatorDimension,
    IndicatorList,
    InstrumentStatus,
    LegalInstrument,
)
from tests.pins import pin

pytestmark = pytest.mark.django_db
SERIAL = count()


def add_rows() -> None:
    """One more instrument with statuses in two countries, a form of exploitation under it, an indicator
    list with indicators in two dimensions."""
    n = next(SERIAL)
    instrument = LegalInstrument.objects.create(code=f"test-{n}", short_name=f"T{n}", name_en="Test", name_fr="Test",
                                                body="Test")
    for code in ("RO", "RS"):
        InstrumentStatus.objects.create(instrument=instrument, country_id=code, status="signed")
    ExploitationForm.objects.create(code=f"test-{n}", name_en="Test", name_fr="Test", instrument=instrument,
                                    article="1")
    indicators = IndicatorList.objects.create(code=f"test-{n}", version="2026", name_en="Test", name_fr="Test",
                                              population="adult", exploitation="labour",
                                              dimension_rule={}, case_rule={})
    for dimension in IndicatorDimension.objects.all()[:2]:
        Indicator.objects.create(indicator_list=indicators, dimension=dimension, code=f"i-{dimension.code}",
                                 text_en="x", text_fr="x", strength="strong")


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
    add_rows()
    pin(api, url, queries, django_assert_num_queries, grow=add_rows)
