"""Steering lists answer in a fixed number of queries; a draft meeting's page reads its decisions once."""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.programme.models import Action
from palermo.steering import services
from tests.conftest import verified_login
from tests.pins import pin
from tests.steering.builders import Portfolio

pytestmark = pytest.mark.django_db
YEARS = iter(())


@pytest.fixture(autouse=True)
def first_year() -> None:
    global YEARS
    YEARS = count(2000)


def add_meetings(closed: bool = True) -> None:
    """Two more meetings, each with two decisions naming actions; the first closed with its frozen review."""
    actions = list(Action.objects.all()[:2])
    for index in range(2):
        year = next(YEARS)
        meeting = services.create_meeting(acting_user=SYSTEM, year=year, date=date(year + 1, 2, 1), place="Paris")
        for text in ("a", "b"):
            services.add_decision(acting_user=SYSTEM, meeting=meeting, text_en=text, text_fr=text, owner="o",
                                  actions=actions)
        if closed and index == 0:
            services.close_meeting(acting_user=SYSTEM, meeting=meeting, with_pdf=False)


@pytest.fixture
def reader(user_factory) -> Client:
    client = Client()
    verified_login(client, user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",)))
    return client


# session, user, count, meetings, their decisions
def test_the_meeting_list_page_takes_a_fixed_number_of_queries(portfolio, reader, django_assert_num_queries) -> None:
    add_meetings()
    pin(reader, "/steering/", 5, django_assert_num_queries, grow=add_meetings)


# session, user, count, rows, then the prefetched frozen reviews and decisions / the decisions' actions
@pytest.mark.parametrize(("url", "queries"), [
    ("/api/steering/meetings/", 6),
    ("/api/steering/meetings/?status=closed", 6),
    ("/api/steering/decisions/", 5),
    ("/api/steering/decisions/?year=2000", 5),
])
def test_the_steering_api_lists_take_a_fixed_number_of_queries(portfolio, reader, django_assert_num_queries, url,
                                                               queries) -> None:
    add_meetings()
    pin(reader, url, queries, django_assert_num_queries, grow=add_meetings)


def test_a_draft_meeting_page_reads_its_decisions_once(portfolio: Portfolio, reader) -> None:
    meeting = services.create_meeting(acting_user=SYSTEM, year=2024, date=date(2025, 2, 1), place="Vienna")
    for text in ("first", "second"):
        services.add_decision(acting_user=SYSTEM, meeting=meeting, text_en=text, text_fr=text, owner="MEAE",
                              actions=[portfolio.bilateral, portfolio.pipeline])
    with CaptureQueriesContext(connection) as queries:
        page = reader.get("/steering/2024/").content.decode()
    assert page.count("XM-DAC-4-TEST-THB-1, XM-DAC-4-TEST-THB-3") >= 2  # the page's table and the review's
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "steering_decision"' in q["sql"]]
    assert len(reads) == 1
